"""{% load par_panels %}{% unit_par_results unit %}: the unit's published PAR index results (for its page)."""

from django import template

from par.selectors import published_results_for_unit

register = template.Library()


@register.inclusion_tag("par/_unit_results.html")
def unit_par_results(unit):
    return {"results": published_results_for_unit(unit) if unit is not None else []}
