"""Excel exports written by core.spreadsheet (text never a formula, states as labels): the filtered dossier list and
the prize money paid from each fund."""

from django.utils import timezone

from core import spreadsheet

from .models import Dossier

HEADERS = ["Số hồ sơ", "Phong trào", "Đợt", "Đơn vị trình", "Hình thức khen thưởng", "Số đối tượng",
           "Đối tượng đầu tiên", "Trạng thái", "Ngày nộp", "Hạn thẩm định", "Quá hạn", "Số quyết định"]


def export_dossiers(dossiers):
    """The given (already scoped, filtered, annotated) dossiers as .xlsx bytes."""
    rows = ([d.code, d.campaign.number, d.milestone.title, d.unit.name, d.form.name, d.nominee_count,
             d.first_nominee or "", d.state, timezone.localdate(d.submitted_at) if d.submitted_at else None, d.due_on,
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


REGISTER_HEADERS = ["Số vào sổ", "Tên tập thể, họ và tên cá nhân", "Chức vụ, đơn vị", "Hình thức khen thưởng",
                    "Số quyết định", "Ngày quyết định", "Tiền thưởng (đồng)", "Người nhận ký, ghi rõ họ tên"]
REGISTER_WIDTHS = [10, 30, 36, 30, 16, 13, 14, 24]


def register_line(record):
    """One line of the award register: (number, name, position and unit, form, decision, date, amount, "")."""
    if record.person_id:
        name = record.person.full_name
        where = ", ".join(part for part in (record.person.position, record.person.unit.name) if part)
    else:
        name = record.unit.name
        where = record.unit.parent.name if record.unit.parent_id else ""
    return (f"{record.register_number:03d}", name, where, record.form.official_name, record.decision_number,
            record.decision_date, record.amount, "")


def export_register(entries, *, body_name, year, family):
    """The award register (sổ khen thưởng) of one body, year and form family, laid out as the paper book: the
    heading, one bordered line per commendation with an empty column for the receiver's signature."""
    heading = [(body_name.upper(), {"bold": True}),
               (f"SỔ KHEN THƯỞNG NĂM {year} · NHÓM HÌNH THỨC {family}", {"bold": True, "size": 14})]
    footer = [[(6, 8, "Người giữ sổ\n(Ký, ghi rõ họ tên)", {"bold": True, "align": "center"})]]
    return spreadsheet.build_workbook(
        f"Sổ khen thưởng {family} {year}", REGISTER_HEADERS, (register_line(r) for r in entries),
        widths=REGISTER_WIDTHS, formats={"Tiền thưởng (đồng)": MONEY}, orientation=spreadsheet.LANDSCAPE,
        heading=heading, footer=footer, borders=True, font=spreadsheet.DOCUMENT_FONT, wrap=True,
        auto_filter=False)
