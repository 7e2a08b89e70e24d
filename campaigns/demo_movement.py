"""Demo data: the next movement as data, a 2026–2030 administrative-reform movement of the new Lâm Đồng province.

Nothing in the code knows this plan: it is rows like Plan 584's, built here only so the demo shows two movements
side by side (Plan 584 closed after its final review, see `demo_close`; this one launched). The plan is a sample:
its number and date are not those of a real document (`Campaign.sample`, shown as "Dữ liệu mẫu" wherever the plan
is named), its texts are plausible wording for a movement under the national master programme for public
administration reform 2021–2030 and the two-tier local government in force from 01/07/2025.

Called by `load_demo` after every other builder (`CampaignsConfig.demo_closing`): the 1/7/2025
restructuring has then made the new province's Sở Nội vụ and communes, which organise and take part. Idempotent:
the campaign is matched by its number, contents by number, milestones by kind and year, themes by year,
registrations by (unit, year).
"""

import datetime
import zlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from units.models import Role, Unit, UnitKind, User

from .demo_plan import plan_contents, plan_milestones, plan_themes
from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Registration,
    RegistrationCommitment,
)
from .selectors.plan import participating_units

NUMBER = "01/KH-UBND"  # a sample number (Campaign.sample): no real plan of the new province is implied
ISSUED_ON = datetime.date(2026, 1, 15)
STARTS_ON = ISSUED_ON
ENDS_ON = datetime.date(2030, 12, 31)
ISSUER = "Ủy ban nhân dân tỉnh Lâm Đồng"
TITLE = ("Đẩy mạnh cải cách hành chính, xây dựng chính quyền địa phương hai cấp phục vụ Nhân dân trên địa bàn tỉnh "
         "Lâm Đồng giai đoạn 2026 - 2030")

# Who organises it: the new province's Sở Nội vụ (code from the 2025 restructuring data). Until that restructuring
# is in the demo, the Sở Nội vụ in force, else the province at the top of the tree.
ORGANISER_CODES = ("LDG-SNV", "SNV")

PURPOSE = (
    "Tạo khí thế thi đua sôi nổi, động viên các cơ quan, đơn vị, địa phương và cán bộ, công chức, viên chức thực "
    "hiện thắng lợi các mục tiêu cải cách hành chính của tỉnh giai đoạn 2026 - 2030, vận hành thông suốt, hiệu quả "
    "chính quyền địa phương hai cấp sau sắp xếp. Kịp thời phát hiện, biểu dương, khen thưởng và nhân rộng các tập "
    "thể, cá nhân có thành tích xuất sắc."
)
REQUIREMENTS = (
    "Thời gian thi đua: từ ngày ban hành kế hoạch đến hết năm 2030; sơ kết vào Quý IV/2028, tổng kết vào Quý "
    "IV/2030.\n"
    "Giao Sở Nội vụ hằng năm hướng dẫn chủ đề thi đua, theo dõi, đôn đốc, kiểm tra việc thực hiện; tổng hợp, thẩm "
    "định hồ sơ đề nghị khen thưởng; tham mưu Ủy ban nhân dân tỉnh tổ chức sơ kết, tổng kết Phong trào."
)
INDIVIDUALS = ("Cán bộ, công chức, viên chức, người lao động các sở, ban, ngành và Ủy ban nhân dân các xã, phường "
               "của tỉnh.")
# No district level after 01/07/2025: departments, communes and wards, and their divisions.
PARTICIPANT_KINDS = [UnitKind.DEPARTMENT.value, UnitKind.COMMUNE.value, UnitKind.DIVISION.value]

# (number, short title, text, expected evidence): this movement's own contents, not Plan 584's.
CONTENTS = [
    (1, "Người đứng đầu và chính quyền hai cấp",
     "Thi đua nâng cao trách nhiệm của người đứng đầu trong lãnh đạo, chỉ đạo cải cách hành chính; vận hành thông "
     "suốt, hiệu quả chính quyền địa phương hai cấp, phân cấp, phân quyền rõ ràng.",
     "Kế hoạch cải cách hành chính năm; văn bản chỉ đạo của người đứng đầu; báo cáo vận hành bộ máy sau sắp xếp."),
    (2, "Thủ tục hành chính và dịch vụ công trực tuyến",
     "Thi đua cắt giảm, đơn giản hóa thủ tục hành chính; giải quyết thủ tục hành chính không phụ thuộc địa giới "
     "hành chính; nâng tỷ lệ hồ sơ trực tuyến toàn trình và hồ sơ giải quyết đúng hạn.",
     "Số liệu hồ sơ trực tuyến toàn trình, hồ sơ đúng hạn, thủ tục được cắt giảm, đơn giản hóa."),
    (3, "Chỉ số cải cách hành chính và sự hài lòng",
     "Thi đua cải thiện Chỉ số cải cách hành chính, Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của "
     "cơ quan hành chính nhà nước và Chỉ số hiệu quả quản trị và hành chính công.",
     "Bảng tự đánh giá Chỉ số cải cách hành chính kèm tài liệu kiểm chứng; kết quả khảo sát sự hài lòng."),
    (4, "Chuyển đổi số và dữ liệu",
     "Thi đua xây dựng chính quyền số, khai thác cơ sở dữ liệu dùng chung, số hóa hồ sơ, kết quả giải quyết thủ tục "
     "hành chính; bảo đảm an toàn thông tin.",
     "Báo cáo chuyển đổi số; tỷ lệ số hóa hồ sơ, kết quả; văn bản điện tử có chữ ký số."),
    (5, "Sáng kiến, mô hình cải cách hành chính",
     "Thi đua đề xuất, áp dụng sáng kiến, giải pháp, mô hình mới trong cải cách hành chính, mang lại hiệu quả thiết "
     "thực cho người dân, doanh nghiệp.",
     "Đơn đề nghị công nhận sáng kiến; quyết định công nhận; báo cáo hiệu quả áp dụng."),
]

