"""Each role opens on its work (issue 15): on the demo province, every role's home lists what waits for it, with
counts, the oldest items and links to the filtered lists; overdue items are marked in red and in words; the
appraiser's dossier list opens on "Việc cần làm"; unread notifications are on the home. One demo, one browser."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from units.demo.builder import DEMO_PASSWORD

# role's demo account → the tasks its home must list (data-task of core/panels/todo.html) and one it must not
EXPECTED = {
    "snv.thamdinh": (["dossier-submitted", "dossier-under_appraisal", "sheet-submitted", "achievement-review",
                      "initiative-evaluate", "notifications-unread"], "dossier-returned"),
    "snv.quantri": (["dossier-submitted", "dossier-proposed", "dossier-council_passed", "sessions-open"],
                    "dossier-draft"),
    "lanhdao.pheduyet": (["dossier-council_passed", "dossier-proposed_central", "sessions-open"],
                         "dossier-submitted"),
    "lanhdao": (["dossier-under_appraisal", "dossier-council_passed"], "sessions-open"),
    "dakmil.canbo": (["dossier-returned", "dossier-draft", "achievement-clarify", "notifications-unread"],
                     "dossier-submitted"),
}


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_contain_text("Xin chào")


@pytest.mark.django_db(transaction=True)
def test_each_role_opens_on_its_work(page, live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "reports", "imports"]}}
    call_command("load_demo", stdout=open("/dev/null", "w"))
    base = live_server.url

    for username, (tasks, absent) in EXPECTED.items():
        login(page, base, username)
        for key in tasks:
            task = page.locator(f'[data-task="{key}"]')
            expect(task, f"{username}: {key}").to_be_visible()
            count = int(task.locator(".todo-count").inner_text())
            assert count >= 1
            assert task.locator(".todo-items > li:not(.list-unstyled)").count() == min(count, 3)
        expect(page.locator(f'[data-task="{absent}"]')).to_have_count(0)

    # The officer's overdue dossiers (the interim round's deadline passed) are red and say so in words.
    login(page, base, "dakmil.canbo")
    late = page.locator('[data-task="dossier-returned"] .todo-overdue').first
    expect(late).to_contain_text("Quá hạn:")
    assert late.evaluate("e => getComputedStyle(e).color") == "rgb(176, 42, 55)"
    expect(page.locator('[data-task="dossier-returned"] .badge.text-bg-danger')).to_contain_text("quá hạn")
    # Its link opens the list filtered on exactly those dossiers.
    code = page.locator('[data-task="dossier-returned"] .todo-items a').first.inner_text()
    page.locator('[data-task="dossier-returned"] > div > a').click()
    expect(page.locator("#id_state")).to_have_value("returned")
    expect(page.locator("table")).to_contain_text(code)
    expect(page.locator("table tbody tr")).to_have_count(1)

    # The appraiser: the unread notifications are on the home; the dossier list opens on its to-do.
    login(page, base, "snv.thamdinh")
    expect(page.locator('[data-task="notifications-unread"] .todo-items li').first).to_contain_text("đã nộp hồ sơ")
    page.goto(f"{base}/khen-thuong/")
    expect(page.locator('.nav-tabs [aria-current="page"]')).to_have_text("Việc cần làm")
    states = set(page.locator("table tbody [data-state]").evaluate_all("els => els.map(e => e.dataset.state)"))
    assert states and states <= {"submitted", "received", "under_appraisal"}
    page.get_by_role("link", name="Tất cả hồ sơ").click()
    expect(page.locator('.nav-tabs [aria-current="page"]')).to_have_text("Tất cả hồ sơ")
    assert "awarded" in page.locator("table tbody [data-state]").evaluate_all("els => els.map(e => e.dataset.state)")
    # A PAR sheet waiting for appraisal opens on its appraisal page.
    page.goto(f"{base}/")
    page.locator('[data-task="sheet-submitted"] .todo-items a').first.click()
    expect(page.locator("h1")).to_contain_text("Thẩm định")
