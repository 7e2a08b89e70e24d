"""Excel export/import of units and people: real .xlsx files built with openpyxl, real database, no mocks."""

import io
import unicodedata
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from core.models import AuditEntry
from units import excel, selectors
from units.models import EmulationBlock, Person, Unit, UnitLink

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Mã khối/cụm thi đua",
                "Hiệu lực từ ngày", "Hiệu lực đến ngày", "Mã đơn vị kế thừa"]
PEOPLE_HEADERS = ["Mã hệ thống", "Họ và tên", "Giới tính", "Chức vụ", "Mã đơn vị", "Mã cán bộ"]


def xlsx(headers, rows):
    """An .xlsx file (bytes) with `headers` in row 1 and `rows` below; None leaves a cell empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_of(content):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def rows_of(content):
    return [list(r) for r in sheet_of(content).iter_rows(values_only=True)]


def unit_snapshot():
    links = sorted(UnitLink.objects.values_list("predecessor__code", "successor__code", "on"))
    return sorted(Unit.objects.values_list("code", "name", "kind", "parent__code", "block__code",
                                           "valid_from", "valid_to", "path", "depth")), links


def people_snapshot():
    return sorted(Person.objects.values_list("pk", "full_name", "gender", "position", "unit__code",
                                             "staff_code"))


def errors_by_row(result):
    found = {}
    for row, message in result.errors:
        found.setdefault(row, []).append(message)
    return found


# Export -----------------------------------------------------------------------------------------------------


def test_unit_export_layout(tree):
    tree["dm01"].valid_from = date(2020, 1, 1)
    tree["dm01"].save()
    content = excel.export_units(Unit.objects.order_by("path"))
    sheet = sheet_of(content)
    assert [c.value for c in sheet[1]] == UNIT_HEADERS
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 20
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(rows) == set(Unit.objects.values_list("code", flat=True))
    assert rows["DNO"][2].value == "UBND cấp tỉnh"
    assert rows["DM"][3].value == "DNO" and rows["DM"][4].value == "CUM1"
    date_cell = rows["DM-01"][5]
    assert date_cell.is_date and date_cell.value.date() == date(2020, 1, 1)
    assert date_cell.number_format == "dd/mm/yyyy"


def test_people_export_layout(people):
    content = excel.export_people(Person.objects.all())
    rows = rows_of(content)
    assert rows[0] == PEOPLE_HEADERS
    an = next(r for r in rows if r[1] == "Nguyễn Văn An")
    assert an == [people["an"].pk, "Nguyễn Văn An", "Nam", "Chủ tịch", "DM-01", "DM01-001"]
    binh = next(r for r in rows if r[1] == "Trần Thị Bình")
    assert binh[2] == "Nữ" and binh[5] is None


def test_formula_looking_text_is_exported_as_a_string_and_round_trips(tree):
    name = '=HYPERLINK("http://x","y")'
    Unit.objects.filter(pk=tree["snv"].pk).update(name=name)
    Unit.objects.filter(pk=tree["gn01"].pk).update(name="+1 phường")
    Unit.objects.filter(pk=tree["dm01"].pk).update(name="@SUM(A1)")
    content = excel.export_units(Unit.objects.all())
    cells = {r[0].value: r[1] for r in sheet_of(content).iter_rows(min_row=2)}
    for code, expected in [("SNV", name), ("GN-01", "+1 phường"), ("DM-01", "@SUM(A1)")]:
        assert cells[code].data_type == "s"
        assert cells[code].value == expected
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert (result.new, result.updated) == (0, 0)
    assert Unit.objects.get(code="SNV").name == name


def _add_units(parent, count):
    for i in range(count):
        unit = Unit.objects.create(code=f"{parent.code}.X{i:02d}", name=f"Phòng thử {i}", kind="division",
                                   parent=parent)
        UnitLink.objects.create(predecessor=unit, successor=parent)


def _export_queries(function, queryset):
    with CaptureQueriesContext(connection) as captured:
        function(queryset)
    return len(captured)


def test_unit_export_query_count_is_constant(tree, users):
    _add_units(tree["dm01"], 1)
    few = _export_queries(excel.export_units, selectors.unit_list(users["admin"], q="phong thu"))
    _add_units(tree["dm01_vp"], 49)
    many = _export_queries(excel.export_units, selectors.unit_list(users["admin"], q="phong thu"))
    assert Unit.objects.filter(search_name__contains="phong thu").count() == 50
    assert few == many


def test_people_export_query_count_is_constant(tree, users):
    Person.objects.create(full_name="Người thử 0", gender="male", unit=tree["dm01"])
    few = _export_queries(excel.export_people, selectors.people_list(users["admin"], q="nguoi thu"))
    for i in range(1, 50):
        Person.objects.create(full_name=f"Người thử {i}", gender="female", unit=tree["gn01"],
                              staff_code=f"T{i}")
    many = _export_queries(excel.export_people, selectors.people_list(users["admin"], q="nguoi thu"))
    assert few == many


# Round trips ------------------------------------------------------------------------------------------------


def test_units_round_trip_changes_nothing(tree):
    dm = tree["dm"]
    dm.valid_from, dm.valid_to = date(2019, 1, 1), date(2024, 12, 31)
    dm.save()
    UnitLink.objects.create(predecessor=dm, successor=tree["gn"], on=date(2025, 1, 1))
    UnitLink.objects.create(predecessor=dm, successor=tree["gn01"], on=date(2025, 1, 1))  # split in two
    before = unit_snapshot()
    content = excel.export_units(Unit.objects.all())
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (0, 0, Unit.objects.count())
    assert unit_snapshot() == before


def test_people_round_trip_changes_nothing(people):
    before = people_snapshot()
    content = excel.export_people(Person.objects.all())
    result = excel.people_import(file=content, by=None)
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (0, 0, 3)
    assert people_snapshot() == before


def test_people_round_trip_through_an_officer_export(people, users, client_for):
    officer = users["dm_officer"]
    content = excel.export_people(selectors.people_list(officer))
    result = excel.people_import(file=content, by=officer)
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)


# Units import -----------------------------------------------------------------------------------------------


def test_new_units_import_with_audit_row(tree):
    content = xlsx(UNIT_HEADERS, [
        ["GN-02", "Ủy ban nhân dân phường Nghĩa Phú", "UBND cấp xã", "GN", None, "01/01/2025", None, None],
        ["GN-02.VP", "Văn phòng", "division", "gn-02", None, datetime(2025, 1, 1), None, None],
    ])
    result = excel.units_import(file=content, by=None, label="don-vi.xlsx")
    assert result.ok, result.errors
    assert (result.new, result.updated) == (2, 0)
    child = Unit.objects.get(code="GN-02.VP")
    assert child.path == "DNO/GN/GN-02/GN-02.VP/" and child.depth == 3
    assert child.valid_from == date(2025, 1, 1)
    assert Unit.objects.get(code="GN-02").kind == "commune"
    entry = AuditEntry.objects.get(action="units_import")
    assert entry.target_label == "don-vi.xlsx" and entry.changes == {"new": 2, "updated": 0}


def test_dry_run_writes_nothing(tree):
    before = unit_snapshot()
    content = xlsx(UNIT_HEADERS, [["GN-02", "Phường mới", "UBND cấp xã", "GN", None, None, None, None]])
    result = excel.units_import(file=content, by=None, dry_run=True)
    assert result.ok and result.new == 1
    assert [r.status for r in result.rows] == ["new"]
    assert unit_snapshot() == before
    assert not AuditEntry.objects.filter(action="units_import").exists()


def test_children_before_parents_import_in_order(tree):
    content = xlsx(UNIT_HEADERS, [
        ["KN-01.VP", "Văn phòng xã", "Phòng, ban chuyên môn", "KN-01", None, None, None, None],
        ["KN-01", "Ủy ban nhân dân xã Đắk Sôr", "UBND cấp xã", "KN", None, None, None, None],
        ["KN", "Ủy ban nhân dân huyện Krông Nô", "UBND cấp huyện", "DNO", "CUM1", None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert result.new == 3
    district, commune, division = (Unit.objects.get(code=c) for c in ("KN", "KN-01", "KN-01.VP"))
    assert district.path == "DNO/KN/"
    assert commune.parent == district and commune.path.startswith(district.path)
    assert division.parent == commune and division.path.startswith(commune.path)
    assert division.depth == 3
    assert [r.excel_row for r in result.rows] == [2, 3, 4]


def test_nfd_text_is_stored_as_nfc(tree):
    nfd = unicodedata.normalize("NFD", "Phòng Nội vụ")
    assert nfd != "Phòng Nội vụ"
    content = xlsx(UNIT_HEADERS, [["GN.NV", nfd, unicodedata.normalize("NFD", "Phòng, ban chuyên môn"),
                                   "GN", None, None, None, None]])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="GN.NV").name == "Phòng Nội vụ"


def test_codes_match_case_insensitively_after_trimming(tree):
    content = xlsx(UNIT_HEADERS, [
        ["  dm-01 ", "UBND thị trấn Đắk Mil (tên mới)", "ubnd cap xa", " dm ", None, None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert (result.new, result.updated) == (0, 1)
    unit = Unit.objects.get(pk=tree["dm01"].pk)
    assert unit.name == "UBND thị trấn Đắk Mil (tên mới)"
    assert Unit.objects.count() == 7


def test_moving_a_unit_moves_its_whole_subtree(tree):
    content = xlsx(UNIT_HEADERS, [
        ["DM-01", "Ủy ban nhân dân thị trấn Đắk Mil", "UBND cấp xã", "GN", None, None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="DM-01").path == "DNO/GN/DM-01/"
    division = Unit.objects.get(code="DM-01.VP")
    assert division.path == "DNO/GN/DM-01/DM-01.VP/" and division.depth == 3


def test_one_bad_row_among_good_ones_writes_nothing(tree):
    count = Unit.objects.count()
    content = xlsx(UNIT_HEADERS, [
        ["GN-02", "Phường Nghĩa Phú", "UBND cấp xã", "GN", None, None, None, None],
        ["GN-03", "Phường Nghĩa Tân", "Hợp tác xã", "GN", None, None, None, None],
        ["GN-04", "Phường Nghĩa Trung", "UBND cấp xã", "GN", None, None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert not result.ok
    assert [row for row, _message in result.errors] == [3]
    assert "Loại đơn vị" in result.errors[0][1] and "Hợp tác xã" in result.errors[0][1]
    assert "Dòng 3:" in result.error_lines()[0]
    assert Unit.objects.count() == count
    assert not AuditEntry.objects.filter(action="units_import").exists()


def test_every_bad_unit_row_is_reported(tree):
    before = unit_snapshot()
    content = xlsx(UNIT_HEADERS, [
        ["GN-02", "Phường tốt", "UBND cấp xã", "GN", None, None, None, None],             # 2 good
        ["GN-03", None, "UBND cấp xã", "GN", None, None, None, None],                     # 3 blank name
        ["GN-04", "Phường", "Không biết", "GN", None, None, None, None],                  # 4 unknown kind
        ["GN-05", "Phường", "UBND cấp xã", "XX-99", None, None, None, None],              # 5 unknown parent
        ["GN-02", "Trùng mã", "UBND cấp xã", "GN", None, None, None, None],               # 6 duplicate code
        ["GN-06", "Phường", "UBND cấp xã", "gn-06", None, None, None, None],              # 7 own parent
        ["GN-07", "Phường", "UBND cấp xã", "GN", "KHOI-X", None, None, None],             # 8 unknown block
        ["GN-08", "Phường", "UBND cấp xã", "GN", None, "31/02/2024", None, None],         # 9 bad date
        ["GN-09", "Phường", "UBND cấp xã", "GN", None, "01/06/2024", "01/01/2024", None],  # 10 to < from
        ["GN 10", "Phường", "UBND cấp xã", "GN", None, None, None, None],                 # 11 bad code chars
        ["GN-11", "Phường", "UBND cấp xã", "GN", None, None, None, "ZZ"],                 # 12 no successor
        [None, None, None, None, None, None, None, None],                                 # 13 blank: skipped
        ["GN-12", "Phường", None, "GN", None, None, None, None],                          # 14 blank kind
        ["ĐM-13", "Phường", "UBND cấp xã", "GN", None, None, None, None],                 # 15 non-ASCII code
    ])
    result = excel.units_import(file=content, by=None)
    found = errors_by_row(result)
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15]
    assert "Tên đơn vị" in found[3][0] and "để trống" in found[3][0]
    assert "Không biết" in found[4][0]
    assert "XX-99" in found[5][0]
    assert "dòng 2" in found[6][0]
    assert "chính nó" in found[7][0]
    assert "KHOI-X" in found[8][0]
    assert "dd/mm/yyyy" in found[9][0]
    assert "Hiệu lực đến ngày" in found[10][0]
    assert "GN 10" in found[11][0]
    assert "ZZ" in found[12][0]
    assert unit_snapshot() == before


def test_parent_cycles_are_reported(tree):
    before = unit_snapshot()
    content = xlsx(UNIT_HEADERS, [
        ["AA", "Đơn vị A", "UBND cấp huyện", "BB", None, None, None, None],
        ["BB", "Đơn vị B", "UBND cấp huyện", "AA", None, None, None, None],
        ["DM", "Ủy ban nhân dân huyện Đắk Mil", "UBND cấp huyện", "DM-01.VP", None, None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    found = errors_by_row(result)
    assert sorted(found) == [2, 3, 4]
    assert all("vòng lặp" in messages[0] for messages in found.values())
    assert "DM → DM-01.VP → DM-01 → DM" in found[4][0]
    assert unit_snapshot() == before


def test_wrong_header_row_names_the_expected_headers(tree):
    content = xlsx(["Mã", "Tên"], [["GN-02", "Phường"]])
    result = excel.units_import(file=content, by=None)
    assert len(result.errors) == 1
    row, message = result.errors[0]
    assert row == 1
    for header in UNIT_HEADERS:
        assert header in message


def test_header_match_ignores_case_and_diacritics_and_column_order(tree):
    headers = ["ten don vi", "MÃ ĐƠN VỊ", "Loại đơn vị", "Mã đơn vị cấp trên", "Mã khối/cụm thi đua",
               "Hiệu lực từ ngày", "Hiệu lực đến ngày", "Mã đơn vị kế thừa", "Ghi chú"]
    content = xlsx(headers, [["Phường mới", "GN-02", "UBND cấp xã", "GN", None, None, None, None, "bỏ qua"]])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="GN-02").name == "Phường mới"


def test_formula_cells_are_rejected(tree):
    content = xlsx(UNIT_HEADERS, [
        ["GN-02", "=CONCATENATE(\"Phường \",\"A\")", "UBND cấp xã", "GN", None, None, None, None],
        ["GN-03", "Phường B", "UBND cấp xã", "GN", None, None, None, None],
    ])
    assert sheet_of(content)["B2"].data_type == "f"
    count = Unit.objects.count()
    result = excel.units_import(file=content, by=None)
    assert [row for row, _m in result.errors] == [2]
    assert "B2" in result.errors[0][1] and "chứa công thức; hãy nhập giá trị" in result.errors[0][1]
    assert Unit.objects.count() == count


def test_merged_cells_in_the_data_area_are_reported(tree):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(UNIT_HEADERS)
    sheet.append(["GN-02", "Phường A", "UBND cấp xã", "GN"])
    sheet.append(["GN-03", "Phường B", "UBND cấp xã", "GN"])
    sheet.merge_cells("C2:C3")
    out = io.BytesIO()
    workbook.save(out)
    result = excel.units_import(file=out.getvalue(), by=None)
    found = errors_by_row(result)
    assert 2 in found and any("C2:C3" in m and "gộp" in m for m in found[2])
    assert not Unit.objects.filter(code__in=["GN-02", "GN-03"]).exists()


def test_blank_rows_are_skipped_silently(tree):
    content = xlsx(UNIT_HEADERS, [
        [None] * 8,
        ["GN-02", "Phường A", "UBND cấp xã", "GN", None, None, None, None],
        ["   ", "", None, None, None, None, None, None],
        ["GN-03", "Phường B", "UBND cấp xã", "GN", None, None, None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert result.new == 2
    assert [r.excel_row for r in result.rows] == [3, 5]


def test_not_an_excel_file_and_empty_sheet(tree):
    result = excel.units_import(file=b"code,name\nGN-02,Phuong\n", by=None)
    assert len(result.errors) == 1 and ".xlsx" in result.errors[0][1]
    result = excel.units_import(file=xlsx(UNIT_HEADERS, []), by=None)
    assert len(result.errors) == 1 and "không có dòng dữ liệu" in result.errors[0][1]


def test_only_administrators_import_units(tree, users):
    content = xlsx(UNIT_HEADERS, [["GN-02", "Phường A", "UBND cấp xã", "GN", None, None, None, None]])
    with pytest.raises(PermissionDenied):
        excel.units_import(file=content, by=users["gn_officer"])
    result = excel.units_import(file=content, by=users["admin"])
    assert result.ok
    assert AuditEntry.objects.get(action="units_import").actor == users["admin"]


def test_new_successor_in_the_same_file(tree):
    content = xlsx(UNIT_HEADERS, [
        ["GN-01", "Ủy ban nhân dân phường Nghĩa Đức", "UBND cấp xã", "GN", None, None, "30/06/2025", "GN-09"],
        ["GN-09", "Phường Nghĩa Đức mới", "UBND cấp xã", "GN", None, "01/07/2025", None, None],
    ])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    old = Unit.objects.get(code="GN-01")
    assert list(old.successors.values_list("code", flat=True)) == ["GN-09"] and old.valid_to == date(2025, 6, 30)
    assert old.successor_links.get().on == date(2025, 7, 1)


# People import ----------------------------------------------------------------------------------------------


def test_people_import_new_and_updated(people, tree):
    content = xlsx(PEOPLE_HEADERS, [
        [people["an"].pk, "Nguyễn Văn An", "nam", "Bí thư", "dm-01", "dm01-001"],
        [None, "Phạm Thị Dung", "NỮ", None, "GN-01", " gn01-002 "],
        [str(people["cuong"].pk), "Lê Văn Cường", "male", "Phó Chủ tịch", "GN-01", None],
    ])
    result = excel.people_import(file=content, by=None, label="ca-nhan.xlsx")
    assert result.ok, result.errors
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert Person.objects.get(pk=people["an"].pk).position == "Bí thư"
    dung = Person.objects.get(full_name="Phạm Thị Dung")
    assert (dung.gender, dung.unit, dung.staff_code) == ("female", tree["gn01"], "GN01-002")
    assert dung.position == ""
    assert AuditEntry.objects.get(action="people_import").changes == {"new": 1, "updated": 1}


def test_every_bad_person_row_is_reported(people):
    before = people_snapshot()
    content = xlsx(PEOPLE_HEADERS, [
        [None, "Người tốt", "Nam", None, "GN-01", "GN-100"],                   # 2 good
        [None, "Người A", "Khác", None, "GN-01", None],                        # 3 gender
        [None, None, "Nam", None, "GN-01", None],                              # 4 blank name
        [None, "Người B", "Nam", None, "KHONG-CO", None],                      # 5 unknown unit
        [None, "Người C", "Nữ", None, "GN-01", "gn-100"],                      # 6 duplicate staff code
        [None, "Người D", "Nữ", None, "GN-01", "DM01-001"],                    # 7 staff code of someone else
        [999999, "Người E", "Nữ", None, "GN-01", None],                        # 8 unknown person
        ["abc", "Người F", "Nữ", None, "GN-01", None],                         # 9 not a number
        [people["an"].pk, "Nguyễn Văn An", "Nam", None, "DM-01", None],        # 10 ok
        [people["an"].pk, "Nguyễn Văn An", "Nam", None, "DM-01", None],        # 11 duplicate id
        [None, "Người G", "Nam", None, None, None],                            # 12 blank unit
    ])
    result = excel.people_import(file=content, by=None)
    found = errors_by_row(result)
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9, 11, 12]
    assert "Nam" in found[3][0] and "Nữ" in found[3][0]
    assert "dòng 2" in found[6][0]
    assert "người khác" in found[7][0]
    assert "không tìm thấy" in found[8][0].lower()
    assert people_snapshot() == before


def test_officer_cannot_import_people_outside_its_subtree(people, users, tree):
    officer = users["gn_officer"]
    before = people_snapshot()
    content = xlsx(PEOPLE_HEADERS, [
        [None, "Người mới ở Gia Nghĩa", "Nam", None, "GN-01", None],
        [None, "Người mới ở Đắk Mil", "Nữ", None, "DM-01", None],
        [people["an"].pk, "Nguyễn Văn An", "Nam", "Chủ tịch", "GN-01", "DM01-001"],
    ])
    result = excel.people_import(file=content, by=officer)
    found = errors_by_row(result)
    assert sorted(found) == [3, 4]
    assert "không thuộc phạm vi quản lý của bạn" in found[3][0]
    assert "không tìm thấy" in found[4][0].lower()
    assert people_snapshot() == before


def test_officer_imports_people_into_its_subtree(people, users, tree):
    result = excel.people_import(
        file=xlsx(PEOPLE_HEADERS, [[None, "Người mới", "Nam", None, "gn-01", None]]), by=users["gn_officer"])
    assert result.ok, result.errors
    assert Person.objects.get(full_name="Người mới").unit == tree["gn01"]


def test_read_only_roles_cannot_import_people(people, users):
    content = xlsx(PEOPLE_HEADERS, [[None, "Người mới", "Nam", None, "GN-01", None]])
    for role in ("appraiser", "leader"):
        with pytest.raises(PermissionDenied):
            excel.people_import(file=content, by=users[role])


# Commands ---------------------------------------------------------------------------------------------------


def test_export_units_command_writes_a_file_import_accepts(tree, tmp_path, capsys):
    path = tmp_path / "don-vi.xlsx"
    call_command("export_units", str(path))
    assert rows_of(path.read_bytes())[0] == UNIT_HEADERS
    before = unit_snapshot()
    call_command("import_units", str(path))
    out = capsys.readouterr().out
    assert "Mới: 0, cập nhật: 0, không đổi: 7." in out
    assert unit_snapshot() == before


def test_import_units_command_with_a_bad_file_fails_and_writes_nothing(tree, tmp_path):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(xlsx(UNIT_HEADERS, [
        ["GN-02", "Phường A", "UBND cấp xã", "GN", None, None, None, None],
        ["GN-03", "Phường B", "Sai loại", "GN", None, None, None, None],
        ["GN-04", "Phường C", "UBND cấp xã", "KHONG-CO", None, None, None, None],
    ]))
    count = Unit.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("import_units", str(path))
    assert "Dòng 3:" in str(raised.value) and "Dòng 4:" in str(raised.value)
    assert Unit.objects.count() == count


def test_import_units_command_dry_run_writes_nothing(tree, tmp_path, capsys):
    path = tmp_path / "moi.xlsx"
    path.write_bytes(xlsx(UNIT_HEADERS, [["GN-02", "Phường A", "UBND cấp xã", "GN", None, None, None, None]]))
    call_command("import_units", str(path), "--dry-run")
    assert "Mới: 1" in capsys.readouterr().out
    assert not Unit.objects.filter(code="GN-02").exists()
    call_command("import_units", str(path))
    assert Unit.objects.filter(code="GN-02").exists()


def test_people_commands_round_trip(people, tmp_path, capsys):
    path = tmp_path / "ca-nhan.xlsx"
    call_command("export_people", str(path))
    before = people_snapshot()
    call_command("import_people", str(path), "--dry-run")
    call_command("import_people", str(path))
    assert "Mới: 0, cập nhật: 0, không đổi: 3." in capsys.readouterr().out
    assert people_snapshot() == before
    with pytest.raises(CommandError):
        call_command("import_people", str(tmp_path / "khong-co.xlsx"))


def test_block_codes_are_matched_case_insensitively(tree):
    EmulationBlock.objects.create(code="KHOI2", name="Khối 2")
    content = xlsx(UNIT_HEADERS, [["SNV", "Sở Nội vụ", "Sở, ban, ngành", "DNO", " khoi2 ", None, None, None]])
    result = excel.units_import(file=content, by=None)
    assert result.ok, result.errors
    assert Unit.objects.get(code="SNV").block.code == "KHOI2"


def test_errors_reported_by_import_export_map_back_to_excel_rows(tree):
    """Defence in depth: whatever slips past the pre-validation is still reported with its Excel row."""
    import tablib

    dataset = tablib.Dataset(headers=UNIT_HEADERS)
    dataset.append(["GN-02", "Phường A", "commune", "GN", "", None, None, ""])
    dataset.append(["GN-03", "Phường B", "hop-tac-xa", "GN", "", None, None, ""])
    dataset.append(["GN-04", "Phường C", "commune", "KHONG-CO", "", None, None, ""])
    result = excel.ImportResult(headers=UNIT_HEADERS)
    count = Unit.objects.count()
    columns = {"kind": "Loại đơn vị", "parent": "Mã đơn vị cấp trên"}
    excel._run_resource(excel.UnitResource(), dataset, [5, 9, 12], columns, result, dry_run=False)
    found = errors_by_row(result)
    assert sorted(found) == [9, 12]
    assert "Loại đơn vị" in found[9][0]
    assert "Mã đơn vị cấp trên" in found[12][0] and "KHONG-CO" in found[12][0]
    assert Unit.objects.count() == count
