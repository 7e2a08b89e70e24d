"""Administrative documents in the format of Decree 30/2020/NĐ-CP: the pieces every app's PDF shares.

The layout lives in the shared templates `templates/documents/` (`_page.css.html`: A4 page, margins, page numbers
from page 2, the Times-metric font stack, the header and signature styles; `_header.html`: governing and issuing
body, number, national title and motto with their rule lines, place and date line; `_signature.html`: "Nơi nhận"
and the signer block). This module has the text helpers of the header and the one WeasyPrint call; it knows
nothing of reports or awards.
"""

import contextlib
import functools
import gc
import re
import threading

from django.conf import settings
from django.utils.translation import gettext as _

ELLIPSIS = "\u2026\u2026"


def agency_heading(name):
    """ "Ủy ban nhân dân tỉnh Đắk Nông" → "UBND TỈNH ĐẮK NÔNG"; "Sở Nội vụ" → "SỞ NỘI VỤ"."""
    short = re.sub(r"^(ủy|uỷ) ban nhân dân\b", "UBND", (name or "").strip(), flags=re.IGNORECASE)
    return short.upper()


def place_from_name(name):
    """The place of the date line from an agency's name ("… tỉnh Đắk Nông" → "Đắk Nông"); "" when none."""
    match = re.search(r"\b(?:tỉnh|thành phố)\s+(.+)$", (name or "").strip(), flags=re.IGNORECASE)
    return match.group(1).strip() if match else ""


def date_line(place, day):
    """ "Đắk Nông, ngày 05 tháng 12 năm 2023" (Decree 30/2020: day < 10 and months 1–2 take a leading zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place, "day": f"{day.day:02d}", "month": month, "year": day.year}


def draft_date_line(place, year):
    """The date line of a draft not yet signed: "Đắk Nông, ngày      tháng      năm 2025"."""
    return _("%(place)s, ngày      tháng      năm %(year)s") % {"place": place, "year": year}


def full_date(day):
    """ "ngày 05 tháng 12 năm 2023" (as the legal bases and the body text write a date)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{day.day:02d}", "month": month,
                                                              "year": day.year}


