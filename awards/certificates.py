"""Certificates (Bằng khen, Giấy khen …) printed onto the pre-printed blanks (phôi), one page per awardee.

A `CertificateLayout` per award form says where each text goes on its blank (mm from the top-left corner of the page
as printed; the vertical position is the text's baseline, where a handwritten line would sit on the blank's dotted
line) and in which font; a text too wide for its field is set smaller, down to the field's minimum size, over at most
its number of lines ("shrink to fit", measured here from the font's glyph advances because CSS cannot measure text).
The PDF (WeasyPrint) has only the texts: the blank's photo or scan is drawn under them only for a test print on plain
paper. A printer's offset (`Printer`) moves everything the other way; the calibration page (a grid and crosshairs at
known positions, printed without any offset) is how the offset is measured.

Fonts come from Debian packages installed by `scripts/setup_os.sh`; every one covers the 134 precomposed letters of
Vietnamese with their tones and đ/Đ in both cases (checked with fontTools, `vietnamese_coverage`). No script or
calligraphic face packaged by Debian has that coverage (Dancing Script, Lobster Two, Kaushan Script, URW Z003
Chancery lack ơ, ư and the letters with a dot below); EB Garamond's italic, a classical calligraphic italic, is the
display face for names.
"""

import base64
import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import documents

from .models import CertificateSlot, FontStyle, Orientation, TextAlign

PT_PER_MM = 72 / 25.4
LINE_HEIGHT = Decimal("1.2")  # of the font size: the distance between the lines of a field of several lines
SHRINK_STEP = Decimal("0.25")  # pt


@dataclass(frozen=True)
class Font:
    family: str  # the fontconfig and CSS family name
    label: str
    package: str  # the Debian package (scripts/setup_os.sh)
    styles: tuple = tuple(FontStyle.values)


FONTS = {
    "serif": Font("Liberation Serif", gettext_lazy("Liberation Serif (cỡ chữ như Times New Roman)"),
                  "fonts-liberation2"),
    "sans": Font("Liberation Sans", gettext_lazy("Liberation Sans (cỡ chữ như Arial)"), "fonts-liberation2"),
    "charis": Font("Charis SIL", gettext_lazy("Charis SIL (chữ có chân, nét đậm)"), "fonts-sil-charis"),
    # EB Garamond's bold has no Vietnamese letters in Debian's package: regular and italic only.
    "garamond": Font("EB Garamond 12", gettext_lazy("EB Garamond (chữ nghiêng trang trọng, cho tên)"),
                     "fonts-ebgaramond", (FontStyle.REGULAR, FontStyle.ITALIC)),
}
DEFAULT_FONT = "serif"


def font_choices():
    return [(key, font.label) for key, font in FONTS.items()]


def _fc_pattern(family, style):
    weight = "bold" if style in (FontStyle.BOLD, FontStyle.BOLD_ITALIC) else "regular"
    slant = "italic" if style in (FontStyle.ITALIC, FontStyle.BOLD_ITALIC) else "roman"
    return f"{family}:weight={weight}:slant={slant}"


@functools.cache
def font_file(family, style=FontStyle.REGULAR):
    """The file fontconfig (and so WeasyPrint's Pango) uses for the family in that style, or None if missing."""
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{family}|%{file}", _fc_pattern(family, style)],
                           capture_output=True, text=True, check=False).stdout
    families, _sep, path = found.partition("|")
    return path if family in families.split(",") else None


@dataclass(frozen=True)
class Metrics:
    advances: dict  # {code point: advance in em}
    ascent: float  # em, above the baseline (the line box's, as Pango lays it out)
    descent: float  # em, below the baseline
    missing_advance: float


@functools.cache
def metrics(family, style=FontStyle.REGULAR):
    """Glyph advances and vertical metrics of the font, from its file (None when the font is not installed)."""
    path = font_file(family, style)
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
        widths = font["hmtx"].metrics
        advances = {code: widths[glyph][0] / units for code, glyph in font.getBestCmap().items()}
        hhea = font["hhea"]
        return Metrics(advances, hhea.ascent / units, -hhea.descent / units, max(advances.values()))


def _font_metrics(font_key, style):
    font = FONTS.get(font_key, FONTS[DEFAULT_FONT])
    found = metrics(font.family, style) or metrics(FONTS[DEFAULT_FONT].family, FontStyle.REGULAR)
    if found is None:
        raise RuntimeError("Liberation Serif (fonts-liberation2) is missing: run scripts/setup_os.sh")
    return found


