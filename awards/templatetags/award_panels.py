"""The awards' own navigation: `{% load award_panels %}{% award_unread as unread %}` (the inbox badge).

What awards shows on other apps' pages (unit, person, monitoring) is registered in `awards/panels.py`.
"""

from django import template

from awards import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def award_unread(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0
