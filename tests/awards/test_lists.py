"""Lists: constant query counts, what-to-do-now per role, filters, overdue flags and the Excel export."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards import services
from awards.excel import HEADERS
from awards.models import Dossier, Nominee, PublicHoliday
from awards.workdays import add_working_days


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("url", ["/khen-thuong/", "/khen-thuong/?viec=1", "/khen-thuong/xuat-excel/"])
def test_list_query_count_does_not_grow_with_rows(client_for, users, tree, people, make_dossier, url):
    officer = users["dm_officer"]
    first = make_dossier("draft", complete=False)
    services.nominee_add(dossier=first, by=officer, person=people["an"], summary="x")
    client = client_for(officer)
    few, _ = _count(client, url)
    # 39 more drafts like the first, each with two nominees (bulk inserts keep the test fast).
    made = Dossier.objects.bulk_create([Dossier(campaign=first.campaign, milestone=first.milestone, unit=first.unit,
                                                form=first.form, rule=first.rule) for _ in range(39)])
    Nominee.objects.bulk_create([Nominee(dossier=d, unit=tree["dm01"], summary="x") for d in made]
                                + [Nominee(dossier=d, person=people["binh"], summary="x") for d in made])
    many, response = _count(client, url)
    assert Dossier.objects.count() == 40
    assert few == many
    if "xuat" not in url:
        assert response.content.decode().count('href="/khen-thuong/ho-so/') == 40


def test_todo_lists_per_role(client_for, users, make_dossier):
    draft = make_dossier("draft", complete=False)
    returned = make_dossier("returned")
    submitted = make_dossier("submitted")
    proposed = make_dossier("proposed")
    officer_page = client_for(users["dm_officer"]).get("/khen-thuong/?viec=1").content.decode()
    for mine in (draft, returned):
        assert f'href="/khen-thuong/ho-so/{mine.pk}/"' in officer_page
    assert f'href="/khen-thuong/ho-so/{submitted.pk}/"' not in officer_page
    appraiser_page = client_for(users["appraiser"]).get("/khen-thuong/?viec=1").content.decode()
    assert f'href="/khen-thuong/ho-so/{submitted.pk}/"' in appraiser_page
    assert f'href="/khen-thuong/ho-so/{returned.pk}/"' not in appraiser_page
    assert f'href="/khen-thuong/ho-so/{proposed.pk}/"' not in appraiser_page
    admin_page = client_for(users["admin"]).get("/khen-thuong/?viec=1").content.decode()
    assert f'href="/khen-thuong/ho-so/{proposed.pk}/"' in admin_page


def test_filters_and_scope(client_for, users, make_dossier, catalogue, tree):
    ours = make_dossier("submitted")
    flag = make_dossier("draft", form="CO-TINH", complete=False)
    client = client_for(users["appraiser"])
    page = client.get(f"/khen-thuong/?form={catalogue['CO-TINH'].pk}").content.decode()
    assert f'/khen-thuong/ho-so/{flag.pk}/"' in page and f'/khen-thuong/ho-so/{ours.pk}/"' not in page
    page = client.get("/khen-thuong/?state=submitted&unit=DM").content.decode()
    assert f'/khen-thuong/ho-so/{ours.pk}/"' in page and f'/khen-thuong/ho-so/{flag.pk}/"' not in page
    outsider = client_for(users["gn_officer"]).get("/khen-thuong/").content.decode()
    assert "Không có hồ sơ nào." in outsider
    # A unit outside the officer's scope (or unknown) matches nothing rather than everything.
    assert "Không có hồ sơ nào." in client_for(users["gn_officer"]).get("/khen-thuong/?unit=DM").content.decode()
    assert "Không có hồ sơ nào." in client.get("/khen-thuong/?unit=KHONG-CO").content.decode()


def test_working_days_skip_weekends_and_configured_holidays(db):
    friday = datetime.date(2024, 8, 30)
    assert add_working_days(friday, 1) == datetime.date(2024, 9, 2)
    PublicHoliday.objects.create(date=datetime.date(2024, 9, 2), name="Quốc khánh")
    PublicHoliday.objects.create(date=datetime.date(2024, 9, 3), name="Quốc khánh")
    assert add_working_days(friday, 1) == datetime.date(2024, 9, 4)
    assert add_working_days(friday, 5) == datetime.date(2024, 9, 10)


def test_due_date_set_on_submission_and_receipt_and_overdue_flagged(client_for, users, make_dossier):
    dossier = make_dossier("received")
    assert dossier.due_on == add_working_days(dossier.received_on, dossier.rule.appraisal_working_days)
    assert dossier.due_on > dossier.received_on
    Dossier.objects.filter(pk=dossier.pk).update(due_on=datetime.date(2020, 1, 1))
    page = client_for(users["appraiser"]).get("/khen-thuong/?overdue=on").content.decode()
    assert f'/khen-thuong/ho-so/{dossier.pk}/"' in page
    assert "Quá hạn" in page


def test_excel_export_is_the_filtered_list_with_text_not_formulas(client_for, users, people, make_dossier):
    dossier = make_dossier("submitted", nominees=[{"person": people["an"]}])
    people["an"].full_name = "=HYPERLINK(\"http://x\")"
    people["an"].save()
    make_dossier("draft", complete=False)
    response = client_for(users["appraiser"]).get(reverse("awards:export") + "?state=submitted")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == dossier.code  # the number people quote, not the database id
    cell = sheet.cell(row=2, column=7)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_due_soon_is_flagged_on_the_todo_list(client_for, users, make_dossier):
    from django.utils import timezone

    dossier = make_dossier("under_appraisal")
    Dossier.objects.filter(pk=dossier.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=2))
    page = client_for(users["appraiser"]).get("/khen-thuong/?viec=1").content.decode()
    assert "Sắp đến hạn" in page and "Quá hạn</span>" not in page


def test_overdue_selector_for_monitoring(users, make_dossier):
    from awards.selectors import overdue_dossiers

    late = make_dossier("submitted")
    make_dossier("submitted")
    Dossier.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 1))
    assert list(overdue_dossiers(users["appraiser"])) == [late]
    assert list(overdue_dossiers(users["gn_officer"])) == []


def test_excel_export_dates_a_submission_by_the_day_in_vietnam(client_for, users, make_dossier):
    """Submitted at 18:00 UTC on 1 December is 01:00 on 2 December in Vietnam: the sheet says the 2nd."""
    dossier = make_dossier("submitted")
    evening_utc = datetime.datetime(2025, 12, 1, 18, 0, tzinfo=datetime.UTC)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=evening_utc)
    response = client_for(users["appraiser"]).get(reverse("awards:export") + "?state=submitted")
    sheet = load_workbook(io.BytesIO(response.content)).active
    submitted = sheet.cell(row=2, column=HEADERS.index("Ngày nộp") + 1).value
    assert submitted.date() == datetime.date(2025, 12, 2)


def test_list_rows_show_campaign_round_form_and_decision(client_for, users, make_dossier):
    """The rows' campaign, round, form and decision come from their own small queries (not joins): each still shows,
    and the count stays the same as decided and undecided rows are added."""
    awarded = make_dossier("awarded")
    client = client_for(users["admin"])
    before, _ = _count(client, "/khen-thuong/?viec=0")
    draft, other = make_dossier("draft", complete=False), make_dossier("awarded")
    after, response = _count(client, "/khen-thuong/?viec=0")
    page = response.content.decode()

    def row(dossier):
        return page.split(f'href="/khen-thuong/ho-so/{dossier.pk}/"')[1].split("</tr>")[0]

    for decided in (awarded, other):
        assert decided.decision.number and decided.decision.number in row(decided)
        assert all(text in row(decided) for text in (decided.form.name, decided.milestone.title,
                                                      decided.campaign.number))
    assert draft.form.name in row(draft) and awarded.decision.number not in row(draft)
    assert before == after
