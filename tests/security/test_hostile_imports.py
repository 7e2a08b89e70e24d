"""Broken Excel files on every import: units, people, PAR criteria set, PAR survey scores, earlier awards.

Through the import services (the functions the views call), for each import: a wrong header row, an unknown
parent/unit code, duplicate codes in the file, NFD text (stored as NFC), a formula in a cell, merged cells, blank rows
(skipped, not errors) and a file of 10,000 rows with bad rows far down: nothing is written and every bad row is
reported with its Excel row number. Past the row cap (20,000 data rows) a PAR file is refused whole with a message.
Then once per import through its browser view.
"""

import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from awards.history_import import HEADERS as AWARD_HEADERS
from awards.history_import import commendations_import
from awards.models import CommendationRecord
from core.models import AuditEntry
from par import excel as par_excel
from par import services as par_services
from par.models import Criterion, Score, ScoreSheet, UnitGroup
from tests.fixtures.par import tree_rows
from tests.par import large_files
from units import excel as unit_excel
from units.models import Person, Unit

ROW = re.compile(r"^Dòng (\d+)")
NFD_NAME = unicodedata.normalize("NFD", "Phòng Tư pháp huyện Đắk Mil")
NFC_NAME = unicodedata.normalize("NFC", NFD_NAME)
assert NFD_NAME != NFC_NAME


