"""The campaign's views: the plan side (plan.py) and the units' work (work.py), and what both use."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.views import flash_service


def post_action(load, service, success, *, back=None):
    """A POST-only view for one service call on one object (a campaign's transitions, the publish buttons).

    `load(request, pk)` finds the object (404 or 403 there), `service(object, user)` acts on it, `success(object)`
    is the message when it did; then back to the object's page, or to the URL named `back`.
    """
    @login_required
    @require_POST
    def view(request, pk):
        target = load(request, pk)
        flash_service(request, lambda: service(target, request.user), success(target))
        return redirect(back or target)

    return view
