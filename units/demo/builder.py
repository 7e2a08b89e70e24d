"""Builds the demo province: real Đắk Nông units from the CSV, generated divisions, blocks, people and accounts.

Idempotent: units are matched by code, people by their demo staff code, accounts by username.
"""

import csv
import datetime
import random
from pathlib import Path

from django.db import transaction

from core import audit
from units.models import PATH_SEPARATOR, EmulationBlock, Person, Role, Unit, UnitKind, UnitLink, User

CSV_PATH = Path(__file__).with_name("daknong-units.csv")
DEMO_PASSWORD = "ThiDua@2025"
ROOT = "DNO"  # the province of the CSV

BLOCKS = {
    "KHOI-TH": ("Khối các cơ quan tổng hợp", "block",
                ["VPUBND", "SNV", "STP", "STC", "SKHDT", "TTT", "VPDDBQH"]),
    "KHOI-KT": ("Khối các cơ quan kinh tế", "block",
                ["SCT", "SNNPTNT", "SGTVT", "SXD", "STNMT", "SKHCN", "STTTT", "BQLKCN", "SNNMT"]),
    "KHOI-VX": ("Khối các cơ quan văn hóa - xã hội", "block",
                ["SLDTBXH", "SVHTTDL", "SGDDT", "SYT", "BDT", "SDTTG"]),
    "CUM-1": ("Cụm thi đua số 1 (Gia Nghĩa, Đắk R'lấp, Tuy Đức, Đắk Glong)", "cluster", ["GN", "DRL", "TD", "DG"]),
    "CUM-2": ("Cụm thi đua số 2 (Đắk Mil, Cư Jút, Krông Nô, Đắk Song)", "cluster", ["DM", "CJ", "KN", "DS"]),
}

DEPARTMENT_DIVISIONS = [("VP", "Văn phòng"), ("TTR", "Thanh tra"), ("KHTC", "Phòng Kế hoạch - Tài chính")]
SNV_DIVISIONS = [("CCHC", "Phòng Cải cách hành chính"), ("TDKT", "Ban Thi đua - Khen thưởng")]
DISTRICT_DIVISIONS = [
    ("VP", "Văn phòng HĐND và UBND"), ("PNV", "Phòng Nội vụ"), ("TCKH", "Phòng Tài chính - Kế hoạch"),
    ("PTP", "Phòng Tư pháp"), ("KTHT", "Phòng Kinh tế và Hạ tầng"), ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("GDDT", "Phòng Giáo dục và Đào tạo"), ("VHTT", "Phòng Văn hóa và Thông tin"), ("TTR", "Thanh tra"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Y", "H'"]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh", "Xuân"],
          "female": ["Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Hồng"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Phong", "Phúc", "Quân", "Sơn",
                  "Thắng", "Tuấn", "Khánh", "Đạt", "Lực", "Trường"],
         "female": ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Tâm", "Thảo", "Trang", "Vân",
                    "Yến", "Nhung", "Ánh", "Duyên"]}
POSITIONS = {
    UnitKind.PROVINCE: ["Chủ tịch", "Phó Chủ tịch", "Chuyên viên"],
    UnitKind.DEPARTMENT: ["Giám đốc", "Phó Giám đốc", "Chuyên viên"],
    UnitKind.DISTRICT: ["Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng"],
    UnitKind.COMMUNE: ["Chủ tịch", "Phó Chủ tịch", "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch"],
    UnitKind.DIVISION: ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"],
}
PEOPLE_PER_KIND = {UnitKind.PROVINCE: 3, UnitKind.DEPARTMENT: 3, UnitKind.DISTRICT: 2, UnitKind.COMMUNE: 2,
                   UnitKind.DIVISION: 1}

ACCOUNTS = [
    ("snv.quantri", Role.ADMIN, "SNV", "Phạm Thị Thu Hà", True),
    ("snv.thamdinh", Role.APPRAISER, "SNV", "Lê Minh Tuấn", False),
    ("lanhdao", Role.LEADER, None, "Hồ Văn Mười", False),
    ("lanhdao.pheduyet", Role.APPROVER, None, "Đinh Văn Thắng", False),
    ("dakmil.canbo", Role.OFFICER, "DM", "Nguyễn Thị Lan", False),
    ("nghiaduc.canbo", Role.OFFICER, "GN-01", "Trần Đức Phong", False),
]


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def build_demo(seed=584):
    units = _load_units()
    _load_blocks(units)
    _add_divisions(units)
    people = _add_people(seed)
    accounts = _add_accounts()
    audit.record_bulk(actor=None, action="demo_load", label="Dữ liệu mẫu",
                      changes={"units": Unit.objects.count(), "people": people})
    return {"units": Unit.objects.count(), "people": people, "accounts": accounts}


