"""What awards shows on the pages of the apps before it (registered from `AwardsConfig.ready`, see `core.panels`):
the commendation history of a unit and of a person, and the monitoring page's column of overdue dossiers."""

from core import panels

from . import selectors


def unit_history(request, unit):
    return {"records": list(selectors.records_for_unit(unit)), "panel_id": f"unit-awards-{unit.pk}"}


def person_history(request, person):
    return {"records": list(selectors.records_for_person(person)), "panel_id": f"person-awards-{person.pk}"}


def overdue_by_unit(request, campaign, units):
    """{unit pk: overdue dossiers} for the page of units (one query)."""
    return selectors.overdue_counts_by_unit(request.user, campaign, units)


def register():
    panels.register("unit", "awards.history", "awards/panels/history.html", unit_history)
    panels.register("person", "awards.history", "awards/panels/history.html", person_history)
    panels.register_column("monitoring", "awards.overdue", header="awards/panels/overdue_header.html",
                           cell="awards/panels/overdue_cell.html", values=overdue_by_unit, default=0)
