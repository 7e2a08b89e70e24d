"""The layout editor in a real browser (Chromium through Playwright): the preview follows the form as it is typed,
a field dragged in the preview writes its new position into the form, and the page saves what it shows."""

import pytest
from playwright.sync_api import expect

from awards.models import CertificateLayout
from tests.e2e.test_dossier_flow import _login


def _box(page, slot):
    return page.locator(f".preview-field[data-slot='{slot}']").bounding_box()


@pytest.mark.django_db(transaction=True)
def test_the_preview_follows_the_form_and_dragging_moves_a_field(page, live_server, users, catalogue):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    form = catalogue["BK-TINH-CD"]
    _login(page, live_server.url, "snv_admin")
    page.goto(f"{live_server.url}/khen-thuong/mau-in/{form.pk}/")
    name = page.locator(".preview-field[data-slot='name']")
    expect(name).to_have_text("Nguyễn Thị Phương Thảo")
    preview = page.locator("#certificate-preview").bounding_box()
    scale = preview["width"] / 297  # px per mm of the A4 landscape page
    before = _box(page, "name")
    page.locator("#id_name-y").fill("120")
    after = _box(page, "name")
    assert abs((after["y"] - before["y"]) - 20 * scale) < 2  # 20 mm lower, live
    name.scroll_into_view_if_needed()
    after = _box(page, "name")
    centre = after["x"] + after["width"] / 2
    page.mouse.move(centre, after["y"] + after["height"] / 2)
    page.mouse.down()
    page.mouse.move(centre + 30 * scale, after["y"] + after["height"] / 2, steps=5)
    page.mouse.up()
    assert abs(float(page.locator("#id_name-x").input_value()) - 178.5) <= 0.5  # 148.5 + 30 mm
    page.locator("#id_name-width").fill("40")  # far too narrow even at the smallest size
    expect(name).to_have_class("preview-field overflow")
    page.locator("#id_name-width").fill("200")
    page.get_by_role("button", name="Lưu mẫu in").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu mẫu in")
    field = CertificateLayout.objects.get(form=form).fields.get(slot="name")
    assert float(field.y) == 120 and abs(float(field.x) - 178.5) <= 0.5
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
