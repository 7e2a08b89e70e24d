"""Administrative documents in the format of Decree 30/2020/NĐ-CP: the pieces every app's PDF shares.

The layout lives in the shared templates `templates/documents/` (`_page.css.html`: A4 page, margins, page numbers
from page 2, the Times-metric font stack, the header and signature styles; `_header.html`: governing and issuing
body, number, national title and motto with their rule lines, place and date line; `_signature.html`: "Nơi nhận"
and the signer block). This module has the text helpers of the header and the one WeasyPrint call; it knows
nothing of reports or awards.
"""

import contextlib
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
