"""Every irreversible action asks first (issue 15): on the demo province, the buttons that delete, withdraw, refuse,
decide, publish or close open the page's modal with a Vietnamese sentence saying what will happen; "Hủy" (or
Escape) closes it, gives the focus back to the button and changes nothing. Without JavaScript the same form leads to
a confirmation page that posts it once confirmed. One demo, one browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from awards.models import CouncilSession, Dossier
from campaigns.models import Campaign
from par.models import CriteriaSet
from tests.e2e.test_daily_home import login
from units.models import User


def _asks_and_cancels(page, button, says, *, escape=False):
    """Click `button`: the modal shows `says`; cancel it; the modal is gone and the focus is back on the button."""
    button.click()
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    expect(modal).to_have_attribute("aria-modal", "true")
    expect(page.locator("#confirm-modal-question")).to_contain_text(says)
    expect(modal.get_by_role("button", name="Hủy")).to_be_focused()  # shown, the safe answer first
    if escape:
        page.keyboard.press("Escape")
    else:
        modal.get_by_role("button", name="Hủy").click()
    expect(modal).to_be_hidden()
    expect(button).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_irreversible_actions_ask_and_cancelling_does_nothing(page, browser, browser_context_args, live_server,
                                                              settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url
    officer = User.objects.get(username="dakmil.canbo")
    submitted = Dossier.objects.filter(state="submitted", unit__path__startswith=officer.unit.path).first()
    draft = Dossier.objects.filter(state__in=("draft", "returned"), unit__path__startswith=officer.unit.path,
                                   nominees__isnull=False, documents__isnull=False).distinct().first()
    appraised = Dossier.objects.filter(state="under_appraisal").first()
    at_council = Dossier.objects.filter(state="at_council").first()

    # The unit officer: withdraw (apart from "Nộp hồ sơ"), remove a nominee, delete a document.
    login(page, base, "dakmil.canbo")
    page.goto(f"{base}{submitted.get_absolute_url()}")
    withdraw = page.get_by_role("button", name="Rút hồ sơ")
    expect(page.locator("#withdraw-action")).to_be_visible()
    _asks_and_cancels(page, withdraw, "Hồ sơ chuyển sang “Đơn vị đã rút”")
    _asks_and_cancels(page, withdraw, "Rút hồ sơ", escape=True)
    page.goto(f"{base}{draft.get_absolute_url()}")
    nominees, documents = draft.nominees.count(), draft.documents.count()
    _asks_and_cancels(page, page.locator("#nominees").get_by_role("button", name="Bỏ").first, "khỏi hồ sơ?")
    _asks_and_cancels(page, page.locator("#documents").get_by_role("button", name="Xóa").first,
                      "Tệp sẽ bị xóa")
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    assert (draft.nominees.count(), draft.documents.count()) == (nominees, documents)

    # Sở Nội vụ's appraiser: refusing and returning a dossier.
    login(page, base, "snv.thamdinh")
    page.goto(f"{base}{appraised.get_absolute_url()}")
    _asks_and_cancels(page, page.get_by_role("button", name="Không đề nghị"), "không đề nghị khen thưởng")
    _asks_and_cancels(page, page.get_by_role("button", name="Trả lại để bổ sung"), "Trả hồ sơ lại")
    expect(page.locator("#dossier-state")).to_have_text("Đang thẩm định")

    # The administrator: not awarding, closing a council session, publishing PAR results, ending a campaign.
    login(page, base, "snv.quantri")
    page.goto(f"{base}{at_council.get_absolute_url()}")
    _asks_and_cancels(page, page.get_by_role("button", name="Không khen thưởng"), "Kết luận không khen thưởng")
    session = CouncilSession.objects.filter(state="open", items__isnull=False).first()  # closable once it has items
    if session is not None:
        page.goto(f"{base}{session.get_absolute_url()}")
        _asks_and_cancels(page, page.get_by_role("button", name="Kết thúc phiên họp"), "Kết quả kiểm phiếu được chốt")
    unpublished = CriteriaSet.objects.filter(published_at__isnull=True).first()
    page.goto(f"{base}/chi-so-cchc/bo-chi-so/{unpublished.pk}/")
    _asks_and_cancels(page, page.get_by_role("button", name="Công bố kết quả"), "trang công khai")
    launched = Campaign.objects.filter(status="launched").first()
    page.goto(f"{base}{launched.get_absolute_url()}")
    _asks_and_cancels(page, page.get_by_role("button", name="Kết thúc", exact=True), "Kết thúc phong trào?")
    page.goto(f"{base}/tai-khoan/{officer.pk}/")
    _asks_and_cancels(page, page.get_by_role("button", name="Khóa tài khoản"), "Khóa tài khoản dakmil.canbo?")

    at_council.refresh_from_db()
    unpublished.refresh_from_db()
    launched.refresh_from_db()
    officer.refresh_from_db()
    assert session is None or CouncilSession.objects.get(pk=session.pk).state == "open"
    assert at_council.state == "at_council" and unpublished.published_at is None
    assert launched.status == "launched" and officer.is_active

    # Saying yes in the modal does it.
    login(page, base, "dakmil.canbo")
    page.goto(f"{base}{submitted.get_absolute_url()}")
    page.get_by_role("button", name="Rút hồ sơ").click()
    page.locator("#confirm-modal-yes").click()
    expect(page.locator("#dossier-state")).to_have_text("Đơn vị đã rút")

    # Without JavaScript: the same button leads to a confirmation page; "Hủy" goes back, the page's button does it.
    other = Dossier.objects.filter(state="submitted").exclude(pk=submitted.pk).first()
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    plain = context.new_page()
    login(plain, base, User.objects.get(pk=other.created_by_id).username)
    plain.goto(f"{base}{other.get_absolute_url()}")
    plain.get_by_role("button", name="Rút hồ sơ").click()
    expect(plain.locator("h1")).to_have_text("Xác nhận thao tác")
    expect(plain.locator("#confirm-question")).to_contain_text("Hồ sơ chuyển sang “Đơn vị đã rút”")
    plain.get_by_role("link", name="Hủy, quay lại").click()
    expect(plain.locator("#dossier-state")).to_have_text("Đã nộp, chờ tiếp nhận")
    other.refresh_from_db()
    assert other.state == "submitted"
    plain.get_by_role("button", name="Rút hồ sơ").click()
    plain.locator("#confirm-page-form").get_by_role("button", name="Rút hồ sơ").click()
    expect(plain.locator("#dossier-state")).to_have_text("Đơn vị đã rút")
    context.close()