def _load_units():
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    units = {}
    pending = rows[:]
    while pending:  # parents first, whatever the file's order
        row = pending.pop(0)
        if row["parent_code"] and row["parent_code"] not in units:
            pending.append(row)
            continue
        units[row["code"]] = _upsert_unit(
            row["code"], row["name"], row["kind"], units.get(row["parent_code"]),
            valid_to=_date(row["valid_to"]),
        )
    for row in rows:
        if row["successor_code"]:
            unit = units[row["code"]]
            UnitLink.objects.get_or_create(predecessor=unit, successor=units[row["successor_code"]],
                                           defaults={"on": unit.valid_to + datetime.timedelta(days=1)})
    for code in ("SNNMT", "SDTTG"):  # created by the February 2025 mergers
        units[code].valid_from = datetime.date(2025, 3, 1)
        units[code].save()
    return units


def _upsert_unit(code, name, kind, parent, **extra):
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    unit.name, unit.kind, unit.parent = name, kind, parent
    if unit.pk is not None and unit.valid_to is not None and extra.get("valid_to") is None:
        extra.pop("valid_to", None)  # ended since (a restructuring of the demo, or by hand): stays ended
    for key, value in extra.items():
        setattr(unit, key, value)
    unit.save()
    return unit


def _load_blocks(units):
    for code, (name, kind, members) in BLOCKS.items():
        block, _ = EmulationBlock.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
        Unit.objects.filter(code__in=members).update(block=block)
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT):
        block, _ = EmulationBlock.objects.update_or_create(
            code=f"CUM-{district.code}",
            defaults={"name": f"Cụm thi đua cấp xã thuộc {district.name.replace('Ủy ban nhân dân ', '')}",
                      "kind": "cluster"},
        )
        Unit.objects.filter(parent=district, kind=UnitKind.COMMUNE).update(block=block)


def _add_divisions(units):
    for parent in Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT]).order_by("path"):
        if parent.kind == UnitKind.DISTRICT:
            divisions = DISTRICT_DIVISIONS
            label = parent.name.replace("Ủy ban nhân dân ", "")
        else:
            divisions = DEPARTMENT_DIVISIONS + (SNV_DIVISIONS if parent.code == "SNV" else [])
            label = parent.name
        for suffix, name in divisions:
            full_name = f"{name} {label}" if parent.kind == UnitKind.DISTRICT else f"{name} - {label}"
            _upsert_unit(f"{parent.code}.{suffix}", full_name, UnitKind.DIVISION, parent,
                         valid_to=parent.valid_to)


def _random_name(rng, gender):
    surname = rng.choice(SURNAMES)
    if surname == "Y" and gender == "female":
        surname = "H'"
    if surname == "H'" and gender == "male":
        surname = "Y"
    if surname in ("Y", "H'"):
        given = rng.choice(["Bhiăk", "Jú", "Hờ", "Đăm", "Niê", "Krông", "Mlô", "Byă", "Blơ"])
        return f"{surname} {given}" if surname == "Y" else f"H'{given}"
    return f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _add_people(seed):
    rng = random.Random(seed)
    count = 0
    existing = {p.staff_code: p for p in Person.objects.filter(staff_code__startswith="DEMO-")}
    to_create = []
    carried = _carried_by()
    # The province of the CSV only (the units a restructuring created later have the people moved to them).
    for unit in Unit.objects.filter(path__startswith=f"{ROOT}{PATH_SEPARATOR}").order_by("path"):
        for index in range(PEOPLE_PER_KIND[unit.kind]):
            count += 1
            gender = rng.choice(["male", "female"])
            staff_code = f"DEMO-{count:05d}"
            name = _random_name(rng, gender)
            if unit.code == "DM-01" and index == 0:
                name, gender = "Nguyễn Văn An", "male"  # the person the quick-start guide searches for
            position = POSITIONS[unit.kind][index % len(POSITIONS[unit.kind])]
            person = existing.get(staff_code)
            if person is None:
                to_create.append(Person(full_name=name, gender=gender, position=position, unit=unit,
                                        staff_code=staff_code))
            elif person.full_name != name or person.unit_id not in carried(unit.pk):
                # A person the restructuring moved to a successor stays there.
                person.full_name, person.gender, person.position, person.unit = name, gender, position, unit
                person.save()
    for person in to_create:
        person.save()
    return count


def _carried_by():
    """unit pk → that unit and every unit carrying it on after restructurings (ids, a set)."""
    forward = {}
    for predecessor, successor in UnitLink.objects.values_list("predecessor_id", "successor_id"):
        forward.setdefault(predecessor, set()).add(successor)

    def carried(pk):
        seen, frontier = {pk}, [pk]
        while frontier:
            frontier = [n for p in frontier for n in forward.get(p, ()) if n not in seen]
            seen.update(frontier)
        return seen
    return carried


def _add_accounts():
    carried = _carried_by()
    accounts = []
    for username, role, unit_code, full_name, superuser in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.full_name = role, full_name
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        if unit is not None and (user.unit_id is None or user.unit_id not in carried(unit.pk)):
            user.unit = unit  # an account the restructuring moved to a successor stays there
        elif unit is None:
            user.unit = None
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        accounts.append((username, user.get_role_display(), user.unit.name if user.unit else "", DEMO_PASSWORD))
    return accounts
