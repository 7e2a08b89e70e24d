"""Excel in and out for the PAR index (through core.spreadsheet).

Criteria sets: the export is the import template (codes give the tree, rows may come in any order). Import checks
every row first, collecting every error with its Excel row number, and writes nothing unless the whole file is
clean. Survey scores: one row per unit and criterion, same all-or-nothing rule. The sheets are written and read by
core.spreadsheet (text cells never evaluated as formulas, formulas in an upload refused); the import services that
write what these functions check are par.services.criteria_set_import and survey_scores_import.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import spreadsheet
from core.spreadsheet import cell_text
from core.text import fold, normalize_code

from .models import POINTS, Criterion, ScoreSheet

C_CODE = "Mã"
C_TITLE = "Nội dung"
C_MAX = "Điểm tối đa"
C_GUIDANCE = "Hướng dẫn chấm điểm"
C_EVIDENCE = "Bắt buộc tài liệu kiểm chứng"
C_NA = "Có thể không áp dụng"
C_SURVEY = "Điều tra xã hội học"
SET_HEADERS = [C_CODE, C_TITLE, C_MAX, C_GUIDANCE, C_EVIDENCE, C_NA, C_SURVEY]

S_UNIT = "Mã đơn vị"
S_CRITERION = "Mã tiêu chí"
S_SCORE = "Điểm điều tra"
SURVEY_HEADERS = [S_UNIT, S_CRITERION, S_SCORE]

CODE_RE = re.compile(r"^[1-9]\d{0,2}(\.[1-9]\d{0,2}){0,2}$")
YES, NO = "Có", "Không"
TRUE_TEXT = {"co", "x", "1", "true", "yes"}
FALSE_TEXT = {"khong", "0", "false", "no", ""}
HALF = Decimal("0.5")
# Data rows per file. A criteria set of 10,000 rows (ten areas of 999 criteria) or a survey of 10,000 unit × criterion
# pairs must import; the cap (the same as the unit and earlier-award imports) only keeps one upload's memory bounded.
MAX_ROWS = spreadsheet.MAX_ROWS
# A sheet stores the set's total maximum in a POINTS column (9999.99): a set of many areas must stay below it.
MAX_SET_TOTAL = Decimal(10 ** (POINTS["max_digits"] - POINTS["decimal_places"])) - HALF


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # (excel_row or None, message)
    count: int = 0

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        return spreadsheet.error_lines(self.errors)

    def as_json(self):
        return {"errors": [[row, str(message)] for row, message in self.errors], "count": self.count}

    @classmethod
    def from_json(cls, data):
        return cls(errors=[(row, message) for row, message in data["errors"]], count=data["count"])


# Writing ----------------------------------------------------------------------------------------------------


def export_set(criteria_set):
    rows = [[c.code, c.title, c.max_points, c.guidance, YES if c.evidence_required else NO,
             YES if c.may_be_not_applicable else NO, YES if c.is_survey else NO]
            for c in Criterion.objects.filter(criteria_set=criteria_set).order_by("sort_key")]
    return spreadsheet.build_workbook(f"Bộ chỉ số {criteria_set.year}", SET_HEADERS, rows,
                                      orientation=spreadsheet.LANDSCAPE)


def export_ranking(criteria_set, rows):
    headers = ["Hạng", "Mã đơn vị", "Tên đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Điểm điều tra XHH",
               "Điểm tối đa áp dụng", "Chỉ số (%)", "Xếp loại", "Chỉ số năm trước (%)", "Thay đổi (%)"]
    data = []
    for row in rows:
        change = (row.index_percent - row.previous_index) if row.previous_index is not None else None
        data.append([row.rank, row.unit_code, row.unit_name, row.total_self, row.total_appraised,
                     row.survey_points, row.max_applicable, row.index_percent, row.band,
                     row.previous_index, change])
    return spreadsheet.build_workbook(f"Xếp hạng {criteria_set.year}", headers, data, orientation=spreadsheet.LANDSCAPE,
                                      choices={"Xếp loại": ScoreSheet._meta.get_field("band")})


# Reading ----------------------------------------------------------------------------------------------------


def _read(file, headers, result, progress=None):
    """[(excel_row, {header: value})] of the first sheet (a formula cell is None and reported), or None when the file
    is unusable; every problem is recorded in `result`."""
    sheet = spreadsheet.read_sheet(file, headers, max_rows=MAX_ROWS, errors=result.errors, progress=progress)
    if not sheet.rows:
        return None
    return [(row.number, {header: row.value(header) for header in headers}) for row in sheet.rows]


def _decimal(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        text = cell_text(value).replace(",", ".")
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _flag(row_number, value, header, result):
    text = fold(cell_text(value))
    if value is True or text in TRUE_TEXT:
        return True
    if value is False or value is None or text in FALSE_TEXT:
        return False
    result.errors.append((row_number, _("Cột “%(column)s”: “%(value)s” không hợp lệ; hãy ghi “Có” hoặc “Không”.")
                          % {"column": header, "value": cell_text(value)}))
    return False


def parse_set_file(file, *, survey_enabled, progress=None):
    """Check a criteria-set workbook. Returns (result, rows); rows are clean dicts only when result.ok. No query."""
    result = ImportResult()
    raw = _read(file, SET_HEADERS, result, progress)
    if raw is None:
        return result, []
    rows, first_row = [], {}
    for number, values in raw:
        code = cell_text(values[C_CODE]).rstrip(".")
        title = cell_text(values[C_TITLE])
        points = _decimal(values[C_MAX])
        entry = {"row": number, "code": code, "title": title, "max_points": points,
                 "guidance": cell_text(values[C_GUIDANCE]),
                 "evidence_required": _flag(number, values[C_EVIDENCE], C_EVIDENCE, result),
                 "may_be_not_applicable": _flag(number, values[C_NA], C_NA, result),
                 "is_survey": _flag(number, values[C_SURVEY], C_SURVEY, result)}
        if not code:
            result.errors.append((number, _("Cột “%(column)s” không được để trống.") % {"column": C_CODE}))
        elif not CODE_RE.match(code):
            result.errors.append((number, _("Mã “%(code)s” không hợp lệ; mã có dạng 1, 1.2 hoặc 1.2.3 (lĩnh vực → "
                                            "tiêu chí → tiêu chí thành phần).") % {"code": code}))
        elif code in first_row:
            result.errors.append((number, _("Mã “%(code)s” bị trùng với dòng %(other)s.")
                                  % {"code": code, "other": first_row[code]}))
        else:
            first_row[code] = number
        if not title:
            result.errors.append((number, _("Cột “%(column)s” không được để trống.") % {"column": C_TITLE}))
        if points is None:
            result.errors.append((number, _("Cột “%(column)s” phải là một số (ví dụ 2 hoặc 1,5).")
                                  % {"column": C_MAX}))
        elif points < 0 or points > 1000 or (points / HALF) != (points / HALF).to_integral_value():
            result.errors.append((number, _("Điểm tối đa “%(value)s” không hợp lệ; phải từ 0 đến 1000, theo bước "
                                            "0,5.") % {"value": cell_text(values[C_MAX])}))
        if entry["is_survey"] and not survey_enabled:
            result.errors.append((number, _("Tiêu chí được đánh dấu điều tra xã hội học nhưng bộ chỉ số không có "
                                            "phần điều tra; hãy bật phần điều tra trong cài đặt bộ chỉ số hoặc "
                                            "sửa cột “%(column)s”.") % {"column": C_SURVEY}))
        if entry["is_survey"] and entry["may_be_not_applicable"]:
            result.errors.append((number, _("Tiêu chí điều tra xã hội học không thể “không áp dụng”.")))
        rows.append(entry)
    valid = {e["code"]: e for e in rows if e["code"] in first_row and first_row[e["code"]] == e["row"]}
    children = {}
    for entry in valid.values():
        code = entry["code"]
        if "." in code:
            parent = code.rsplit(".", 1)[0]
            if parent not in valid:
                result.errors.append((entry["row"], _("Mã “%(code)s” không có dòng cấp trên “%(parent)s” trong tệp.")
                                      % {"code": code, "parent": parent}))
            else:
                children.setdefault(parent, []).append(entry)
    for code, kids in children.items():
        parent = valid[code]
        if parent["max_points"] is None or any(k["max_points"] is None for k in kids):
            continue
        total = sum(k["max_points"] for k in kids)
        if total != parent["max_points"]:
            result.errors.append((parent["row"], _("Điểm tối đa của “%(code)s” là %(max)s nhưng tổng điểm các mục "
                                                   "con là %(total)s; hai số phải bằng nhau.")
                                  % {"code": code, "max": _num(parent["max_points"]), "total": _num(total)}))
    areas = [e["max_points"] for e in valid.values() if "." not in e["code"]]
    if None not in areas and sum(areas) > MAX_SET_TOTAL:
        result.errors.append((None, _("Tổng điểm tối đa của cả bộ chỉ số (các lĩnh vực cộng lại) là %(total)s, vượt "
                                      "quá %(max)s điểm; hãy giảm điểm tối đa của các tiêu chí.")
                              % {"total": _num(sum(areas)), "max": _num(MAX_SET_TOTAL)}))
    if not result.ok:
        return result, []
    result.count = len(rows)
    return result, sorted(rows, key=lambda e: Criterion.sort_key_for(e["code"]))


def _num(value):
    return f"{value.normalize():f}".replace(".", ",")


def parse_survey_file(file, *, criteria_set, progress=None):
    """Check a survey-score workbook for a set. Returns (result, [(sheet_id, criterion_id, score)]). Only reads."""
    result = ImportResult()
    raw = _read(file, SURVEY_HEADERS, result, progress)
    if raw is None:
        return result, []
    sheets = {s.unit.code: s for s in ScoreSheet.objects.filter(criteria_set=criteria_set).select_related("unit")}
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True, is_survey=True)}
    entries, seen = [], {}
    for number, values in raw:
        unit_code = normalize_code(cell_text(values[S_UNIT]))
        code = cell_text(values[S_CRITERION]).rstrip(".")
        score = _decimal(values[S_SCORE])
        sheet, criterion = sheets.get(unit_code), criteria.get(code)
        if sheet is None:
            result.errors.append((number, _("Đơn vị “%(code)s” không có phiếu chấm trong bộ chỉ số này.")
                                  % {"code": unit_code}))
        if criterion is None:
            result.errors.append((number, _("“%(code)s” không phải tiêu chí điều tra xã hội học của bộ chỉ số này.")
                                  % {"code": code}))
        if score is None:
            result.errors.append((number, _("Cột “%(column)s” phải là một số.") % {"column": S_SCORE}))
        elif criterion is not None and not (0 <= score <= criterion.max_points):
            result.errors.append((number, _("Điểm %(score)s vượt khoảng 0 – %(max)s của tiêu chí %(code)s.")
                                  % {"score": _num(score), "max": _num(criterion.max_points), "code": code}))
        elif score.as_tuple().exponent < -2:
            result.errors.append((number, _("Điểm điều tra chỉ lấy tối đa 2 chữ số thập phân.")))
        key = (unit_code, code)
        if key in seen:
            result.errors.append((number, _("Đơn vị “%(unit)s”, tiêu chí “%(code)s” bị trùng với dòng %(other)s.")
                                  % {"unit": unit_code, "code": code, "other": seen[key]}))
        seen.setdefault(key, number)
        if sheet is not None and criterion is not None and score is not None:
            entries.append((sheet.pk, criterion.pk, score))
    if not result.ok:
        return result, []
    result.count = len(entries)
    return result, entries
