"""Province-scale data generator (issue 7): units, people, a campaign with four years of work, PAR, awards.

Call `generate(scale=1, seed=584)` after `django.setup()` (or run `manage.py generate_province` under
`DJANGO_SETTINGS_MODULE=bench.settings_bench`, which installs the `bench` app). Scale 1 is one province: ~1,100
units (1 province, 30 departments, 8 districts, 71 communes, ~1,000 divisions), 15,000 people, four campaign years
(2022-2025) of registrations, 40,000 achievements with 100,000 evidence rows, PAR score sheets for every
department/district/commune and year, 10,000 award dossiers in every state with nominees, documents, decisions and
commendation records.

Rules:
- The database must hold no units (a fresh, migrated database): the generator refuses otherwise, so it never
  mixes with or overwrites real data. Regenerate into a new database file (or `flush` first).
- Deterministic for a seed: every name, code, state and count comes from one `random.Random(seed)`; timestamps
  set by the database (`auto_now_add`) are the only things that differ between runs.
- Fast: bulk inserts in batches; the fields `save()` would fill (Unit.path/depth/search_name,
  Person.search_name, CommendationRecord periods) are computed here.
- Files: a few small real files (PDF, PNG, JPEG) are written once to private storage; every evidence and dossier
  document row points at one of them with its real SHA-256 and size (downloads work).
"""

import datetime
import hashlib
import io
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.files import private_storage
from core.models import AuditEntry
from core.text import fold
from units.models import EmulationBlock, Person, Role, Unit, UnitKind, User

PREFIX = "G"
PASSWORD = "Bench@2025-thidua"
BATCH = 2000
YEARS = (2022, 2023, 2024, 2025)
STARTS_ON = datetime.date(2022, 10, 14)
ENDS_ON = datetime.date(2025, 12, 31)

# Scale-1 sizes (the province of DESIGN.md "Data and scale").
SIZES = {"departments": 30, "districts": 8, "communes": 71, "divisions": 1000, "people": 15000,
         "evidence": 100000, "dossiers": 10000, "initiatives": 600, "inspections": 120, "exemplary": 60}

DEPARTMENT_NAMES = [
    "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Thanh tra tỉnh",
    "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông",
    "Ban Quản lý các khu công nghiệp", "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Ban Dân tộc", "Sở Ngoại vụ",
]
DISTRICT_NAMES = ["thành phố Gia Nghĩa", "huyện Đắk Mil", "huyện Cư Jút", "huyện Krông Nô", "huyện Đắk Song",
                  "huyện Đắk R'lấp", "huyện Tuy Đức", "huyện Đắk Glong"]
COMMUNE_WORDS = ["Nghĩa Đức", "Đắk Lao", "Thuận An", "Đức Minh", "Nam Dong", "Ea Pô", "Quảng Khê", "Đắk Ha",
                 "Nâm N'Jang", "Trường Xuân", "Kiến Đức", "Quảng Tín", "Đắk Buk So", "Quảng Trực", "Nam Đà",
                 "Buôn Choáh", "Đắk Sắk", "Đức Mạnh", "Tâm Thắng", "Nhân Cơ"]
DIVISION_NAMES = ["Văn phòng", "Thanh tra", "Phòng Kế hoạch - Tài chính", "Phòng Nội vụ", "Phòng Tư pháp",
                  "Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Phòng Tổ chức cán bộ", "Phòng Quản lý chuyên ngành",
                  "Ban Thi đua - Khen thưởng", "Phòng Cải cách hành chính", "Bộ phận Một cửa"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý", "Y", "H'"]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh", "Xuân", "Công"],
          "female": ["Thị", "Ngọc", "Thanh", "Thu", "Minh", "Kim", "Hồng", "Bích"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Nam", "Phong", "Phúc", "Quân", "Sơn",
                  "Thắng", "Tuấn", "Khánh", "Đạt", "Lực", "Trường"],
         "female": ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Tâm", "Thảo", "Trang", "Vân",
                    "Yến", "Nhung", "Ánh", "Duyên"]}
