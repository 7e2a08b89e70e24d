"""The commendations in the shape the national database of cadres, civil servants and public employees (Cơ sở dữ
liệu quốc gia về cán bộ, công chức, viên chức) keeps them, as an Excel workbook and as JSON.

Source: Decree 27/2026/NĐ-CP (in force from 01/7/2026), Art 5: the national database holds, in its group 6, the data
on "thi đua, khen thưởng" of each cadre, civil servant and public employee; the list of its data fields is the
decree's appendix, which could not be read (only press summaries of Art 5: 10 groups, 194 fields). The fields
below are those a commendation decision and the award register give (what Sở Nội vụ's HR software is known to send,
per Công văn 6208/BNV-CCVC cited by MISA QLCB's help); `verified=False` marks every field whose name and format in
the national database's appendix were not checked. The README lists them with their source.

No national identity number is held by this application (the decree makes it the e-dossier's key): a person is
identified by the staff code (mã cán bộ) of the unit's records; the receiving system matches it.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core import spreadsheet
from units.models import UnitKind

from .models import AwardBasis


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key
    header: object  # the workbook header (Vietnamese)
    collective: bool  # filled for a collective
    individual: bool  # filled for an individual
    verified: bool = False


COLUMNS = [
    Column("award_name", _("Hình thức khen thưởng, danh hiệu thi đua"), True, True),
    Column("award_kind", _("Loại (danh hiệu thi đua / hình thức khen thưởng)"), True, True),
    Column("award_basis", _("Loại hình khen thưởng"), True, True, verified=True),  # Law 06/2022 Art 8
    Column("decision_number", _("Số quyết định"), True, True),
    Column("decision_date", _("Ngày quyết định"), True, True),
    Column("issuing_body", _("Cơ quan ban hành quyết định"), True, True),
    Column("issuing_level", _("Cấp khen thưởng"), True, True),
    Column("emulation_year", _("Năm thi đua"), True, True),
    Column("recipient_type", _("Đối tượng"), True, True),
    Column("full_name", _("Họ và tên"), False, True),
    Column("staff_code", _("Mã cán bộ, công chức, viên chức"), False, True),
    Column("position", _("Chức vụ"), False, True),
    Column("workplace", _("Cơ quan, đơn vị công tác"), False, True),
    Column("collective_name", _("Tên tập thể"), True, False),
    Column("collective_field", _("Lĩnh vực, loại hình tập thể"), True, False),
    Column("register_number", _("Số vào sổ khen thưởng"), True, True),
    Column("prize_amount", _("Tiền thưởng (đồng)"), True, True),
]

LEVELS = {
    UnitKind.PROVINCE: _("Cấp tỉnh"), UnitKind.DEPARTMENT: _("Cấp sở, ban, ngành"),
    UnitKind.DISTRICT: _("Cấp huyện"), UnitKind.COMMUNE: _("Cấp xã"), UnitKind.DIVISION: _("Cấp cơ sở"),
}


def issuing_level(record, units):
    """The level of the body that decided: "Cấp Nhà nước" for a form decided above the province (Chủ tịch nước,
    Thủ tướng Chính phủ), otherwise the level of the issuing body's unit."""
    if record.form.decided_above:
        return str(_("Cấp Nhà nước"))
    issuer = record.decision.issuer if record.decision_id else None
    unit = units.get(issuer.key) if issuer else None
    return str(LEVELS.get(unit.kind, "")) if unit else ""


def row(record, units):
    """{key: value} of one commendation; "" where the data has nothing."""
    decision = record.decision
    issuer = decision.issuer if decision else None
    person, unit = record.person, record.unit
    return {
        "award_name": record.form.official_name,
        "award_kind": str(_("Danh hiệu thi đua") if record.form.is_title else _("Hình thức khen thưởng")),
        "award_basis": str(AwardBasis(record.basis).label) if record.basis in AwardBasis.values else "",
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
        "issuing_body": issuer.name if issuer else (decision.authority if decision else ""),
        "issuing_level": issuing_level(record, units),
        "emulation_year": record.year,
        "recipient_type": str(_("Cá nhân") if person else _("Tập thể")),
        "full_name": person.full_name if person else "",
        "staff_code": (person.staff_code or "") if person else "",
        "position": person.position if person else "",
        "workplace": person.unit.name if person else "",
        "collective_name": unit.name if unit else "",
        "collective_field": (str(UnitKind(unit.kind).label) + (f" · {unit.block.name}" if unit.block_id else "")
                             if unit else ""),
        "register_number": record.register_reference,
        "prize_amount": record.amount,
    }


def rows(records):
    from .selectors import units_by_code

    records = list(records)
    units = units_by_code(r.decision.issuer.key for r in records if r.decision_id and r.decision.issuer_id)
    return [row(r, units) for r in records]


def workbook(records, *, note=""):
    data = rows(records)
    headers = [str(c.header) for c in COLUMNS]
    return spreadsheet.build_workbook(
        "CSDL quốc gia", headers, ([r[c.key] for c in COLUMNS] for r in data), orientation=spreadsheet.LANDSCAPE,
        formats={str(_("Tiền thưởng (đồng)")): spreadsheet.INTEGER}, note=note)


def as_json(records, *, scope):
    """The same rows as JSON: the scope, the field list (with whether each was checked against the national
    database's specification) and the records; dates ISO 8601, amounts in dong."""
    data = rows(records)
    for item in data:
        item["decision_date"] = item["decision_date"].isoformat()
    document = {
        "source": "Nghị định 27/2026/NĐ-CP, Điều 5 (nhóm 6: thi đua, khen thưởng)",
        "scope": scope,
        "fields": [{"key": c.key, "label": str(c.header), "verified": c.verified} for c in COLUMNS],
        "records": data,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
