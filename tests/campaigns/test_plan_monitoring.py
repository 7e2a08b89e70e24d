"""The monitoring page: one row per participating unit, counted in SQL, filtered, sorted, exported, reminded."""

import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Achievement, AchievementStatus, Initiative, Registration
from core.models import AuditEntry
from units.models import Role, Unit, UnitKind, User

pytestmark = pytest.mark.django_db

YEAR = 2024


def _achievement(campaign, content, unit, status=AchievementStatus.SUBMITTED, year=YEAR):
    return Achievement.objects.create(campaign=campaign, unit=unit, year=year, content=content,
                                      title=f"Thành tích {unit.code} {content.number}", status=status)


def _complete(campaign, contents, unit):
    """A unit that is not behind: registered, one accepted achievement per content."""
    Registration.objects.create(campaign=campaign, unit=unit, year=YEAR)
    for content in contents.values():
        _achievement(campaign, content, unit, AchievementStatus.ACCEPTED)


def _url(campaign, **params):
    return reverse("campaigns:monitoring", args=[campaign.pk]), {"year": YEAR, **params}


def test_rows_count_registration_evidence_and_initiatives(users, tree, campaign, contents, client_for):
    _complete(campaign, contents, tree["gn01"])
    _achievement(campaign, contents[2], tree["gn01"])  # one more, still waiting for review
    _achievement(campaign, contents[2], tree["dm01"])
    _achievement(campaign, contents[2], tree["dm01"], year=2023)  # another year: not counted
    Initiative.objects.create(campaign=campaign, unit=tree["gn01"], year=YEAR, title="Sáng kiến", problem="p",
                              solution="s", effect="e")
    page = client_for(users["leader"]).get(*_url(campaign)).content.decode()
    row = page.split('data-unit="GN-01"')[1].split("</tr>")[0]
    assert 'data-behind="0"' in row
    assert "2 / 1" in row and row.count("1 / 1") == 4
    dm01 = page.split('data-unit="DM-01"')[1].split("</tr>")[0]
    assert 'data-behind="1"' in dm01 and "1 / 0" in dm01 and "Chưa" in dm01
    assert 'data-unit="DNO"' not in page  # province kind does not take part