POSITIONS = ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên chính", "Công chức", "Văn thư"]
CONTENTS = [
    (1, "Trách nhiệm người đứng đầu", "Thi đua nâng cao trách nhiệm của người đứng đầu trong cải cách hành chính."),
    (2, "Thực hiện các nhiệm vụ cải cách hành chính", "Thi đua thực hiện tốt các nhiệm vụ cải cách hành chính."),
    (3, "Chuyển đổi số", "Thi đua đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số."),
    (4, "Sáng kiến, giải pháp", "Thi đua đề xuất sáng kiến, giải pháp mới trong cải cách hành chính."),
    (5, "Kỷ luật, kỷ cương hành chính", "Thi đua siết chặt kỷ luật, kỷ cương hành chính."),
]
ACHIEVEMENT_WORDS = ["Hoàn thành kế hoạch", "Giải quyết hồ sơ đúng hạn", "Số hóa hồ sơ", "Dịch vụ công trực tuyến",
                     "Tuyên truyền cải cách hành chính", "Rà soát thủ tục", "Một cửa liên thông", "Kiểm tra nội vụ"]


class GeneratorError(Exception):
    pass


def sizes_for(scale):
    """The row targets at `scale` (at least one of each tree level)."""
    out = {}
    for key, value in SIZES.items():
        out[key] = max(1, int(round(value * scale)))
    return out


def _log(stdout, message, started):
    if stdout is not None:
        stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}\n")
        stdout.flush() if hasattr(stdout, "flush") else None


def _aware(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())


def generate(scale=1.0, seed=584, *, stdout=None):
    """Fill an empty database in one transaction (all or nothing); return a dict of counts.

    Raises GeneratorError if units already exist.
    """
    if Unit.objects.exists():
        raise GeneratorError("Cơ sở dữ liệu đã có đơn vị; bộ sinh dữ liệu chỉ chạy trên cơ sở dữ liệu trống "
                             "(hãy dùng tệp cơ sở dữ liệu mới hoặc chạy `manage.py flush`).")
    started = time.monotonic()
    rng = random.Random(seed)
    size = sizes_for(scale)
    counts = {}
    with transaction.atomic():
        units = _units(rng, size)
        counts["units"] = len(units["all"])
        _log(stdout, f"{counts['units']} đơn vị", started)
        people = _people(rng, size, units)
        counts["people"] = len(people)
        _log(stdout, f"{counts['people']} cá nhân", started)
        users = _users(units)
        counts["users"] = len(users["all"])
        blobs = _blobs()
        campaign = _campaign(units)
        counts["registrations"] = _registrations(rng, campaign, units)
        _log(stdout, f"{counts['registrations']} lượt đăng ký", started)
        counts["achievements"], counts["evidence"] = _achievements(rng, size, campaign, units, people, users, blobs)
        _log(stdout, f"{counts['achievements']} thành tích, {counts['evidence']} tệp minh chứng", started)
        counts["initiatives"] = _initiatives(rng, size, campaign, units, people, users)
        counts["inspections"], counts["exemplary_models"] = _inspections_and_models(rng, size, campaign, units,
                                                                                    people, users, blobs)
        counts.update(_par(rng, units))
        if "sheets" in counts:
            _log(stdout, f"{counts['sheets']} phiếu chấm điểm CCHC", started)
        counts.update(_awards(rng, size, campaign, units, people, users, blobs))
        if "dossiers" in counts:
            _log(stdout, f"{counts['dossiers']} hồ sơ khen thưởng", started)
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


# Units and people --------------------------------------------------------------------------------------------


def _unit(code, name, kind, parent, block=None):
    path = f"{parent.path if parent else ''}{code}/"
    return Unit(code=code, name=name, kind=kind, parent=parent, block=block, path=path,
                depth=path.count("/") - 1, search_name=fold(name))


