"""What PAR shows on the pages of the apps before it (registered from `ParConfig.ready`, see `core.panels`):
the unit's published PAR index results on its page."""

from django.utils.translation import gettext as _

from core import badges, panels
from core import todo as core_todo

from . import todo
from .selectors import published_results_for_unit, published_years


def unit_results(request, unit):
    return {"results": published_results_for_unit(unit) if unit is not None else []}


def portal_results(request, _obj):
    return {"years": published_years()}


def home_todo(request, _obj):
    """The PAR work waiting for this user (core.todo), or None when nothing waits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    tasks = [*todo.sheet_tasks(user), *todo.publish_tasks(user)]
    return {"tasks": tasks, "title": _("Chỉ số cải cách hành chính"), "panel_id": "todo-par"} if tasks else None


# What each sheet state means to the reader (core.badges).
SHEET_BADGES = {"draft": "draft", "submitted": "waiting", "under_appraisal": "waiting", "returned": "returned",
                "appraised": "passed", "published": "awarded"}


def register():
    badges.register("par.ScoreSheet", SHEET_BADGES)
    panels.register("home", "par.todo", core_todo.TEMPLATE, home_todo)
    panels.register("unit", "par.results", "par/panels/unit_results.html", unit_results)
    panels.register("portal", "par.results", "par/panels/portal_results.html", portal_results)
