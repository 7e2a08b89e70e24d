"""Every spreadsheet the product writes or reads goes through this module (openpyxl), and nothing else opens one.

Writing
    `safe_cell` is the one cell writer: text is always a text cell (so "=…", "+…", "-…", "@…", a leading tab or
    carriage return, "#N/A" are never evaluated), with the control characters XML cannot hold removed; dates get the
    dd/mm/yyyy format, Decimals become numbers, lazy translations become text.
    `add_sheet` lays out one table: the header row (bold, shaded, centred, frozen, filtered, repeated on every
    printed page), the data rows, column widths (given or measured), number formats, choice labels instead of stored
    codes, highlighted rows, A4 print setup fitted to the page width. `new_workbook`, `build_workbook` (one sheet,
    as bytes), `workbook_bytes` and `xlsx_response` complete it.

Reading
    `read_sheet` opens the first sheet of a workbook (bytes, a path or a file object), checks the header row
    (case- and diacritic-blind, any column order; missing columns named), refuses formulas and merged cells, skips
    blank rows, caps the number of rows and returns `Row` objects that keep their Excel row number. Every problem is
    an (Excel row or None, Vietnamese message) pair; `error_lines` turns them into "Dòng 5: …". `parse_date` is the
    one date parser (date cells or dd/mm/yyyy text).

This module knows no domain: the apps give it headers, rows and choices.
"""

import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .text import fold, nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Writing ------------------------------------------------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER = "#,##0"
DECIMAL = "0.00"
FONT_NAME = "Calibri"  # the workbook default of openpyxl and Excel, used by every sheet the product writes
FONT_SIZE = 11
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFF3CD")
PORTRAIT, LANDSCAPE = "portrait", "landscape"
MIN_WIDTH, MAX_WIDTH = 12, 60
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_cell(cell, value, number_format=None):
    """Write `value` into `cell` so that it is shown as given and never evaluated; returns the cell.

    None and "" leave the cell empty. `number_format` applies to numbers only.
    """
    if isinstance(value, Promise):
        value = str(value)
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error: text stays text
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    if number_format and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        cell.number_format = number_format
    return cell


def choice_labels(choices):
    """{stored value: label} from a model field, a choices enum (TextChoices …) or (value, label) pairs."""
    if hasattr(choices, "flatchoices"):
        pairs = choices.flatchoices
    elif hasattr(choices, "choices"):
        pairs = choices.choices
    else:
        pairs = choices
    labels = {}
    for value, label in pairs:
        if isinstance(label, list | tuple):  # a named group of choices
            labels.update(choice_labels(label))
        else:
            labels[value] = label
    return labels


def sheet_title(title):
    """A title Excel accepts: at most 31 characters, none of [ ] : * ? / \\."""
    return _SHEET_TITLE_FORBIDDEN.sub("-", str(title))[:31] or "Sheet"