def vietnamese_coverage(family, style=FontStyle.REGULAR):
    """The Vietnamese letters (every vowel with every tone, đ; both cases) the font has no glyph for."""
    path = font_file(family, style)
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    letters = {unicodedata.normalize("NFC", vowel + tone) for vowel in "aăâeêioôơuưy" for tone in tones} | {"đ"}
    letters |= {letter.upper() for letter in letters}
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
    return sorted(letter for letter in letters if ord(letter) not in cmap)


def text_width(text, size, found):
    """Width in points of one line of `text` at `size` pt (sum of advances; kerning only makes it narrower)."""
    return float(size) * sum(found.advances.get(ord(char), found.missing_advance) for char in text)


def _wrap(words, room, size, found):
    return documents.fill_lines(words, lambda line: text_width(line, size, found) > room)


@dataclass
class Fitted:
    lines: list
    size: Decimal
    overflow: bool  # even at the minimum size it does not fit: the editor warns


def fit(text, *, width_mm, size, min_size, max_lines=1, font=DEFAULT_FONT, style=FontStyle.REGULAR):
    """The text's lines and the largest size (from `size` down to `min_size`) at which it fits in the width."""
    found = _font_metrics(font, style)
    room = float(width_mm) * PT_PER_MM * 0.98  # a little slack: the renderer's rounding never breaks a line again
    paragraphs = [part.split() for part in text.split("\n") if part.strip()]  # a line break is kept
    current = Decimal(size)
    while True:
        lines = [line for words in paragraphs for line in _wrap(words, room, current, found)]
        fits = len(lines) <= max_lines and all(text_width(line, current, found) <= room for line in lines)
        if fits or current - SHRINK_STEP < Decimal(min_size):
            break
        current -= SHRINK_STEP
    if not fits and len(lines) > max_lines:  # the last allowed line takes the rest (and overflows)
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    return Fitted(lines, current, not fits)


# What each field says -----------------------------------------------------------------------------------------------


def certificate_texts(record):
    """{slot: text} for one commendation: the recipient, their position and unit, the reason, the decision, the
    place and date, the signer's capacity ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", one line each) and name, and the number
    in the award register."""
    decision = record.decision
    issuer = decision.issuer if decision else None
    if record.person_id:
        person = record.person
        name = person.full_name
        title = ", ".join(part for part in (person.position, person.unit.name) if part)
    else:
        name = record.unit.name
        title = record.unit.parent.name if record.unit.parent_id else ""
    campaign = record.dossier.campaign.title if record.dossier_id else ""
    reason = (_("Đã có thành tích xuất sắc trong phong trào thi đua “%(title)s”") % {"title": campaign}
              if campaign else _("Đã có thành tích xuất sắc"))
    if record.period_start and record.period_end and record.period_start.year != record.period_end.year:
        reason += _(", giai đoạn %(start)s - %(end)s") % {"start": record.period_start.year,
                                                           "end": record.period_end.year}
    else:
        reason += _(" năm %(year)s") % {"year": record.year}
    place = (issuer.place if issuer and issuer.place else "") or documents.place_from_name(
        issuer.name if issuer else (decision.authority if decision else ""))
    day = record.decision_date
    return {
        CertificateSlot.NAME: name,
        CertificateSlot.TITLE: title,
        CertificateSlot.REASON: reason,
        CertificateSlot.DECISION: _("Quyết định số %(n)s ngày %(d)s") % {
            "n": record.decision_number, "d": day.strftime("%d/%m/%Y")},
        CertificateSlot.PLACE_DATE: documents.date_line(place, day).lstrip(", "),
        CertificateSlot.SIGNER_TITLE: decision.signer_title if decision else "",
        CertificateSlot.SIGNER: decision.signer if decision else "",
        CertificateSlot.SERIAL: (_("Số vào sổ: %(n)s") % {"n": record.register_reference}
                                 if record.register_number else ""),
    }


SAMPLE = {
    CertificateSlot.NAME: "Nguyễn Thị Phương Thảo",
    CertificateSlot.TITLE: "Chuyên viên Văn phòng Ủy ban nhân dân huyện Đắk Mil",
    CertificateSlot.REASON: "Đã có thành tích xuất sắc trong phong trào thi đua “Đắk Nông chung sức xây dựng "
                            "chính quyền điện tử”, giai đoạn 2022 - 2023",
    CertificateSlot.DECISION: "Quyết định số 150/QĐ-UBND ngày 22/01/2024",
    CertificateSlot.PLACE_DATE: "Đắk Nông, ngày 22 tháng 01 năm 2024",
    CertificateSlot.SIGNER_TITLE: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    CertificateSlot.SIGNER: "Hồ Văn Mười",
    CertificateSlot.SERIAL: "Số vào sổ: 001/BK-2024",
}