def money(amount):
    """ "12.340.000" (Vietnamese digit grouping)."""
    return f"{int(amount):,}".replace(",", ".")


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _hundreds(n, inner):
    """Words of 0 < n < 1000; `inner`: not the leading group, so "không trăm", "linh" are read."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_words(n):
    """A whole number read in Vietnamese, capitalised: 12340000 → "Mười hai triệu ba trăm bốn mươi nghìn"."""
    n = int(n)
    if n == 0:
        return "Không"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        words += _hundreds(groups[index], inner=index < len(groups) - 1)
        if index:
            words.append(_GROUPS[index])
    text = " ".join(words)
    return text[0].upper() + text[1:]


def number_line(number, symbol):
    """ "Số: 07/BC-SNV"; a number that already carries its symbol ("2150/QĐ-UBND") is shown as it is."""
    number = (number or "").strip()
    if "/" in number:
        return _("Số: %(number)s") % {"number": number}
    if number.isdigit() and len(number) == 1:
        number = f"0{number}"
    return _("Số: %(number)s/%(symbol)s") % {"number": number or ELLIPSIS, "symbol": symbol}


def header(*, governing="", issuing, number, place, day):
    """The context of `documents/_header.html`."""
    return {"governing": governing, "issuing": issuing, "number_line": number,
            "date_line": date_line(place, day).lstrip(", ")}


def lines(text, *, upper=False):
    """Non-empty, stripped lines of a text field (signer title, recipients, paragraphs)."""
    result = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [line.upper() for line in result] if upper else result


def recipient_lines(lines_, *, filing=""):
    """The "Nơi nhận" entries as Decree 30/2020 writes them, without their punctuation (the template adds ";" after
    each entry and "." after the last): leading "-" and trailing ";" "." removed, empty lines dropped, and the filing
    line ("Lưu: VT, TĐKT") exactly once and last (`filing` is added when the entries have none)."""
    entries, kept = [], []
    for line in lines_:
        entry = re.sub(r"^[-–•+]\s*", "", str(line).strip()).rstrip(" ;.,")
        if not entry:
            continue
        (kept if re.match(r"^lưu\b", entry, flags=re.IGNORECASE) else entries).append(entry)
    if not kept and filing:
        kept = [filing]
    return entries + kept[:1]


# Text measures for the rule lines and the balanced subject lines of Decree 30/2020 ----------------------------------
# The rule under the issuing body's name and the one under the subject are 1/3 to 1/2 as long as the text line above
# them, and CSS cannot measure text: the lines are measured here from the glyph advances of the document's font.

FONT_FAMILY = "Liberation Serif"
RULE_SHARE = 0.4  # of the text line above the rule: inside Decree 30's 1/3-1/2
MM = 72 / 25.4


@functools.cache
def font_advances(style="Regular"):
    """{code point: advance in em} of the document's font in one style, or None when it cannot be found."""
    import shutil
    import subprocess

    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{family}|%{file}", f"{FONT_FAMILY}:style={style}"],
                           capture_output=True, text=True, check=False).stdout
    family, _sep, path = found.partition("|")
    if FONT_FAMILY.split()[0] not in family and "Tinos" not in family:
        return None
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        return {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def text_width(text, size, style="Regular"):
    """The width in points of one line of text, or None when the font is unknown."""
    advances = font_advances(style)
    if advances is None:
        return None
    widest = max(advances.values())
    return size * sum(advances.get(ord(char), widest) for char in text)


def fill_lines(words, too_wide):
    """Words into lines as a browser breaks them at spaces: each line takes the next word unless `too_wide(line)`
    says the longer line would not fit (a word too wide for any line stands alone)."""
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and too_wide(candidate):
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def wrap(text, width, size, style="Regular"):
    """The lines a browser makes of `text` in a box `width` points wide (broken at spaces), or None."""
    if text_width(" ", size, style) is None:
        return None
    return fill_lines(text.split(), lambda line: text_width(line, size, style) > width)


def balanced_lines(text, width, size, style="Regular", *, slack=0.97):
    """The text in as few lines as fit in `width`, as equal in length as possible (a subject line of two lines is
    not one full line and one word); None when the font is unknown. `slack` keeps each line a little narrower than
    the box so the browser does not break it again."""
    room = width * slack
    lines_ = wrap(text, room, size, style)
    if lines_ is None or len(lines_) <= 1:
        return lines_
    low, high = max(text_width(word, size, style) for word in text.split()), room
    for _step in range(30):
        middle = (low + high) / 2
        if len(wrap(text, middle, size, style)) <= len(lines_):
            high = middle
        else:
            low = middle
    return wrap(text, high, size, style)


def rule_width(text_line, size, style="Bold", share=RULE_SHARE):
    """The length in points of a rule under `text_line` (`share` of its width), or None when the font is unknown."""
    width = text_width(text_line, size, style)
    return round(width * share, 1) if width else None


# PDF metadata -------------------------------------------------------------------------------------------------------


def _pdf_text(value):
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


A4_POINTS = (595.276, 841.89)  # 210 × 297 mm: "khổ giấy A4" of Decree 30/2020, Appendix I, Part I


_PAGE_BOX = re.compile(rb"/(?:MediaBox|CropBox) \[([-0-9. ]+)\]")


def exact_a4(pdf):
    """The PDF with every page box within a point of A4 (portrait or landscape) set to A4 exactly; other pages and
    PDFs whose page dictionaries are compressed (object streams) are returned as they are.

    Chromium sizes a page in whole units of its printing device, so its A4 is 594.96 × 841.92 pt (0.11 mm narrow).
    Each box is rewritten in place, padded with spaces to its old length, so every byte offset of the file holds;
    the top edge stays where it was (PDF measures from the bottom, the layout from the top), only the right and
    bottom edges move."""

    def exact(match):
        try:
            x0, y0, x1, y1 = (float(value) for value in match.group(1).split())
        except ValueError:
            return match.group(0)
        width, height = x1 - x0, y1 - y0
        wanted = A4_POINTS if width < height else A4_POINTS[::-1]
        if (x0, y0) != (0, 0) or abs(width - wanted[0]) >= 1 or abs(height - wanted[1]) >= 1:
            return match.group(0)
        box = f"0 {round(y1 - wanted[1], 3):g} {wanted[0]:g} {round(y1, 3):g}".encode("ascii")
        old = match.group(1)
        if len(box) > len(old):
            return match.group(0)
        return match.group(0).replace(old, box.ljust(len(old)))

    return _PAGE_BOX.sub(exact, pdf)


def set_pdf_info(pdf, *, title, author="", subject="", creator=""):
    """The PDF with its document information (Title, Author …) set by an incremental update, for files joined by
    pdfunite (which keeps none); a PDF whose last section is not a classic trailer is returned unchanged."""
    tail = pdf[-4096:]
    trailer = tail.rfind(b"trailer")
    start = tail.rfind(b"startxref")
    if trailer < 0 or start < trailer:
        return pdf
    dictionary = tail[trailer:start].decode("latin-1")
    size = re.search(r"/Size\s+(\d+)", dictionary)
    root = re.search(r"/Root\s+(\d+\s+\d+\s+R)", dictionary)
    previous = re.search(r"startxref\s+(\d+)", tail[start:].decode("latin-1"))
    if not (size and root and previous):
        return pdf
    # The new object takes the first free number: after every object of the file (pdfunite may write a /Size
    # smaller than its own cross-reference table).
    objects = [int(found) for found in re.findall(rb"(?m)^(\d+)\s+\d+\s+obj\b", pdf)]
    number = max([int(size.group(1)), *[n + 1 for n in objects]])
    fields = {"Title": title, "Author": author, "Subject": subject, "Creator": creator}
    info = " ".join(f"/{key} {_pdf_text(value)}" for key, value in fields.items() if value)
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    offset = len(body)
    obj = f"{number} 0 obj\n<< {info} >>\nendobj\n".encode("latin-1")
    xref_at = offset + len(obj)
    xref = (f"xref\n0 1\n0000000000 65535 f \n{number} 1\n{offset:010d} 00000 n \n"
            f"trailer\n<< /Size {number + 1} /Root {root.group(1)} /Info {number} 0 R /Prev {previous.group(1)} >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode("latin-1")
    return body + obj + xref


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = [True]


@contextlib.contextmanager
def fewer_gc_pauses():
    """No cyclic garbage collection inside the block; for the report worker's PDF renders only, never a request.

    WeasyPrint allocates millions of small, long-lived objects, which the collector walks again and again for
    little garbage: pausing it saves 17-21 % of the CPU time of a 2,000-row (600-page) appendix for +7 MB of peak
    memory (`bench/gc_pauses.py`, figures in bench/README.md). The switch is process-wide, so only the worker side
    of the reports (`reports.render`, in the task worker or its render processes) uses it; `render_document` and
    `write_pdf` never touch the collector, so a PDF made inside a web request (an award decision) leaves it as it
    is (tests/test_gc_pauses.py). Reference counting still frees memory; the collector is switched back on when
    the last block running in the process ends (blocks may run in several threads).
    """
    global _gc_holders
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled[0] = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled[0]:
                gc.enable()


def render_document(html):
    """HTML → a laid-out WeasyPrint document (pages can be counted, joined with others, then written)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def write_pdf(html):
    """HTML → PDF bytes (safe inside a web request: the garbage collector is left as it is)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
