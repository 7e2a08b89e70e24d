"""Vietnamese text helpers: store NFC, search without diacritics."""

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
