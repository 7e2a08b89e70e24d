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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from .text import fold, nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Writing ------------------------------------------------------------------------------------------------------------

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER = "#,##0"
DECIMAL = "0.00"
FONT_NAME = "Calibri"  # the workbook default of openpyxl and Excel, used by every sheet the product writes
FONT_SIZE = 11
DOCUMENT_FONT = ("Times New Roman", 12)  # a printed document's twin (Decree 30/2020's font; Liberation Serif metrics)
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


def _styled(cell, font, *, bold=False, italic=False, size=None, align=None, wrap=False, vertical="top"):
    name, default_size = font
    cell.font = Font(name=name, size=size or default_size, bold=bold, italic=italic)
    if align or wrap:
        cell.alignment = Alignment(horizontal=align, vertical=vertical, wrap_text=wrap)
    return cell


def _block(sheet, row, first, last, text, font, style):
    """Text merged over columns first..last of `row` (a heading line, a footer block); returns what
    `_fit_blocks` needs to give its row the height of its wrapped lines."""
    cell = safe_cell(sheet.cell(row=row, column=first), text)
    size = style.get("size") or font[1]
    _styled(cell, font, bold=style.get("bold", False), italic=style.get("italic", False), size=size,
            align=style.get("align", "center"), wrap=True)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return row, first, last, str(text or ""), size


def _wrapped_lines(text, width, size):
    """How many lines `text` takes in a wrapped cell `width` characters wide (broken at spaces), at `size` pt."""
    per_line = max(4, int(width * 11 / size * 0.92))
    lines = 0
    for part in str(text).split("\n"):
        used, count = 0, 1
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
            if used > per_line:  # a word longer than the line
                count += (used - 1) // per_line
                used %= per_line
        lines += count
    return lines


def _fit_rows(sheet, cells, size):
    """Row heights for wrapped cells (spreadsheet programs keep a written row one line high when they open the
    file): `cells` are (row, first column, last column, text); a row gets the height of its tallest cell."""
    heights = {}
    for row, first, last, text in cells:
        if text in (None, "") or not isinstance(text, str):
            continue
        width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1))
        lines = _wrapped_lines(text, width, size)
        if lines > 1:
            heights[row] = max(heights.get(row, 0), round(lines * size * 1.25 + 3, 1))
    for row, height in heights.items():
        current = sheet.row_dimensions[row].height
        sheet.row_dimensions[row].height = max(height, current or 0)
    return heights


