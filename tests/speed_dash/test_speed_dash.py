"""Issue 18, the dashboard, the registration monitoring and the home page's to-do: read far more often than their
figures change, they are kept under the data's version (`core.versions`). A write, by a service (its audit row,
seen by every process) or through the ORM in this process (a signal), shows on the next request; a kept page costs
a constant, smaller number of queries whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services as award_services
from awards.models import Notification
from campaigns.models import Achievement, AchievementStatus, Initiative, Registration
from campaigns.selectors import plan
from core import versions
from core.models import AuditEntry
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

YEAR = 2024


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _achievement(campaign, content, unit, status=AchievementStatus.ACCEPTED, year=YEAR):
    return Achievement.objects.create(campaign=campaign, unit=unit, year=year, content=content,
                                      title=f"Thành tích {unit.code} {content.number}", status=status)


def _communes(parent, count):
    return [Unit.objects.create(code=f"{parent.code}-T{index:02}", name=f"Xã thử {index:02}", kind=UnitKind.COMMUNE,
                                parent=parent) for index in range(count)]


def _figure(page, element_id):
    return page.split(f'id="{element_id}"')[1].split(">", 1)[1].split("<", 1)[0]


# The version ------------------------------------------------------------------------------------------------------


def test_the_version_moves_with_an_audit_row_even_one_committed_after_a_newer_one(users):
    AuditEntry.objects.bulk_create([AuditEntry(action="a", target_type="t") for _ in range(3)])  # no signal
    ids = sorted(AuditEntry.objects.values_list("pk", flat=True))
    before = versions.current()
    AuditEntry.objects.bulk_create([AuditEntry(action="b", target_type="t")])
    assert versions.current() != before  # a service's row, written by any process
    # A row whose id was handed out before the newest one but committed after it (PostgreSQL sequences): the
    # highest id stays, the number of recent rows does not.
    AuditEntry.objects.filter(pk=ids[1]).delete()
    gap = versions.current()
    AuditEntry.objects.bulk_create([AuditEntry(pk=ids[1], action="late", target_type="t")])
    assert versions.current() != gap


def test_an_orm_write_of_this_process_moves_the_version_and_a_kept_value_is_built_once_per_version(tree):
    built = []

    def build():
        built.append(1)
        return len(built)

    first = versions.current()
    assert [versions.cached("test.piece", ["a b/ç"], build) for _ in range(3)] == [1, 2, 2]  # kept once asked twice
    assert versions.cached("test.piece", ["other"], build) == 3  # other parts, another piece
    tree["gn"].save()
    assert versions.current() != first
    assert versions.cached("test.piece", ["a b/ç"], build) == 4


# Dashboard --------------------------------------------------------------------------------------------------------


def test_dashboard_is_kept_shows_the_next_write_and_costs_the_same_kept_or_not_whatever_the_rows(
        client_for, users, tree, campaign, contents):
    client = client_for(users["admin"])
    url = reverse("reports:dashboard")
    _achievement(campaign, contents[1], tree["gn01"])
    cold, page = _queries(client, url)
    assert _figure(page, "fig-accepted") == "1"
    client.get(url)
    kept, page = _queries(client, url)
    assert kept < cold and _figure(page, "fig-accepted") == "1"
    for unit in _communes(tree["dm"], 20):  # more rows: a write of this process, the figures are built again
        _achievement(campaign, contents[2], unit)
        Registration.objects.create(campaign=campaign, unit=unit, year=YEAR)
    again, page = _queries(client, url)
    assert again == cold and _figure(page, "fig-accepted") == "21"
    client.get(url)
    assert _queries(client, url)[0] == kept
    # Another process's service: no signal here, but its audit row moves the version.
    Achievement.objects.filter(campaign=campaign).update(status=AchievementStatus.SUBMITTED)
    AuditEntry.objects.bulk_create([AuditEntry(action="achievement_return", target_type="campaigns.achievement")])
    assert _figure(client.get(url).content.decode(), "fig-accepted") == "0"


def test_dashboard_filters_are_kept_apart(client_for, users, tree, campaign, contents):
    client = client_for(users["admin"])
    url = reverse("reports:dashboard")
    _achievement(campaign, contents[1], tree["gn01"], year=2023)
    _achievement(campaign, contents[1], tree["dm01"], year=2024)
    for _ in range(3):
        whole = client.get(url).content.decode()
        year = client.get(url, {"campaign": campaign.pk, "year": 2023}).content.decode()
    assert _figure(whole, "fig-accepted") == "2" and _figure(year, "fig-accepted") == "1"


# Monitoring -------------------------------------------------------------------------------------------------------


def _monitoring(campaign, **params):
    return reverse("campaigns:monitoring", args=[campaign.pk]), {"year": YEAR, **params}


def _order(page):
    return [part.split('"', 1)[0] for part in page.split('data-unit="')[1:]]


def test_monitoring_kept_page_costs_the_same_for_3_and_40_units_and_shows_the_next_write(
        client_for, users, tree, campaign, contents):
    client = client_for(users["appraiser"])
    _achievement(campaign, contents[1], tree["gn01"])
    cold, _page = _queries(client, *_monitoring(campaign))
    client.get(*_monitoring(campaign))
    kept, page = _queries(client, *_monitoring(campaign))
    assert kept < cold
    row = page.split('data-unit="GN-01"')[1].split("</tr>")[0]
    assert "1 / 1" in row
    for unit in _communes(tree["dm"], 37):
        _achievement(campaign, contents[3], unit, AchievementStatus.SUBMITTED)
    assert _queries(client, *_monitoring(campaign))[0] == cold
    client.get(*_monitoring(campaign))
    assert _queries(client, *_monitoring(campaign))[0] == kept
    _achievement(campaign, contents[1], tree["gn01"], AchievementStatus.SUBMITTED)
    row = client.get(*_monitoring(campaign)).content.decode().split('data-unit="GN-01"')[1].split("</tr>")[0]
    assert "2 / 1" in row


def test_monitoring_sorts_on_a_figure_break_ties_by_tree_order_and_filter_behind(
        client_for, users, tree, campaign, contents):
    client = client_for(users["leader"])
    for content in contents.values():
        _achievement(campaign, content, tree["gn01"])
    Registration.objects.create(campaign=campaign, unit=tree["gn01"], year=YEAR)
    _achievement(campaign, contents[1], tree["dm01"])
    _achievement(campaign, contents[1], tree["dm01"], AchievementStatus.SUBMITTED)
    Initiative.objects.create(campaign=campaign, unit=tree["dm"], year=YEAR, title="Sáng kiến", problem="p",
                              solution="s", effect="e")
    units = _order(client.get(*_monitoring(campaign)).content.decode())
    assert units == sorted(units, key=lambda code: Unit.objects.get(code=code).path)  # tree order by default
    accepted = _order(client.get(*_monitoring(campaign, sort="accepted", desc="1")).content.decode())
    assert accepted[:2] == ["GN-01", "DM-01"]
    assert accepted[2:] == [code for code in units if code not in ("GN-01", "DM-01")]  # ties: tree order
    submitted = _order(client.get(*_monitoring(campaign, sort="submitted")).content.decode())
    assert submitted[-2:] == ["DM-01", "GN-01"]
    initiatives = _order(client.get(*_monitoring(campaign, sort="initiatives", desc="1")).content.decode())
    assert initiatives[0] == "DM"
    behind = _order(client.get(*_monitoring(campaign, behind="1")).content.decode())
    assert "GN-01" not in behind and set(behind) == set(units) - {"GN-01"}


def test_monitoring_rows_are_the_users_subtree_only(users, tree, campaign, contents):
    rows = plan.monitoring_rows(users["gn_officer"], campaign, YEAR)
    assert {row.code for row in rows} <= {"GN", "GN-01"} and len(rows) == len(list(rows))
    assert [row.code for row in rows[0:1]] == [next(iter(rows)).code]


# Home ------------------------------------------------------------------------------------------------------------


def _task(page, key):
    return page.split(f'data-task="{key}"')[1].split("</li>\n", 1)[0] if f'data-task="{key}"' in page else ""


def test_home_todo_is_kept_per_user_and_shows_the_next_write(client_for, users, make_dossier):
    make_dossier("submitted")
    appraiser = client_for(users["appraiser"])
    cold, page = _queries(appraiser, reverse("home"))
    assert "dossier-submitted" in page
    appraiser.get(reverse("home"))
    kept = _queries(appraiser, reverse("home"))[0]
    assert kept < cold
    for _ in range(3):
        make_dossier("submitted")  # through the services
    again, page = _queries(appraiser, reverse("home"))
    assert again == cold
    assert '<span class="badge rounded-pill text-bg-primary todo-count">4</span>' in _task(page, "dossier-submitted")
    appraiser.get(reverse("home"))
    assert _queries(appraiser, reverse("home"))[0] == kept
    officer = client_for(users["dm_officer"])
    for _ in range(3):
        page = officer.get(reverse("home")).content.decode()
    assert "dossier-submitted" not in page  # not the appraiser's kept to-do


def test_home_notifications_follow_reading_at_once(client_for, users, make_dossier):
    dossier = make_dossier("submitted")
    Notification.objects.create(user=users["appraiser"], dossier=dossier, text="Hồ sơ mới cần tiếp nhận")
    client = client_for(users["appraiser"])
    for _ in range(3):
        assert "Hồ sơ mới cần tiếp nhận" in _task(client.get(reverse("home")).content.decode(),
                                                    "notifications-unread")
    award_services.notifications_mark_read(by=users["appraiser"])  # an UPDATE without an audit row
    assert _task(client.get(reverse("home")).content.decode(), "notifications-unread") == ""
