"""Prize money in the awards' pages and documents: `{% load award_money %}{{ amount|vnd }}` → "1.490.000"."""

from django import template

from core import documents

register = template.Library()


@register.filter
def vnd(amount):
    """Vietnamese digit grouping; "—" when there is no amount (a form without prize money)."""
    if amount is None or amount == "":
        return "—"
    return documents.money(amount)
