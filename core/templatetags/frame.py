"""`{% main_menu %}`: the menu of the page frame (templates/base.html), rendered once per role and language.

The menu is the same for every user with the same role facts (`core.roles` decides from `is_superuser`, `role`
and whether the user has a unit) and the same `nav` flags (`units.context_processors.navigation`, built from the
same facts): 28 `{% url %}`, 33 `{% translate %}`, 15 `{% if %}` and 5 includes per page otherwise. The template
is rendered with a stand-in user that holds only those facts, so what the menu shows cannot depend on anything the
key leaves out (a template reading more of the user gets nothing, or an AttributeError in a filter: the tests catch
it). The pieces are kept in this process only: a role's menu never changes with the data, only with the code.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MENU_TEMPLATE = "_main_menu.html"
_menus = {}  # {key: html}: a few roles × languages


@dataclass(frozen=True)
class RoleFacts:
    """What `core.roles` reads of a signed-in user, and nothing else."""

    is_superuser: bool
    role: str
    unit_id: int | None  # only whether there is one: 1 or None
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True

    @classmethod
    def of(cls, user):
        return cls(bool(user.is_superuser), str(user.role), 1 if user.unit_id is not None else None)


def _forget(**kwargs):
    _menus.clear()


# A test overriding the URLs or the templates, or runserver reloading an edited template, gets a fresh menu.
setting_changed.connect(_forget, dispatch_uid="core.frame.menu")
file_changed.connect(_forget, dispatch_uid="core.frame.menu")


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The signed-in user's menu: entries by role (what a role may not see is never in its piece)."""
    user = context["user"]
    facts = RoleFacts.of(user)
    nav = context.get("nav") or {}
    key = (get_language(), settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), facts,
           tuple(sorted(nav.items())))
    html = _menus.get(key)
    if html is None:
        html = context.template.engine.get_template(MENU_TEMPLATE).render(
            template.Context({"user": facts, "nav": nav}, autoescape=context.autoescape))
        _menus[key] = html
    return mark_safe(html)  # the template's autoescaped output
