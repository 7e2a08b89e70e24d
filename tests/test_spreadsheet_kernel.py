"""core.spreadsheet: the one place that writes and reads workbooks. Real .xlsx files, written and opened again with
openpyxl; no mocks.

The guard first: no other module of the product builds or opens a workbook itself.
"""

import ast
import datetime
import io
import os
import unicodedata
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from core import spreadsheet

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "venv", "node_modules", "tests", "migrations", "bench", ".git", "var", "staticfiles", "static",
             "__pycache__", "results"}
KERNEL = ROOT / "core" / "spreadsheet.py"
WORKBOOK_CALLS = {"Workbook", "load_workbook"}
DOMAIN_APPS = {"units", "campaigns", "par", "awards", "reports"}


def _product_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            path = Path(folder) / name
            if name.endswith(".py") and path != KERNEL:
                yield path


def _called_name(call):
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def test_no_module_but_the_kernel_builds_or_opens_a_workbook():
    files = list(_product_files())
    assert any(path.parts[-2:] == ("units", "excel.py") for path in files), "the walk is broken"
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in WORKBOOK_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {_called_name(node)}(")
    assert found == [], "build and read workbooks through core.spreadsheet: " + ", ".join(found)


def test_the_walk_finds_a_call_outside_the_kernel():
    """The guard's own control: the same check flags a module that builds a workbook itself."""
    source = "from openpyxl import Workbook\nimport openpyxl\nbook = Workbook()\nopenpyxl.load_workbook('a')\n"
    calls = [_called_name(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    assert sorted(c for c in calls if c in WORKBOOK_CALLS) == ["Workbook", "load_workbook"]


def test_the_kernel_knows_no_domain():
    tree = ast.parse(KERNEL.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
    assert imported & DOMAIN_APPS == set()


# Writing ---------------------------------------------------------------------------------------------------------


def _reopen(content):
    return load_workbook(io.BytesIO(content))


def _one_cell(value, **options):
    """`value` written by the kernel as the only data cell of a sheet, read back from the saved file."""
    return _reopen(spreadsheet.build_workbook("Thử", ["Giá trị"], [[value]], **options)).active["A2"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_keeps_every_dangerous_prefix_as_text(prefix):
    text = f'{prefix}HYPERLINK("http://x.invalid","bấm")'
    written = spreadsheet.safe_cell(Workbook().active["A1"], text)
    assert written.data_type == "s" and written.value == text
    cell = _one_cell(text)
    assert cell.data_type == "s"
    # Read back unchanged (lxml, which openpyxl uses when installed and the lock pins, keeps a carriage return).
    assert cell.value == text


def test_safe_cell_keeps_error_looking_text_as_text():
    cell = _one_cell("#N/A")
    assert cell.data_type == "s" and cell.value == "#N/A"


def test_safe_cell_strips_control_characters_xml_cannot_hold():
    cell = _one_cell("Phòng\x00 Tư\x07 pháp\x1b\x0b\x0c huyện\tĐắk\nMil")
    assert cell.value == "Phòng Tư pháp huyện\tĐắk\nMil"  # tab and line feed are kept
    assert cell.data_type == "s"


def test_safe_cell_writes_dates_numbers_and_lazy_text():
    book = _reopen(spreadsheet.build_workbook(
        "Thử", ["Ngày", "Thời điểm", "Số", "Nhãn", "Trống"],
        [[datetime.date(2024, 2, 5), datetime.datetime(2024, 2, 5, 8, 30, tzinfo=zoneinfo.ZoneInfo("UTC")),
          Decimal("12.50"), gettext_lazy("Có"), None]], formats={"Số": spreadsheet.DECIMAL}))
    day, moment, number, label, empty = book.active[2]
    assert day.is_date and day.value.date() == datetime.date(2024, 2, 5) and day.number_format == "dd/mm/yyyy"
    local = timezone.localtime(datetime.datetime(2024, 2, 5, 8, 30, tzinfo=zoneinfo.ZoneInfo("UTC")))
    assert moment.is_date and moment.value == local.replace(tzinfo=None)
    assert number.value == 12.5 and number.number_format == "0.00"
    assert label.value == "Có" and label.data_type == "s"
    assert empty.value is None


class Colour(models.TextChoices):
    RED = "red", "Đỏ"
    BLUE = "blue", "Xanh"


def test_choices_are_written_as_labels_never_codes():
    field = models.CharField(max_length=10, choices=[("a", "Nhãn A"), ("Nhóm", [("b", "Nhãn B")])])
    content = spreadsheet.build_workbook(
        "Thử", ["Mã", "Màu", "Loại", "Cặp"],
        [["red", "red", "a", 1], ["x", "blue", "b", 2], ["y", "", "", 3]],
        choices={"Màu": Colour, 3: field, "Cặp": [(1, "Một"), (2, "Hai")]})
    rows = list(_reopen(content).active.iter_rows(min_row=2, values_only=True))
    assert rows == [("red", "Đỏ", "Nhãn A", "Một"), ("x", "Xanh", "Nhãn B", "Hai"), ("y", None, None, 3)]


def test_a_built_workbook_has_fonts_widths_frozen_header_filter_and_print_setup():
    workbook = spreadsheet.new_workbook()
    spreadsheet.add_sheet(workbook, "Bảng: 1/2", ["TT", "Tên đơn vị", "Ghi chú"],
                          [[1, "Ủy ban nhân dân huyện Đắk Mil" * 3, "ngắn"], [2, "Xã", ""]],
                          widths={"TT": 6}, note="Ghi chú đầu bảng", orientation=spreadsheet.LANDSCAPE,
                          highlight=[1])
    spreadsheet.add_sheet(workbook, "Dọc", ["Mã"], [["A"]])
    book = _reopen(spreadsheet.workbook_bytes(workbook))
    assert book.sheetnames == ["Bảng- 1-2", "Dọc"]  # characters Excel refuses in a sheet title are replaced
    sheet = book["Bảng- 1-2"]
    assert sheet["A1"].value == "Ghi chú đầu bảng" and sheet["A1"].font.b
    header = sheet[3]
    assert [c.value for c in header] == ["TT", "Tên đơn vị", "Ghi chú"]
    assert all(c.font.b and c.font.name == spreadsheet.FONT_NAME and c.fill.fgColor.rgb.endswith("DDEBF7")
               for c in header)
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:C5"
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["B"].width == spreadsheet.MAX_WIDTH  # measured, capped
    assert sheet.column_dimensions["C"].width == spreadsheet.MIN_WIDTH
    assert sheet["A5"].fill.fgColor.rgb.endswith("FFF3CD") and not sheet["A4"].fill.fgColor.rgb.endswith("FFF3CD")
    setup = sheet.page_setup
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9  # A4
    assert setup.orientation == "landscape"
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"  # the header row is repeated on every printed page
    portrait = book["Dọc"]
    assert portrait.page_setup.orientation == "portrait" and portrait.print_title_rows == "$1:$1"
    assert portrait.freeze_panes == "A2"


def test_xlsx_response():
    content = spreadsheet.build_workbook("Thử", ["Mã"], [["A"]])
    response = spreadsheet.xlsx_response(content, "don-vi-20240205")
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="don-vi-20240205.xlsx"'
    assert _reopen(response.content).active["A2"].value == "A"
    workbook = spreadsheet.new_workbook()
    spreadsheet.add_sheet(workbook, "Thử", ["Mã"], [["B"]])
    response = spreadsheet.xlsx_response(workbook, "Báo cáo.xlsx")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o.xlsx" in response["Content-Disposition"]
    assert _reopen(response.content).active["A2"].value == "B"


# Reading ---------------------------------------------------------------------------------------------------------

HEADERS = ["Mã đơn vị", "Tên đơn vị", "Ngày quyết định"]


def _file(headers, rows, merge=None):
    """A workbook as a user would make it (openpyxl directly: strings starting with "=" become formulas)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_parse_date():
    assert spreadsheet.parse_date("05/02/2024") == datetime.date(2024, 2, 5)
    assert spreadsheet.parse_date(" 5/2/2024 ") == datetime.date(2024, 2, 5)
    assert spreadsheet.parse_date("2024-02-05") == datetime.date(2024, 2, 5)
    assert spreadsheet.parse_date(datetime.datetime(2024, 2, 5, 13, 0)) == datetime.date(2024, 2, 5)
    assert spreadsheet.parse_date(datetime.date(2024, 2, 5)) == datetime.date(2024, 2, 5)
    for bad in ("31/02/2024", "ngày mai", "13/13/2024", "", None, 45000):
        assert spreadsheet.parse_date(bad) is None, bad


def test_dates_are_read_from_text_and_date_cells_and_bad_ones_reported_with_their_row():
    content = _file(HEADERS, [["A", "Một", "05/02/2024"], ["B", "Hai", datetime.date(2023, 1, 16)],
                              ["C", "Ba", "31/02/2024"], ["D", "Bốn", None]])
    sheet = spreadsheet.read_sheet(content, HEADERS)
    dates = [row.date("Ngày quyết định") for row in sheet.rows]
    assert dates == [datetime.date(2024, 2, 5), datetime.date(2023, 1, 16), None, None]
    assert [row.number for row in sheet.rows] == [2, 3, 4, 5]
    assert sheet.errors == [(4, "Cột “Ngày quyết định”: “31/02/2024” không phải ngày hợp lệ; hãy nhập theo dạng "
                                "dd/mm/yyyy.")]
    assert sheet.error_lines() == ["Dòng 4: Cột “Ngày quyết định”: “31/02/2024” không phải ngày hợp lệ; hãy nhập "
                                   "theo dạng dd/mm/yyyy."]


def test_header_check_names_the_missing_and_unknown_columns():
    sheet = spreadsheet.read_sheet(_file(["Mã đơn vị", "Tên", "Ngày quyết định"], [["A", "Một", None]]), HEADERS)
    assert sheet.rows == [] and len(sheet.errors) == 1
    row, message = sheet.errors[0]
    assert row == 1
    assert "thiếu cột “Tên đơn vị”" in message and "không thuộc mẫu: “Tên”" in message
    assert all(f"“{header}”" in message for header in HEADERS)


def test_header_check_ignores_case_diacritics_order_and_extra_columns_but_not_duplicates():
    headers = ["ngay quyet dinh", "Ghi chú", "TÊN ĐƠN VỊ", "mã đơn vị"]
    sheet = spreadsheet.read_sheet(_file(headers, [["01/01/2024", "bỏ qua", "Một", "A"]]), HEADERS)
    assert sheet.ok, sheet.errors
    assert [sheet.rows[0].text(h) for h in HEADERS] == ["A", "Một", "01/01/2024"]
    sheet = spreadsheet.read_sheet(_file([*HEADERS, "Tên đơn vị"], [["A", "Một", None, "Hai"]]), HEADERS)
    assert sheet.rows == [] and sheet.errors == [
        (1, "Dòng tiêu đề có cột “Tên đơn vị” hai lần; mỗi cột chỉ được có một lần.")]


def test_formulas_are_refused_with_their_cell_and_row():
    content = _file(HEADERS, [["A", "Một", None], ["B", "Hai", None], ["C", '=HYPERLINK("http://x","y")', None]])
    sheet = spreadsheet.read_sheet(content, HEADERS)
    assert sheet.errors == [(4, "Ô B4 (cột “Tên đơn vị”) chứa công thức; hãy nhập giá trị thay cho công thức.")]
    bad = sheet.rows[2]
    assert bad.number == 4 and bad.formulas == {"Tên đơn vị": "B4"} and bad.bad
    assert bad.value("Tên đơn vị") is None and bad.text("Mã đơn vị") == "C"


def test_blank_rows_are_skipped_and_text_is_normalised():
    decomposed = unicodedata.normalize("NFD", "Phòng Tư pháp")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    content = _file(HEADERS, [[None, None, None], ["  a-1 ", decomposed, None], ["   ", "", None], [12.0, "Ba", None]])
    sheet = spreadsheet.read_sheet(content, HEADERS)
    assert sheet.ok
    assert [(row.number, row.text("Mã đơn vị"), row.text("Tên đơn vị")) for row in sheet.rows] == [
        (3, "a-1", unicodedata.normalize("NFC", decomposed)), (5, "12", "Ba")]


def test_merged_cells_row_cap_empty_and_unreadable_files():
    merged = spreadsheet.read_sheet(_file(HEADERS, [["A", "Một"], ["B", "Hai"]], merge="B2:B3"), HEADERS)
    assert merged.errors[0] == (2, "Các ô B2:B3 đang được gộp (merge); hãy bỏ gộp ô và điền giá trị vào từng ô.")
    capped = spreadsheet.read_sheet(_file(HEADERS, [["A"], ["B"], ["C"], ["D"]]), HEADERS, max_rows=3)
    assert capped.rows == [] and capped.error_lines() == [
        "Tệp có quá nhiều dòng (4); mỗi lần chỉ nhập tối đa 3 dòng. Nếu tệp có định dạng thừa ở các dòng trống phía "
        "dưới, hãy xóa các dòng đó."]
    empty = spreadsheet.read_sheet(_file(HEADERS, []), HEADERS)
    assert empty.errors == [(None, "Tệp không có dòng dữ liệu nào (ngoài dòng tiêu đề).")]
    for content in (b"Ma,Ten\nA,Mot\n", b""):
        broken = spreadsheet.read_sheet(content, HEADERS)
        assert broken.rows == [] and len(broken.errors) == 1 and ".xlsx" in broken.errors[0][1]


def test_a_file_written_by_the_kernel_reads_back(tmp_path):
    rows = [["=SUM(A1)", "+84 912", datetime.date(2024, 2, 5)], ["@x", "-", "05/02/2024"]]
    content = spreadsheet.build_workbook("Thử", HEADERS, rows)
    path = tmp_path / "thu.xlsx"
    path.write_bytes(content)
    for source in (content, path, io.BytesIO(content), str(path)):
        sheet = spreadsheet.read_sheet(source, HEADERS)
        assert sheet.ok, sheet.errors  # text that looks like a formula is text, not a formula
        assert [[row.text(h) for h in HEADERS[:2]] + [row.date(HEADERS[2])] for row in sheet.rows] == [
            ["=SUM(A1)", "+84 912", datetime.date(2024, 2, 5)], ["@x", "-", datetime.date(2024, 2, 5)]]
