"""Charts drawn on the server as <svg> markup (no JavaScript): used in the PDF and on the dashboard.

Each function takes figures from the report context and returns one horizontal bar per category.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

FONT = "Liberation Serif, Tinos, Times New Roman, serif"
COLOURS = ["#1f4e79", "#2e75b6", "#70ad47", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#264478"]
LABEL_WIDTH = 230
BAR_AREA = 300
ROW = 24
TOP = 30


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def bar_chart_svg(items, *, title, maximum=None, unit=""):
    """`items`: [(label, value)]. Returns safe <svg> markup with one <rect class="bar"> per item."""
    items = [(str(label), float(value or 0)) for label, value in items]
    top = maximum if maximum is not None else max([value for _label, value in items] + [1])
    width = LABEL_WIDTH + BAR_AREA + 80
    height = TOP + max(len(items), 1) * ROW + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 4}" x2="{LABEL_WIDTH}" y2="{height - 6}" stroke="#555" '
        f'stroke-width="1"/>',
    ]
    if not items:
        parts.append(f'<text x="{LABEL_WIDTH + 8}" y="{TOP + 15}" fill="#555">{escape(_("Chưa có dữ liệu"))}</text>')
    for position, (label, value) in enumerate(items):
        y = TOP + position * ROW
        bar = round(value / top * BAR_AREA, 1) if top else 0
        short = label if len(label) <= 38 else label[:37] + "..."
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(short)}</text>')
        parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 8}" '
                     f'fill="{COLOURS[position % len(COLOURS)]}"><title>{escape(label)}: {_number(value)}'
                     f"{escape(unit)}</title></rect>")
        parts.append(f'<text x="{LABEL_WIDTH + bar + 5}" y="{y + 15}">{_number(value)}{escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every dynamic text above is escaped


def participation_chart(contents):
    """Units with accepted achievements per emulation content."""
    return bar_chart_svg([(f"({row['content'].number}) {row['content'].short_title}", row["units"])
                          for row in contents],
                         title=_("Số đơn vị có thành tích được chấp nhận theo nội dung thi đua"))


def par_chart(par_by_group):
    """Average PAR index per unit group (the latest year of the period)."""
    return bar_chart_svg([(f"{row['label']} ({row['year']})", row["value"]) for row in par_by_group],
                         title=_("Chỉ số CCHC bình quân theo nhóm đơn vị (%)"), maximum=100)


def awards_chart(awards):
    """Awards by form (collectives and individuals together)."""
    return bar_chart_svg([(row["form"], row["total"]) for row in awards],
                         title=_("Khen thưởng theo hình thức"))


def charts_for(context):
    return {
        "participation": participation_chart(context["contents"]),
        "par": par_chart(context["par_by_group"]),
        "awards": awards_chart(context["awards"]),
    }
