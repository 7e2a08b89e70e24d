"""Demo data for the plan side: Plan 584/KH-UBND in full, yearly themes, registrations, two inspections.

Called by `python manage.py load_demo` after the units demo. Idempotent: the campaign is matched by its number,
contents by number, milestones by kind and year, themes by year, registrations by (unit, year), inspections by
(unit, date). The plan's texts are copied here from the published plan; the product never reads the seed file.
"""

import datetime
import zlib

from django.db import transaction
from django.utils import timezone

from core import audit
from units.models import Role, Unit, UnitKind, User

from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    EmulationContent,
    FollowUpTask,
    Inspection,
    Milestone,
    MilestoneKind,
    Registration,
    RegistrationCommitment,
    YearlyTheme,
)
from .selectors.plan import participating_units

NUMBER = "584/KH-UBND"
ISSUED_ON = datetime.date(2022, 10, 14)
STARTS_ON = ISSUED_ON
ENDS_ON = datetime.date(2025, 12, 31)
ISSUER = "Ủy ban nhân dân tỉnh Đắk Nông"
TITLE = "Đẩy mạnh công tác cải cách hành chính trên địa bàn tỉnh Đắk Nông giai đoạn 2022 - 2025"

PURPOSE = (
    "Nhằm tạo khí thế thi đua sôi nổi, cổ vũ, động viên các tập thể, cá nhân nỗ lực phấn đấu thực hiện tốt công tác "
    "cải cách hành chính nhà nước giai đoạn 2021 - 2025. Nâng cao ý thức trách nhiệm của các tập thể, cá nhân trong "
    "thực hiện nhiệm vụ cải cách hành chính tại từng cơ quan, đơn vị, địa phương, góp phần xây dựng nền hành chính "
    "hiện đại, hiệu lực, hiệu quả. Biểu dương, khen thưởng những tập thể, cá nhân có thành tích xuất sắc trong công "
    "tác cải cách hành chính."
)

# "Thời gian thi đua" and the tasks the plan gives Sở Nội vụ, as written in the plan.
REQUIREMENTS = (
    "Thời gian thi đua: Phong trào thi đua được triển khai từ ngày ban hành kế hoạch đến hết năm 2025; sơ kết Phong "
    "trào thi đua vào Quý IV/2023 và tổng kết Phong trào thi đua vào Quý IV/2025.\n"
    "Ủy ban nhân dân tỉnh giao Sở Nội vụ:\n"
    "Hàng năm hướng dẫn, lựa chọn chủ đề thi đua, theo dõi, đôn đốc, kiểm tra các cơ quan, đơn vị, địa phương việc "
    "tổ chức thực hiện Kế hoạch.\n"
    "Tổng hợp, thẩm định hồ sơ, đề nghị khen thưởng cho các tập thể, cá nhân có thành tích xuất sắc, tiêu biểu trong "
    "Phong trào thi đua bảo đảm theo đúng quy định.\n"
    "Hàng năm, tổng hợp, báo cáo kết quả thực hiện Phong trào thi đua về UBND tỉnh; tham mưu UBND tỉnh tổ chức Hội "
    "nghị sơ kết, tổng kết thực hiện Phong trào thi đua bảo đảm thiết thực, hiệu quả.\n"
    "Phối hợp với các cơ quan, đơn vị có liên quan tuyên truyền, phổ biến, nhân rộng gương điển hình tiên tiến, cách "
    "làm hay, sáng tạo, linh hoạt trong Phong trào thi đua."
)

COLLECTIVES = (
    "Đối với tập thể: Các Sở, Ban, ngành; UBND các huyện, thành phố Gia Nghĩa; UBND các xã, phường, thị trấn. Các "
    "Phòng, ban chuyên môn thuộc Sở, Ban, ngành; UBND các huyện, thành phố Gia Nghĩa."
)
INDIVIDUALS = (
    "Đối với cá nhân: Cá nhân thuộc các Sở, Ban, ngành; UBND các huyện, thành phố Gia Nghĩa; UBND các xã, phường, "
    "thị trấn."
)
PARTICIPANT_KINDS = [UnitKind.DEPARTMENT.value, UnitKind.DISTRICT.value, UnitKind.COMMUNE.value,
                     UnitKind.DIVISION.value]

