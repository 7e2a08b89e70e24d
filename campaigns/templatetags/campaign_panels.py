from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def campaign_home_panel(context):
    """The published yearly theme (and what the unit still has to do) on the home page."""
    return ""
