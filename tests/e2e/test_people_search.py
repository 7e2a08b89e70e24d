"""A unit officer logs in through the real login page and finds a person by an unaccented search."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_officer_finds_person_without_diacritics(page, live_server, users, people):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("dm_officer")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xin chào, dm_officer")).to_be_visible()

    page.get_by_role("button", name="Đơn vị", exact=True).click()
    page.get_by_role("link", name="Cá nhân", exact=True).first.click()
    page.get_by_label("Tìm theo họ tên (có dấu hoặc không dấu)").fill("nguyen van an")
    page.get_by_role("button", name="Tìm").click()

    table = page.locator("#people-table")
    expect(table.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    # Another district's person is outside the officer's scope and never listed.
    page.get_by_label("Tìm theo họ tên (có dấu hoặc không dấu)").fill("le van cuong")
    page.get_by_role("button", name="Tìm").click()
    expect(table).to_contain_text("Không tìm thấy cá nhân nào.")
