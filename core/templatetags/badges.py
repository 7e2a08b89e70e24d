"""`{{ obj|state_badge }}` and `{% state_legend "app.Model" %}` (see `core.badges`)."""

from django import template
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language

from core import badges

register = template.Library()
_state_fields = {}  # {model label: "state", "status" or None}: the models' fields are fixed for the process


@register.filter
def state_badge(obj):
    """The badge of `obj`'s state: its label, coloured by its meaning (data-state keeps the code for tests)."""
    label = obj._meta.label
    field = _state_fields.get(label, False)
    if field is False:
        field = _state_fields[label] = badges.state_field(obj)
    if field is None:
        return ""
    value = getattr(obj, field)
    key = (label, value, get_language())
    html = badges.built.get(key)
    if html is None:
        html = badges.built[key] = format_html('<span class="badge state-badge state-{}" data-state="{}">{}</span>',
                                               badges.meaning(label, value), value,
                                               getattr(obj, f"get_{field}_display")())
    return html



@register.simple_tag
def state_legend(model_label):
    """The legend under a list: each colour, what it means and which of the model's states have it."""
    model = apps.get_model(model_label)
    return render_to_string("core/_state_legend.html", {"rows": badges.legend(model, model._meta.label)})
