"""Demo data for the units' work under Plan 584: achievements with real evidence files in every state, initiatives
(some recognised) and exemplary models (three published, one not). Idempotent: rows are matched by their titles.

Runs after units' demo (units, people, accounts) and campaigns.demo_plan (the plan and its five contents). Everything
goes through the services, so each row has its activity history, and every file through the same upload checks.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from units import lineage
from units.models import Person, Unit, User

from .models import Achievement, Campaign, ExemplaryModel, Initiative
from .services import work as services

NUMBER = "584/KH-UBND"

# (officer, unit code, year, content number, title, final state)
ACHIEVEMENTS = [
    ("dakmil.canbo", "DM", 2024, 1, "Chủ tịch UBND huyện trực tiếp đối thoại với người dân về thủ tục hành chính",
     "accepted"),
    ("dakmil.canbo", "DM", 2024, 2, "Giảm 30% thời gian giải quyết hồ sơ đất đai tại Bộ phận Một cửa huyện",
     "accepted"),
    ("dakmil.canbo", "DM", 2025, 3, "Hoàn thành tự đánh giá Chỉ số CCHC năm 2025 đúng hạn, đủ tài liệu kiểm chứng",
     "submitted"),
    ("dakmil.canbo", "DM-01", 2024, 2, "Niêm yết công khai 100% thủ tục hành chính tại trụ sở và trên Cổng",
     "accepted"),
    ("dakmil.canbo", "DM-01", 2025, 4, "Áp dụng phiếu hẹn điện tử tại Bộ phận Một cửa thị trấn", "clarification"),
    ("dakmil.canbo", "DM-01", 2025, 5, "92% hồ sơ được tiếp nhận trực tuyến toàn trình", "resubmitted"),
    ("dakmil.canbo", "DM-02", 2025, 1, "Người đứng đầu ký cam kết thực hiện kỷ luật, kỷ cương hành chính",
     "submitted"),
    ("dakmil.canbo", "DM-02", 2025, 2, "Rà soát, đề xuất đơn giản hóa 12 thủ tục hành chính cấp xã", "clarification"),
    ("nghiaduc.canbo", "GN-01", 2024, 5, "Triển khai chữ ký số cho 100% cán bộ, công chức phường", "accepted"),
    ("nghiaduc.canbo", "GN-01", 2025, 2, "Không có hồ sơ trễ hạn trong năm 2025", "submitted"),
    ("nghiaduc.canbo", "GN-01", 2025, 3, "Tăng 8 bậc xếp hạng Chỉ số CCHC so với năm trước", "accepted"),
    ("nghiaduc.canbo", "GN-01", 2025, 4, "Mô hình “Cà phê cải cách” lấy ý kiến người dân mỗi quý", "submitted"),
]

# (officer, unit code, year, title, number of authors, outcome)
INITIATIVES = [
    ("dakmil.canbo", "DM-01", 2024, "Phiếu hẹn điện tử gửi tin nhắn báo kết quả giải quyết hồ sơ", 2,
     ("grassroots", "215/QĐ-UBND", datetime.date(2024, 11, 20))),
    ("nghiaduc.canbo", "GN-01", 2024, "Số hóa hồ sơ hộ tịch lưu trữ từ năm 1995 đến nay", 1,
     ("provincial", "1873/QĐ-UBND", datetime.date(2024, 12, 12))),
    ("dakmil.canbo", "DM", 2025, "Bản đồ số thủ tục hành chính liên thông cấp huyện - xã", 2, None),
    ("nghiaduc.canbo", "GN-01", 2025, "Tổ công nghệ số cộng đồng hướng dẫn nộp hồ sơ trực tuyến", 1, "refused"),
]

# (kind, title, unit code, initiative title, year, published, with photo)
MODELS = [
    ("collective", "Bộ phận Một cửa thị trấn Đắk Mil: giải quyết hồ sơ sớm hạn", "DM-01", None, 2024, True, True),
    ("individual", "Chị công chức tư pháp - hộ tịch phường Nghĩa Đức số hóa 30 năm sổ sách", "GN-01",
     "Số hóa hồ sơ hộ tịch lưu trữ từ năm 1995 đến nay", 2024, True, True),
    ("practice", "Cách làm hay: phiếu hẹn điện tử báo kết quả qua tin nhắn", "DM-01",
     "Phiếu hẹn điện tử gửi tin nhắn báo kết quả giải quyết hồ sơ", 2024, True, False),
    ("practice", "Cà phê cải cách: đối thoại hằng quý với người dân (đang biên tập)", "GN-01", None, 2025, False,
     True),
]


def _pdf(title):
    from weasyprint import HTML

    html = (f"<html><head><meta charset='utf-8'></head><body><h1>Minh chứng</h1><p>{title}</p>"
            f"<p>Tài liệu mẫu sinh tự động cho dữ liệu thử.</p></body></html>")
    return HTML(string=html).write_pdf()


def _png(color):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def build():
    campaign = Campaign.objects.filter(number=NUMBER).first()
    if campaign is None:
        return ""
    accounts = {u.username: u for u in User.objects.filter(
        username__in=["dakmil.canbo", "nghiaduc.canbo", "snv.thamdinh", "snv.quantri"])}
    if len(accounts) < 4:
        return ""
    units = {u.code: u for u in Unit.objects.filter(code__in={row[1] for row in ACHIEVEMENTS + INITIATIVES})}
    contents = {c.number: c for c in campaign.contents.all()}
    pdf = _pdf("Báo cáo kết quả thực hiện")
    achievements = _achievements(campaign, accounts, units, contents, pdf)
    initiatives = _initiatives(campaign, accounts, units, pdf)
    models = _models(campaign, accounts)
    return (f"Minh chứng {NUMBER}: {achievements} thành tích kèm tệp minh chứng, {initiatives} sáng kiến, "
            f"{models} gương điển hình.")


def _achievements(campaign, accounts, units, contents, pdf):
    appraiser = accounts["snv.thamdinh"]
    for officer, code, year, number, title, state in ACHIEVEMENTS:
        unit = units.get(code)
        if unit is None or number not in contents:
            continue
        if Achievement.objects.filter(campaign=campaign, title=title,  # moved on by the restructuring demo
                                      unit_id__in=lineage.successor_ids([unit.pk])).exists():
            continue
        people = Person.objects.filter(unit__path__startswith=unit.path).order_by("staff_code", "id")
        files = [_upload(f"Báo cáo minh chứng - {unit.code} - nội dung {number}.pdf", pdf)]
        if number in (4, 5):
            files.append(_upload("Ảnh hoạt động.png", _png((40, 90, 160))))
        achievement = services.achievement_record(
            by=accounts[officer], campaign=campaign, unit=unit, year=year, content=contents[number], title=title,
            description=f"Kết quả năm {year} của {unit.name}.", files=files,
            person=people.first() if number == 1 else None)
        if state == "accepted":
            services.achievement_accept(achievement=achievement, by=appraiser, note="Minh chứng đầy đủ.")
        elif state in ("clarification", "resubmitted"):
            services.achievement_ask_clarification(
                achievement=achievement, by=appraiser,
                comment="Đề nghị bổ sung văn bản, số liệu chứng minh kết quả (có chữ ký, đóng dấu).")
            if state == "resubmitted":
                services.achievement_resubmit(
                    achievement=achievement, by=accounts[officer], answer="Đơn vị đã bổ sung báo cáo có đóng dấu.",
                    files=[_upload("Báo cáo bổ sung (có đóng dấu).pdf", pdf)])
    return Achievement.objects.filter(campaign=campaign).count()


def _initiatives(campaign, accounts, units, pdf):
    appraiser = accounts["snv.thamdinh"]
    for officer, code, year, title, n_authors, outcome in INITIATIVES:
        unit = units.get(code)
        if unit is None or Initiative.objects.filter(campaign=campaign, unit=unit, title=title).exists():
            continue
        authors = list(Person.objects.filter(unit__path__startswith=unit.path).order_by("staff_code", "id")[:n_authors])
        if not authors:
            continue
        initiative = services.initiative_propose(
            by=accounts[officer], campaign=campaign, unit=unit, year=year, title=title, authors=authors,
            problem="Người dân phải đi lại nhiều lần để hỏi kết quả, hồ sơ giấy khó tra cứu.",
            solution="Ứng dụng công nghệ số sẵn có, quy trình rõ ràng, giao người phụ trách.",
            effect="Rút ngắn thời gian, giảm chi phí đi lại, người dân hài lòng hơn.",
            files=[_upload("Thuyết minh sáng kiến.pdf", pdf)])
        if isinstance(outcome, tuple):
            level, number, date = outcome
            services.initiative_recognise(initiative=initiative, by=appraiser, level=level, decision_number=number,
                                          decision_date=date)
        elif outcome == "refused":
            services.initiative_refuse(initiative=initiative, by=appraiser,
                                       reason="Giải pháp chưa có tính mới so với hướng dẫn chung của tỉnh.")
    return Initiative.objects.filter(campaign=campaign).count()


def _models(campaign, accounts):
    admin = accounts["snv.quantri"]
    colors = [(200, 60, 40), (30, 120, 70), (60, 60, 160), (150, 110, 20)]
    for index, (kind, title, code, initiative_title, year, published, photo) in enumerate(MODELS):
        if ExemplaryModel.objects.filter(campaign=campaign, title=title).exists():
            continue
        unit = Unit.objects.filter(code=code).first()
        initiative = Initiative.objects.filter(campaign=campaign, title=initiative_title,
                                               status="recognised").first() if initiative_title else None
        person = initiative.authors.order_by("id").first() if initiative and kind == "individual" else None
        model = services.exemplary_create(
            by=admin, campaign=campaign, kind=kind, title=title, year=year, unit=unit, person=person,
            initiative=initiative,
            story=(f"{title}. Đơn vị đã kiên trì đổi mới cách làm, lấy người dân làm trung tâm phục vụ; kết quả được "
                   "người dân ghi nhận và được Sở Nội vụ giới thiệu để các đơn vị khác học tập, nhân rộng."),
            photo=_upload(f"anh-{index + 1}.png", _png(colors[index])) if photo else None)
        if published:
            services.exemplary_publish(model=model, by=admin)
    return ExemplaryModel.objects.filter(campaign=campaign).count()
