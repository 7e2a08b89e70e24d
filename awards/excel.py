"""Excel export of the filtered dossier list, written by core.spreadsheet (text never a formula, states as labels)."""

from core import spreadsheet

from .models import Dossier

HEADERS = ["Số hồ sơ", "Phong trào", "Đợt", "Đơn vị trình", "Hình thức khen thưởng", "Số đối tượng",
           "Đối tượng đầu tiên", "Trạng thái", "Ngày nộp", "Hạn thẩm định", "Quá hạn", "Số quyết định"]


def export_dossiers(dossiers):
    """The given (already scoped, filtered, annotated) dossiers as .xlsx bytes."""
    rows = ([d.pk, d.campaign.number, d.milestone.title, d.unit.name, d.form.name, d.nominee_count,
             d.first_nominee or "", d.state, d.submitted_at.date() if d.submitted_at else None, d.due_on,
             "Quá hạn" if d.is_overdue else "", d.decision.number if d.decision_id else ""] for d in dossiers)
    return spreadsheet.build_workbook("Hồ sơ khen thưởng", HEADERS, rows, orientation=spreadsheet.LANDSCAPE,
                                      choices={"Trạng thái": Dossier._meta.get_field("state")})
