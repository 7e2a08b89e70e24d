"""Excel export of the filtered dossier list: every text cell a string cell, never a formula."""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

HEADERS = ["Số hồ sơ", "Phong trào", "Đợt", "Đơn vị trình", "Hình thức khen thưởng", "Số đối tượng",
           "Đối tượng đầu tiên", "Trạng thái", "Ngày nộp", "Hạn thẩm định", "Quá hạn", "Số quyết định"]


def _write(cell, value):
    if value is None or value == "":
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
        if hasattr(value, "year"):
            cell.number_format = "dd/mm/yyyy"


def export_dossiers(dossiers):
    """The given (already scoped, filtered, annotated) dossiers as .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ khen thưởng"
    bold = Font(bold=True)
    for column, header in enumerate(HEADERS, 1):
        _write(sheet.cell(row=1, column=column), header)
        sheet.cell(row=1, column=column).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = max(14, len(header) + 2)
    for row, d in enumerate(dossiers, 2):
        values = [d.pk, d.campaign.number, d.milestone.title, d.unit.name, d.form.name, d.nominee_count,
                  d.first_nominee or "", d.get_state_display(),
                  d.submitted_at.date() if d.submitted_at else None, d.due_on,
                  "Quá hạn" if d.is_overdue else "", d.decision.number if d.decision_id else ""]
        for column, value in enumerate(values, 1):
            _write(sheet.cell(row=row, column=column), value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
