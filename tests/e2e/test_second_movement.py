"""The next plan as data, as a new user would do it in the browser (no command, no admin page): Sở Nội vụ closes
Plan 584 whose period is over, creates the 2026–2030 movement with its five contents, a theme and a milestone,
and launches it; a commune officer registers for the year and uploads evidence; Plan 584's pages still work and are
closed to new work."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from campaigns.models import Achievement, Campaign, CampaignStatus, Registration
from campaigns.selectors.plan import current_year
from tests.conftest import PASSWORD
from units.models import Role, User

NUMBER = "02/KH-UBND"
TITLE = "Đẩy mạnh cải cách hành chính trên địa bàn tỉnh giai đoạn 2026 - 2030"
CONTENTS = ["Người đứng đầu và chính quyền hai cấp", "Thủ tục hành chính, dịch vụ công trực tuyến",
            "Chỉ số cải cách hành chính", "Chuyển đổi số và dữ liệu", "Sáng kiến, mô hình mới"]


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {username}")).to_be_visible()


def _click_and_confirm(page, button):
    """Click an action's button and say yes where the page asks first (the modal, or the no-script page)."""
    button.click()
    asked = page.locator("#confirm-modal-yes:visible, #confirm-page-form button[type=submit]")
    try:
        asked.first.wait_for(state="visible", timeout=3000)
    except PlaywrightTimeout:
        return
    asked.first.click()


def _menu(page, name):
    page.get_by_role("button", name="Phong trào", exact=True).click()
    page.get_by_role("link", name=name, exact=True).first.click()


