"""Real browser: the signer presses "Ký số văn bản" on the decision's page, the panel follows the background job
(htmx, every 2 s, no reload) and offers the signed file, which verifies."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core import signing
from tests.conftest import PASSWORD

from .test_signing import _link


@pytest.mark.django_db(transaction=True)
def test_signer_signs_the_decision_in_the_browser(page, live_server, settings, signing_setup, make_dossier, users,
                                                  tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}
    decision = make_dossier("awarded").decision
    _link(decision.signer_ref, "good", users["approver"])
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(users["approver"].username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    page.get_by_role("button", name="Ký số văn bản").click()
    panel = page.locator("#signing")
    expect(panel.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_role("button", name="Ký số văn bản")).to_have_count(0)
    page.evaluate("window.notReloaded = true")

    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)

    link = page.locator("#signing").get_by_role("link", name="Bản đã ký số")
    expect(link).to_be_visible(timeout=15_000)
    assert page.evaluate("window.notReloaded") is True
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "signed.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith("(đã ký số).pdf")
    assert signing.verify_pdf(path.read_bytes()).status == "valid"
