"""The page frame and the home page after issue 18: the menu rendered once per role and language
(core/templatetags/frame.py), the home card, counts and banner kept under the data version (core.versions).
The same entries for each role as before, nothing a role may not see, every change seen on the next request, and a
query count that does not grow with rows."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from core import demo
from units.context_processors import navigation
from units.models import Person, Role, Unit, UnitKind, User

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<ul class="navbar-nav me-auto">.*?</ul>\n      <ul class="navbar-nav">', re.S)
CSRF = re.compile(r'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')

# What each role's menu showed before the menu was cached (read off the pages of the scale-1 province), in order.
COMMON_START = ["units:list", "units:people", "campaigns:list"]
PROVINCE_AWARDS = ["awards:list", "awards:history", "awards:sessions", "awards:decisions", "awards:prize_money",
                   "awards:register", "awards:national_export"]
EXPECTED = {
    "admin": [*COMMON_START, "campaigns:monitoring_go", "campaigns:review_queue", "campaigns:initiative_list",
              "campaigns:exemplary_manage", "par:index", *PROVINCE_AWARDS, "awards:certificate_layouts",
              "awards:catalogue", "reports:dashboard", "reports:index", "units:accounts", "units:activity",
              "units:signing_images"],
    "appraiser": [*COMMON_START, "campaigns:monitoring_go", "campaigns:review_queue", "campaigns:initiative_list",
                  "campaigns:public_models", "par:index", *PROVINCE_AWARDS, "awards:certificate_layouts",
                  "reports:dashboard", "reports:index"],
    "leader": [*COMMON_START, "campaigns:monitoring_go", "campaigns:achievement_list", "campaigns:initiative_list",
               "campaigns:public_models", "par:index", *PROVINCE_AWARDS, "reports:dashboard", "reports:index"],
    "dm_officer": ["units:list", "units:people", "units:accounts", "units:activity", "campaigns:list",
                   "campaigns:registration_go", "campaigns:achievement_list", "campaigns:initiative_list",
                   "campaigns:public_models", "par:index", "awards:list", "awards:history"],
}


def _menu(html):
    found = MENU.search(html)
    assert found, "no main menu on the page"
    return found.group(0)


def _links(menu):
    return re.findall(r'href="([^"#]+)"', menu)


def _home(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _uncached_menu(user):
    """The menu as the template renders it with the real user and the real `nav` (no stand-in, no cache)."""
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("_main_menu.html", {"user": user, **navigation(request)})


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_keeps_its_menu(client, users, role):
    client.force_login(users[role])
    menu = _menu(_home(client)[0])
    assert _links(menu) == [reverse(name) for name in EXPECTED[role]]
    assert menu.endswith(_uncached_menu(users[role]) + '\n      <ul class="navbar-nav">')


def test_the_superuser_also_gets_the_configuration_link(client, users):
    User.objects.filter(pk=users["admin"].pk).update(is_superuser=True)
    client.force_login(users["admin"])
    links = _links(_menu(_home(client)[0]))
    assert links == [reverse(name) for name in EXPECTED["admin"]] + [reverse("admin:index")]


def test_the_approver_menu_is_the_uncached_one(client, users):
    client.force_login(users["approver"])
    assert _menu(_home(client)[0]).startswith(_uncached_menu(users["approver"]))


def test_roles_never_share_a_menu(client, users):
    """Alternately as the administrator and an officer, on every page of the frame: each keeps its own entries."""
    admin_only = [reverse(name) for name in ("reports:dashboard", "units:signing_images", "awards:catalogue")]
    for _round in range(3):
        for url in (reverse("home"), reverse("units:list"), reverse("units:people")):
            client.force_login(users["admin"])
            assert all(link in _links(_menu(client.get(url).content.decode())) for link in admin_only)
            client.force_login(users["dm_officer"])
            officer_links = _links(_menu(client.get(url).content.decode()))
            assert officer_links == [reverse(name) for name in EXPECTED["dm_officer"]]
            assert not set(admin_only) & set(officer_links)


def test_the_menu_follows_the_language(client, users):
    """One piece per language: switching to English and back gives each its own words, the same entries."""
    client.force_login(users["admin"])
    vietnamese = _menu(_home(client)[0])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _menu(_home(client)[0])
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    again = _menu(_home(client)[0])
    assert "Cây đơn vị" in vietnamese and "Cây đơn vị" not in english and "Unit tree" in english
    assert again == vietnamese
    assert _links(english) == _links(vietnamese) == [reverse(name) for name in EXPECTED["admin"]]


def test_a_role_change_shows_on_the_next_request(client, users):
    """Changed without a service (no audit row, no signal: `update()`): the menu and the card follow the role."""
    officer = users["dm_officer"]
    client.force_login(officer)
    for _ in range(3):
        html, _count = _home(client)
    assert reverse("reports:dashboard") not in _links(_menu(html))
    User.objects.filter(pk=officer.pk).update(role=Role.APPRAISER, unit=None)
    html, _count = _home(client)
    assert _links(_menu(html)) == [reverse(name) for name in EXPECTED["appraiser"]]


def test_home_served_warm_is_the_page_served_cold(client, users, campaign):
    """The first request after a write builds everything; later ones reuse the kept pieces: the same page."""
    for role in ("admin", "appraiser", "leader", "dm_officer"):
        client.force_login(users[role])
        cold = CSRF.sub("CSRF", _home(client)[0])
        for _ in range(3):
            warm = CSRF.sub("CSRF", _home(client)[0])
        assert warm == cold, role
        assert campaign.title in warm


def test_a_new_campaign_shows_on_the_next_request(client, users, campaign):
    client.force_login(users["dm_officer"])
    for _ in range(3):
        html, _count = _home(client)
    assert campaign.title in html and "campaign-switcher" not in html
    today = timezone.localdate()
    newer = Campaign.objects.create(
        number="12/KH-UBND", issued_on=today, issuer="Ủy ban nhân dân tỉnh Đắk Nông",
        title="Phong trào thi đua mới của năm nay", starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=365), participant_unit_kinds=["district"],
        organiser=campaign.organiser, status=CampaignStatus.LAUNCHED)
    html, _count = _home(client)
    assert "campaign-switcher" in html and f'id="campaign-panel-{newer.pk}"' in html


def test_counts_and_banner_follow_the_data(client, users, tree):
    client.force_login(users["dm_officer"])
    for _ in range(3):
        html, _count = _home(client)
    assert 'id="demo-banner"' not in html
    count = re.search(r'<p class="display-6">(\d+)</p>', html).group(1)
    Unit.objects.create(code="DM-09", name="Ủy ban nhân dân xã Mới", kind=UnitKind.COMMUNE, parent=tree["dm"])
    demo.mark_loaded()
    html, _count = _home(client)
    assert re.search(r'<p class="display-6">(\d+)</p>', html).group(1) == str(int(count) + 1)
    assert 'id="demo-banner"' in html
    assert 'id="demo-banner"' in client.get(reverse("units:list")).content.decode()


def _grow(tree, campaign):
    """Many more rows under the officer's district: units, people, another movement."""
    for number in range(30):
        unit = Unit.objects.create(code=f"DM-1{number:02d}", name=f"Ủy ban nhân dân xã Thêm {number}",
                                   kind=UnitKind.COMMUNE, parent=tree["dm"])
        Person.objects.bulk_create([Person(full_name=f"Người {number}-{k}", gender="male", unit=unit,
                                           search_name=f"nguoi {number} {k}") for k in range(20)])
    Campaign.objects.create(
        number="99/KH-UBND", issued_on=campaign.issued_on, issuer=campaign.issuer, title="Phong trào thứ hai",
        starts_on=campaign.starts_on, ends_on=campaign.ends_on, organiser=campaign.organiser,
        status=CampaignStatus.LAUNCHED)


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_home_query_count_does_not_grow_with_rows(client, users, tree, campaign, role):
    client.force_login(users[role])
    _home(client)
    cold_small = _home(client)[1]  # the first request after the last write builds every piece
    warm_small = [_home(client)[1] for _ in range(2)][-1]
    _grow(tree, campaign)
    _home(client)
    cold_large = _home(client)[1]
    warm_large = [_home(client)[1] for _ in range(2)][-1]
    assert cold_large == cold_small
    assert warm_large == warm_small
    assert warm_small <= 6  # session, user, unread count, data version, unread notifications (+ nothing per row)


def test_unread_notifications_counted_once_and_followed(client, users):
    """The inbox badge and the home to-do share one count per request; a notice read (no audit row) is gone on the
    next request, a new one shows."""
    from awards.models import Notification

    officer = users["dm_officer"]
    client.force_login(officer)
    for _ in range(3):
        html, quiet = _home(client)
    assert 'id="award-unread"' not in html and 'id="todo-awards"' not in html
    Notification.objects.create(user=officer, text="Hồ sơ của đơn vị đã được tiếp nhận")
    html, _count = _home(client)  # the first request after a write builds every piece again
    assert 'id="award-unread">1<' in html and "Hồ sơ của đơn vị đã được tiếp nhận" in html
    for _ in range(2):
        html, busy = _home(client)
    assert 'id="award-unread">1<' in html and "Hồ sơ của đơn vị đã được tiếp nhận" in html
    assert busy == quiet + 1  # the unread rows; their count came with the badge's query
    client.post(reverse("awards:inbox_read"))
    html, _count = _home(client)
    assert 'id="award-unread"' not in html and "Hồ sơ của đơn vị đã được tiếp nhận" not in html
