"""Real browser: Sở Nội vụ generates a report and the page follows the job without reloading (htmx, every 2 s)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_progress_updates_without_reload(page, live_server, settings, users, final_draft):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]}}
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill("snv_admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Báo cáo tổng kết").click()
    page.get_by_label("Định dạng").select_option("xlsx")
    page.get_by_role("button", name="Tạo báo cáo").click()
    versions = page.locator("#versions")
    expect(versions.get_by_role("progressbar")).to_be_visible()
    expect(versions.get_by_role("link", name="Tải về")).to_have_count(0)
    page.evaluate("window.notReloaded = true")

    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)

    expect(versions.get_by_role("link", name="Tải về")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.notReloaded") is True  # the same page, updated in place
    with page.expect_download() as download:
        versions.get_by_role("link", name="Tải về").click()
    assert download.value.suggested_filename == "bao-cao-tong-ket-584-KH-UBND-2025.xlsx"