def _fit_blocks(sheet, blocks):
    """Row heights for merged text blocks (spreadsheet programs do not grow a merged cell's row to its text): the
    number of lines the text wraps to in the columns' width (a column width is about one character at 11 pt)."""
    heights = {}
    for row, first, last, text, size in blocks:
        width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first, last + 1))
        per_line = max(1.0, width * 11 / size * 0.95)
        lines = sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))
        heights[row] = max(heights.get(row, 0), lines * size * 1.35)
    for row, height in heights.items():
        if height > 16:
            sheet.row_dimensions[row].height = round(height, 1)


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def add_sheet(workbook, title, headers, rows, *, widths=None, formats=None, choices=None, note="",
              orientation=PORTRAIT, highlight=(), auto_filter=True, heading=(), header_groups=(), column_codes=(),
              footer=(), borders=False, font=None, bold_rows=(), wrap=False):
    """One table on a new sheet of `workbook`; returns the sheet.

    rows: iterables of values in header order. widths, formats, choices: a list by position or a dict keyed by column
    number (1-based) or header; a column without a width is measured from its content. choices: the stored values of
    that column are written as their labels (a model field, a choices enum or (value, label) pairs). note: a bold line
    above the table (the header row then is row 3). highlight: positions (0-based) of the rows to shade.

    For a printed form (a report's twin, a statistical form): `font` (name, size) for every cell written;
    `heading` lines above the table, each merged across it (a text, or (text, {"bold", "italic", "align",
    "size"})), or a list of blocks side by side [(first column, last column, text, style)]; `header_groups`
    [(first column, last column, text)] a header row above the headers (the headers of
    the columns outside a group are merged down over both rows); `column_codes` a row of column codes under the
    headers (A, B, 1, 2 …); `footer` rows of blocks [(first column, last column, text, style)] under the table, after
    a blank row (signature lines); `borders` thin lines round every header and data cell; `bold_rows` positions
    (0-based) of data rows in bold; `wrap` data cells wrapped at the column width. The header rows (groups, headers,
    codes) are repeated on every printed page.
    """
    headers = [str(header) for header in headers]
    font = font or (FONT_NAME, FONT_SIZE)
    header_font = Font(name=font[0], size=font[1], bold=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    columns = max(len(headers), 1)
    row = 1
    if note:
        safe_cell(sheet.cell(row=1, column=1), note).font = header_font
        row = 3
    blocks = []
    for line in heading:
        if isinstance(line, list):  # blocks side by side: [(first column, last column, text, style)]
            for first, last, text, style in line:
                blocks.append(_block(sheet, row, first, last, text, font, style))
        else:
            text, style = (line, {}) if isinstance(line, str | Promise) else line
            blocks.append(_block(sheet, row, 1, columns, text, font, {"bold": True, **style}))
        row += 1
    if heading:
        row += 1  # a blank line between the heading and the table
    first_header_row = row
    grouped = {column for first, last, _text in header_groups for column in range(first, last + 1)}
    if header_groups:
        for first, last, text in header_groups:
            cell = safe_cell(sheet.cell(row=row, column=first), text)
            cell.font, cell.fill, cell.alignment = header_font, HEADER_FILL, HEADER_ALIGNMENT
            if last > first:
                sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        for column in range(1, len(headers) + 1):
            if column not in grouped:
                sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
            if borders:
                sheet.cell(row=row, column=column).border = BORDER
        row += 1
    header_row = row
    for column, header in enumerate(headers, start=1):
        # A header outside every group sits in the merged cell over both header rows.
        target_row = first_header_row if header_groups and column not in grouped else header_row
        cell = safe_cell(sheet.cell(row=target_row, column=column), header)
        cell.font = header_font
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        if borders:
            cell.border = BORDER
            sheet.cell(row=header_row, column=column).border = BORDER
    last_header_row = header_row
    if column_codes:
        last_header_row += 1
        for column, code in enumerate(column_codes, start=1):
            cell = safe_cell(sheet.cell(row=last_header_row, column=column), code)
            cell.font, cell.alignment = header_font, HEADER_ALIGNMENT
            if borders:
                cell.border = BORDER
    widths = _by_column(widths, headers)
    formats = _by_column(formats, headers)
    labels = {column: choice_labels(spec) for column, spec in _by_column(choices, headers).items()}
    highlight, bold_rows = set(highlight), set(bold_rows)
    measured = {column: len(header) for column, header in enumerate(headers, start=1) if column not in widths}
    custom = font != (FONT_NAME, FONT_SIZE)
    count = 0
    for position, values in enumerate(rows):
        row_number = last_header_row + 1 + position
        for column, value in enumerate(values, start=1):
            if column in labels and value in labels[column]:
                value = str(labels[column][value])
            cell = safe_cell(sheet.cell(row=row_number, column=column), value, formats.get(column))
            if custom or position in bold_rows:
                cell.font = Font(name=font[0], size=font[1], bold=position in bold_rows)
            if wrap:
                cell.alignment = Alignment(vertical="top", wrap_text=True,
                                           horizontal="center" if isinstance(cell.value, int | float) else None)
            if borders:
                cell.border = BORDER
            if position in highlight:
                cell.fill = HIGHLIGHT_FILL
            if column in measured:
                measured[column] = max(measured[column], _display_width(value))
        count += 1
    if borders:  # a short row still has its borders to the table's last column
        for row_number in range(last_header_row + 1, last_header_row + 1 + count):
            for column in range(1, len(headers) + 1):
                sheet.cell(row=row_number, column=column).border = BORDER
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column, width in measured.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    # Header rows and wrapped data rows get the height of their text (a header outside the groups spans both rows).
    header_cells = [(header_row, c, c, h) for c, h in enumerate(headers, start=1) if c in grouped or not header_groups]
    header_cells += [(first_header_row, first, last, text) for first, last, text in header_groups]
    _fit_rows(sheet, header_cells, font[1])
    for column, header in enumerate(headers, start=1):
        if header_groups and column not in grouped:
            needed = _wrapped_lines(header, sheet.column_dimensions[get_column_letter(column)].width or 8.43,
                                    font[1]) * font[1] * 1.25 + 3
            top = sheet.row_dimensions[first_header_row].height or 15
            bottom = sheet.row_dimensions[header_row].height or 15
            if top + bottom < needed:
                sheet.row_dimensions[header_row].height = round(needed - top, 1)
    if wrap:
        _fit_rows(sheet, [(row_number, column, column, sheet.cell(row=row_number, column=column).value)
                          for row_number in range(last_header_row + 1, last_header_row + 1 + count)
                          for column in range(1, len(headers) + 1)], font[1])
    below = last_header_row + count + 2
    for footer_blocks in footer:
        for first, last, text, style in footer_blocks:
            blocks.append(_block(sheet, below, first, last, text, font, style))
        below += 1
    _fit_blocks(sheet, blocks)
    sheet.freeze_panes = sheet.cell(row=last_header_row + 1, column=1)
    if auto_filter and headers and count and not header_groups:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last_header_row + count}"
    _print_setup(sheet, (first_header_row, last_header_row), orientation)
    return sheet


