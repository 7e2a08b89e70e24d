"""The restructuring page (sắp xếp đơn vị): the form, its preview, then the one service call that applies it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.text import number_or_none
from core.views import FAILED, form_service

from . import rules, services
from .forms import RestructuringForm

PERSON_FIELD = "person_"  # the preview's select of one person's successor: person_<pk> = target id


def _people_choices(post):
    chosen = {}
    for key, value in post.items():
        person = number_or_none(key.removeprefix(PERSON_FIELD)) if key.startswith(PERSON_FIELD) else None
        target = number_or_none(value.removeprefix("-"))
        if person is not None and target is not None:
            chosen[person] = -target if value.startswith("-") else target
    return chosen


@login_required
def restructuring(request):
    """GET: the empty form. POST "preview": what would move and stay, each person's successor to choose when there
    are several. POST "apply": the operation, then the (first) successor's page."""
    if not rules.can_restructure(request.user):
        raise PermissionDenied
    form = RestructuringForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.plan_data(_people_choices(request.POST))
        if "apply" in request.POST:
            done = form_service(form, lambda: services.restructuring_apply(by=request.user, **data))
            if done is not FAILED:
                plan, counts = done
                messages.success(request, _("Đã sắp xếp %(ended)s đơn vị vào %(successors)s; %(people)s cá nhân "
                                            "đã chuyển sang đơn vị kế thừa.")
                                 % {"ended": len(plan.ended), "people": counts["people"],
                                    "successors": ", ".join(str(unit) for unit in plan.successors)})
                return redirect(plan.successors[0])
        else:
            preview = form_service(form, lambda: services.restructuring_preview(by=request.user, **data))
    if preview is FAILED:
        preview = None
    targets = [(preview.plan.target_id(unit), unit) for unit in preview.plan.successors] if preview else []
    return render(request, "units/restructuring.html", {"form": form, "preview": preview, "targets": targets,
                                                         "person_field": PERSON_FIELD})
