"""What campaigns shows on the pages of the apps before it (registered from `CampaignsConfig.ready`, see
`core.panels`): the session's movement on the home page (with the switcher when there are several), a person's
recognised initiatives on the person's page (they count toward individual awards later)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import badges, panels, versions
from core import todo as core_todo

from . import rules, todo
from .models import Registration
from .selectors import plan as plan_selectors
from .selectors.work import published_models, recognised_initiatives_of

PORTAL_MODELS = 5  # the newest published exemplary models on the public portal
HOME_CARDS = "campaigns/panels/home_cards.html"


def home_campaigns(request, _obj):
    """The movement this session is about (the one running unless the user chose another), its year's published
    theme, for an officer its unit's registration, and the switcher when there are several movements."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    # Read once per data version (core.versions): the home page is opened far more often than a movement, its
    # theme or a registration changes (each through a service, which moves the version on). The key holds all the
    # card depends on besides the data: the user and their role facts, the session's choice, the page's address.
    chosen = request.session.get(plan_selectors.CHOSEN_CAMPAIGN_KEY)
    parts = [user.pk, user.role, user.is_superuser, user.unit_id, chosen, request.get_full_path()]
    return versions.cached("campaigns.home", parts, lambda: (_home_card(request, user),))[0]


def _home_card(request, user):
    """The panel's context: the switcher (rendered each time, it has a form) and the cards' HTML (kept)."""
    context = _home_context(request, user)
    if context is None:
        return None
    switch = context.pop("switch")
    return {"switch": switch, "cards_html": render_to_string(HOME_CARDS, context)}


def _home_context(request, user):
    campaigns = list(plan_selectors.switchable_campaigns(user))
    campaign = plan_selectors.chosen_campaign(request, campaigns)
    if campaign is None:
        return None
    officer = rules.is_officer(user)
    year = plan_selectors.current_year(campaign)
    card = {"campaign": campaign, "year": year, "theme": plan_selectors.published_theme(campaign, year),
            "period_over": campaign.period_over()}
    if officer and campaign.takes_part(user.unit):
        card["unit"] = user.unit
        card["registration"] = Registration.objects.filter(campaign=campaign, unit=user.unit, year=year).first()
        card["year_open"] = year in plan_selectors.open_years(campaign)
    return {"cards": [card], "is_officer": officer, "can_read_all": rules.can_read_all(user),
            "can_manage": rules.can_manage_campaign(user),
            "switch": plan_selectors.switcher(campaigns, campaign, request.get_full_path())}


def person_initiatives(request, person):
    user = getattr(request, "user", None)
    initiatives = list(recognised_initiatives_of(person))
    for initiative in initiatives:
        initiative.can_open = rules.can_see_unit_work(user, initiative.unit)
    return {"initiatives": initiatives}


def portal_models(request, _obj):
    return {"models": published_models()[:PORTAL_MODELS]}


def home_todo(request, _obj):
    """The campaign work waiting for this user (core.todo), or None when nothing waits."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    tasks = [*todo.achievement_tasks(user), *todo.initiative_tasks(user), *todo.follow_up_tasks(user),
             *todo.deadline_tasks(user)]
    return {"tasks": tasks, "title": _("Phong trào thi đua"), "panel_id": "todo-campaigns"} if tasks else None


# What each state means to the reader (core.badges).
ACHIEVEMENT_BADGES = {"submitted": "waiting", "clarification": "returned", "accepted": "awarded"}
INITIATIVE_BADGES = {"proposed": "waiting", "recognised": "awarded", "refused": "refused"}


def register():
    badges.register("campaigns.Achievement", ACHIEVEMENT_BADGES)
    badges.register("campaigns.Initiative", INITIATIVE_BADGES)
    panels.register("home", "campaigns.home", "campaigns/panels/home.html", home_campaigns)
    panels.register("home", "campaigns.todo", core_todo.TEMPLATE, home_todo)
    panels.register("person", "campaigns.initiatives", "campaigns/panels/person_initiatives.html", person_initiatives)
    panels.register("portal", "campaigns.models", "campaigns/panels/portal_models.html", portal_models)