# Default positions on an A4 landscape blank of a provincial Bằng khen (adjusted on the editor page): the national
# title, the motto and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH … TẶNG BẰNG KHEN" are pre-printed in the upper half.
# slot: x, y, width, font, size, min size, style, align, lines
DEFAULT_FIELDS = {
    CertificateSlot.NAME: ("148.5", "100", "200", "garamond", "26", "14", FontStyle.ITALIC, TextAlign.CENTER, 1),
    CertificateSlot.TITLE: ("148.5", "113", "220", "serif", "15", "10", FontStyle.REGULAR, TextAlign.CENTER, 2),
    CertificateSlot.REASON: ("148.5", "132", "230", "serif", "14", "10", FontStyle.ITALIC, TextAlign.CENTER, 3),
    CertificateSlot.PLACE_DATE: ("215", "158", "130", "serif", "13", "10", FontStyle.ITALIC, TextAlign.CENTER, 1),
    CertificateSlot.DECISION: ("70", "178", "110", "serif", "11", "8", FontStyle.REGULAR, TextAlign.CENTER, 1),
    CertificateSlot.SERIAL: ("70", "186", "110", "serif", "11", "8", FontStyle.REGULAR, TextAlign.CENTER, 1),
    CertificateSlot.SIGNER_TITLE: ("215", "166", "110", "serif", "13", "10", FontStyle.BOLD, TextAlign.CENTER, 2),
    CertificateSlot.SIGNER: ("215", "195", "110", "serif", "14", "10", FontStyle.BOLD, TextAlign.CENTER, 1),
}


def default_field_values(slot):
    x, y, width, font, size, min_size, style, align, lines = DEFAULT_FIELDS[slot]
    return {"x": Decimal(x), "y": Decimal(y), "width": Decimal(width), "font": font, "size": Decimal(size),
            "min_size": Decimal(min_size), "style": style, "align": align, "max_lines": lines, "uppercase": False,
            "enabled": True}


def preview_data():
    """What the editor's script needs: the sample texts, each font's vertical metrics, the line height."""
    fonts = {}
    for key, font in FONTS.items():
        found = metrics(font.family, FontStyle.REGULAR)
        fonts[key] = {"ascent": found.ascent if found else 0.9, "descent": found.descent if found else 0.25}
    return {"samples": {str(slot): text for slot, text in SAMPLE.items()}, "fonts": fonts,
            "line_height": float(LINE_HEIGHT), "pt_per_mm": PT_PER_MM}


# Rendering ------------------------------------------------------------------------------------------------------


def _box(field, text):
    """The positioned box of one field: its left edge, top and width in mm, and its fitted lines and size."""
    if field.uppercase:
        text = text.upper()
    fitted = fit(text, width_mm=field.width, size=field.size, min_size=field.min_size, max_lines=field.max_lines,
                 font=field.font, style=field.style)
    found = _font_metrics(field.font, field.style)
    size_pt = float(fitted.size)
    line_pt = size_pt * float(LINE_HEIGHT)
    # The first line's baseline is at y: the line box starts half the leading and the ascent above it.
    half_leading = (line_pt - size_pt * (found.ascent + found.descent)) / 2
    top_mm = float(field.y) - (half_leading + size_pt * found.ascent) / PT_PER_MM
    width = float(field.width)
    left = {TextAlign.LEFT: float(field.x), TextAlign.RIGHT: float(field.x) - width}.get(
        field.align, float(field.x) - width / 2)
    font = FONTS.get(field.font, FONTS[DEFAULT_FONT])
    return {"slot": field.slot, "left": round(left, 3), "top": round(top_mm, 3), "width": round(width, 3),
            "family": font.family, "size": fitted.size, "line": round(line_pt, 3), "align": field.align,
            "bold": field.style in (FontStyle.BOLD, FontStyle.BOLD_ITALIC),
            "italic": field.style in (FontStyle.ITALIC, FontStyle.BOLD_ITALIC),
            "lines": fitted.lines, "overflow": fitted.overflow}


def _data_uri(blank):
    if blank is None or not blank.file:
        return ""
    with blank.file.open("rb") as handle:
        content = handle.read()
    return f"data:{blank.content_type or 'image/jpeg'};base64,{base64.b64encode(content).decode('ascii')}"


