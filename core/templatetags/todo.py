"""`{% todo_panel %}`: one app's part of the home page's to-do (see `core.todo`), rendered once per content."""

import hashlib

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import todo

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_panel(context):
    """The HTML of `core/panels/todo.html` for the context's tasks, kept in the cache under what it shows (title,
    tasks with their counts and rows, language): the same tasks are not rendered again, other tasks never share it."""
    shown = repr((get_language(), context.get("title"), context.get("panel_id"), context.get("tasks")))
    key = "todo-html:" + hashlib.sha256(shown.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = context.template.engine.get_template(todo.PANEL_TEMPLATE).render(context)
        cache.set(key, html, todo.versions.TIMEOUT)
    return mark_safe(html)  # the template's autoescaped output
