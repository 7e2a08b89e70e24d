"""The demo's 1 July 2025: Đắk Nông's units become the new Lâm Đồng's, through the restructuring operation itself
(`units.services.restructuring_apply`), so the demo shows what a Sở Nội vụ administrator would do.

From `units/data/` (copied from the project's shared research data, see its README):
- `lamdong-2025-province.csv`: the new provincial People's Committee and its departments (from 01/07/2025), each
  with the former Đắk Nông unit it took over;
- `lamdong-2025-communes.csv`: the 28 commune-level units formed from the 71 (every former commune, ward or town
  in exactly one).

Order: the communes merge first (three wards into one …), then each district ends with its divisions (its people
share the new communes its communes went to, its accounts follow the first of them), then each department into
its Lâm Đồng successor, then the province. Two former departments have no successor in the data (Sở Văn hóa, Thể
thao và Du lịch and the Văn phòng Đoàn ĐBQH và HĐND): they end on 30/06/2025 without one rather than being given
an invented successor. Idempotent: nothing is done once the province has a successor. Registered after the awards
demo (the history, registrations and dossiers to carry over exist by then).
"""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from units import services
from units.models import Person, Unit, UnitKind, UnitLink, User

DATA = Path(__file__).resolve().parent.parent / "data"
ON = datetime.date(2025, 7, 1)
BASIS_COMMUNES = ("Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của tỉnh Lâm "
                  "Đồng năm 2025 (ngày 16/6/2025)")
BASIS_PROVINCE = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
BASIS_DISTRICTS = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (không tổ chức cấp huyện từ 01/7/2025)"
NO_SUCCESSOR_IN_DATA = ("SVHTTDL", "VPDDBQH")
PROVINCE_CODE = "LDG"


def _rows(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def commune_code(gso_code):
    return f"{PROVINCE_CODE}-{gso_code}"


def _admin():
    """The operation is Sở Nội vụ's: the demo administrator does it (a super-user when there is none)."""
    return (User.objects.filter(username="snv.quantri").first()
            or User.objects.filter(is_superuser=True).order_by("pk").first())


@transaction.atomic
def build():
    old = Unit.objects.filter(code="DNO").first()
    admin = _admin()
    if old is None or admin is None or UnitLink.objects.filter(predecessor=old).exists():
        return ""
    units = {unit.code: unit for unit in Unit.objects.all()}
    province_rows = _rows("lamdong-2025-province.csv")
    province_row = next(row for row in province_rows if row["kind"] == "province")
    province = units.get(province_row["code"]) or Unit.objects.create(
        code=province_row["code"], name=province_row["name"], kind=UnitKind.PROVINCE, valid_from=ON)

    made, went_to = {}, {}
    for row in _rows("lamdong-2025-communes.csv"):
        ended = [units[code] for code in row["predecessor_codes"].split()]
        plan, _counts = services.restructuring_apply(
            by=admin, ended=ended, on=ON, basis=BASIS_COMMUNES,
            new_units=[{"code": commune_code(row["gso_code"]), "name": row["name"], "kind": UnitKind.COMMUNE,
                        "parent": province}])
        made[row["gso_code"]] = plan.successors[0]
        went_to.update({unit.pk: plan.successors[0] for unit in ended})  # for its district below

    for district in Unit.objects.filter(kind=UnitKind.DISTRICT, parent=old).order_by("code"):
        successors = list(dict.fromkeys(went_to[unit.pk] for unit in units.values()
                                        if unit.parent_id == district.pk and unit.pk in went_to))
        # The district's own staff and its divisions' share the new communes its communes went to.
        people = (Person.objects.filter(unit__path__startswith=district.path).order_by("staff_code", "pk")
                  .values_list("pk", flat=True))
        shares = {pk: successors[index % len(successors)].pk for index, pk in enumerate(people)}
        services.restructuring_apply(by=admin, ended=[district], successors=successors, on=ON,
                                     basis=BASIS_DISTRICTS, people=shares)

    Unit.objects.filter(code__in=NO_SUCCESSOR_IN_DATA, valid_to__isnull=True).update(valid_to=ON - datetime.timedelta(
        days=1))
    for row in province_rows:
        if row["kind"] != "department":
            continue
        department = Unit.objects.filter(code=row["code"]).first()
        predecessors = [Unit.objects.get(code=code) for code in row["predecessor_codes"].split()]
        if predecessors:
            new = [] if department else [{"code": row["code"], "name": row["name"], "kind": UnitKind.DEPARTMENT,
                                          "parent": province}]
            services.restructuring_apply(by=admin, ended=predecessors, successors=[department] if department else [],
                                         new_units=new, on=ON, basis=BASIS_PROVINCE)
        elif department is None:
            Unit.objects.create(code=row["code"], name=row["name"], kind=UnitKind.DEPARTMENT, parent=province,
                                valid_from=ON)
    services.restructuring_apply(by=admin, ended=[old], successors=[province], on=ON, basis=BASIS_PROVINCE)
    return (f"Sắp xếp ngày {ON:%d/%m/%Y}: {Unit.objects.filter(parent=old).count()} đơn vị của tỉnh Đắk Nông "
            f"và 71 xã, phường, thị trấn chuyển thành {len(made)} đơn vị cấp xã, "
            f"{Unit.objects.filter(parent=province, kind=UnitKind.DEPARTMENT).count()} sở, ngành của tỉnh Lâm Đồng.")