THEMES = {
    2026: ("Năm vận hành hiệu quả chính quyền địa phương hai cấp, nâng cao chất lượng phục vụ người dân, doanh "
           "nghiệp", datetime.date(2026, 2, 10)),
}
THEME_GUIDANCE = (
    "Văn bản mẫu do hệ thống tạo để trình diễn, không phải văn bản chính thức của Sở Nội vụ.\n"
    "Các cơ quan, đơn vị, địa phương đăng ký thi đua trên hệ thống trước ngày 31/3, nêu cam kết cụ thể cho từng nội "
    "dung thi đua và cập nhật minh chứng trong năm."
)
COMMITMENT = "Hoàn thành các chỉ tiêu của nội dung ({number}) năm {year} theo kế hoạch của đơn vị."
REGISTRATION_YEAR = 2026


def organiser():
    """The new province's Sở Nội vụ: the first of `ORGANISER_CODES` in force, else the top unit in force."""
    in_force = Unit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=STARTS_ON))
    by_code = {unit.code: unit for unit in in_force.filter(code__in=ORGANISER_CODES)}
    found = next((by_code[code] for code in ORGANISER_CODES if code in by_code), None)
    return found or in_force.filter(parent__isnull=True).order_by("path").first()


def _registers(unit):
    """Deterministically about two units in three have registered for 2026 (gaps for the monitoring page)."""
    return zlib.crc32(f"{NUMBER}:{unit.code}".encode()) % 3 != 0


@transaction.atomic
def build():
    campaign, _created = Campaign.objects.update_or_create(number=NUMBER, defaults={
        "issued_on": ISSUED_ON, "issuer": ISSUER, "title": TITLE, "kind": CampaignKind.THEMATIC,
        "starts_on": STARTS_ON, "ends_on": ENDS_ON, "purpose": PURPOSE, "requirements": REQUIREMENTS,
        "participant_unit_kinds": PARTICIPANT_KINDS, "individuals_take_part": True, "individuals_note": INDIVIDUALS,
        "organiser": organiser(), "status": CampaignStatus.LAUNCHED, "sample": True,
    })
    contents = plan_contents(campaign, CONTENTS)
    plan_milestones(campaign, interim_ends=datetime.date(2028, 12, 31), yearly_due=(12, 15))
    plan_themes(campaign, THEMES, THEME_GUIDANCE)
    registrations = _registrations(campaign, contents)
    audit.record_bulk(actor=None, action="demo_load", label=f"Kế hoạch {NUMBER} (dữ liệu mẫu)",
                      changes={"registrations": registrations})
    return (f"Phong trào {NUMBER} (mẫu, 2026 - 2030): {len(contents)} nội dung thi đua, "
            f"{campaign.milestones.count()} mốc, {registrations} lượt đăng ký năm {REGISTRATION_YEAR}.")


def _registrations(campaign, contents):
    year = REGISTRATION_YEAR
    officers = dict(User.objects.filter(role=Role.OFFICER).values_list("unit_id", "pk"))
    done = set(Registration.objects.filter(campaign=campaign, year=year).values_list("unit_id", flat=True))
    units = [u for u in participating_units(campaign, year).order_by("path") if _registers(u)]
    Registration.objects.bulk_create([
        Registration(campaign=campaign, unit=unit, year=year, registered_by_id=officers.get(unit.pk),
                     note="Dữ liệu mẫu")
        for unit in units if unit.pk not in done])
    tz = timezone.get_current_timezone()
    Registration.objects.filter(campaign=campaign, year=year, note="Dữ liệu mẫu").update(
        registered_at=datetime.datetime(year, 3, 2, 9, 0, tzinfo=tz))
    have = set(RegistrationCommitment.objects.filter(registration__campaign=campaign)
               .values_list("registration_id", "content_id"))
    RegistrationCommitment.objects.bulk_create([
        RegistrationCommitment(registration_id=reg_id, content=content,
                               commitment=COMMITMENT.format(number=number, year=year))
        for reg_id in Registration.objects.filter(campaign=campaign, year=year).values_list("pk", flat=True)
        for number, content in contents.items() if (reg_id, content.pk) not in have])
    return Registration.objects.filter(campaign=campaign).count()
