"""`{% ranking_rows rows public= survey= %}` (the ranking table's body) and `{{ band|band_badge }}`.

The rows are written here with plain string formatting rather than by a template loop or `format_html`: both cost
10-15 ms for a 70-unit ranking (issue 18: the page within half the stock admin list of the same sheets), this
costs a fraction of that. Every text is escaped (`escape`); numbers are localised as a template prints them.
"""

from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from par.models import Band

register = template.Library()

BAND_CLASSES = {Band.GOOD: "text-bg-success", Band.FAIR: "text-bg-primary", Band.AVERAGE: "text-bg-warning"}
CENT = Decimal("0.01")


@register.filter
def band_badge(band):
    """The band's coloured badge (nothing for a sheet not yet banded)."""
    if not band:
        return ""
    return format_html('<span class="badge {}">{}</span>', BAND_CLASSES.get(band, "text-bg-danger"), Band(band).label)


def _change(row, steps):
    """Last year's comparison: the index difference (green up, red down, two decimals) and the ranks gained or
    lost; a dash when the unit has no published index last year."""
    if row.change is None:
        return "—"
    colour = "text-success" if row.change > 0 else "text-danger" if row.change < 0 else ""
    sign = "+" if row.change > 0 else ""
    shown = f'<span class="{colour}">{sign}{localize(row.change.quantize(CENT))}</span>'
    if not row.rank_change:
        return shown
    arrow = "↑" if row.rank_change > 0 else "↓"
    return f'{shown} <small class="text-muted">({arrow}{abs(row.rank_change)} {steps})</small>'


@register.simple_tag
def ranking_rows(rows, *, public=False, survey=False):
    """One <tr> per ranked row (selectors.ranking_table): the public table has no self-score and no links."""
    steps = escape(gettext("bậc"))
    badges = {band: band_badge(band) for band in [*Band.values, ""]}
    lines = []
    for row in rows:
        name = escape(row.unit_name)
        if not public:
            name = f'<a href="{reverse("par:appraisal", args=[row.pk])}">{name}</a>'
        figures = ([] if public else [row.total_self]) + [row.total_appraised] + ([row.survey_points] if survey else [])
        lines.append(
            f'<tr data-unit="{escape(row.unit_code)}"><td class="text-end">{row.rank}</td><td>{name}</td>\n      '
            + "".join(f'<td class="text-end">{localize(figure)}</td>' for figure in figures)
            + f'\n      <td class="text-end">{localize(row.max_applicable)}</td>'
            f'<td class="text-end fw-semibold">{localize(row.index_percent)}</td><td>{badges[row.band]}</td>\n      '
            f'<td class="text-end">{_change(row, steps)}</td></tr>')
    return mark_safe("\n  ".join(lines))  # every text above went through escape()
