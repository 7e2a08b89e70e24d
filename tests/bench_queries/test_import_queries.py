"""Every Excel import runs a constant number of queries per batch of rows: the same count for one row as for 300
(units, people, criteria, survey scores, earlier commendations), with every row written (issue 18)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from awards.history_import import HEADERS as COMMENDATION_HEADERS
from awards.history_import import commendations_import
from awards.models import AwardForm, CommendationRecord, RecipientKind
from core.files import bytes_upload
from par import services as par
from par.excel import SET_HEADERS, SURVEY_HEADERS
from par.models import Criterion, Score, ScoreSheet, UnitGroup
from units.excel import PEOPLE_HEADERS, UNIT_HEADERS, _vietnamese_label, people_import, units_import
from units.models import Person, Unit, UnitKind

MANY = 300


def xlsx(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return len(captured), result


@pytest.mark.django_db
def test_units_import_queries_do_not_grow_with_rows(tree):
    commune = _vietnamese_label(UnitKind.choices, UnitKind.COMMUNE)

    def rows(prefix, count):
        return xlsx(UNIT_HEADERS, [[f"{prefix}-{n:03d}", f"UBND xã {prefix} {n}", commune, "DM", "", "", "", ""]
                                   for n in range(count)])

    few, one = queries(lambda: units_import(file=rows("A", 1), by=None))
    many, result = queries(lambda: units_import(file=rows("B", MANY), by=None))
    assert one.ok and result.ok, result.errors[:3]
    assert many == few, (few, many)
    assert Unit.objects.filter(code__startswith="B-", parent=tree["dm"], path__startswith="DNO/DM/B-").count() == MANY


@pytest.mark.django_db
def test_people_import_queries_do_not_grow_with_rows(tree):
    def rows(prefix, count):
        return xlsx(PEOPLE_HEADERS, [["", f"Nguyễn Văn {prefix}{n}", "Nam", "Chuyên viên", "DM-01", f"{prefix}{n:04d}"]
                                     for n in range(count)])

    few, one = queries(lambda: people_import(file=rows("A", 1), by=None))
    many, result = queries(lambda: people_import(file=rows("B", MANY), by=None))
    assert one.ok and result.ok, result.errors[:3]
    assert many == few, (few, many)
    assert Person.objects.filter(staff_code__startswith="B", unit=tree["dm01"]).count() == MANY
    assert Person.objects.get(staff_code="B0007").search_name == "nguyen van b7"


@pytest.mark.django_db
def test_people_import_still_reports_every_bad_row(tree):
    """The faster reader keeps the row-level messages: a bad unit and a duplicate staff code, with row numbers."""
    data = xlsx(PEOPLE_HEADERS, [["", "Lê Văn A", "Nam", "", "DM-01", "X1"], ["", "Lê Văn B", "Nam", "", "KHONG", "X2"],
                                 [], ["", "Lê Văn C", "Nữ", "", "DM-01", "X1"]])
    result = people_import(file=data, by=None)
    rows = sorted(row for row, _message in result.errors)
    assert rows == [3, 5], result.errors
    assert not Person.objects.filter(staff_code__startswith="X").exists()


@pytest.mark.django_db
def test_commendations_import_queries_do_not_grow_with_rows(tree, catalogue, users):
    form = AwardForm.objects.filter(recipient_kind__in=[RecipientKind.COLLECTIVE, RecipientKind.BOTH]).first()

    def rows(prefix, count):
        return bytes_upload("lich-su.xlsx", xlsx(COMMENDATION_HEADERS, [
            ["DM-01", "", form.code, 2021, f"{prefix}{n}/QĐ-UBND", datetime.date(2022, 1, 5), ""]
            for n in range(count)]))

    few, one = queries(lambda: commendations_import(upload=rows("A", 1), by=users["admin"]))
    many, result = queries(lambda: commendations_import(upload=rows("B", MANY), by=users["admin"]))
    assert one == (1, 0) and result == (MANY, 0)
    assert many == few, (few, many)
    # Imported again: every row is already in the history and skipped, still in the same number of queries.
    again, skipped = queries(lambda: commendations_import(upload=rows("B", MANY), by=users["admin"]))
    assert skipped == (0, MANY) and again <= few  # nothing to insert: one statement fewer
    assert CommendationRecord.objects.filter(unit=tree["dm01"], form=form).count() == MANY + 1


def _set(admin, year, *, survey=False):
    data = {"survey_enabled": True, "survey_weight": Decimal(10)} if survey else {}
    return par.set_create(by=admin, year=year, group=UnitGroup.DISTRICT, title=f"Bộ {year}", **data)


def _criteria_rows(leaves, *, survey=False):
    flag = "Có" if survey else "Không"
    return [["1", "Lĩnh vực 1", leaves * 0.5, "", "Không", "Không", flag]] + [
        [f"1.{n}", f"Tiêu chí 1.{n}", 0.5, "", "Không", "Không", flag] for n in range(1, leaves + 1)]


@pytest.mark.django_db
def test_criteria_import_queries_do_not_grow_with_rows(par_users, tree):
    admin = par_users["admin"]
    small, big = _set(admin, 2023), _set(admin, 2024)
    few, one = queries(lambda: par.criteria_set_import(criteria_set=small, by=admin,
                                                       file=xlsx(SET_HEADERS, _criteria_rows(1))))
    many, result = queries(lambda: par.criteria_set_import(criteria_set=big, by=admin,
                                                           file=xlsx(SET_HEADERS, _criteria_rows(MANY - 1))))
    assert one.ok and result.ok, result.errors[:3]
    assert many == few, (few, many)
    assert Criterion.objects.filter(criteria_set=big, is_leaf=True).count() == MANY - 1
    assert Criterion.objects.get(criteria_set=big, code="1").max_points == Decimal("149.5")


@pytest.mark.django_db
def test_survey_import_queries_do_not_grow_with_rows(par_users, tree):
    admin = par_users["admin"]
    criteria_set = _set(admin, 2024, survey=True)
    par.set_replace_tree(criteria_set=criteria_set, by=admin, rows=[
        {"code": "1", "title": "Khảo sát", "max_points": Decimal(MANY), "is_survey": True},
        *({"code": f"1.{n}", "title": f"Câu {n}", "max_points": Decimal(1), "is_survey": True}
          for n in range(1, MANY + 1))])
    par.sheets_open(criteria_set=criteria_set, by=admin)

    def rows(unit, count):
        return xlsx(SURVEY_HEADERS, [[unit, f"1.{n}", 0.75] for n in range(1, count + 1)])

    few, one = queries(lambda: par.survey_scores_import(criteria_set=criteria_set, by=admin, file=rows("GN", 1)))
    many, result = queries(lambda: par.survey_scores_import(criteria_set=criteria_set, by=admin,
                                                            file=rows("DM", MANY)))
    assert one.ok and result.ok, result.errors[:3]
    assert many == few, (few, many)
    sheet = ScoreSheet.objects.get(criteria_set=criteria_set, unit=tree["dm"])
    assert Score.objects.filter(sheet=sheet, survey_score=Decimal("0.75")).count() == MANY
    assert sheet.survey_points == Decimal("225.00") and sheet.survey_max == Decimal(MANY)
