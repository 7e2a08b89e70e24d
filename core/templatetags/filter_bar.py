"""`{% filter_bar form q=4 role=3 … %}`: the row of filters above a list page (GET), then its "Lọc" button."""

from django import template

register = template.Library()


@register.inclusion_tag("core/_filter_bar.html")
def filter_bar(form, **widths):
    """Each named field of `form`, in the order given, in a column of that width (of Bootstrap's 12; the button
    takes one more)."""
    return {"cells": [(form[name], width) for name, width in widths.items()]}