def new_workbook():
    """A workbook without sheets, for `add_sheet`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _by_column(spec, headers):
    """{1-based column: value} from None, a list (by position) or a dict keyed by column number or header text."""
    if not spec:
        return {}
    if isinstance(spec, dict):
        positions = {str(header): index for index, header in enumerate(headers, start=1)}
        found = {}
        for key, value in spec.items():
            column = key if isinstance(key, int) else positions.get(str(key))
            if column is None:
                raise KeyError(f"no column {key!r} among {headers!r}")
            if value is not None:
                found[column] = value
        return found
    return {index: value for index, value in enumerate(spec, start=1) if value is not None}


def _display_width(value):
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def add_sheet(workbook, title, headers, rows, *, widths=None, formats=None, choices=None, note="",
              orientation=PORTRAIT, highlight=(), auto_filter=True):
    """One table on a new sheet of `workbook`; returns the sheet.

    rows: iterables of values in header order. widths, formats, choices: a list by position or a dict keyed by column
    number (1-based) or header; a column without a width is measured from its content. choices: the stored values of
    that column are written as their labels (a model field, a choices enum or (value, label) pairs). note: a bold line
    above the table (the header row then is row 3). highlight: positions (0-based) of the rows to shade.
    """
    headers = [str(header) for header in headers]
    sheet = workbook.create_sheet(title=sheet_title(title))
    header_row = 3 if note else 1
    if note:
        safe_cell(sheet.cell(row=1, column=1), note).font = HEADER_FONT
    for column, header in enumerate(headers, start=1):
        cell = safe_cell(sheet.cell(row=header_row, column=column), header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
    widths = _by_column(widths, headers)
    formats = _by_column(formats, headers)
    labels = {column: choice_labels(spec) for column, spec in _by_column(choices, headers).items()}
    highlight = set(highlight)
    measured = {column: len(header) for column, header in enumerate(headers, start=1) if column not in widths}
    count = 0
    for position, values in enumerate(rows):
        row_number = header_row + 1 + position
        for column, value in enumerate(values, start=1):
            if column in labels and value in labels[column]:
                value = str(labels[column][value])
            cell = safe_cell(sheet.cell(row=row_number, column=column), value, formats.get(column))
            if position in highlight:
                cell.fill = HIGHLIGHT_FILL
            if column in measured:
                measured[column] = max(measured[column], _display_width(value))
        count += 1
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column, width in measured.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if auto_filter and headers and count:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{header_row + count}"
    _print_setup(sheet, header_row, orientation)
    return sheet


def _print_setup(sheet, header_row, orientation):
    """A4, the given orientation, every column on the page width, the header row repeated on every page."""
    if orientation not in (PORTRAIT, LANDSCAPE):
        raise ValueError(f"orientation must be {PORTRAIT!r} or {LANDSCAPE!r}, not {orientation!r}")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_workbook(title, headers, rows, **options):
    """A one-sheet workbook as .xlsx bytes (options: those of `add_sheet`)."""
    workbook = new_workbook()
    add_sheet(workbook, title, headers, rows, **options)
    return workbook_bytes(workbook)


def xlsx_response(workbook_or_bytes, filename):
    """A download of the workbook (a Workbook or .xlsx bytes) named `filename` (".xlsx" added when missing)."""
    content = workbook_or_bytes
    if isinstance(content, Workbook):
        content = workbook_bytes(content)
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# Reading ------------------------------------------------------------------------------------------------------------

MAX_ROWS = 20000  # data rows per file: a province's units, people or criteria fit; one upload's memory stays bounded
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse_date(value):
    """A date from a date cell or from "dd/mm/yyyy" text (also "dd-mm-yyyy" and ISO "yyyy-mm-dd"); None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = nfc(value)
        for fmt in DATE_INPUT_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def cell_text(value):
    """A cell value as the text the user typed: NFC, trimmed; 12.0 → "12", a date → "dd/mm/yyyy", None → ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


def error_line(row, message):
    return _("Dòng %(row)s: %(message)s") % {"row": row, "message": message} if row else message


def error_lines(errors):
    """(Excel row or None, message) pairs as lines "Dòng 5: …", in row order (file-wide messages first)."""
    return [error_line(row, message) for row, message in sorted(errors, key=lambda error: error[0] or 0)]


def _is_blank(cell):
    if cell is None:
        return True
    if cell.data_type == "f":
        return False
    value = cell.value
    return value is None or (isinstance(value, str) and not value.strip())


class Row:
    """One data row: its Excel row number, its cells by header, the headers whose cell holds a formula (refused, and
    reported once here), and `error()` to report a problem against its row number."""

    def __init__(self, number, cells, errors):
        self.number = number
        self.cells = cells
        self.errors = errors
        self.bad = False
        self.formulas = {}
        for header, cell in cells.items():
            if cell is not None and cell.data_type == "f":
                self.formulas[header] = cell.coordinate
                self.error(_("Ô %(cell)s (cột “%(column)s”) chứa công thức; hãy nhập giá trị thay cho "
                             "công thức.") % {"cell": cell.coordinate, "column": header})

    def error(self, message):
        self.errors.append((self.number, message))
        self.bad = True

    def value(self, header):
        """The cell's value; None when blank (also only spaces), holding a formula, or not in the row."""
        cell = self.cells.get(header)
        if cell is None or header in self.formulas:
            return None
        value = cell.value
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, header):
        return cell_text(self.value(header))

    def date(self, header):
        """The cell as a date (None when blank); a value that is no date is reported with the row number."""
        value = self.value(header)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(_("Cột “%(column)s”: “%(value)s” không phải ngày hợp lệ; hãy nhập theo dạng "
                         "dd/mm/yyyy.") % {"column": header, "value": cell_text(value)})
        return parsed


