"""Server-rendered SVG bar chart of the index by unit (no JavaScript)."""

from decimal import Decimal

from django.template.loader import render_to_string

BAND_COLOURS = {"good": "#198754", "fair": "#0d6efd", "average": "#fd7e14", "weak": "#dc3545", "": "#6c757d"}
LABEL_WIDTH = 260
BAR_AREA = 420
ROW_HEIGHT = 22
TOP = 28


def index_chart_svg(rows, *, title=""):
    """An <svg> with one horizontal bar per ranked sheet (index 0–100 %), coloured by band."""
    bars = []
    for position, row in enumerate(rows):
        index = row.index_percent or Decimal("0")
        bars.append({
            "y": TOP + position * ROW_HEIGHT,
            "text_y": TOP + position * ROW_HEIGHT + 15,
            "width": round(float(index) / 100 * BAR_AREA, 1),
            "value_x": LABEL_WIDTH + round(float(index) / 100 * BAR_AREA, 1) + 6,
            "label": f"{row.rank}. {row.unit.name}"[:42],
            "index": index,
            "colour": BAND_COLOURS.get(row.band, BAND_COLOURS[""]),
            "band": row.get_band_display(),
        })
    grid = [{"x": LABEL_WIDTH + BAR_AREA * p // 100, "label": p} for p in (0, 25, 50, 75, 100)]
    return render_to_string("par/_chart.svg", {
        "bars": bars, "grid": grid, "title": title, "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_AREA + 70, "height": TOP + len(bars) * ROW_HEIGHT + 10,
        "bottom": TOP + len(bars) * ROW_HEIGHT,
    })