def xlsx(headers, rows, merge=None):
    """rows: lists of cell values; None stands for a blank row. Strings starting with "=" become formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([] if row is None else row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_of(lines):
    return sorted({int(m.group(1)) for line in lines if (m := ROW.match(line))})


class Import:
    """One import: its headers, a valid row i, and how to run it → error lines; `written()` fingerprints the DB."""

    headers: list
    many = 10_000  # rows in the "very large file" case

    def written(self):
        return (AuditEntry.objects.count(), Unit.objects.count(), Person.objects.count(), Criterion.objects.count(),
                Score.objects.exclude(survey_score=None).count(), CommendationRecord.objects.count())


class Units(Import):
    headers = unit_excel.UNIT_HEADERS
    unknown_column, duplicate_column, text_column = 3, 0, 1

    def __init__(self, f):
        self.by = f("users")["admin"]

    def good(self, i):
        return [f"T{i:05d}", f"Phòng thử nghiệm số {i}", "division", "DM-01", "", "", "", ""]

    def run(self, content):
        return unit_excel.units_import(file=content, by=self.by).error_lines()

    def stored_text(self):
        return list(Unit.objects.filter(code__startswith="T").values_list("name", flat=True))


class People(Import):
    headers = unit_excel.PEOPLE_HEADERS
    unknown_column, duplicate_column, text_column = 4, 5, 1

    def __init__(self, f):
        f("people")
        self.by = f("users")["admin"]

    def good(self, i):
        return ["", f"Nguyễn Thị Thử {i}", "Nữ", "Chuyên viên", "DM-01", f"TEST-{i:05d}"]

    def run(self, content):
        return unit_excel.people_import(file=content, by=self.by).error_lines()

    def stored_text(self):
        return list(Person.objects.filter(staff_code__startswith="TEST-").values_list("full_name", flat=True))


class ParSet(Import):
    """The criteria tree: areas of up to 999 half-point criteria each (codes give the tree)."""

    headers = par_excel.SET_HEADERS
    unknown_column, duplicate_column, text_column = 0, 0, 1

    def __init__(self, f):
        self.by = f("users")["admin"]
        self.set = par_services.set_create(by=self.by, year=2025, group=UnitGroup.DISTRICT, title="Bộ chỉ số 2025")

    def rows(self, n):
        """n valid rows: area rows first, then their children; area points = sum of its children."""
        return large_files.criteria_rows(n)

    def good(self, i):
        raise NotImplementedError  # the tree needs whole-file construction: see rows()

    def run(self, content):
        return par_services.criteria_set_import(criteria_set=self.set, by=self.by, file=io.BytesIO(content),
                                                label="test.xlsx").error_lines()

    def stored_text(self):
        return list(Criterion.objects.filter(criteria_set=self.set).values_list("title", flat=True))


class ParSurvey(Import):
    headers = par_excel.SURVEY_HEADERS
    unknown_column, duplicate_column, text_column = 0, 0, None

    def __init__(self, f):
        users = f("users")
        self.by = users["appraiser"]
        self.admin = admin = users["admin"]
        self.set = par_services.set_create(by=admin, year=2025, group=UnitGroup.DISTRICT, title="Bộ có điều tra",
                                           survey_enabled=True, survey_weight=Decimal("10"))
        survey = [("3", "Điều tra xã hội học", "10", False), ("3.1", "Mức độ hài lòng", "4", True),
                  ("3.2", "Mức độ công khai", "3", True), ("3.3", "Thái độ phục vụ", "3", True)]
        rows = tree_rows() + [{"code": code, "title": title, "max_points": Decimal(points), "guidance": "",
                               "evidence_required": False, "may_be_not_applicable": False, "is_survey": is_survey}
                              for code, title, points, is_survey in survey]
        par_services.set_replace_tree(criteria_set=self.set, by=admin, rows=rows)
        par_services.sheets_open(criteria_set=self.set, by=admin)
        assert ScoreSheet.objects.filter(criteria_set=self.set).count() == 2

    def good(self, i):
        """Six distinct (unit, survey criterion) pairs: two district sheets × three survey criteria."""
        return [["DM", "GN"][i % 2], f"3.{i // 2 % 3 + 1}", 2.5]

    def rows(self, n):
        """Up to six rows fit this set. A larger file needs as many distinct (unit, criterion) pairs: it goes to a
        commune set of a hundred sheets with ⌈n / 100⌉ survey questions (tests.par.large_files)."""
        if n <= 6:
            return [self.good(i) for i in range(n)]
        self.set, rows = large_files.survey_set(by=self.admin, n=n)
        return rows

    def run(self, content):
        return par_services.survey_scores_import(criteria_set=self.set, by=self.by, file=io.BytesIO(content),
                                                 label="test.xlsx").error_lines()


class Awards(Import):
    headers = AWARD_HEADERS
    unknown_column, duplicate_column, text_column = 0, 4, 6

    def __init__(self, f):
        f("catalogue")
        self.by = f("users")["admin"]

    def good(self, i):
        return ["DM-01", "", "TTLDXS", 2022, f"{i}/QĐ-UBND", "16/01/2023", f"Khen thưởng lần {i}"]

    def run(self, content):
        try:
            commendations_import(upload=SimpleUploadedFile("lich-su.xlsx", content), by=self.by)
        except ValidationError as error:
            return error.messages
        return []

    def stored_text(self):
        return list(CommendationRecord.objects.values_list("note", flat=True))


IMPORTS = {"units": Units, "people": People, "par_set": ParSet, "par_survey": ParSurvey, "awards": Awards}


@pytest.fixture
def make_import(request, db):
    def build(kind):
        return IMPORTS[kind](request.getfixturevalue)
    return build


def _valid_rows(imp, n):
    return imp.rows(n) if hasattr(imp, "rows") else [imp.good(i) for i in range(n)]


def _with(row, column, value):
    row = list(row)
    row[column] = value
    return row


def _check_refused(imp, content, bad_rows, words=None):
    before = imp.written()
    lines = imp.run(content)
    assert lines, "the broken file was accepted"
    assert imp.written() == before, "something was written from a broken file"
    if bad_rows is not None:
        assert rows_of(lines) == bad_rows, lines[:10]
    if words:
        assert any(word in " ".join(lines) for word in words), lines[:10]
    return lines


@pytest.mark.parametrize("kind", IMPORTS)
def test_a_clean_file_is_imported(make_import, kind):
    """The control: the valid rows used by the other tests do import, and blank rows between them are skipped."""
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    rows = rows[:2] + [None, None] + rows[2:4] + [None] + rows[4:]
    before = imp.written()
    assert imp.run(xlsx(imp.headers, rows)) == []
    assert imp.written() != before


@pytest.mark.parametrize("kind", IMPORTS)
def test_wrong_header_row(make_import, kind):
    imp = make_import(kind)
    headers = list(imp.headers)
    headers[1] = "Cột lạ"
    lines = _check_refused(imp, xlsx(headers, _valid_rows(imp, 3)), None, words=["tiêu đề"])
    assert rows_of(lines) in ([], [1])


@pytest.mark.parametrize("kind", IMPORTS)
def test_unknown_parent_or_unit_code(make_import, kind):
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    if isinstance(imp, ParSet):  # a criterion whose parent area is not in the file
        rows.append(["9.1", "Tiêu chí không có lĩnh vực", 0.5, "", "Không", "Không", "Không"])
        bad = len(rows) + 1
    else:
        rows[3] = _with(rows[3], imp.unknown_column, "KHONGCO")
        bad = 5
    _check_refused(imp, xlsx(imp.headers, rows), [bad])


@pytest.mark.parametrize("kind", IMPORTS)
def test_duplicate_codes_in_the_file(make_import, kind):
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    if isinstance(imp, ParSurvey):
        rows = rows[:2] + [list(rows[0])]  # the same unit and criterion twice
        bad = [4]
    elif isinstance(imp, Awards):
        rows.append(list(rows[1]))  # the same award twice
        bad = [len(rows) + 1]
    else:
        rows.append(_with(rows[-1], imp.duplicate_column, rows[-2][imp.duplicate_column]))
        bad = [len(rows) + 1]
    _check_refused(imp, xlsx(imp.headers, rows), bad, words=["trùng"])


@pytest.mark.parametrize("kind", [k for k in IMPORTS if IMPORTS[k].text_column is not None])
def test_nfd_text_is_stored_as_nfc(make_import, kind):
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    rows[-1] = _with(rows[-1], imp.text_column, NFD_NAME)
    assert imp.run(xlsx(imp.headers, rows)) == []
    stored = imp.stored_text()
    assert NFC_NAME in stored
    assert all(unicodedata.is_normalized("NFC", text) for text in stored)


@pytest.mark.parametrize("kind", IMPORTS)
def test_formula_in_a_cell(make_import, kind):
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    column = 2 if isinstance(imp, ParSurvey) else (imp.text_column or 1)
    rows[2] = _with(rows[2], column, "=HYPERLINK(\"http://x.invalid\",\"bấm vào\")")
    _check_refused(imp, xlsx(imp.headers, rows), [4], words=["công thức"])


@pytest.mark.parametrize("kind", IMPORTS)
def test_merged_cells(make_import, kind):
    """Two data rows sharing one merged cell: refused, the row is named (never a silently blank value)."""
    imp = make_import(kind)
    rows = _valid_rows(imp, 6)
    lines = _check_refused(imp, xlsx(imp.headers, rows, merge="A3:A4"), None)
    assert set(rows_of(lines)) & {3, 4}, lines


@pytest.mark.parametrize("kind", IMPORTS)
def test_very_large_file_with_bad_rows_far_down(make_import, kind):
    """10,000 rows, a bad row in the middle and one at the very end: nothing written, both reported with their Excel
    row numbers."""
    imp = make_import(kind)
    rows = _valid_rows(imp, imp.many)
    assert len(rows) == imp.many == 10_000
    middle, last = len(rows) // 2, len(rows) - 1
    if isinstance(imp, ParSet):
        rows[middle] = _with(rows[middle], 2, "nhiều")  # max points not a number
        rows[last] = _with(rows[last], 2, "mười")
    else:
        rows[middle] = _with(rows[middle], imp.unknown_column, "KHONGCO")
        rows[last] = _with(rows[last], imp.unknown_column, "KHONGCO")
    _check_refused(imp, xlsx(imp.headers, rows), [middle + 2, last + 2])


@pytest.mark.parametrize("kind", ["par_set", "par_survey"])
def test_par_file_of_ten_thousand_rows_with_one_bad_row_at_the_end(make_import, kind):
    """10,000 valid rows (ten areas of 999 criteria; a hundred communes × a hundred survey questions) but the last:
    nothing is written and exactly that row is reported, by its Excel row number — no other row is blamed."""
    imp = make_import(kind)
    rows = _valid_rows(imp, 10_000)
    assert len(rows) == 10_000
    rows[-1] = _with(rows[-1], 2, "mười")  # a criterion's maximum, or a survey score, that is not a number
    lines = _check_refused(imp, xlsx(imp.headers, rows), [10_001])
    assert len(lines) == 1, lines[:10]


@pytest.mark.parametrize("kind", ["par_set", "par_survey"])
def test_par_file_past_the_row_cap_is_refused_whole(make_import, kind):
    """PAR files stop at par.excel.MAX_ROWS data rows (20,000, as for units, people and earlier awards): one row more,
    all of them valid, and the file is refused with a message that gives the limit and what to do; nothing written."""
    assert par_excel.MAX_ROWS == 20_000
    imp = make_import(kind)
    rows = _valid_rows(imp, par_excel.MAX_ROWS + 1)
    lines = _check_refused(imp, xlsx(imp.headers, rows), [], words=["quá nhiều dòng"])
    assert lines == ["Tệp có quá nhiều dòng (20001); mỗi lần chỉ nhập tối đa 20000 dòng. Nếu tệp có định dạng thừa "
                     "ở các dòng trống phía dưới, hãy xóa các dòng đó."]


# Through the browser views: the same checks, the error list shown on the page with its row numbers.


def _view_case(kind, imp):
    rows = _valid_rows(imp, 6)
    rows.insert(2, None)  # a blank row (skipped) …
    rows[4] = _with(rows[4], 0 if isinstance(imp, (ParSet, ParSurvey)) else imp.unknown_column,
                    "9.9.9.9" if isinstance(imp, ParSet) else "KHONGCO")  # … and a bad row: Excel row 6
    return xlsx(imp.headers, rows), [6]


VIEWS = {"units": ("units:import", "admin"), "people": ("units:people_import", "admin"),
         "par_set": ("par:set_import", "admin"), "par_survey": ("par:survey_import", "appraiser"),
         "awards": ("awards:history_import", "admin")}


@pytest.mark.parametrize("kind", IMPORTS)
def test_broken_file_through_the_view(make_import, client, users, kind):
    imp = make_import(kind)
    name, role = VIEWS[kind]
    url = reverse(name, kwargs={"pk": imp.set.pk}) if kind.startswith("par_") else reverse(name)
    client.force_login(users[role])
    content, bad = _view_case(kind, imp)
    before = imp.written()
    response = client.post(url, {"file": SimpleUploadedFile("danh-sach.xlsx", content)})
    assert response.status_code == 200
    text = response.content.decode()
    assert imp.written() == before
    shown = sorted({int(n) for n in re.findall(r"Dòng (\d+)", text)})
    assert shown == bad, shown
