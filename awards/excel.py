"""Excel exports written by core.spreadsheet (text never a formula, states as labels): the filtered dossier list and
the prize money paid from each fund."""

from core import spreadsheet

from .models import Dossier

HEADERS = ["Số hồ sơ", "Phong trào", "Đợt", "Đơn vị trình", "Hình thức khen thưởng", "Số đối tượng",
           "Đối tượng đầu tiên", "Trạng thái", "Ngày nộp", "Hạn thẩm định", "Quá hạn", "Số quyết định"]


def export_dossiers(dossiers):
    """The given (already scoped, filtered, annotated) dossiers as .xlsx bytes."""
    rows = ([d.code, d.campaign.number, d.milestone.title, d.unit.name, d.form.name, d.nominee_count,
             d.first_nominee or "", d.state, d.submitted_at.date() if d.submitted_at else None, d.due_on,
             "Quá hạn" if d.is_overdue else "", d.decision.number if d.decision_id else ""] for d in dossiers)
    return spreadsheet.build_workbook("Hồ sơ khen thưởng", HEADERS, rows, orientation=spreadsheet.LANDSCAPE,
                                      choices={"Trạng thái": Dossier._meta.get_field("state")})


MONEY = "#,##0"
DETAIL_HEADERS = ["Số quyết định", "Ngày quyết định", "Chi từ quỹ của", "Hình thức khen thưởng", "Tập thể, cá nhân",
                  "Đơn vị", "Năm thi đua", "Hệ số", "Mức lương cơ sở (đồng)", "Tiền thưởng (đồng)", "Căn cứ"]


def export_prize_money(totals, records, year=None):
    """The fund's spending: totals per decision, per year and per funding body, then every awardee's amount."""
    workbook = spreadsheet.new_workbook()
    scope = f" năm {year}" if year else ""
    spreadsheet.add_sheet(
        workbook, "Theo quyết định", ["Số quyết định", "Ngày quyết định", "Chi từ quỹ của", "Số tập thể", "Số cá nhân",
                                      "Tổng tiền thưởng (đồng)"],
        [(r["decision_number"], r["decision_date"], r["funding_body__name"] or "", r["collectives"], r["individuals"],
          r["total"]) for r in totals["decisions"]],
        formats={"Tổng tiền thưởng (đồng)": MONEY}, note=f"Tiền thưởng theo quyết định khen thưởng{scope}")
    spreadsheet.add_sheet(
        workbook, "Theo năm", ["Năm", "Số quyết định", "Số lượt khen thưởng", "Tổng tiền thưởng (đồng)"],
        [(r["y"], r["decisions"], r["awardees"], r["total"]) for r in totals["years"]],
        formats={"Tổng tiền thưởng (đồng)": MONEY}, note=f"Chi tiền thưởng theo năm{scope}")
    spreadsheet.add_sheet(
        workbook, "Theo quỹ", ["Năm", "Cơ quan quyết định", "Quỹ", "Số quyết định", "Số lượt khen thưởng",
                               "Tổng tiền thưởng (đồng)"],
        [(r["y"], r["funding_body__name"] or "", r["funding_body__fund"] or "", r["decisions"], r["awardees"],
          r["total"]) for r in totals["bodies"]],
        formats={"Tổng tiền thưởng (đồng)": MONEY}, note=f"Chi tiền thưởng theo quỹ của cơ quan quyết định{scope}")
    rows = ((r.decision_number, r.decision_date, r.funding_body.name if r.funding_body_id else "", r.form.name,
             r.unit.name if r.unit_id else r.person.full_name,
             "" if r.unit_id else r.person.unit.name,
             r.year, r.coefficient, r.base_salary, r.amount, r.prize_basis) for r in records)
    spreadsheet.add_sheet(workbook, "Chi tiết", DETAIL_HEADERS, rows, orientation=spreadsheet.LANDSCAPE,
                          formats={"Tiền thưởng (đồng)": MONEY, "Mức lương cơ sở (đồng)": MONEY},
                          note=f"Tiền thưởng của từng tập thể, cá nhân{scope}")
    return spreadsheet.workbook_bytes(workbook)
