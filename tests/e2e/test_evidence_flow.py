"""A commune officer registers for the year, records an achievement under content (2) with a real PDF, and a
Sở Nội vụ appraiser accepts it — all through the browser."""

import datetime

import pytest
from playwright.sync_api import expect

from campaigns.models import (
    Achievement,
    AchievementStatus,
    Campaign,
    CampaignStatus,
    EmulationContent,
    Registration,
)
from campaigns.selectors.plan import open_years
from core.models import AuditEntry
from tests.campaigns import test_work_support as support
from tests.conftest import PASSWORD
from units.models import Role, User

work_files_in_test_storage = support.work_files_in_test_storage

CONTENTS = ["Trách nhiệm người đứng đầu", "Nhiệm vụ cải cách hành chính", "Bộ chỉ số CCHC", "Sáng kiến, giải pháp",
            "Chính quyền số"]


@pytest.fixture
def plan(tree):
    campaign = Campaign.objects.create(
        number="584/KH-UBND", issued_on=datetime.date(2022, 10, 14), issuer="Ủy ban nhân dân tỉnh Đắk Nông",
        title="Đẩy mạnh công tác cải cách hành chính trên địa bàn tỉnh Đắk Nông giai đoạn 2022 - 2025",
        starts_on=datetime.date(2022, 10, 14), ends_on=datetime.date(2025, 12, 31),
        participant_unit_kinds=["department", "district", "commune", "division"], organiser=tree["snv"],
        status=CampaignStatus.LAUNCHED)
    for number, title in enumerate(CONTENTS, start=1):
        EmulationContent.objects.create(campaign=campaign, number=number, short_title=title, text=title)
    return campaign


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {username}")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_commune_officer_records_evidence_and_appraiser_accepts(page, live_server, tree, users, plan, tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "Báo cáo kết quả một cửa.pdf"
    pdf.write_bytes(HTML(string="<meta charset='utf-8'><h1>Báo cáo kết quả</h1><p>Một cửa liên thông</p>")
                    .write_pdf())
    User.objects.create_user(username="dm01_canbo", password=PASSWORD, role=Role.OFFICER, unit=tree["dm01"])
    year = open_years(plan)[0]
    base = live_server.url

    # 1. The commune officer registers the commune for the year.
    _login(page, base, "dm01_canbo")
    page.goto(f"{base}/dang-ky-thi-dua/?year={year}")
    page.locator('tr[data-unit="DM-01"]').get_by_role("link", name="Đăng ký").click()
    for title in CONTENTS:
        page.get_by_label(title).fill(f"Cam kết: {title}")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text(f"Đã đăng ký thi đua năm {year}")).to_be_visible()
    assert Registration.objects.filter(campaign=plan, unit=tree["dm01"], year=year).count() == 1

    # 2. It records an achievement under content (2) with a real PDF.
    page.get_by_role("button", name="Phong trào", exact=True).click()
    page.get_by_role("link", name="Minh chứng", exact=True).click()
    page.get_by_role("link", name="Ghi nhận thành tích").click()
    page.get_by_label("Năm").select_option(str(year))
    page.get_by_label("Nội dung thi đua").select_option(label="584/KH-UBND · (2) Nhiệm vụ cải cách hành chính")
    page.get_by_label("Tên thành tích").fill("Giảm 30% thời gian giải quyết hồ sơ tại Bộ phận Một cửa")
    page.get_by_label("Mô tả").fill("Số liệu theo báo cáo quý IV.")
    page.get_by_label("Tệp minh chứng").set_input_files(str(pdf))
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.locator("#achievement-status")).to_contain_text("Chờ Sở Nội vụ xem xét")
    expect(page.locator("#file-table")).to_contain_text("Báo cáo kết quả một cửa.pdf")

    # 3. A Sở Nội vụ appraiser finds it in the review queue and accepts it.
    _login(page, base, "snv_td")
    page.get_by_role("button", name="Phong trào", exact=True).click()
    page.get_by_role("link", name="Minh chứng", exact=True).click()
    expect(page.get_by_role("heading", name="Xem xét minh chứng")).to_be_visible()
    page.get_by_role("link", name="Giảm 30% thời gian giải quyết hồ sơ tại Bộ phận Một cửa").click()
    page.get_by_role("button", name="Chấp nhận").click()
    page.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(page.locator("#achievement-status")).to_contain_text("Đã chấp nhận")
    expect(page.get_by_role("alert")).to_contain_text("Đã chấp nhận thành tích")

    achievement = Achievement.objects.get()
    assert achievement.status == AchievementStatus.ACCEPTED
    assert (achievement.unit, achievement.year, achievement.content.number) == (tree["dm01"], year, 2)
    evidence = achievement.files.get()
    assert evidence.content_type == "application/pdf" and evidence.size == pdf.stat().st_size
    assert list(AuditEntry.objects.filter(target_type="campaigns.achievement", target_id=str(achievement.pk))
                .order_by("id").values_list("action", flat=True)) == ["achievement_record", "achievement_accept"]