def test_query_count_is_the_same_for_3_and_60_units(users, tree, campaign, contents, client_for):
    client = client_for(users["appraiser"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(*_url(campaign))
        assert response.status_code == 200
        return len(captured)

    Unit.objects.filter(kind=UnitKind.DIVISION).delete()
    _complete(campaign, contents, tree["gn01"])
    few = count()
    for number in range(60):
        unit = Unit.objects.create(code=f"GN-X{number:02}", name=f"Xã số {number}", kind=UnitKind.COMMUNE,
                                   parent=tree["gn"])
        if number % 2:
            _complete(campaign, contents, unit)
        else:
            _achievement(campaign, contents[1], unit)
    assert count() == few


def test_filter_by_district_kind_and_behind(users, tree, campaign, contents, client_for):
    _complete(campaign, contents, tree["gn01"])
    client = client_for(users["admin"])
    page = client.get(*_url(campaign, district="GN")).content.decode()
    assert 'data-unit="GN-01"' in page and 'data-unit="GN"' in page
    assert 'data-unit="DM-01"' not in page and 'data-unit="SNV"' not in page
    page = client.get(*_url(campaign, kind="commune")).content.decode()
    assert 'data-unit="GN-01"' in page and 'data-unit="DM-01"' in page and 'data-unit="GN"' not in page
    page = client.get(*_url(campaign, behind="on")).content.decode()
    assert 'data-unit="GN-01"' not in page and 'data-unit="DM-01"' in page


def test_sort_is_whitelisted(users, tree, campaign, contents, client_for):
    _complete(campaign, contents, tree["dm01_vp"])
    client = client_for(users["admin"])
    page = client.get(*_url(campaign, sort="accepted", desc="1")).content.decode()
    first = page.split("<tbody>")[1].split('data-unit="')[1].split('"')[0]
    assert first == "DM-01.VP"
    response = client.get(*_url(campaign, sort="password; DROP TABLE"))
    assert response.status_code == 200 and 'data-unit="DM"' in response.content.decode()


def test_only_sở_nội_vụ_and_leaders(users, campaign, client_for):
    assert client_for(users["dm_officer"]).get(*_url(campaign)).status_code == 403
    assert client_for(users["dm_officer"]).get(
        reverse("campaigns:monitoring_export", args=[campaign.pk])).status_code == 403


def test_excel_export_respects_filters_and_writes_strings(users, tree, campaign, contents, client_for):
    tree["gn01"].name = "=HYPERLINK(\"http://evil\")"
    tree["gn01"].save()
    _complete(campaign, contents, tree["gn01"])
    response = client_for(users["leader"]).get(reverse("campaigns:monitoring_export", args=[campaign.pk]),
                                               {"year": YEAR, "district": "GN"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn vị"
    assert sorted(row[0] for row in rows[1:]) == ["GN", "GN-01"]
    gn01 = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "GN-01")
    assert gn01[1].value == '=HYPERLINK("http://evil")' and gn01[1].data_type == "s"
    assert gn01[3].value == "Ủy ban nhân dân thành phố Gia Nghĩa"
    assert gn01[5].value == 1 and gn01[6].value == 1  # content (1): submitted, accepted as numbers


def test_bulk_reminder_from_the_page_goes_to_units_behind(users, tree, campaign, contents, client_for):
    _complete(campaign, contents, tree["gn01"])
    User.objects.create_user(username="gn01", password="x", role=Role.OFFICER, unit=tree["gn01"],
                             email="gn01@example.vn")
    User.objects.create_user(username="gn", password="x", role=Role.OFFICER, unit=tree["gn"], email="gn@example.vn")
    client_for(users["appraiser"]).post(reverse("campaigns:monitoring_remind", args=[campaign.pk]),
                                        {"year": YEAR, "district": "GN", "all": "1"})
    assert [message.to for message in mail.outbox] == [["gn@example.vn"]]
    assert "tiến độ" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="remind_progress").count() == 1


def test_year_select_shows_the_year_the_page_is_about(users, campaign, client_for):
    from campaigns.selectors.plan import current_year

    client = client_for(users["admin"])
    url = reverse("campaigns:monitoring", args=[campaign.pk])
    for params in ({}, {"kind": "commune"}):
        form = client.get(url, params).context["filter_form"]
        assert str(form["year"].value()) == str(current_year(campaign))
        assert f'<option value="{current_year(campaign)}" selected>' in str(form["year"])


def test_overdue_dossiers_are_flagged_per_unit(users, tree, campaign, contents, client_for):
    import datetime

    from awards.models import AwardForm, Dossier

    form = AwardForm.objects.create(code="BK-TEST", name="Bằng khen thử", recipient_kind="both",
                                    authority="Chủ tịch UBND tỉnh")
    common = {"campaign": campaign, "milestone": campaign.milestones.first(), "form": form}
    for unit, state, due in [("dm01", "submitted", datetime.date(2020, 1, 2)),
                             ("dm01", "under_appraisal", datetime.date(2020, 1, 3)),
                             ("gn01", "submitted", datetime.date(2999, 1, 1))]:
        dossier = Dossier.objects.create(unit=tree[unit], **common)
        Dossier.objects.filter(pk=dossier.pk).update(state=state, due_on=due)  # as the workflow would leave it
    page = client_for(users["admin"]).get(*_url(campaign)).content.decode()
    row = page.split('data-unit="DM-01"')[1].split("</tr>")[0]
    assert 'badge bg-danger' in row and ">2</a>" in row
    other = page.split('data-unit="GN-01"')[1].split("</tr>")[0]
    assert "badge bg-danger" not in other
