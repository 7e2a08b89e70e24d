"""Several movements: the home page and the dashboards ask which one; the choice is kept for the session."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Achievement, Campaign, CampaignStatus
from campaigns.selectors.plan import CHOSEN_CAMPAIGN_KEY, default_campaign

pytestmark = pytest.mark.django_db


def _panels(html):
    return [part.split('"', 1)[0] for part in html.split('id="campaign-panel-')[1:]]


def test_default_is_the_running_one_then_a_launched_one_then_the_latest(campaign, next_plan):
    assert default_campaign([campaign, next_plan], today=datetime.date(2026, 6, 1)) == next_plan
    # Before the new plan starts, Plan 584 is still the running one.
    assert default_campaign([next_plan, campaign], today=datetime.date(2025, 6, 1)) == campaign
    assert default_campaign([campaign], today=datetime.date(2026, 6, 1)) == campaign  # period over, still launched
    assert default_campaign([]) is None


def test_home_shows_the_running_movement_and_a_switcher(client_for, users, campaign, next_plan):
    client = client_for(users["dm_officer"])
    home = client.get(reverse("home")).content.decode()
    assert _panels(home) == [str(next_plan.pk)]
    assert 'id="campaign-switcher"' in home
    assert f'<option value="{campaign.pk}"' in home and f'<option value="{next_plan.pk}" selected' in home


def test_choosing_a_movement_is_remembered_for_the_session(client_for, users, campaign, next_plan):
    client = client_for(users["dm_officer"])
    response = client.post(reverse("campaigns:choose"), {"campaign": campaign.pk, "next": "/thanh-tich/"})
    assert response.status_code == 302 and response["Location"] == "/thanh-tich/"
    assert client.session[CHOSEN_CAMPAIGN_KEY] == campaign.pk
    assert _panels(client.get(reverse("home")).content.decode()) == [str(campaign.pk)]
    assert client.get(reverse("campaigns:registration_go"))["Location"] == reverse("campaigns:registrations",
                                                                                     args=[campaign.pk])


def test_the_switcher_refuses_what_the_user_may_not_choose_and_foreign_redirects(client_for, users, campaign,
                                                                                 next_plan):
    draft = Campaign.objects.create(number="99/KH-UBND", issued_on=datetime.date(2026, 5, 1), issuer="UBND",
                                    title="Dự thảo", starts_on=datetime.date(2026, 5, 1),
                                    ends_on=datetime.date(2027, 12, 31), status=CampaignStatus.DRAFT)
    client = client_for(users["dm_officer"])
    response = client.post(reverse("campaigns:choose"), {"campaign": draft.pk, "next": "https://example.org/"},
                           follow=True)
    assert response.redirect_chain[0][0] == reverse("home")
    assert "Hãy chọn một phong trào trong danh sách." in response.content.decode()
    assert CHOSEN_CAMPAIGN_KEY not in client.session
    assert client.get(reverse("campaigns:choose")).status_code == 405


def test_no_switcher_with_one_movement(client_for, users, campaign):
    home = client_for(users["dm_officer"]).get(reverse("home")).content.decode()
    assert _panels(home) == [str(campaign.pk)] and 'id="campaign-switcher"' not in home


def test_the_dashboard_choice_is_the_session_choice(client_for, users, campaign, next_plan):
    client = client_for(users["admin"])
    assert client.get(reverse("reports:dashboard")).context["campaign"] == next_plan  # the running one
    client.get(reverse("reports:dashboard"), {"campaign": campaign.pk})
    assert client.session[CHOSEN_CAMPAIGN_KEY] == campaign.pk
    assert client.get(reverse("reports:dashboard")).context["campaign"] == campaign
    assert _panels(client.get(reverse("home")).content.decode()) == [str(campaign.pk)]


def test_lists_open_on_the_session_movement_and_can_show_all(client_for, users, tree, campaign, next_plan):
    officer = users["dm_officer"]
    for plan, title in ((campaign, "Cũ 2025"), (next_plan, "Mới 2026")):
        Achievement.objects.create(campaign=plan, unit=tree["dm"], year=plan.starts_on.year + 1 if plan == campaign
                                   else 2026, content=plan.contents.get(number=1), title=title, created_by=officer)
    client = client_for(officer)
    page = client.get(reverse("campaigns:achievement_list")).content.decode()
    assert "Mới 2026" in page and "Cũ 2025" not in page
    everything = client.get(reverse("campaigns:achievement_list"), {"campaign": ""}).content.decode()
    assert "Mới 2026" in everything and "Cũ 2025" in everything
    client.post(reverse("campaigns:choose"), {"campaign": campaign.pk})
    page = client.get(reverse("campaigns:achievement_list")).content.decode()
    assert "Cũ 2025" in page and "Mới 2026" not in page


def test_home_costs_the_same_queries_with_two_movements(client_for, users, campaign, next_plan,
                                                        django_assert_max_num_queries):
    client = client_for(users["dm_officer"])
    client.get(reverse("home"))
    with django_assert_max_num_queries(25):
        client.get(reverse("home"))


def test_the_monitoring_page_switches_to_the_chosen_movements_table(client_for, users, campaign, next_plan):
    client = client_for(users["appraiser"])
    page = client.get(reverse("campaigns:monitoring", args=[next_plan.pk])).content.decode()
    assert 'id="campaign-switcher"' in page and f'<option value="{next_plan.pk}" selected' in page
    response = client.post(reverse("campaigns:choose"),
                           {"campaign": campaign.pk, "next": reverse("campaigns:monitoring_go")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns:monitoring", args=[campaign.pk])
