"""Text helpers: Vietnamese stored in NFC and searched without diacritics, whole numbers read from typed text."""

import re
import unicodedata


def nfc(value):
    """Return `value` in Unicode NFC with surrounding whitespace removed (non-strings pass through)."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", value).strip()


def fold(value):
    """Lower-case, diacritic-free form used for searching: "Nguyễn Văn Ân" -> "nguyen van an", "Đắk" -> "dak"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def normalize_code(value):
    """Business codes are compared case-insensitively after trimming: we store them upper-case."""
    return nfc(value or "").upper()


def code_or_none(value):
    """A business code sent in a request, normalised, or None when no code could be it: one holding NUL, which no
    stored text holds and PostgreSQL refuses in a query (a 500)."""
    code = normalize_code(value)
    return None if "\x00" in code else code


def codes(values):
    """The codes among `values` (`code_or_none`), the others dropped."""
    return [code for code in map(code_or_none, values) if code is not None]


def ascii_slug(value):
    """`value` in plain ASCII for a file name, case kept: "3150/QĐ-UBND" -> "3150-QD-UBND", "Cấp huyện" ->
    "Cap-huyen" (letters without their marks, anything else a single hyphen)."""
    decomposed = unicodedata.normalize("NFD", str(value).replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", stripped).strip("-")


def download_name(*parts, ext):
    """The name of a downloaded file from its words and its document's reference, ASCII only so every browser, mail
    client and archive keeps it: download_name("quyết định", "3150/QĐ-UBND", ext="pdf") ->
    "quyet-dinh-3150-QD-UBND.pdf". Words given in lower case stay so; a reference keeps its capitals."""
    stem = "-".join(slug for slug in (ascii_slug(part) for part in parts if part not in (None, "")) if slug)
    return f"{stem or 'tai-lieu'}.{ext}"


# The largest whole number a key or count column holds (SQLite's INTEGER, PostgreSQL's bigint): a larger one sent
# in a request reached SQLite's driver as an OverflowError, a 500.
NUMBER_MAX = 2**63 - 1


def number_or_none(text):
    """A whole number typed in a request (a key, a year, a count) as an int, or None when it is not one: ASCII
    digits only (`str.isdigit` also takes "²", which int() refuses) and no larger than a column holds."""
    text = text if isinstance(text, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(NUMBER_MAX)):
        return None
    number = int(text)
    return number if number <= NUMBER_MAX else None


def numbers(values):
    """The whole numbers among `values` (`number_or_none`), the others dropped."""
    return [number for number in map(number_or_none, values) if number is not None]
