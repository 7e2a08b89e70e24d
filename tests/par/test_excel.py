"""Criteria sets to and from Excel (all or nothing, row numbers), survey scores from Excel, ranking export."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from par import excel, services
from par.models import CriteriaSet, Criterion, Score, ScoreSheet
from tests.fixtures.par import full_run

D = Decimal


def _workbook(headers, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tree(criteria_set):
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("sort_key").values_list(
        "code", "parent__code", "level", "is_leaf", "title", "max_points", "evidence_required",
        "may_be_not_applicable", "is_survey"))


def test_export_then_import_into_a_new_year_rebuilds_the_same_tree(district_set, par_users):
    Criterion.objects.filter(criteria_set=district_set, code="2.1").update(
        evidence_required=True, title="=HYPERLINK(\"x\") công khai", guidance="+ hướng dẫn")
    content = excel.export_set(district_set)
    cells = load_workbook(io.BytesIO(content)).active
    formula_cell = next(c for row in cells.iter_rows() for c in row if c.value and str(c.value).startswith("="))
    assert formula_cell.data_type == "s"  # text, never a formula

    new = services.set_create(by=par_users["admin"], year=2025, group="district", title="Bộ chỉ số 2025")
    result, rows = excel.parse_set_file(io.BytesIO(content), survey_enabled=False)
    assert result.ok, result.error_lines()
    services.set_replace_tree(criteria_set=new, by=par_users["admin"], rows=rows)
    assert _tree(new) == _tree(district_set)
    assert len(_tree(new)) == 8


def test_rows_in_any_order_build_the_tree(par_users):
    content = _workbook(excel.SET_HEADERS, [
        ["1.1.2", "Tiêu chí thành phần b", 1.5, "", "Có", "", ""],
        ["1", "Lĩnh vực", 3, "", "", "", ""],
        ["1.1.1", "Tiêu chí thành phần a", "1,5", "", "không", "x", ""],
        ["1.1", "Tiêu chí", 3, "", "", "", ""],
    ])
    result, rows = excel.parse_set_file(io.BytesIO(content), survey_enabled=False)
    assert result.ok, result.error_lines()
    criteria_set = services.set_create(by=par_users["admin"], year=2024, group="commune", title="Xã")
    services.set_replace_tree(criteria_set=criteria_set, by=par_users["admin"], rows=rows)
    tree = {c.code: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    assert tree["1.1.1"].parent == tree["1.1"] and tree["1.1"].parent == tree["1"]
    assert tree["1.1.1"].may_be_not_applicable and tree["1.1.2"].evidence_required
    assert not tree["1.1"].is_leaf and tree["1.1.2"].is_leaf


def test_bad_rows_import_nothing_and_each_is_reported_with_its_row(district_set, par_users):
    before = _tree(district_set)
    content = _workbook(excel.SET_HEADERS, [
        ["1", "Lĩnh vực", 4, "", "", "", ""],          # row 2: children sum 4.5 ≠ 4
        ["1.1", "Tiêu chí", 2, "", "", "", ""],
        ["1.2", "", 2.5, "", "", "", ""],              # row 4: no title
        ["2", "Lĩnh vực hai", "hai", "", "", "", ""],  # row 5: not a number
        ["1.1", "Trùng mã", 1, "", "", "", ""],        # row 6: duplicate of row 3
        ["3.1", "Không có cấp trên", 1, "", "", "", ""],  # row 7: parent 3 missing
        ["1.4", "Điểm lẻ", 0.3, "", "", "", ""],       # row 8: not a half point
        ["1.5", "Cờ sai", 1, "", "có lẽ", "", ""],     # row 9: bad yes/no
        ["a.b", "Mã sai", 1, "", "", "", ""],          # row 10: bad code
    ])
    result, rows = excel.parse_set_file(io.BytesIO(content), survey_enabled=False)
    assert not result.ok and rows == []
    reported = {row for row, _message in result.errors}
    assert reported == {2, 4, 5, 6, 7, 8, 9, 10}
    lines = " ".join(result.error_lines())
    assert "Dòng 6: Mã “1.1” bị trùng với dòng 3" in lines
    assert "Dòng 7:" in lines and "“3”" in lines
    assert _tree(district_set) == before


def test_import_view_reports_rows_and_writes_nothing(district_set, par_users, client_for):
    before = _tree(district_set)
    content = _workbook(excel.SET_HEADERS, [["1", "Lĩnh vực", 2, "", "", "", ""], ["1.1", "", 3, "", "", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(par_users["admin"])
    response = client.post(f"/chi-so-cchc/bo-chi-so/{district_set.pk}/nhap-excel/",
                           {"file": SimpleUploadedFile("tieu-chi.xlsx", content)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dòng 3:" in text and "Dòng 2:" in text
    assert _tree(district_set) == before
    good = _workbook(excel.SET_HEADERS, [["1", "Lĩnh vực", 2, "", "", "", ""], ["1.1", "Một", 2, "", "", "", ""]])
    response = client.post(f"/chi-so-cchc/bo-chi-so/{district_set.pk}/nhap-excel/",
                           {"file": SimpleUploadedFile("tieu-chi.xlsx", good)})
    assert response.status_code == 302
    assert [c[0] for c in _tree(district_set)] == ["1", "1.1"]


def test_formula_cells_are_refused(par_users):
    content = _workbook(excel.SET_HEADERS, [["1", "Lĩnh vực", "=1+1", "", "", "", ""]])
    result, _rows = excel.parse_set_file(io.BytesIO(content), survey_enabled=False)
    assert {row for row, _m in result.errors} == {2}
    assert any("Ô C2" in message and "công thức" in message for _row, message in result.errors)


@pytest.fixture
def survey_set(par_users, tree):
    from tests.fixtures.par import tree_rows

    criteria_set = services.set_create(by=par_users["admin"], year=2024, group="district", title="Có điều tra",
                                       survey_enabled=True, survey_weight=D("30"))
    rows = tree_rows() + [{"code": "3", "title": "Điều tra", "max_points": D("10")},
                          {"code": "3.1", "title": "Người dân", "max_points": D("6"), "is_survey": True},
                          {"code": "3.2", "title": "Doanh nghiệp", "max_points": D("4"), "is_survey": True}]
    services.set_replace_tree(criteria_set=criteria_set, by=par_users["admin"], rows=rows)
    services.sheets_open(criteria_set=criteria_set, by=par_users["admin"])
    return CriteriaSet.objects.get(pk=criteria_set.pk)


def test_survey_scores_import_all_or_nothing(survey_set, par_users):
    bad = _workbook(excel.SURVEY_HEADERS, [["DM", "3.1", 5], ["XX", "3.1", 5], ["GN", "1.1", 2], ["GN", "3.2", 9],
                                           ["DM", "3.1", 4]])
    result, entries = excel.parse_survey_file(io.BytesIO(bad), criteria_set=survey_set)
    assert {row for row, _m in result.errors} == {3, 4, 5, 6} and entries == []
    assert not Score.objects.filter(sheet__criteria_set=survey_set, survey_score__isnull=False).exists()

    good = _workbook(excel.SURVEY_HEADERS, [["gn", "3.2", 3.25], ["DM", "3.1", 5], ["DM", "3.2", 4]])
    result, entries = excel.parse_survey_file(io.BytesIO(good), criteria_set=survey_set)
    assert result.ok, result.error_lines()
    services.survey_apply(criteria_set=survey_set, by=par_users["appraiser"], entries=entries)
    dm = ScoreSheet.objects.get(criteria_set=survey_set, unit__code="DM")
    gn = ScoreSheet.objects.get(criteria_set=survey_set, unit__code="GN")
    assert (dm.survey_points, dm.survey_max, gn.survey_points) == (D("9"), D("10"), D("3.25"))
    # DM: nothing self-scored yet → 0 × 70 + 9/10 × 30 = 27
    assert dm.index_percent == D("27.00")


def test_ranking_export_has_one_row_per_sheet(district_sheets, par_users, client_for):
    for sheet in district_sheets.values():
        full_run(sheet, par_users, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    set_pk = next(iter(district_sheets.values())).criteria_set_id
    response = client_for(par_users["leader"]).get(f"/chi-so-cchc/bo-chi-so/{set_pk}/xep-hang/xuat-excel/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "Hạng"
    assert sorted(sheet.cell(r, 2).value for r in (2, 3)) == ["DM", "GN"]
    assert sheet.cell(2, 8).value == 100
