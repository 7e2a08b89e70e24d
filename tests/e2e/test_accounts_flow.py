"""Sở Nội vụ creates a unit officer's account with a temporary password; the officer signs in and must change it
before anything else; after too many wrong passwords the administrator unlocks the account; then deactivates it,
and the officer can no longer sign in."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.models import AuditEntry
from tests.conftest import PASSWORD
from tests.fixtures.browser import pick
from units.models import User

NEW_PASSWORD = "Mat-khau-rieng-2025"


def _login(page, base, username, password):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.django_db(transaction=True)
def test_account_lifecycle_from_creation_to_deactivation(page, browser, browser_context_args, live_server, users,
                                                         tree):
    base = live_server.url
    admin = page
    _login(admin, base, "snv_admin", PASSWORD)
    admin.get_by_role("button", name="Quản trị", exact=True).click()
    admin.get_by_role("link", name="Tài khoản", exact=True).click()
    admin.get_by_role("link", name="Tạo tài khoản").click()
    admin.get_by_label("Tên đăng nhập").fill("dm01.canbo")
    admin.get_by_label("Họ và tên").fill("Lò Thị Hoa")
    admin.get_by_label("Vai trò").select_option("officer")
    pick(admin, "id_unit", "thi tran dak mil", tree["dm01"].pk)
    admin.get_by_label("Cấp mật khẩu tạm thời", exact=False).check()
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.get_by_role("heading", name="Đã tạo tài khoản dm01.canbo")).to_be_visible()
    temporary = admin.locator("#temporary-password").inner_text().strip()
    assert User.objects.get(username="dm01.canbo").check_password(temporary)

    # The officer, in another browser: signed in with the temporary password, every page leads to the change.
    officer_context = browser.new_context(**browser_context_args)
    officer = officer_context.new_page()
    _login(officer, base, "dm01.canbo", temporary)
    expect(officer).to_have_url(f"{base}/doi-mat-khau/")
    expect(officer.get_by_role("alert")).to_contain_text("mật khẩu tạm thời")
    officer.goto(f"{base}/don-vi/")
    expect(officer).to_have_url(f"{base}/doi-mat-khau/")
    officer.get_by_label("Mật khẩu cũ").fill(temporary)
    officer.get_by_label(re.compile(r"^\s*Mật khẩu mới")).fill(NEW_PASSWORD)
    officer.get_by_label("Xác nhận mật khẩu mới").fill(NEW_PASSWORD)
    officer.get_by_role("button", name="Đổi mật khẩu").click()
    expect(officer.get_by_role("heading", name="Đã đổi mật khẩu")).to_be_visible()
    officer.goto(f"{base}/don-vi/")
    expect(officer.get_by_role("heading", name="Cây đơn vị")).to_be_visible()

    # Too many wrong passwords: the right one waits too, until Sở Nội vụ unlocks the account.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(officer, base, "dm01.canbo", "sai-mat-khau")
    _login(officer, base, "dm01.canbo", NEW_PASSWORD)
    expect(officer.get_by_role("heading", name="Tạm khóa đăng nhập")).to_be_visible()

    admin.get_by_role("link", name="Xem tài khoản").click()
    expect(admin.locator("#login-state")).to_contain_text("Đang tạm khóa đăng nhập")
    admin.get_by_role("button", name="Mở khóa đăng nhập").click()
    expect(admin.get_by_role("alert")).to_contain_text("Đã mở khóa đăng nhập cho dm01.canbo.")
    expect(admin.locator("#login-state")).to_contain_text("Không có lần đăng nhập sai nào gần đây.")
    _login(officer, base, "dm01.canbo", NEW_PASSWORD)
    expect(officer.get_by_role("heading", name="Xin chào, Lò Thị Hoa")).to_be_visible()

    # The person left: the administrator deactivates the account (after confirming); the open session ends and
    # the password no longer signs in.
    admin.get_by_role("button", name="Khóa tài khoản").click()
    admin.locator("#confirm-modal-yes").click()  # the confirmation step (core.confirm)
    expect(admin.locator("#account-status")).to_contain_text("Đã khóa")
    officer.goto(f"{base}/don-vi/")
    expect(officer).to_have_url(f"{base}/dang-nhap/?next=/don-vi/")
    _login(officer, base, "dm01.canbo", NEW_PASSWORD)
    expect(officer).to_have_url(f"{base}/dang-nhap/")
    expect(officer.locator("main")).to_contain_text("Tên đăng nhập và mật khẩu chính xác")  # refused as any wrong one
    officer.goto(f"{base}/")  # signed out: the public portal, not the home
    expect(officer.locator("#portal")).to_be_visible()
    officer_context.close()

    # Every step is in the activity trail, which the administrator reads in the application.
    admin.get_by_role("button", name="Quản trị", exact=True).click()
    admin.get_by_role("link", name="Nhật ký hoạt động").click()
    table = admin.locator("#activity-table")
    for label in ("Tạo tài khoản", "Đổi mật khẩu", "Mở khóa đăng nhập", "Khóa tài khoản"):
        expect(table).to_contain_text(label)
    assert list(AuditEntry.objects.filter(target_type="units.user").order_by("at", "id")
                .values_list("action", flat=True)) == [
        "account_create", "password_change", "account_unlock", "account_deactivate"]
