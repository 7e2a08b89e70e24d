"""A district officer registers its unit for the year from the home page; Sở Nội vụ then sees it registered."""

import datetime

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignStatus, EmulationContent, Registration
from tests.conftest import PASSWORD


@pytest.fixture
def launched(tree):
    campaign = Campaign.objects.create(
        number="584/KH-UBND", issued_on=datetime.date(2022, 10, 14), issuer="Ủy ban nhân dân tỉnh Đắk Nông",
        title="Đẩy mạnh công tác cải cách hành chính trên địa bàn tỉnh Đắk Nông giai đoạn 2022 - 2025",
        starts_on=datetime.date(2022, 10, 14), ends_on=datetime.date(2025, 12, 31),
        participant_unit_kinds=["department", "district", "commune", "division"], status=CampaignStatus.LAUNCHED)
    for number in range(1, 6):
        EmulationContent.objects.create(campaign=campaign, number=number, short_title=f"Nội dung {number}",
                                        text=f"Nội dung thi đua số {number}")
    return campaign


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.django_db(transaction=True)
def test_officer_registers_from_home_page(page, live_server, users, launched):
    _login(page, live_server, "dm_officer")
    panel = page.locator(f"#campaign-panel-{launched.pk}")
    expect(panel).to_contain_text("chưa đăng ký thi đua năm 2025")
    panel.get_by_role("link", name="Đăng ký ngay").click()
    for number in range(1, 6):
        page.get_by_label(f"({number}) Nội dung {number}").fill(f"Cam kết của Đắk Mil cho nội dung {number}")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã đăng ký thi đua năm 2025")
    expect(page.get_by_role("cell", name="Cam kết của Đắk Mil cho nội dung 3")).to_be_visible()
    assert Registration.objects.filter(unit__code="DM", year=2025).count() == 1

    page.goto(f"{live_server.url}/")
    expect(page.locator(f"#campaign-panel-{launched.pk}")).to_contain_text("đã đăng ký thi đua năm 2025")
    page.context.clear_cookies()

    _login(page, live_server, "snv_td")
    page.get_by_role("button", name="Phong trào", exact=True).click()
    page.get_by_role("link", name="Theo dõi", exact=True).first.click()
    expect(page.locator('#monitoring tr[data-unit="DM"]')).to_contain_text("Có")
    expect(page.locator('#monitoring tr[data-unit="GN"]')).to_contain_text("Chưa")