# (number, short title, text worded exactly as in the plan, expected evidence — the last is an app suggestion).
CONTENTS = [
    (1, "Trách nhiệm người đứng đầu",
     "Thi đua nâng cao trách nhiệm của người đứng đầu các cơ quan, đơn vị trong lãnh đạo, chỉ đạo triển khai thực "
     "hiện các nhiệm vụ cải cách hành chính.",
     "Văn bản lãnh đạo, chỉ đạo của người đứng đầu về cải cách hành chính; kế hoạch cải cách hành chính năm của đơn "
     "vị; báo cáo kết quả thực hiện."),
    (2, "Thực hiện các nhiệm vụ cải cách hành chính",
     "Thi đua thực hiện các nhiệm vụ cải cách hành chính theo Chương trình tổng thể cải cách hành chính nhà nước của "
     "Chính phủ, Nghị quyết cải cách hành chính của Tỉnh ủy; Kế hoạch cải cách hành chính hàng năm, giai đoạn của "
     "UBND tỉnh, trong đó tập trung vào các nội dung: Công tác chỉ đạo, điều hành cải cách hành chính, cải cách thể "
     "chế, cải cách thủ tục hành chính, cải cách tổ chức bộ máy hành chính nhà nước, cải cách chế độ công vụ, cải "
     "cách tài chính công, xây dựng và phát triển chính quyền điện tử, chính quyền số.",
     "Báo cáo kết quả thực hiện từng lĩnh vực cải cách hành chính kèm số liệu (thủ tục hành chính, hồ sơ trực tuyến, "
     "tổ chức bộ máy, công vụ, tài chính công)."),
    (3, "Bộ chỉ số đánh giá, xếp hạng cải cách hành chính",
     "Thi đua thực hiện hoàn thành tốt các tiêu chí trong Bộ chỉ số đánh giá, xếp hạng kết quả cải cách hành chính "
     "của các cơ quan, đơn vị, địa phương trên địa bàn tỉnh.",
     "Bảng tự đánh giá, chấm điểm theo Bộ chỉ số cải cách hành chính của tỉnh kèm tài liệu kiểm chứng."),
    (4, "Sáng kiến, giải pháp cải cách hành chính",
     "Thi đua trong việc đề xuất các giải pháp, sáng kiến trong thực hiện nhiệm vụ cải cách hành chính tạo sự chuyển "
     "biến có tính đột phá, mang lại hiệu quả thiết thực, nâng cao sự hài lòng của tổ chức và cá nhân đối với sự phục "
     "vụ của cơ quan hành chính nhà nước.",
     "Đơn đề nghị công nhận sáng kiến, giải pháp; quyết định công nhận (nếu có); báo cáo hiệu quả áp dụng."),
    (5, "Chính quyền điện tử, chính quyền số, chuyển đổi số",
     "Huy động và sử dụng có hiệu quả các nguồn lực để xây dựng chính quyền điện tử, chính quyền số, chuyển đổi số "
     "đồng bộ, toàn diện, nhằm tạo môi trường thuận lợi thu hút đầu tư, nâng cao năng lực cạnh tranh, xây dựng hệ "
     "thống chính trị trong sạch, vững mạnh.",
     "Báo cáo nguồn lực đầu tư cho chuyển đổi số; số liệu dịch vụ công trực tuyến, hồ sơ điện tử, ứng dụng dùng "
     "chung."),
]

# Yearly themes: NOT the real themes (they were not found); plausible demo titles. They are marked as sample data
# where people read them in the application (the guidance text says so), never in the title: the title is printed
# in the reports' documents, which must never carry a demo marker.
THEMES = {
    2023: ("Năm đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp",
           datetime.date(2023, 2, 15)),
    2024: ("Năm đẩy mạnh chuyển đổi số, nâng cao Chỉ số cải cách hành chính và Chỉ số hài lòng của người dân",
           datetime.date(2024, 2, 20)),
    2025: ("Năm tăng tốc, về đích các mục tiêu cải cách hành chính giai đoạn 2022 - 2025",
           datetime.date(2025, 2, 18)),
}
THEME_GUIDANCE = (
    "Văn bản mẫu do hệ thống tạo để trình diễn, không phải văn bản chính thức của Sở Nội vụ.\n"
    "Các cơ quan, đơn vị, địa phương đăng ký thi đua trên hệ thống, nêu cam kết cụ thể cho từng nội dung thi đua, "
    "cập nhật minh chứng kết quả thực hiện trong năm và gửi báo cáo trước ngày 15/12."
)

