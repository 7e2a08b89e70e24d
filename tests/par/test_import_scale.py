"""PAR imports at province scale: a clean 10,000-row criteria set and a 10,000-row survey import whole, without a
query per row; the set's total maximum stays within what a score sheet can store.

(The broken 10,000-row files and the row cap are in tests/security/test_hostile_imports.py.)
"""

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from par import excel, services
from par.models import Criterion, Score, ScoreSheet
from tests.fixtures.par import officer_for

from .large_files import criteria_rows, survey_set

D = Decimal


def _xlsx(headers, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_criteria_set_of_ten_thousand_rows_imports_whole(par_users):
    admin = par_users["admin"]
    criteria_set = services.set_create(by=admin, year=2025, group="district", title="Bộ chỉ số 10.000 dòng")
    content = _xlsx(excel.SET_HEADERS, criteria_rows(10_000))
    with CaptureQueriesContext(connection) as reading:
        result, rows = excel.parse_set_file(io.BytesIO(content), survey_enabled=False)
    assert result.ok, result.error_lines()[:5]
    assert result.count == 10_000 and len(reading) == 0  # checking the file asks the database nothing
    with CaptureQueriesContext(connection) as writing:
        services.set_replace_tree(criteria_set=criteria_set, by=admin, rows=rows, label="bo-chi-so.xlsx")
    # bulk inserts (SQLite splits them in batches): far from one query per row
    assert len(writing) < 300, len(writing)
    criteria = Criterion.objects.filter(criteria_set=criteria_set)
    assert criteria.count() == 10_000
    assert criteria.filter(level=1, is_leaf=False).count() == 10
    assert criteria.filter(level=2, is_leaf=True, parent__isnull=False).count() == 9_990
    last = criteria.get(code="10.999")
    assert last.parent.code == "10" and last.parent.max_points == D("499.5")


def test_a_survey_of_ten_thousand_rows_imports_whole(par_users):
    criteria_set, data = survey_set(by=par_users["admin"], n=10_000)
    content = _xlsx(excel.SURVEY_HEADERS, data)
    with CaptureQueriesContext(connection) as reading:
        result, entries = excel.parse_survey_file(io.BytesIO(content), criteria_set=criteria_set)
    assert result.ok, result.error_lines()[:5]
    assert result.count == 10_000 and len(reading) == 2  # the set's sheets and its survey criteria, once each
    with CaptureQueriesContext(connection) as writing:
        services.survey_apply(criteria_set=criteria_set, by=par_users["appraiser"], entries=entries, label="dtxhh.xlsx")
    # bulk inserts, then a few queries per sheet (100 sheets) to recompute its totals: not one per row
    assert len(writing) < 1_000, len(writing)
    scores = Score.objects.filter(sheet__criteria_set=criteria_set)
    assert scores.count() == 10_000 and not scores.exclude(survey_score=D("0.75")).exists()
    sheet = ScoreSheet.objects.filter(criteria_set=criteria_set).order_by("unit__code").last()
    assert sheet.survey_points == D("75") and sheet.survey_max == D("100")  # 100 questions × 0,75


def _areas(points):
    return [[str(number), f"Lĩnh vực {number}", value, "", "", "", ""] for number, value in enumerate(points, 1)]


def test_a_set_whose_total_a_score_sheet_could_not_store_is_refused(par_users, district_set):
    """Each row may be worth up to 1000 points, but the areas together must fit a sheet's totals (9999.99): the
    largest half-point total, 9999.5, is accepted and stored by the sheets (PostgreSQL would refuse more), 0.5 more is
    refused with the total named."""
    admin = par_users["admin"]
    assert excel.MAX_SET_TOTAL == D("9999.5")
    too_much = _xlsx(excel.SET_HEADERS, _areas([1000] * 10))
    result, rows = excel.parse_set_file(io.BytesIO(too_much), survey_enabled=False)
    assert rows == [] and result.error_lines() == [
        "Tổng điểm tối đa của cả bộ chỉ số (các lĩnh vực cộng lại) là 10000, vượt quá 9999,5 điểm; hãy giảm điểm "
        "tối đa của các tiêu chí."]

    just_fits = _xlsx(excel.SET_HEADERS, _areas([1000] * 9 + [999.5]))
    result, rows = excel.parse_set_file(io.BytesIO(just_fits), survey_enabled=False)
    assert result.ok, result.error_lines()
    services.set_replace_tree(criteria_set=district_set, by=admin, rows=rows)
    services.sheets_open(criteria_set=district_set, by=admin)
    sheet = ScoreSheet.objects.get(criteria_set=district_set, unit__code="DM")
    services.score_self_assess(sheet=sheet, criterion=district_set.criteria.get(code="10"), by=officer_for(sheet.unit),
                               self_score=D("999.5"), explanation="Đủ")
    sheet.refresh_from_db()
    assert sheet.max_applicable == D("9999.5") and sheet.total_self == D("999.5")