def _units(rng, size):
    blocks = EmulationBlock.objects.bulk_create([
        EmulationBlock(code=f"{PREFIX}-KHOI-1", name="Khối các cơ quan tổng hợp", kind="block"),
        EmulationBlock(code=f"{PREFIX}-KHOI-2", name="Khối các cơ quan chuyên ngành", kind="block"),
        EmulationBlock(code=f"{PREFIX}-CUM-1", name="Cụm thi đua số 1", kind="cluster"),
        EmulationBlock(code=f"{PREFIX}-CUM-2", name="Cụm thi đua số 2", kind="cluster"),
    ])
    province = _unit(PREFIX, "Ủy ban nhân dân tỉnh (dữ liệu sinh)", UnitKind.PROVINCE, None)
    province.save()
    departments = []
    for i in range(size["departments"]):
        base = DEPARTMENT_NAMES[i % len(DEPARTMENT_NAMES)]
        name = base if i < len(DEPARTMENT_NAMES) else f"{base} (đơn vị {i + 1})"
        departments.append(_unit(f"{PREFIX}-S{i + 1:02d}", name, UnitKind.DEPARTMENT, province, blocks[i % 2]))
    districts = []
    for i in range(size["districts"]):
        base = DISTRICT_NAMES[i % len(DISTRICT_NAMES)]
        suffix = "" if i < len(DISTRICT_NAMES) else f" {i + 1}"
        districts.append(_unit(f"{PREFIX}-H{i + 1}", f"Ủy ban nhân dân {base}{suffix}", UnitKind.DISTRICT,
                               province, blocks[2 + i % 2]))
    Unit.objects.bulk_create(departments + districts, batch_size=BATCH)
    communes = []
    for i in range(size["communes"]):
        district = districts[i % len(districts)]
        word = COMMUNE_WORDS[rng.randrange(len(COMMUNE_WORDS))]
        kind_word = rng.choice(["xã", "xã", "phường", "thị trấn"])
        communes.append(_unit(f"{district.code}-X{i + 1:02d}", f"Ủy ban nhân dân {kind_word} {word} {i + 1}",
                              UnitKind.COMMUNE, district))
    Unit.objects.bulk_create(communes, batch_size=BATCH)
    parents = departments + districts + communes
    divisions = []
    per_parent = [0] * len(parents)
    for i in range(size["divisions"]):
        per_parent[i % len(parents)] += 1
    for parent, count in zip(parents, per_parent, strict=True):
        for j in range(count):
            name = DIVISION_NAMES[j % len(DIVISION_NAMES)]
            if j >= len(DIVISION_NAMES):
                name = f"{name} {j // len(DIVISION_NAMES) + 1}"
            divisions.append(_unit(f"{parent.code}.P{j + 1:02d}", f"{name} – {parent.name}"[:255],
                                   UnitKind.DIVISION, parent))
    Unit.objects.bulk_create(divisions, batch_size=BATCH)
    everything = [province] + departments + districts + communes + divisions
    return {"province": province, "departments": departments, "districts": districts, "communes": communes,
            "divisions": divisions, "all": everything, "snv": departments[0],
            "participants": departments + districts + communes + divisions}


def _name(rng, gender):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _people(rng, size, units):
    pool = units["all"]
    people = []
    for i in range(size["people"]):
        gender = rng.choice(["male", "female"])
        full_name = _name(rng, gender)
        people.append(Person(full_name=full_name, gender=gender, position=rng.choice(POSITIONS),
                             unit=pool[rng.randrange(len(pool))], staff_code=f"{PREFIX}-{i + 1:06d}",
                             search_name=fold(full_name)))
    Person.objects.bulk_create(people, batch_size=BATCH)
    return people


def _users(units):
    """One account per role plus an officer for each department and district; all share PASSWORD."""
    hashed = make_password(PASSWORD)
    snv = units["snv"]
    rows = [
        User(username="g.quantri", full_name="Quản trị (dữ liệu sinh)", role=Role.ADMIN, unit=snv,
             is_staff=True, is_superuser=True, password=hashed),
        User(username="g.thamdinh", full_name="Thẩm định (dữ liệu sinh)", role=Role.APPRAISER, unit=snv,
             password=hashed),
        User(username="g.lanhdao", full_name="Lãnh đạo (dữ liệu sinh)", role=Role.LEADER, password=hashed),
    ]
    officers = {}
    for unit in units["departments"] + units["districts"]:
        user = User(username=f"g.cb.{unit.code.lower()}", full_name=f"Cán bộ {unit.name}"[:150],
                    role=Role.OFFICER, unit=unit, password=hashed)
        rows.append(user)
        officers[unit.pk] = user
    User.objects.bulk_create(rows)
    return {"admin": rows[0], "appraiser": rows[1], "leader": rows[2], "officers": officers, "all": rows}


def _officer_for(unit, users, by_code):
    """The officer of the department/district the unit belongs to (None for the province)."""
    top = unit.path.split("/")[1] if unit.depth >= 1 else None
    if top is None:
        return None
    owner = by_code.get(top)
    return users["officers"].get(owner.pk) if owner else None


