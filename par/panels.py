"""What PAR shows on the pages of the apps before it (registered from `ParConfig.ready`, see `core.panels`):
the unit's published PAR index results on its page."""

from core import panels

from .selectors import published_results_for_unit


def unit_results(request, unit):
    return {"results": published_results_for_unit(unit) if unit is not None else []}


def register():
    panels.register("unit", "par.results", "par/panels/unit_results.html", unit_results)
