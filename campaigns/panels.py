"""What campaigns shows on the pages of the apps before it (registered from `CampaignsConfig.ready`, see
`core.panels`): the launched campaigns on the home page, a person's recognised initiatives on the person's page
(they count toward individual awards later)."""

from core import panels

from . import rules
from .models import Registration
from .selectors import plan as plan_selectors
from .selectors.work import recognised_initiatives_of


def home_campaigns(request, _obj):
    """The launched campaign(s), this year's published theme and, for an officer, its unit's registration."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    officer = rules.is_officer(user)
    cards = []
    for campaign in plan_selectors.launched_campaigns():
        year = plan_selectors.current_year(campaign)
        card = {"campaign": campaign, "year": year, "theme": plan_selectors.published_theme(campaign, year)}
        if officer and campaign.takes_part(user.unit):
            card["unit"] = user.unit
            card["registration"] = Registration.objects.filter(campaign=campaign, unit=user.unit, year=year).first()
            card["year_open"] = year in plan_selectors.open_years(campaign)
        cards.append(card)
    return {"cards": cards, "is_officer": officer, "can_read_all": rules.can_read_all(user)}


def person_initiatives(request, person):
    user = getattr(request, "user", None)
    initiatives = list(recognised_initiatives_of(person))
    for initiative in initiatives:
        initiative.can_open = rules.can_see_unit_work(user, initiative.unit)
    return {"initiatives": initiatives}


def register():
    panels.register("home", "campaigns.home", "campaigns/panels/home.html", home_campaigns)
    panels.register("person", "campaigns.initiatives", "campaigns/panels/person_initiatives.html", person_initiatives)
