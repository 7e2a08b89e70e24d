"""A district officer adds a nominee through the person picker: typing part of a name without diacritics finds the
person (the page held no list of people), and the form saves with the chosen one."""

import pytest
from playwright.sync_api import expect

from awards.models import Nominee
from tests.e2e.test_dossier_flow import _login


@pytest.mark.django_db(transaction=True)
def test_picker_finds_a_person_typed_without_diacritics(page, live_server, users, tree, people, make_dossier):
    dossier = make_dossier(nominees=[{"unit": tree["dm01"]}])
    _login(page, live_server.url, "dm_officer")
    page.goto(f"{live_server.url}{dossier.get_absolute_url()}")
    page.get_by_role("link", name="Thêm đối tượng").click()

    person = page.locator("#id_person")
    expect(person.locator("option")).to_have_count(1)  # only "— Chọn người —": nothing embedded
    expect(person.locator("option")).to_have_text("— Chọn người —")
    page.locator("#id_person-search").fill("van an")
    expect(person.locator(f"option[value='{people['an'].pk}']")).to_have_text(
        f"Nguyễn Văn An · {people['an'].unit.name} (DM01-001)")
    page.locator("#id_person-search").fill("le van cuong")  # Gia Nghĩa: outside the officer's district
    expect(person).to_contain_text("Không tìm thấy")

    page.locator("#id_person-search").fill("nguyen van")
    expect(person.locator(f"option[value='{people['an'].pk}']")).to_be_attached()
    person.select_option(str(people["an"].pk))
    page.get_by_label("Tóm tắt thành tích").fill("Hoàn thành xuất sắc nhiệm vụ cải cách hành chính.")
    page.get_by_role("button", name="Thêm đối tượng").click()
    expect(page.locator("#nominees")).to_contain_text("Nguyễn Văn An")
    assert Nominee.objects.filter(dossier=dossier, person=people["an"]).exists()
