"""Search-as-you-type pickers (core.forms.SearchSelect, core.views.picker): the page holds only the chosen row,
typing asks the form's own page for the matching rows of the field's scoped queryset (diacritics ignored), and a
value outside that queryset is still refused on submit."""

import re

import pytest
from django.urls import reverse

from awards.models import Nominee
from units.models import Person

pytestmark = pytest.mark.django_db


def _options(html):
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)


def _many_people(unit, count, name="Phạm Thị Hòa"):
    Person.objects.bulk_create(Person(full_name=f"{name} {i:03d}", search_name=f"pham thi hoa {i:03d}",
                                      gender="female", unit=unit) for i in range(count))


def test_the_nominee_page_no_longer_embeds_every_person(client_for, users, tree, people, make_dossier):
    dossier = make_dossier()
    _many_people(tree["dm01"], 120)
    page = client_for(users["dm_officer"]).get(reverse("awards:nominee_add", args=[dossier.pk])).content.decode()
    person_select = re.search(r'<select name="person".*?</select>', page, re.S).group(0)
    assert _options(person_select) == [("", "— Chọn người —")]
    assert 'name="pick_q"' in page and 'hx-vals=\'{"pick": "person"}\'' in page
    unit_select = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    assert _options(unit_select) == [("", "— Chọn đơn vị —")]
    assert "---------" not in page


def test_typing_without_diacritics_finds_the_person_in_scope_only(client_for, users, tree, people, make_dossier):
    dossier = make_dossier()
    client = client_for(users["dm_officer"])
    url = reverse("awards:nominee_add", args=[dossier.pk])
    found = _options(client.get(url, {"pick": "person", "pick_q": "van an"}).content.decode())
    assert (str(people["an"].pk), f"Nguyễn Văn An · {people['an'].unit.name} (DM01-001)") in found
    # Lê Văn Cường works in Gia Nghĩa, outside the officer's district: never offered
    outside = _options(client.get(url, {"pick": "person", "pick_q": "cuong"}).content.decode())
    assert all(value != str(people["cuong"].pk) for value, _label in outside)
    assert "Không tìm thấy" in client.get(url, {"pick": "person", "pick_q": "cuong"}).content.decode()


def test_many_matches_are_capped_and_say_so(client_for, users, tree, people, make_dossier):
    dossier = make_dossier()
    _many_people(tree["dm01"], 40)
    answer = client_for(users["dm_officer"]).get(reverse("awards:nominee_add", args=[dossier.pk]),
                                                 {"pick": "person", "pick_q": "hoa"}).content.decode()
    rows = [value for value, _label in _options(answer) if value]
    assert len(rows) == 20 and "hãy gõ thêm" in answer


def test_the_chosen_person_stays_chosen_and_the_form_saves_with_it(client_for, users, people, make_dossier):
    dossier = make_dossier()
    client = client_for(users["dm_officer"])
    url = reverse("awards:nominee_add", args=[dossier.pk])
    answer = client.get(url, {"pick": "person", "pick_q": "binh", "person": people["an"].pk}).content.decode()
    options = _options(answer)
    assert options[1] == (str(people["an"].pk), f"Nguyễn Văn An · {people['an'].unit.name} (DM01-001)")
    assert f'value="{people["an"].pk}" selected' in answer
    assert (str(people["binh"].pk), f"Trần Thị Bình · {people['binh'].unit.name}") in options
    saved = client.post(url, {"person": people["binh"].pk, "summary": "Hoàn thành xuất sắc nhiệm vụ."})
    assert saved.status_code == 302
    assert Nominee.objects.filter(dossier=dossier, person=people["binh"]).exists()


def test_a_person_outside_scope_is_refused_on_submit(client_for, users, people, make_dossier):
    dossier = make_dossier()
    response = client_for(users["dm_officer"]).post(reverse("awards:nominee_add", args=[dossier.pk]),
                                                    {"person": people["cuong"].pk, "summary": "Thử"})
    assert response.status_code == 200
    assert not Nominee.objects.filter(person=people["cuong"]).exists()
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


def test_units_are_found_by_code_or_folded_name(client_for, users, tree):
    client = client_for(users["dm_officer"])
    url = reverse("units:person_create")
    by_name = _options(client.get(url, {"pick": "unit", "pick_q": "dak mil"}).content.decode())
    assert {value for value, _label in by_name} >= {str(tree["dm"].pk), str(tree["dm01"].pk)}
    by_code = _options(client.get(url, {"pick": "unit", "pick_q": "dm-01.vp"}).content.decode())
    assert [value for value, _label in by_code if value] == [str(tree["dm01_vp"].pk)]
    outside = client.get(url, {"pick": "unit", "pick_q": "gia nghia"}).content.decode()
    assert str(tree["gn"].pk) not in {value for value, _label in _options(outside)}


def test_council_members_are_a_multiple_picker(client_for, users, people, catalogue):
    client = client_for(users["admin"])
    url = reverse("awards:session_create")
    page = client.get(url).content.decode()
    members = re.search(r'<select name="members".*?</select>', page, re.S).group(0)
    assert "multiple" in members and _options(members) == []
    answer = client.get(url, {"pick": "members", "pick_q": "nguyen", "members": people["binh"].pk}).content.decode()
    assert f'value="{people["binh"].pk}" selected' in answer and f'value="{people["an"].pk}"' in answer


def test_the_dossier_form_says_why_a_dissolved_district_is_not_offered(client_for, users, tree, catalogue,
                                                                         campaign, interim):
    import datetime
    tree["dm"].valid_to = datetime.date(2025, 6, 30)
    tree["dm"].save()
    page = client_for(users["dm_officer"]).get(reverse("awards:create")).content.decode()
    assert "Ủy ban nhân dân huyện Đắk Mil không có trong danh sách vì đã hết hiệu lực từ ngày 30/06/2025" in page