@dataclass
class Sheet:
    """What `read_sheet` found: the data rows (empty when the file is unusable) and every problem so far."""

    headers: list
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        return error_lines(self.errors)


def _open(file):
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    elif isinstance(file, os.PathLike):
        file = os.fspath(file)
    if hasattr(file, "seek"):
        file.seek(0)
    # Not read-only: merged cells are only known to a fully loaded sheet.
    return load_workbook(file, data_only=False)


def read_sheet(file, headers, *, max_rows=MAX_ROWS, errors=None, row_class=Row):
    """The data rows of the first sheet of `file` (bytes, a path or a file object) under `headers`.

    Problems are appended to `errors` (a new list unless given), as (Excel row or None, message). When the file is
    unusable (not a workbook, wrong header row, too many rows) the sheet has no rows. `row_class`: a subclass of Row
    with the app's own typed accessors.
    """
    sheet = Sheet(headers=list(headers), errors=[] if errors is None else errors)
    errors = sheet.errors
    try:
        worksheet = _open(file).worksheets[0]
    except Exception:  # openpyxl raises many different exceptions for files that are not valid .xlsx
        errors.append((None, _("Không đọc được tệp: tệp phải là bảng tính Excel (.xlsx). Hãy mở tệp bằng "
                               "Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”.")))
        return sheet
    positions = _check_headers(worksheet, sheet.headers, errors)
    if positions is None:
        return sheet
    if worksheet.max_row - 1 > max_rows:
        errors.append((None, _("Tệp có quá nhiều dòng (%(rows)s); mỗi lần chỉ nhập tối đa %(max)s dòng. "
                               "Nếu tệp có định dạng thừa ở các dòng trống phía dưới, hãy xóa các dòng đó.")
                       % {"rows": worksheet.max_row - 1, "max": max_rows}))
        return sheet
    for merged in sorted(worksheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= 2:
            message = _("Các ô %(range)s đang được gộp (merge); hãy bỏ gộp ô và điền giá trị vào từng ô.")
            errors.append((max(merged.min_row, 2), message % {"range": merged.coord}))
    last_column = max(positions.values()) + 1
    for cells in worksheet.iter_rows(min_row=2, max_row=worksheet.max_row, max_col=last_column):
        if not cells:
            continue
        by_header = {header: (cells[i] if i < len(cells) else None) for header, i in positions.items()}
        if all(_is_blank(cell) for cell in by_header.values()):
            continue
        sheet.rows.append(row_class(cells[0].row, by_header, errors))
    if not sheet.rows and not errors:
        errors.append((None, _("Tệp không có dòng dữ liệu nào (ngoài dòng tiêu đề).")))
    return sheet


def _check_headers(worksheet, headers, errors):
    """{header: 0-based column} when row 1 has every header exactly once (in any order, any case, with or without
    diacritics; other columns are ignored); None with the problem recorded otherwise."""
    cells = next(worksheet.iter_rows(min_row=1, max_row=1), ())
    found = [fold(cell_text(cell.value)) if cell.data_type != "f" else "" for cell in cells]
    expected = {fold(header) for header in headers}
    positions, missing, problems = {}, [], []
    for header in headers:
        matches = [i for i, name in enumerate(found) if name == fold(header)]
        if not matches:
            missing.append(header)
        elif len(matches) > 1:
            problems.append((1, _("Dòng tiêu đề có cột “%(column)s” hai lần; mỗi cột chỉ được có một lần.")
                             % {"column": header}))
        else:
            positions[header] = matches[0]
    if missing:
        message = _("Dòng tiêu đề (dòng 1) không đúng mẫu: thiếu cột %(missing)s. Dòng 1 phải có các cột: "
                    "%(expected)s. Hãy dùng tệp mẫu (tệp xuất Excel) và giữ nguyên dòng tiêu đề.") % {
            "missing": ", ".join(f"“{h}”" for h in missing), "expected": ", ".join(f"“{h}”" for h in headers)}
        unknown = [cell_text(cell.value) for cell, name in zip(cells, found, strict=True)
                   if name and name not in expected]
        if unknown:
            message += " " + _("Dòng 1 có cột không thuộc mẫu: %(unknown)s.") % {
                "unknown": ", ".join(f"“{h}”" for h in unknown)}
        problems.append((1, message))
    errors.extend(problems)
    return None if problems else positions
