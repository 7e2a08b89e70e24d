"""Charts drawn on the server as <svg> markup (no JavaScript): used in the PDF and on the dashboard.

Each function takes figures from the report context and returns one horizontal bar per category, in black and
grey (a document is printed and photocopied in black and white), with text at 12 pt on the printed page
(16 CSS px, a CSS pixel being 0.75 pt) and category labels wrapped on as many lines as they need, never cut. The
chart carries no title of its own: the document numbers it and writes its caption under it ("Biểu đồ 1. …",
`CAPTIONS`), the dashboard writes the caption above it.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import documents

FONT = "Liberation Serif, Tinos, Times New Roman, serif"
FONT_SIZE = 16  # px: 12 pt when printed
LINE = 19
BAR_FILL, BAR_STROKE, TEXT = "#8c8c8c", "#000000", "#000000"
WIDTH = 620  # px: 465 pt, within the 165 mm text width
LABEL_WIDTH = 250
BAR_AREA = 300
PADDING = 8

CAPTIONS = {
    "participation": gettext_lazy("Số cơ quan, đơn vị có thành tích được ghi nhận theo nội dung thi đua"),
    "par": gettext_lazy("Chỉ số cải cách hành chính bình quân theo nhóm cơ quan, đơn vị (%)"),
    "awards": gettext_lazy("Số lượt tập thể, cá nhân được khen thưởng theo hình thức khen thưởng"),
}


def captions():
    return {name: str(caption) for name, caption in CAPTIONS.items()}


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def _label_lines(label):
    """The label broken at spaces into lines at most LABEL_WIDTH - PADDING wide (by the font's glyph widths, or
    about 40 characters a line when the font cannot be measured)."""
    lines = documents.wrap(label, LABEL_WIDTH - PADDING, FONT_SIZE)
    if lines is not None:
        return lines or [""]
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > 34:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else [""]


def bar_chart_svg(items, *, title, maximum=None, unit=""):
    """`items`: [(label, value)]. Returns safe <svg> markup with one <rect class="bar"> per item; `title` is the
    chart's accessible name (its <title>), not drawn."""
    items = [(str(label), float(value or 0)) for label, value in items]
    top = maximum if maximum is not None else max([value for _label, value in items] + [1])
    rows, y = [], PADDING
    for label, value in items:
        lines = _label_lines(label)
        height = max(len(lines) * LINE + 8, 28)
        rows.append((label, value, lines, y, height))
        y += height
    height = max(y, 40) + PADDING
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LABEL_WIDTH}" y1="{PADDING - 2}" x2="{LABEL_WIDTH}" y2="{height - PADDING + 2}" '
        f'stroke="{BAR_STROKE}" stroke-width="1"/>',
    ]
    if not items:
        parts.append(f'<text x="{LABEL_WIDTH + 8}" y="{PADDING + 20}">{escape(_("Chưa có dữ liệu"))}</text>')
    for label, value, lines, top_y, row_height in rows:
        bar = round(value / top * BAR_AREA, 1) if top else 0
        first = top_y + (row_height - len(lines) * LINE) / 2 + LINE - 5
        tspans = "".join(f'<tspan x="{LABEL_WIDTH - PADDING}" y="{first + index * LINE:.1f}">{escape(line)}</tspan>'
                         for index, line in enumerate(lines))
        parts.append(f'<text text-anchor="end">{tspans}</text>')
        parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{top_y + 5}" width="{bar}" height="{row_height - 10}" '
                     f'fill="{BAR_FILL}" stroke="{BAR_STROKE}" stroke-width="0.75"><title>{escape(label)}: '
                     f"{_number(value)}{escape(unit)}</title></rect>")
        middle = top_y + row_height / 2 + 5
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6}" y="{middle:.1f}">{_number(value)}{escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every dynamic text above is escaped


def participation_chart(contents):
    """Units with achievements accepted per emulation content."""
    return bar_chart_svg([(f"({row['content'].number}) {row['content'].short_title}", row["units"])
                          for row in contents], title=str(CAPTIONS["participation"]))


def par_chart(par_by_group):
    """Average PAR index per unit group (the latest year of the period)."""
    return bar_chart_svg([(f"{row['label']} ({row['year']})", row["value"]) for row in par_by_group],
                         title=str(CAPTIONS["par"]), maximum=100)


def awards_chart(awards):
    """Awards by form (collectives and individuals together)."""
    return bar_chart_svg([(row["form"], row["total"]) for row in awards], title=str(CAPTIONS["awards"]))


def charts_for(context):
    return {
        "participation": participation_chart(context["contents"]),
        "par": par_chart(context["par_by_group"]),
        "awards": awards_chart(context["awards"]),
    }
