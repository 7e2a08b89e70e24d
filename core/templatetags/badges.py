"""`{{ obj|state_badge }}` and `{% state_legend "app.Model" %}` (see `core.badges`)."""

from django import template
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.html import format_html

from core import badges

register = template.Library()


@register.filter
def state_badge(obj):
    """The badge of `obj`'s state: its label, coloured by its meaning (data-state keeps the code for tests)."""
    field = badges.state_field(obj)
    if field is None:
        return ""
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return format_html('<span class="badge state-badge state-{}" data-state="{}">{}</span>',
                       badges.meaning(obj._meta.label, value), value, label)


@register.simple_tag
def state_legend(model_label):
    """The legend under a list: each colour, what it means and which of the model's states have it."""
    model = apps.get_model(model_label)
    return render_to_string("core/_state_legend.html", {"rows": badges.legend(model, model._meta.label)})
