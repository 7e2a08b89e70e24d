"""Names are found without diacritics, on SQLite and PostgreSQL alike; text is stored in NFC."""

import unicodedata

import pytest
from django.urls import reverse

from units import selectors
from units.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyen Van An", "NGUYỄN VĂN AN", "Nguyễn Văn An", "van an"])
def test_person_found_with_or_without_diacritics(users, people, query):
    found = list(selectors.people_list(users["admin"], q=query))
    assert found == [people["an"]]


def test_d_matches_dj(users, tree):
    names = {u.code for u in selectors.unit_list(users["admin"], q="dak")}
    assert {"DM", "DM-01", "DNO"} <= names
    assert "GN" not in names


def test_search_is_scoped(users, people):
    assert list(selectors.people_list(users["gn_officer"], q="nguyen van an")) == []


def test_nfd_input_is_stored_as_nfc(tree):
    nfd = unicodedata.normalize("NFD", "Phòng Nội vụ huyện Đắk Mil")
    assert nfd != unicodedata.normalize("NFC", nfd)
    unit = Unit.objects.create(code="dm.pnv ", name=nfd, kind="division", parent=tree["dm"])
    stored = Unit.objects.values_list("name", "code").get(pk=unit.pk)
    assert stored == ("Phòng Nội vụ huyện Đắk Mil", "DM.PNV")
    person = Person.objects.create(full_name=unicodedata.normalize("NFD", "Hồ Thị Ánh"), gender="female",
                                   unit=unit)
    assert Person.objects.values_list("full_name", flat=True).get(pk=person.pk) == "Hồ Thị Ánh"


def test_people_page_search(client_for, users, people):
    response = client_for(users["dm_officer"]).get(reverse("units:people"), {"q": "tran thi binh"})
    assert list(response.context["page"]) == [people["binh"]]
