"""Server-rendered SVG bar chart of the index by unit (no JavaScript)."""

from decimal import Decimal
from html import escape

from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.safestring import mark_safe

BAND_COLOURS = {"good": "#198754", "fair": "#0d6efd", "average": "#fd7e14", "weak": "#dc3545", "": "#6c757d"}
LABEL_WIDTH = 260
BAR_AREA = 420
ROW_HEIGHT = 22
TOP = 28


def _bar(position, row):
    """One bar as SVG, written here rather than by a template loop: a 70-unit chart took ~7 ms in the template
    engine on the ranking page (issue 18), this a tenth of that. The two texts are escaped; the numbers are
    coordinates (never localised), except the index shown, localised as a template would print it."""
    index = row.index_percent or Decimal("0")
    y, width = TOP + position * ROW_HEIGHT, round(float(index) / 100 * BAR_AREA, 1)
    label, shown = escape(f"{row.rank}. {row.unit_name}"[:42]), localize(index)
    colour = BAND_COLOURS.get(row.band, BAND_COLOURS[""])
    return (f'<g class="bar">\n    <text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{label}</text>\n'
            f'    <rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="16" fill="{colour}"><title>{label}: {shown}% '
            f'({escape(row.get_band_display())})</title></rect>\n'
            f'    <text x="{LABEL_WIDTH + width + 6}" y="{y + 15}">{shown}%</text>\n  </g>\n  ')


def index_chart_svg(rows, *, title=""):
    """An <svg> with one horizontal bar per ranked sheet (index 0–100 %), coloured by band."""
    bars = mark_safe("".join(_bar(position, row) for position, row in enumerate(rows)))  # texts escaped in _bar
    grid = [{"x": LABEL_WIDTH + BAR_AREA * p // 100, "label": p} for p in (0, 25, 50, 75, 100)]
    return render_to_string("par/_chart.svg", {
        "bars": bars, "grid": grid, "title": title,
        "width": LABEL_WIDTH + BAR_AREA + 70, "height": TOP + len(rows) * ROW_HEIGHT + 10,
        "bottom": TOP + len(rows) * ROW_HEIGHT,
    })