def _offset(printer):
    return (float(printer.offset_x), float(printer.offset_y)) if printer else (0.0, 0.0)


def pages_html(pages, *, printer=None, title=""):
    """HTML of the certificate pages: [(layout, {slot: text}, background data URI or "")]."""
    layouts, rendered = {}, []
    for layout, texts, background in pages:
        width, height = layout.page_size
        layouts[layout.pk] = {"pk": layout.pk, "width": width, "height": height}
        boxes = [_box(field, texts.get(field.slot, "")) for field in layout.fields.all()
                 if field.enabled and texts.get(field.slot)]
        rendered.append({"layout": layouts[layout.pk], "boxes": boxes, "background": background})
    offset_x, offset_y = _offset(printer)
    return render_to_string("awards/certificate_pdf.html", {
        "layouts": layouts.values(), "pages": rendered, "offset_x": -offset_x, "offset_y": -offset_y,
        "title": title})


def _records(decision, form=None):
    records = (decision.records.select_related("form__certificate_layout", "person__unit", "unit__parent",
                                               "dossier__campaign", "decision__issuer")
               .prefetch_related("form__certificate_layout__fields")
               .order_by("form__order", "register_family", "register_number", "pk"))
    return records.filter(form=form) if form is not None else records


def missing_layouts(decision, form=None):
    """The award forms of the decision's commendations that have no certificate layout yet."""
    forms = {r.form for r in _records(decision, form)}
    return sorted((f for f in forms if not hasattr(f, "certificate_layout")), key=lambda f: f.order)


def decision_certificates_pdf(decision, *, form=None, printer=None, test_print=False):
    """One page per commendation of the decision (of one form when given), in the order of the award register."""
    pages, backgrounds = [], {}
    for record in _records(decision, form):
        layout = getattr(record.form, "certificate_layout", None)
        if layout is None:
            continue
        if test_print and layout.pk not in backgrounds:
            backgrounds[layout.pk] = _data_uri(layout.blanks.first())
        pages.append((layout, certificate_texts(record), backgrounds.get(layout.pk, "")))
    title = _("Bằng, giấy khen theo Quyết định số %(n)s") % {"n": decision.number}
    return documents.write_pdf(pages_html(pages, printer=printer, title=title))


def sample_pdf(layout, *, printer=None, test_print=True):
    """The layout filled with sample texts (the editor's "print a sample" button)."""
    background = _data_uri(layout.blanks.first()) if test_print else ""
    return documents.write_pdf(pages_html([(layout, SAMPLE, background)], printer=printer,
                                          title=_("Bản in thử")))


# Calibration -------------------------------------------------------------------------------------------------------

CROSS_MARGIN = 20  # mm from each edge of the page to the corner crosshairs


def crosshairs(width, height):
    """The crosshairs' centres (mm): 20 mm in from each corner, and the page's centre."""
    w, h = float(width), float(height)
    return [(CROSS_MARGIN, CROSS_MARGIN), (w - CROSS_MARGIN, CROSS_MARGIN), (w / 2, h / 2),
            (CROSS_MARGIN, h - CROSS_MARGIN), (w - CROSS_MARGIN, h - CROSS_MARGIN)]


def calibration_pdf(*, width=210, height=297, orientation=Orientation.PORTRAIT, printer=None):
    """A grid every 10 mm (numbered every 10 mm along the top and left edges) and crosshairs at known positions.
    Printed with no offset (or a printer's, to check it), the distance from the paper's edges to each crosshair
    tells how far the printer moves what it prints."""
    if orientation == Orientation.LANDSCAPE:
        width, height = height, width
    w, h = float(width), float(height)
    offset_x, offset_y = _offset(printer)
    crosses = [{"x": x, "y": y, "left": x - 8, "top": y - 8, "ring_left": x - 3, "ring_top": y - 3,
                "label_left": x + 4, "label_top": y + 1, "label": f"({x:g}; {y:g})"} for x, y in crosshairs(w, h)]
    html = render_to_string("awards/certificate_calibration.html", {
        "width": w, "height": h, "columns": [(x, x + 0.5) for x in range(10, int(w), 10)],
        "rows": [(y, y + 0.5) for y in range(10, int(h), 10)], "crosses": crosses, "margin": CROSS_MARGIN,
        "help_top": CROSS_MARGIN + 20, "help_width": w - 60,
        "offset_x": -offset_x, "offset_y": -offset_y, "printer": printer})
    return documents.write_pdf(html)
