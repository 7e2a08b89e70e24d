"""Panels other apps' pages include: `{% load award_panels %}{% unit_awards unit %}` / `{% person_awards person %}`."""

from django import template
from django.db.models import Count

from awards import selectors

register = template.Library()


@register.inclusion_tag("awards/_history_panel.html")
def unit_awards(unit):
    return {"records": list(selectors.records_for_unit(unit)), "panel_id": f"unit-awards-{unit.pk}"}


@register.inclusion_tag("awards/_history_panel.html")
def person_awards(person):
    return {"records": list(selectors.records_for_person(person)), "panel_id": f"person-awards-{person.pk}"}


@register.simple_tag(takes_context=True)
def award_unread(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0


@register.simple_tag(takes_context=True)
def overdue_dossiers_by_unit(context, campaign):
    """{unit code: number of dossiers past their appraisal due date} for the monitoring page (one query)."""
    user = context["request"].user
    rows = (selectors.overdue_dossiers(user).filter(campaign=campaign).order_by()
            .values("unit__code").annotate(n=Count("pk")).values_list("unit__code", "n"))
    return dict(rows)


@register.filter
def overdue_for(counts, code):
    return counts.get(code, 0)
