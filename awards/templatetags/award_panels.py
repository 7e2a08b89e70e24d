"""The awards' own navigation: `{% load award_panels %}{% award_unread as unread %}` (the inbox badge).

What awards shows on other apps' pages (unit, person, monitoring) is registered in `awards/panels.py`.
"""

from django import template

from awards import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def award_unread(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return panels.unread_of_request(request) if user is not None else 0