# Files -------------------------------------------------------------------------------------------------------


def _pdf_bytes(title):
    """A small valid one-page PDF written by hand (fast, no renderer needed)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _image_bytes(color, fmt):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (80, 50), color).save(buffer, format=fmt)
    return buffer.getvalue()


def _blobs():
    """Write the shared files once (named by content hash, so a second run reuses them)."""
    storage = private_storage()
    specs = [
        ("pdf", "application/pdf", _pdf_bytes("Bao cao ket qua (du lieu sinh)"), "Báo cáo kết quả.pdf"),
        ("pdf", "application/pdf", _pdf_bytes("Ke hoach cai cach hanh chinh"), "Kế hoạch CCHC.pdf"),
        ("pdf", "application/pdf", _pdf_bytes("To trinh de nghi khen thuong"), "Tờ trình đề nghị khen thưởng.pdf"),
        ("png", "image/png", _image_bytes((30, 110, 180), "PNG"), "Ảnh hoạt động.png"),
        ("jpg", "image/jpeg", _image_bytes((200, 120, 40), "JPEG"), "Ảnh hội nghị.jpg"),
    ]
    blobs = []
    for extension, mime, content, original in specs:
        sha = hashlib.sha256(content).hexdigest()
        name = f"bench/{sha[:32]}.{extension}"
        if not storage.exists(name):
            name = storage.save(name, ContentFile(content))
        blobs.append({"file": name, "content_type": mime, "sha256": sha, "size": len(content),
                      "original_name": original})
    return blobs


# The campaign and its work -----------------------------------------------------------------------------------


def _campaign(units):
    from campaigns.models import Campaign, CampaignStatus, EmulationContent, Milestone, MilestoneKind, YearlyTheme

    campaign = Campaign.objects.create(
        number=f"{PREFIX}-584/KH-UBND", issued_on=STARTS_ON, issuer="Ủy ban nhân dân tỉnh (dữ liệu sinh)",
        title="Đẩy mạnh công tác cải cách hành chính giai đoạn 2022 - 2025 (dữ liệu sinh)",
        starts_on=STARTS_ON, ends_on=ENDS_ON, organiser=units["snv"], status=CampaignStatus.LAUNCHED,
        participant_unit_kinds=[UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.DIVISION])
    campaign.contents_list = EmulationContent.objects.bulk_create([
        EmulationContent(campaign=campaign, number=n, short_title=t, text=x, expected_evidence="Văn bản, báo cáo.")
        for n, t, x in CONTENTS])
    milestones = []
    for year in YEARS:
        milestones.append(Milestone(
            campaign=campaign, kind=MilestoneKind.YEARLY_REPORT, year=year,
            title=f"Báo cáo kết quả năm {year}", period_start=max(STARTS_ON, datetime.date(year, 1, 1)),
            period_end=datetime.date(year, 12, 31), due_on=datetime.date(year, 12, 31)))
    milestones.append(Milestone(campaign=campaign, kind=MilestoneKind.INTERIM_REVIEW, title="Sơ kết (Quý IV/2023)",
                                period_start=STARTS_ON, period_end=datetime.date(2023, 12, 31),
                                due_on=datetime.date(2023, 12, 31)))
    milestones.append(Milestone(campaign=campaign, kind=MilestoneKind.FINAL_REVIEW, title="Tổng kết (Quý IV/2025)",
                                period_start=STARTS_ON, period_end=ENDS_ON, due_on=ENDS_ON))
    campaign.milestones_list = Milestone.objects.bulk_create(milestones)
    YearlyTheme.objects.bulk_create([
        YearlyTheme(campaign=campaign, year=year, title=f"Chủ đề thi đua năm {year} (dữ liệu sinh)",
                    guidance="Hướng dẫn thực hiện.", published_at=_aware(datetime.date(year, 1, 15)))
        for year in YEARS])
    return campaign


def _registrations(rng, campaign, units):
    from campaigns.models import Registration, RegistrationCommitment

    total = 0
    for year in YEARS:
        rows = [Registration(campaign=campaign, unit=unit, year=year, note="Dữ liệu sinh")
                for unit in units["participants"] if rng.random() >= 0.125]
        Registration.objects.bulk_create(rows, batch_size=BATCH)
        RegistrationCommitment.objects.bulk_create([
            RegistrationCommitment(registration=reg, content=content,
                                   commitment=f"Cam kết thực hiện nội dung {content.number} năm {year}.")
            for reg in rows for content in campaign.contents_list], batch_size=BATCH)
        total += len(rows)
    return total


def _achievements(rng, size, campaign, units, people, users, blobs):
    from campaigns.models import Achievement, AchievementStatus, EvidenceFile

    by_code = {u.code: u for u in units["all"]}
    people_by_unit = {}
    for person in people:
        people_by_unit.setdefault(person.unit_id, []).append(person)
    participants = units["participants"]
    statuses = [AchievementStatus.ACCEPTED] * 6 + [AchievementStatus.SUBMITTED] * 3 + [AchievementStatus.CLARIFICATION]
    target = size["evidence"]
    files_done = achievements_done = 0
    while files_done < target:
        batch, file_counts, planned = [], [], files_done
        while len(batch) < BATCH and planned < target:
            unit = participants[rng.randrange(len(participants))]
            year = YEARS[rng.randrange(len(YEARS))]
            content = campaign.contents_list[rng.randrange(len(campaign.contents_list))]
            status = statuses[rng.randrange(len(statuses))]
            local = people_by_unit.get(unit.pk)
            person = local[rng.randrange(len(local))] if local and rng.random() < 0.3 else None
            number = achievements_done + len(batch) + 1
            achievement = Achievement(
                campaign=campaign, unit=unit, year=year, content=content, person=person, status=status,
                title=f"{ACHIEVEMENT_WORDS[rng.randrange(len(ACHIEVEMENT_WORDS))]} năm {year} (số {number})",
                description="Kết quả thực hiện có văn bản kèm theo (dữ liệu sinh).",
                created_by=_officer_for(unit, users, by_code))
            if status == AchievementStatus.CLARIFICATION:
                achievement.review_comment = "Đề nghị bổ sung văn bản chứng minh."
            batch.append(achievement)
            file_counts.append(min(1 + rng.randrange(4), target - planned))
            achievement.evidence_count = file_counts[-1]  # bulk_create sends no signal: the counter is set here
            planned += file_counts[-1]
        Achievement.objects.bulk_create(batch, batch_size=BATCH)
        files = []
        for achievement, count in zip(batch, file_counts, strict=True):
            for _k in range(count):
                blob = blobs[rng.randrange(len(blobs))]
                files.append(EvidenceFile(achievement=achievement, uploaded_by=achievement.created_by,
                                          uploaded_at=_aware(datetime.date(achievement.year, 6, 1)), **blob))
        EvidenceFile.objects.bulk_create(files, batch_size=BATCH)
        files_done += len(files)
        achievements_done += len(batch)
    return achievements_done, files_done


def _initiatives(rng, size, campaign, units, people, users):
    from campaigns.models import Initiative, InitiativeLevel, InitiativeStatus

    with_people = list(people)
    rows = []
    for i in range(size["initiatives"]):
        author = with_people[rng.randrange(len(with_people))]
        year = YEARS[rng.randrange(len(YEARS))]
        status = rng.choice([InitiativeStatus.PROPOSED, InitiativeStatus.RECOGNISED, InitiativeStatus.RECOGNISED,
                             InitiativeStatus.REFUSED])
        initiative = Initiative(campaign=campaign, unit_id=author.unit_id, year=year, status=status,
                                title=f"Sáng kiến số {i + 1}: cải tiến quy trình giải quyết hồ sơ",
                                problem="Hồ sơ giải quyết chậm.", solution="Chuẩn hóa quy trình.",
                                effect="Rút ngắn thời gian.")
        if status == InitiativeStatus.RECOGNISED:
            initiative.level = rng.choice(InitiativeLevel.values)
            initiative.decision_number = f"{PREFIX}-{i + 1}/QĐ-SK"
            initiative.decision_date = datetime.date(year, 11, 20)
        elif status == InitiativeStatus.REFUSED:
            initiative.refusal_reason = "Chưa chứng minh được hiệu quả."
        initiative.author_pk = author.pk
        rows.append(initiative)
    Initiative.objects.bulk_create(rows, batch_size=BATCH)
    through = Initiative.authors.through
    through.objects.bulk_create([through(initiative_id=i.pk, person_id=i.author_pk) for i in rows],
                                batch_size=BATCH)
    return len(rows)


def _inspections_and_models(rng, size, campaign, units, people, users, blobs):
    from campaigns.models import ExemplaryModel, FollowUpTask, Inspection

    inspected = units["departments"] + units["districts"] + units["communes"]
    inspections, tasks = [], []
    for i in range(size["inspections"]):
        year = YEARS[1 + rng.randrange(len(YEARS) - 1)]
        day = datetime.date(year, 3 + rng.randrange(8), 1 + rng.randrange(28))
        inspection = Inspection(campaign=campaign, unit=inspected[rng.randrange(len(inspected))], inspected_on=day,
                                inspectors="Đoàn kiểm tra Sở Nội vụ (dữ liệu sinh)",
                                findings=f"Kết quả kiểm tra số {i + 1}: cơ bản hoàn thành kế hoạch.",
                                created_by=users["appraiser"])
        inspections.append(inspection)
        for n in range(rng.randrange(3)):
            done = rng.random() < 0.6
            tasks.append(FollowUpTask(inspection=inspection, description=f"Khắc phục tồn tại số {n + 1}.",
                                      deadline=day + datetime.timedelta(days=60),
                                      completed_on=day + datetime.timedelta(days=45) if done else None,
                                      completion_note="Đã khắc phục." if done else ""))
    Inspection.objects.bulk_create(inspections, batch_size=BATCH)
    FollowUpTask.objects.bulk_create(tasks, batch_size=BATCH)
    kinds = [ExemplaryModel.Kind.COLLECTIVE, ExemplaryModel.Kind.INDIVIDUAL, ExemplaryModel.Kind.PRACTICE]
    models = []
    for i in range(size["exemplary"]):
        kind = kinds[i % len(kinds)]
        year = YEARS[rng.randrange(len(YEARS))]
        person = people[rng.randrange(len(people))] if kind == ExemplaryModel.Kind.INDIVIDUAL else None
        unit = inspected[rng.randrange(len(inspected))] if person is None else None
        model = ExemplaryModel(campaign=campaign, kind=kind, year=year, unit=unit, person=person,
                               title=f"Gương điển hình số {i + 1} năm {year}",
                               story="Câu chuyện về cách làm hay trong cải cách hành chính (dữ liệu sinh).",
                               published_at=_aware(datetime.date(year, 12, 1)) if rng.random() < 0.8 else None)
        if kind != ExemplaryModel.Kind.PRACTICE:
            photo = blobs[3 + rng.randrange(2)]  # the PNG or the JPEG
            for field, value in photo.items():
                setattr(model, field, value)
        models.append(model)
    ExemplaryModel.objects.bulk_create(models, batch_size=BATCH)
    return len(inspections), len(models)


# PAR index ---------------------------------------------------------------------------------------------------


def _par(rng, units):
    try:
        from par import demo as par_demo
        from par import services as par_services
        from par.models import CriteriaSet, Criterion, Score, ScoreSheet, SheetStatus, UnitGroup
    except ImportError:  # the PAR app is optional for the generator
        return {}
    from decimal import Decimal

    members = {UnitKind.DEPARTMENT.value: units["departments"], UnitKind.DISTRICT.value: units["districts"],
               UnitKind.COMMUNE.value: units["communes"]}
    sheets_total = scores_total = 0
    for year in YEARS:
        for group in UnitGroup.values:
            survey = group != UnitGroup.COMMUNE
            published = year < YEARS[-1]
            criteria_set = CriteriaSet.objects.create(
                year=year, group=group, title=f"Bộ chỉ số CCHC năm {year} – {UnitGroup(group).label} (dữ liệu sinh)",
                decision=f"QĐ {year % 100}/QĐ-UBND (dữ liệu sinh)", survey_enabled=survey,
                survey_weight=Decimal("30") if survey else Decimal("0"),
                published_at=_aware(datetime.date(year + 1, 3, 1)) if published else None)
            par_services._write_tree(criteria_set, par_demo.demo_rows(group))
            leaves = list(Criterion.objects.filter(criteria_set=criteria_set, is_leaf=True).order_by("sort_key"))
            work_leaves = sum(1 for leaf in leaves if not leaf.is_survey)
            cycle = [SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.UNDER_APPRAISAL, SheetStatus.RETURNED,
                     SheetStatus.APPRAISED]
            sheets = [ScoreSheet(criteria_set=criteria_set, unit=unit, leaf_count=work_leaves,
                                 status=SheetStatus.PUBLISHED if published else cycle[i % len(cycle)])
                      for i, unit in enumerate(members[group])]
            ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
            scores = []
            for sheet in sheets:
                quality = rng.uniform(0.6, 0.98)
                appraised = sheet.status in (SheetStatus.PUBLISHED, SheetStatus.APPRAISED, SheetStatus.RETURNED)
                share = 1.0 if sheet.status != SheetStatus.DRAFT else rng.uniform(0.2, 0.8)
                scores += par_demo.sample_scores(
                    rng, sheet, leaves, quality=quality, share=share, surveyed=appraised, appraised=appraised,
                    texts=("Không có nhiệm vụ này trong năm.", "Đã thực hiện.", "Tài liệu kiểm chứng chưa đầy đủ."))
            Score.objects.bulk_create(scores, batch_size=BATCH)
            for sheet in sheets:
                sheet.criteria_set = criteria_set
                par_services.sheet_recompute(sheet)
            sheets_total += len(sheets)
            scores_total += len(scores)
    return {"criteria_sets": len(YEARS) * len(UnitGroup.values), "sheets": sheets_total, "scores": scores_total}


# Awards ------------------------------------------------------------------------------------------------------


def _awards(rng, size, campaign, units, people, users, blobs):
    try:
        from awards import catalogue
        from awards.models import (
            AwardForm,
            AwardRule,
            CommendationRecord,
            Decision,
            DocumentType,
            Dossier,
            DossierDocument,
            DossierState,
            DossierSubmission,
            Nominee,
            RecipientKind,
        )
    except ImportError:  # the awards app is optional for the generator
        return {}
    S = DossierState
    catalogue.ensure_catalogue()
    forms = list(AwardForm.objects.filter(active=True).order_by("order", "code"))
    rules = {}
    for rule in AwardRule.objects.order_by("valid_from"):
        rules.setdefault(rule.form_id, []).append(rule)
    doc_types = list(DocumentType.objects.order_by("order", "code"))
    milestones = campaign.milestones_list
    by_code = {u.code: u for u in units["all"]}
    people_by_unit = {}
    for person in people:
        people_by_unit.setdefault(person.unit_id, []).append(person)
    proposers = units["participants"]
    states = list(S.values)
    # Weighted towards the states a real year has most of, but every state present.
    weights = {S.DRAFT: 10, S.SUBMITTED: 10, S.RECEIVED: 8, S.UNDER_APPRAISAL: 10, S.RETURNED: 6, S.PROPOSED: 8,
               S.NOT_PROPOSED: 4, S.AT_COUNCIL: 6, S.PASSED: 4, S.PROPOSED_CENTRAL: 2, S.AWARDED: 30,
               S.NOT_AWARDED: 4, S.WITHDRAWN: 4}
    state_pool = [s for s in states for _w in range(weights[s])]
    decisions = {}
    dossiers, plans = [], []
    for i in range(size["dossiers"]):
        milestone = milestones[rng.randrange(len(milestones))]
        unit = proposers[rng.randrange(len(proposers))]
        form = forms[rng.randrange(len(forms))]
        state = state_pool[rng.randrange(len(state_pool))] if i >= len(states) else states[i]
        day = min(milestone.due_on, datetime.date(2025, 12, 31)) - datetime.timedelta(days=rng.randrange(60))
        form_rules = rules.get(form.pk) or [None]
        rule = next((r for r in reversed(form_rules) if r and r.valid_from <= day), form_rules[0])
        dossier = Dossier(campaign=campaign, milestone=milestone, unit=unit, form=form, rule=rule, state=state,
                          created_by=_officer_for(unit, users, by_code), created_at=_aware(day, 8))
        if state != S.DRAFT:
            dossier.submission_count = 2 if state == S.RETURNED and rng.random() < 0.3 else 1
            dossier.submitted_at = _aware(day, 10)
        if state not in (S.DRAFT, S.SUBMITTED, S.WITHDRAWN):
            dossier.received_on = day + datetime.timedelta(days=2)
            dossier.due_on = day + datetime.timedelta(days=30)
        elif state == S.SUBMITTED:
            dossier.due_on = day + datetime.timedelta(days=30)
        if state == S.RETURNED:
            dossier.return_reasons = "Thiếu biên bản họp Hội đồng thi đua - khen thưởng."
        if state in (S.PROPOSED, S.NOT_PROPOSED, S.AT_COUNCIL, S.PASSED, S.PROPOSED_CENTRAL, S.AWARDED, S.NOT_AWARDED):
            dossier.appraisal_note = "Hồ sơ đầy đủ theo quy định." if state != S.NOT_PROPOSED else "Chưa đủ điều kiện."
            dossier.council_date = day
            dossier.council_members = 9
            dossier.council_present = 8
            dossier.council_votes = 7
        if state == S.AWARDED:
            key = milestone.pk
            if key not in decisions:
                decision_day = min(milestone.due_on + datetime.timedelta(days=20), datetime.date(2026, 1, 20))
                decisions[key] = Decision(number=f"{PREFIX}-{len(decisions) + 1}/QĐ-UBND", date=decision_day,
                                          signer="Chủ tịch UBND tỉnh (dữ liệu sinh)", signer_title="Chủ tịch",
                                          authority="Ủy ban nhân dân tỉnh", created_by=users["admin"])
            dossier.decision_key = key
        dossiers.append(dossier)
        # Nominees: one to three collectives (the unit) and/or individuals of the unit.
        local = people_by_unit.get(unit.pk, [])
        nominees = []
        if form.accepts(RecipientKind.COLLECTIVE):
            nominees.append(("unit", unit))
        if form.accepts(RecipientKind.INDIVIDUAL) and local:
            for person in rng.sample(local, min(len(local), 1 + rng.randrange(2))):
                nominees.append(("person", person))
        if not nominees:
            nominees.append(("unit", unit))
        plans.append(nominees)
    Decision.objects.bulk_create(list(decisions.values()))
    for dossier in dossiers:
        if getattr(dossier, "decision_key", None) is not None:
            dossier.decision = decisions[dossier.decision_key]
    Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
    nominee_rows, documents, submissions, records, audit_rows = [], [], [], [], []
    for dossier, plan in zip(dossiers, plans, strict=True):
        for kind, target in plan:
            nominee_rows.append(Nominee(dossier=dossier, summary="Hoàn thành xuất sắc nhiệm vụ (dữ liệu sinh).",
                                        **{kind: target}))
            if dossier.state == S.AWARDED:
                year = dossier.milestone.year or dossier.decision.date.year
                records.append(CommendationRecord(
                    form=dossier.form, year=year, period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31), basis=dossier.form.basis,
                    decision_number=dossier.decision.number, decision_date=dossier.decision.date,
                    decision=dossier.decision, dossier=dossier, **{kind: target}))
        for position in range(1 + rng.randrange(3)):
            blob = blobs[rng.randrange(3)]  # the PDFs
            documents.append(DossierDocument(dossier=dossier, doc_type=doc_types[position % len(doc_types)],
                                             uploaded_by=dossier.created_by, uploaded_at=dossier.created_at, **blob))
        for number in range(1, dossier.submission_count + 1):
            submissions.append(DossierSubmission(
                dossier=dossier, number=number, at=dossier.submitted_at, by=dossier.created_by,
                snapshot={"nominees": {}, "documents": {}, "council": {}, "simplified": False},
                changes=[] if number == 1 else ["Thêm tài liệu: Biên bản họp Hội đồng"]))
        if dossier.state != S.DRAFT:
            audit_rows.append(AuditEntry(
                at=dossier.submitted_at, actor=dossier.created_by, action="dossier_submit",
                target_type=Dossier._meta.label_lower, target_id=str(dossier.pk),
                target_label=f"Hồ sơ số {dossier.pk}", changes={"from": "draft", "to": "submitted"}))
    Nominee.objects.bulk_create(nominee_rows, batch_size=BATCH)
    DossierDocument.objects.bulk_create(documents, batch_size=BATCH)
    DossierSubmission.objects.bulk_create(submissions, batch_size=BATCH)
    CommendationRecord.objects.bulk_create(records, batch_size=BATCH)
    AuditEntry.objects.bulk_create(audit_rows, batch_size=BATCH)
    return {"dossiers": len(dossiers), "nominees": len(nominee_rows), "dossier_documents": len(documents),
            "decisions": len(decisions), "commendations": len(records)}

