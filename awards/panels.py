"""What awards shows on the pages of the apps before it (registered from `AwardsConfig.ready`, see `core.panels`):
the commendation history of a unit and of a person, and the monitoring page's column of overdue dossiers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import badges, panels
from core import todo as core_todo

from . import selectors, todo

PORTAL_POSTINGS = 5  # the open public postings listed on the portal


def unit_history(request, unit):
    return {"records": list(selectors.records_for_unit(unit)), "panel_id": f"unit-awards-{unit.pk}",
            "owner_id": unit.pk}


def person_history(request, person):
    return {"records": list(selectors.records_for_person(person)), "panel_id": f"person-awards-{person.pk}"}


def unit_profile_link(request, unit):
    return {"url": reverse("awards:unit_profile", args=[unit.code]), "panel_id": f"unit-profile-{unit.pk}"}


def person_profile_link(request, person):
    return {"url": reverse("awards:person_profile", args=[person.pk]), "panel_id": f"person-profile-{person.pk}"}


def overdue_by_unit(request, campaign, units):
    """{unit pk: overdue dossiers} for the page of units (one query)."""
    return selectors.overdue_counts_by_unit(request.user, campaign, units)


def unread_of_request(request):
    """The user's unread notifications, counted once per request (the inbox badge of the page frame and the
    home page's to-do both ask; both render after the view's writes)."""
    if not hasattr(request, "_award_unread"):
        request._award_unread = selectors.unread_count(request.user)
    return request._award_unread


def portal_postings(request, _obj):
    return {"postings": selectors.open_postings()[:PORTAL_POSTINGS]}


def home_todo(request, _obj):
    """The award work waiting for this user (core.todo): unread notifications, dossiers at this role's step, open
    council sessions, draft decisions; None when nothing waits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # The page frame's inbox badge counted the unread notifications already: none unread, nothing to read.
    unread = todo.notification_tasks(user) if unread_of_request(request) else []
    tasks = [*unread, *todo.dossier_tasks(user), *todo.session_tasks(user),
             *todo.decision_tasks(user)]
    return {"tasks": tasks, "title": _("Khen thưởng"), "panel_id": "todo-awards"} if tasks else None


# What each state means to the reader (core.badges): the colour of its badge on every page.
DOSSIER_BADGES = {
    "draft": "draft", "withdrawn": "draft", "submitted": "waiting", "received": "waiting", "under_appraisal": "waiting",
    "at_council": "waiting", "proposed_central": "waiting", "returned": "returned", "proposed": "passed",
    "council_passed": "passed", "not_proposed": "refused", "not_awarded": "refused", "awarded": "awarded",
}
SESSION_BADGES = {"open": "waiting", "closed": "passed"}


def register():
    badges.register("awards.Dossier", DOSSIER_BADGES)
    badges.register("awards.CouncilSession", SESSION_BADGES)
    panels.register("home", "awards.todo", core_todo.TEMPLATE, home_todo)
    panels.register("unit", "awards.history", "awards/panels/history.html", unit_history)
    panels.register("person", "awards.history", "awards/panels/history.html", person_history)
    panels.register("unit", "awards.profile", "awards/panels/profile_link.html", unit_profile_link)
    panels.register("person", "awards.profile", "awards/panels/profile_link.html", person_profile_link)
    panels.register("portal", "awards.postings", "awards/panels/portal_postings.html", portal_postings)
    panels.register_column("monitoring", "awards.overdue", header="awards/panels/overdue_header.html",
                           cell="awards/panels/overdue_cell.html", values=overdue_by_unit, default=0)