COMMITMENTS = {
    1: "Người đứng đầu trực tiếp chỉ đạo, ban hành kế hoạch cải cách hành chính năm {year} đúng hạn.",
    2: "Hoàn thành 100% nhiệm vụ trong kế hoạch cải cách hành chính năm {year}; không có hồ sơ trễ hạn.",
    3: "Phấn đấu tăng điểm Chỉ số cải cách hành chính năm {year} so với năm trước.",
    4: "Đề xuất ít nhất 01 sáng kiến, giải pháp cải cách hành chính trong năm {year}.",
    5: "Tỷ lệ hồ sơ trực tuyến toàn trình năm {year} đạt trên 50%; 100% văn bản điện tử có chữ ký số.",
}
REGISTRATION_YEARS = (2023, 2024, 2025)

INSPECTIONS = [
    ("DM", datetime.date(2024, 9, 12), "Đoàn kiểm tra công tác cải cách hành chính của Sở Nội vụ (dữ liệu mẫu)",
     "Đơn vị triển khai kế hoạch cải cách hành chính đúng tiến độ; niêm yết thủ tục hành chính tại bộ phận một cửa "
     "chưa đầy đủ; tỷ lệ hồ sơ trực tuyến còn thấp.",
     [("Niêm yết đầy đủ, đúng quy định thủ tục hành chính tại bộ phận một cửa", datetime.date(2024, 10, 31),
       datetime.date(2024, 10, 20), "Đã niêm yết bổ sung 27 thủ tục."),
      ("Nâng tỷ lệ hồ sơ trực tuyến toàn trình lên trên 50%", datetime.date(2024, 12, 31), None, "")]),
    ("GN-01", datetime.date(2025, 5, 6), "Đoàn kiểm tra công tác cải cách hành chính của Sở Nội vụ (dữ liệu mẫu)",
     "Phường thực hiện tốt việc tiếp nhận, trả kết quả hồ sơ; việc số hóa kết quả giải quyết thủ tục hành chính còn "
     "chậm.",
     [("Hoàn thành số hóa kết quả giải quyết thủ tục hành chính còn tồn", datetime.date(2025, 6, 30), None, "")]),
]


def _skips(unit, year):
    """Deterministically leave about one unit in eight unregistered each year (gaps for the monitoring page)."""
    return zlib.crc32(f"{unit.code}:{year}".encode()) % 8 == 0


@transaction.atomic
def build():
    organiser = Unit.objects.filter(code="SNV").first()
    campaign, _created = Campaign.objects.update_or_create(number=NUMBER, defaults={
        "issued_on": ISSUED_ON, "issuer": ISSUER, "title": TITLE, "kind": CampaignKind.THEMATIC,
        "starts_on": STARTS_ON, "ends_on": ENDS_ON, "purpose": PURPOSE, "requirements": REQUIREMENTS,
        "participant_unit_kinds": PARTICIPANT_KINDS, "individuals_take_part": True,
        "individuals_note": f"{COLLECTIVES}\n{INDIVIDUALS}", "organiser": organiser,
        "status": CampaignStatus.LAUNCHED,
    })
    contents = plan_contents(campaign, CONTENTS)
    plan_milestones(campaign, interim_ends=datetime.date(2023, 12, 31), yearly_due=(12, 31))
    plan_themes(campaign, THEMES, THEME_GUIDANCE)
    registrations = _registrations(campaign, contents)
    inspections = _inspections(campaign)
    audit.record_bulk(actor=None, action="demo_load", label=f"Kế hoạch {NUMBER}",
                      changes={"registrations": registrations, "inspections": inspections})
    return (f"Kế hoạch {NUMBER}: {len(contents)} nội dung thi đua, {campaign.milestones.count()} mốc, "
            f"{campaign.themes.count()} chủ đề năm, {registrations} lượt đăng ký thi đua, {inspections} đợt kiểm tra.")


# The plan's contents, milestones and themes: Plan 584 and the next movement (demo_movement) are built alike.

