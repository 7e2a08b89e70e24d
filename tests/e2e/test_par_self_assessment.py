"""A unit officer self-scores a criterion of its PAR sheet in a real browser; progress follows."""

import pytest
from playwright.sync_api import expect

from par import services
from tests.conftest import PASSWORD
from tests.fixtures.par import tree_rows


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.django_db(transaction=True)
def test_officer_self_scores_a_criterion(page, live_server, users):
    criteria_set = services.set_create(by=users["admin"], year=2024, group="district", title="Bộ chỉ số cấp huyện")
    services.set_replace_tree(criteria_set=criteria_set, by=users["admin"], rows=tree_rows())
    services.sheets_open(criteria_set=criteria_set, by=users["admin"])

    _login(page, live_server, "dm_officer")
    page.get_by_role("link", name="Chỉ số CCHC", exact=True).click()
    page.get_by_role("link", name="Ủy ban nhân dân huyện Đắk Mil").click()
    expect(page.locator(".progress-count")).to_have_text("0/5")
    page.locator("#c" + str(criteria_set.criteria.get(code="1.1").pk)).get_by_role("link", name="Chấm").click()
    expect(page.get_by_text("Từ 0 đến 4, theo bước 0,5.")).to_be_visible()
    page.get_by_label("Điểm tự chấm").fill("3.5")
    page.get_by_label("Giải trình").fill("Kế hoạch ban hành ngày 15/01/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu tiêu chí 1.1.")).to_be_visible()
    expect(page.locator(".progress-count")).to_have_text("1/5")