@pytest.mark.django_db(transaction=True)
def test_home_affairs_starts_the_next_movement_and_a_unit_works_in_it(page, live_server, tree, users, campaign,
                                                                      tmp_path):
    from weasyprint import HTML

    evidence = tmp_path / "Kết quả dịch vụ công trực tuyến.pdf"
    evidence.write_bytes(HTML(string="<meta charset='utf-8'><h1>Dịch vụ công trực tuyến</h1>").write_pdf())
    User.objects.create_user(username="dm01_canbo", password=PASSWORD, role=Role.OFFICER, unit=tree["dm01"])
    base = live_server.url

    # 1. Sở Nội vụ opens Plan 584: its period is over, the page says what remains; it closes the plan.
    _login(page, base, "snv_admin")
    _menu(page, "Phong trào")
    expect(page.get_by_role("row", name="584/KH-UBND")).to_contain_text("Hết thời gian thi đua, chờ tổng kết")
    page.get_by_role("link", name="584/KH-UBND").click()
    expect(page.locator("#campaign-ended")).to_contain_text("Việc còn lại")
    expect(page.locator("#campaign-ended")).to_contain_text("Tổng kết phong trào: Tổng kết (hạn 31/12/2025)")
    _click_and_confirm(page, page.get_by_role("button", name="Kết thúc", exact=True))
    expect(page.locator("#campaign-status")).to_have_text("Đã kết thúc")
    expect(page.locator("#campaign-closed")).to_be_visible()

    # 2. It creates the 2026–2030 movement: the plan, five contents, a theme, a milestone; then launches it.
    _menu(page, "Phong trào")
    page.get_by_role("link", name="Thêm phong trào").click()
    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    page.get_by_label("Ngày ban hành").fill("15/01/2026")
    page.get_by_label("Cơ quan ban hành").fill("Ủy ban nhân dân tỉnh Lâm Đồng")
    page.get_by_label("Tên phong trào").fill(TITLE)
    page.get_by_label("Ngày bắt đầu").fill("15/01/2026")
    page.get_by_label("Ngày kết thúc").fill("31/12/2030")
    page.get_by_label("Mục đích").fill("Vận hành hiệu quả chính quyền địa phương hai cấp.")
    page.get_by_label("Sở, ban, ngành").check()
    page.get_by_label("UBND cấp xã").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã tạo phong trào {NUMBER} (dự thảo)")
    expect(page.locator("#campaign-status")).to_have_text("Dự thảo")

    for number, title in enumerate(CONTENTS, start=1):
        page.get_by_role("link", name="Thêm nội dung").click()
        page.get_by_label("Số thứ tự").fill(str(number))
        page.get_by_label("Tên ngắn").fill(title)
        page.get_by_label("Nội dung (như trong kế hoạch)").fill(f"Thi đua: {title.lower()}.")
        page.get_by_role("button", name="Lưu").click()
        expect(page.locator(".alert-success")).to_contain_text(f"Đã lưu nội dung thi đua ({number})")
    expect(page.locator("#contents li")).to_have_count(5)

    page.get_by_role("link", name="Thêm mốc").click()
    page.get_by_label("Loại mốc").select_option(label="Báo cáo kết quả năm")
    page.get_by_label("Tên mốc").fill("Báo cáo kết quả năm 2026")
    page.get_by_label("Năm (với báo cáo năm)").fill("2026")
    page.get_by_label("Kỳ từ ngày").fill("15/01/2026")
    page.get_by_label("Kỳ đến ngày").fill("31/12/2026")
    page.get_by_label("Hạn").fill("15/12/2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu mốc “Báo cáo kết quả năm 2026”")

    plan = Campaign.objects.get(number=NUMBER)
    year = current_year(plan)  # 2026 while the clock is in 2026
    page.get_by_role("link", name="Thêm chủ đề năm").click()
    page.get_by_label("Năm").select_option(str(year))
    page.get_by_label("Chủ đề thi đua").fill("Năm vận hành hiệu quả chính quyền hai cấp")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã tạo chủ đề năm {year}")
    _click_and_confirm(page, page.get_by_role("button", name="Công bố"))
    expect(page.locator(".alert-success")).to_contain_text(f"Đã công bố chủ đề thi đua năm {year}")

    page.get_by_role("link", name=NUMBER).first.click()
    _click_and_confirm(page, page.get_by_role("button", name="Phát động", exact=True))
    expect(page.locator("#campaign-status")).to_have_text("Đã phát động")
    plan.refresh_from_db()
    assert plan.status == CampaignStatus.LAUNCHED and plan.contents.count() == 5
    assert plan.milestones.count() == 1 and plan.themes.get(year=year).is_published

    # 3. A commune officer finds the new movement on its home page, registers and uploads evidence.
    _login(page, base, "dm01_canbo")
    panel = page.locator(f"#campaign-panel-{plan.pk}")
    expect(panel).to_contain_text("Năm vận hành hiệu quả chính quyền hai cấp")
    expect(panel).to_contain_text(f"chưa đăng ký thi đua năm {year}")
    panel.get_by_role("link", name="Đăng ký ngay").click()
    for title in CONTENTS:
        page.get_by_label(title).fill(f"Cam kết năm {year}: {title}")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text(f"Đã đăng ký thi đua năm {year}")).to_be_visible()
    assert Registration.objects.filter(campaign=plan, unit=tree["dm01"], year=year).count() == 1

    _menu(page, "Minh chứng")
    page.get_by_role("link", name="Ghi nhận thành tích").click()
    expect(page.get_by_label("Phong trào thi đua")).to_have_value(str(plan.pk))  # the one launched, preset
    page.get_by_label("Năm").select_option(str(year))
    page.get_by_label("Nội dung thi đua").select_option(label=f"{NUMBER} · (2) {CONTENTS[1]}")
    page.get_by_label("Tên thành tích").fill("80% hồ sơ trực tuyến toàn trình")
    page.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.locator("#achievement-status")).to_contain_text("Chờ Sở Nội vụ xem xét")
    expect(page.locator("#file-table")).to_contain_text("Kết quả dịch vụ công trực tuyến.pdf")
    achievement = Achievement.objects.get()
    assert (achievement.campaign, achievement.year, achievement.content.number) == (plan, year, 2)

    # 4. Plan 584's pages still work, and it takes no new work.
    page.goto(f"{base}/phong-trao/{campaign.pk}/")
    expect(page.locator("#campaign-status")).to_have_text("Đã kết thúc")
    page.goto(f"{base}/phong-trao/{campaign.pk}/dang-ky/DM-01/2025/")
    expect(page.locator(".alert-danger")).to_contain_text("Phong trào 584/KH-UBND đã kết thúc nên không nhận đăng ký "
                                                          "thi đua mới")
    assert not Registration.objects.filter(campaign=campaign).exists()
    _menu(page, "Minh chứng")
    page.get_by_role("link", name="Ghi nhận thành tích").click()
    options = page.get_by_label("Phong trào thi đua").locator("option").all_inner_texts()
    assert not any("584/KH-UBND" in option for option in options)
