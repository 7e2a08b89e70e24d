"""`{% confirm question label %}` inside a POST form: ask before the action (see `core.confirm`)."""

from django import template
from django.utils.html import format_html

from core.confirm import LABEL, QUESTION

register = template.Library()


@register.simple_tag
def confirm(question, label=""):
    """The two hidden fields the modal (static/js/app.js) and the confirmation page read."""
    return format_html('<input type="hidden" name="{}" value="{}"><input type="hidden" name="{}" value="{}">',
                       QUESTION, question, LABEL, label)
