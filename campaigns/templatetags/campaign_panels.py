from django import template
from django.template.loader import render_to_string

from .. import rules
from ..models import Registration
from ..selectors import plan as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def campaign_home_panel(context):
    """The launched campaign(s), this year's published theme and, for an officer, its unit's registration."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    officer = rules.is_officer(user)
    cards = []
    for campaign in selectors.launched_campaigns():
        year = selectors.current_year(campaign)
        card = {"campaign": campaign, "year": year, "theme": selectors.published_theme(campaign, year)}
        if officer and campaign.takes_part(user.unit):
            card["unit"] = user.unit
            card["registration"] = Registration.objects.filter(campaign=campaign, unit=user.unit, year=year).first()
            card["year_open"] = year in selectors.open_years(campaign)
        cards.append(card)
    return render_to_string("campaigns/plan/_home_panel.html", {
        "cards": cards, "is_officer": officer, "can_read_all": rules.can_read_all(user),
    }, request=context.get("request"))