def _print_setup(sheet, header_rows, orientation):
    """A4, the given orientation, every column on the page width, the header rows repeated on every page."""
    if orientation not in (PORTRAIT, LANDSCAPE):
        raise ValueError(f"orientation must be {PORTRAIT!r} or {LANDSCAPE!r}, not {orientation!r}")
    first, last = header_rows if isinstance(header_rows, tuple) else (header_rows, header_rows)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left, sheet.page_margins.right = 0.6, 0.4
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.6
    sheet.print_title_rows = f"{first}:{last}"


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
    # Read-only: the sheet is streamed row by row (a fully loaded 15,000-row sheet costs several times the reading
    # of it); its merged cells, which a streamed sheet does not parse, come from `_merged_ranges`.
    return load_workbook(file, read_only=True, data_only=False)


MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}[0-9]+:[A-Za-z]{1,3}[0-9]+)\"")


def _merged_ranges(worksheet):
    """The merged ranges of a read-only sheet, from the <mergeCells> element of its XML part (after the data)."""
    with worksheet.parent._archive.open(worksheet._worksheet_path) as part:
        xml = part.read()
    start = max(xml.rfind(b"</sheetData>"), 0)
    return [CellRange(ref.decode()) for ref in dict.fromkeys(MERGE_CELL.findall(xml, start))]


def read_sheet(file, headers, *, max_rows=MAX_ROWS, errors=None, row_class=Row, progress=None):
    """The data rows of the first sheet of `file` (bytes, a path or a file object) under `headers`.

    Problems are appended to `errors` (a new list unless given), as (Excel row or None, message). When the file is
    unusable (not a workbook, wrong header row, too many rows) the sheet has no rows. `row_class`: a subclass of Row
    with the app's own typed accessors. `progress`, if given, is called with the share of the sheet read so far
    (0.0 once the workbook is open — the long part — then every hundredth of the rows, up to 1.0).
    """
    progress = progress or (lambda share: None)
    sheet = Sheet(headers=list(headers), errors=[] if errors is None else errors)
    errors = sheet.errors
    try:
        workbook = _open(file)
        worksheet = workbook.worksheets[0]
        merged_ranges = _merged_ranges(worksheet)
    except Exception:  # openpyxl raises many different exceptions for files that are not valid .xlsx
        errors.append((None, _("Không đọc được tệp: tệp phải là bảng tính Excel (.xlsx). Hãy mở tệp bằng "
                               "Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”.")))
        return sheet
    try:
        _read_rows(worksheet, merged_ranges, sheet, max_rows, row_class, progress)
    finally:
        workbook.close()
    if not sheet.rows and not errors:
        errors.append((None, _("Tệp không có dòng dữ liệu nào (ngoài dòng tiêu đề).")))
    return sheet


def _too_many_rows(rows, max_rows):
    return _("Tệp có quá nhiều dòng (%(rows)s); mỗi lần chỉ nhập tối đa %(max)s dòng. Nếu tệp có định dạng thừa "
             "ở các dòng trống phía dưới, hãy xóa các dòng đó.") % {"rows": rows, "max": max_rows}


def _read_rows(worksheet, merged_ranges, sheet, max_rows, row_class, progress):
    errors = sheet.errors
    progress(0.0)
    positions = _check_headers(worksheet, sheet.headers, errors)
    if positions is None:
        return
    # The <dimension> a file declares may be missing or wrong: it only sizes the progress bar and refuses early;
    # the rows are read to the sheet's real end (and counted) whatever it says.
    declared = (worksheet.max_row or 0) - 1
    if declared > max_rows:
        errors.append((None, _too_many_rows(declared, max_rows)))
        return
    worksheet.reset_dimensions()
    for merged in sorted(merged_ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= 2:
            message = _("Các ô %(range)s đang được gộp (merge); hãy bỏ gộp ô và điền giá trị vào từng ô.")
            errors.append((max(merged.min_row, 2), message % {"range": merged.coord}))
    last_column = max(positions.values()) + 1
    total, step = max(declared, 1), max(declared // 100, 1)
    for index, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=last_column)):
        if index >= max_rows:
            rows = index + 1 + sum(1 for _row in worksheet.iter_rows(min_row=index + 3, max_col=1))
            errors.append((None, _too_many_rows(rows, max_rows)))
            sheet.rows.clear()
            return
        if index % step == 0:
            progress(min(index / total, 1.0))
        if not cells:
            continue
        by_header = {header: (cells[i] if i < len(cells) else None) for header, i in positions.items()}
        if all(_is_blank(cell) for cell in by_header.values()):
            continue
        sheet.rows.append(row_class(index + 2, by_header, errors))
    progress(1.0)


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
