"""The panels other apps registered for a page (see `core.panels`).

    {% load panels %}{% render_panels "unit" unit %}
    {% panel_columns "monitoring" campaign page as columns %}
    … {% column_header column %} … {% column_cell column row %}
"""

from django import template

from core import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, slot, obj=None):
    return panels.render(slot, obj, request=context.get("request"), parent=context)


@register.simple_tag(takes_context=True)
def panel_columns(context, slot, obj, rows):
    return panels.bind_columns(slot, obj, rows, request=context.get("request"), parent=context)


@register.simple_tag
def column_header(column):
    return column.header()


@register.simple_tag
def column_cell(column, row):
    return column.cell(row)