def plan_contents(campaign, rows):
    """The plan's emulation contents from (number, short title, text, expected evidence) rows, matched by number."""
    contents = {}
    for number, short_title, text, evidence in rows:
        contents[number], _ = EmulationContent.objects.update_or_create(
            campaign=campaign, number=number,
            defaults={"short_title": short_title, "text": text, "expected_evidence": evidence})
    return contents


def plan_milestones(campaign, *, interim_ends, yearly_due):
    """A yearly report for each year of the plan, due on (month, day) `yearly_due` of that year; the interim review
    (sơ kết) of the period up to `interim_ends`, the final review (tổng kết) of the whole plan; matched by kind and
    year."""
    starts_on, ends_on = campaign.starts_on, campaign.ends_on
    for year in range(starts_on.year, ends_on.year + 1):
        Milestone.objects.update_or_create(campaign=campaign, kind=MilestoneKind.YEARLY_REPORT, year=year, defaults={
            "title": f"Báo cáo kết quả thực hiện Phong trào thi đua năm {year}",
            "period_start": max(starts_on, datetime.date(year, 1, 1)), "period_end": datetime.date(year, 12, 31),
            "due_on": datetime.date(year, *yearly_due)})
    Milestone.objects.update_or_create(campaign=campaign, kind=MilestoneKind.INTERIM_REVIEW, defaults={
        "title": f"Sơ kết Phong trào thi đua (Quý IV/{interim_ends.year})", "year": None, "period_start": starts_on,
        "period_end": interim_ends, "due_on": interim_ends})
    Milestone.objects.update_or_create(campaign=campaign, kind=MilestoneKind.FINAL_REVIEW, defaults={
        "title": f"Tổng kết Phong trào thi đua (Quý IV/{ends_on.year})", "year": None, "period_start": starts_on,
        "period_end": ends_on, "due_on": ends_on})


def plan_themes(campaign, themes, guidance):
    """The yearly themes from {year: (title, published on)}, published at 8:00 that day; matched by year."""
    tz = timezone.get_current_timezone()
    for year, (title, published_on) in themes.items():
        published_at = datetime.datetime.combine(published_on, datetime.time(8, 0), tzinfo=tz)
        YearlyTheme.objects.update_or_create(campaign=campaign, year=year, defaults={
            "title": title, "guidance": guidance, "published_at": published_at})


def _registrations(campaign, contents):
    officers = dict(User.objects.filter(role=Role.OFFICER).values_list("unit_id", "pk"))
    for year in REGISTRATION_YEARS:
        units = [u for u in participating_units(campaign, year).order_by("path") if not _skips(u, year)]
        done = set(Registration.objects.filter(campaign=campaign, year=year).values_list("unit_id", flat=True))
        Registration.objects.bulk_create([
            Registration(campaign=campaign, unit=unit, year=year, registered_by_id=officers.get(unit.pk),
                         note="Dữ liệu mẫu")
            for unit in units if unit.pk not in done
        ])
        tz = timezone.get_current_timezone()
        Registration.objects.filter(campaign=campaign, year=year, note="Dữ liệu mẫu").update(
            registered_at=datetime.datetime(year, 3, 1, 9, 0, tzinfo=tz))
        have = set(RegistrationCommitment.objects.filter(registration__campaign=campaign, registration__year=year)
                   .values_list("registration_id", "content_id"))
        RegistrationCommitment.objects.bulk_create([
            RegistrationCommitment(registration_id=reg_id, content=content,
                                   commitment=COMMITMENTS[number].format(year=year))
            for reg_id in Registration.objects.filter(campaign=campaign, year=year).values_list("pk", flat=True)
            for number, content in contents.items() if (reg_id, content.pk) not in have
        ])
    return Registration.objects.filter(campaign=campaign).count()


def _inspections(campaign):
    inspector = User.objects.filter(role=Role.APPRAISER).order_by("pk").first()
    for code, inspected_on, inspectors, findings, tasks in INSPECTIONS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        inspection, _ = Inspection.objects.update_or_create(
            campaign=campaign, unit=unit, inspected_on=inspected_on,
            defaults={"inspectors": inspectors, "findings": findings, "created_by": inspector})
        for description, deadline, completed_on, note in tasks:
            FollowUpTask.objects.update_or_create(inspection=inspection, description=description, defaults={
                "deadline": deadline, "completed_on": completed_on, "completion_note": note})
    return Inspection.objects.filter(campaign=campaign).count()
