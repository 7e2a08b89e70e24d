"""No write reaches outside the officer's scope through a unit or person field, an officer's save keeps what it may
not change, and uniqueness messages say nothing of rows outside the scope (issue 17, points 1, 2 and 8)."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.units.test_excel import PEOPLE_HEADERS, xlsx
from units import excel, services
from units.forms import PersonForm, UnitForm
from units.models import Person, Unit, UnitKind

pytestmark = pytest.mark.django_db

GENERIC_STAFF = "Mã cán bộ này không dùng được; nếu cần, hãy liên hệ Sở Nội vụ."
GENERIC_UNIT = "Mã đơn vị này không dùng được; nếu cần, hãy liên hệ Sở Nội vụ."


class _FormValues(HTMLParser):
    """What a browser submits for the page's form when nothing is touched: enabled inputs, textareas and selects
    (the selected option, else the first one)."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._first, self._textarea = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "disabled" in attrs:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") not in {"submit", "checkbox", "radio"}:
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select, self._first = attrs.get("name"), None
            self._multiple = "multiple" in attrs  # a multiple select with nothing selected submits nothing
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                if self._multiple:
                    self.values.setdefault(self._select, []).append(attrs.get("value", ""))
                else:
                    self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._multiple:
                self.values.setdefault(self._select, self._first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def unchanged_post(client, url):
    """GET the edit page and POST back exactly what the browser would send."""
    parser = _FormValues()
    parser.feed(client.get(url).content.decode())
    return client.post(url, parser.values)


# Point 1: the successor (and any unit field) stays within the officer's scope ---------------------------------


def test_the_successor_select_lists_only_the_officers_subtree(users, tree):
    officer_form = UnitForm(user=users["dm_officer"])
    assert set(officer_form.fields["successors"].queryset.values_list("code", flat=True)) == {
        "DM", "DM-01", "DM-01.VP"}
    admin_form = UnitForm(user=users["admin"])
    assert admin_form.fields["successors"].queryset.count() == Unit.objects.count()


def test_an_officer_cannot_name_a_foreign_successor_through_the_page(client_for, users, tree):
    client = client_for(users["dm_officer"])
    url = reverse("units:edit", args=["DM-01.VP"])
    data = {"code": "DM-01.VP", "name": tree["dm01_vp"].name, "kind": "division", "parent": tree["dm01"].pk,
            "successors": [tree["gn01"].pk]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ủy ban nhân dân phường Nghĩa Đức" not in response.content.decode()
    assert not Unit.objects.get(code="DM-01.VP").successors.exists()
    created = client.post(reverse("units:create") + "?parent=DM-01", {**data, "code": "DM-01.TP", "name": "Tư pháp"})
    assert created.status_code == 200 and not Unit.objects.filter(code="DM-01.TP").exists()


def test_the_services_refuse_a_foreign_successor_for_an_officer(users, tree):
    officer = users["dm_officer"]
    with pytest.raises(ValidationError) as refused:
        services.unit_update(unit=tree["dm01_vp"], by=officer, successors=[tree["gn01"]])
    assert "successors" in refused.value.message_dict
    assert not Unit.objects.get(code="DM-01.VP").successors.exists()
    with pytest.raises(ValidationError) as refused:
        services.unit_create(by=officer, code="DM-01.TP", name="Tư pháp", kind="division", parent=tree["dm01"],
                             successors=[tree["gn"]])
    assert "successors" in refused.value.message_dict
    assert not Unit.objects.filter(code="DM-01.TP").exists()
    # Within its subtree it may; Sở Nội vụ may name any unit.
    services.unit_update(unit=tree["dm01_vp"], by=officer, successors=[tree["dm01"]])
    services.unit_update(unit=tree["dm01_vp"], by=users["admin"], successors=[tree["gn01"]])
    assert list(Unit.objects.get(code="DM-01.VP").successors.all()) == [tree["gn01"]]


def test_an_officer_saving_a_unit_keeps_the_successor_set_by_snv(client_for, users, tree):
    services.unit_update(unit=tree["dm01_vp"], by=users["admin"], successors=[tree["gn01"]])
    client = client_for(users["dm_officer"])
    response = unchanged_post(client, reverse("units:edit", args=["DM-01.VP"]))
    assert response.status_code == 302
    assert list(Unit.objects.get(code="DM-01.VP").successors.all()) == [tree["gn01"]]
    # Keeping it is not a change; the service lets the officer save its other fields.
    services.unit_update(unit=tree["dm01_vp"], by=users["dm_officer"], name="Văn phòng", successors=[tree["gn01"]])
    assert Unit.objects.get(code="DM-01.VP").name == "Văn phòng"


# Point 2: an officer's save keeps the kind ----------------------------------------------------------------------


def test_an_officer_saving_a_commune_unchanged_keeps_it_a_commune(client_for, users, tree):
    client = client_for(users["dm_officer"])
    response = unchanged_post(client, reverse("units:edit", args=["DM-01"]))
    assert response.status_code == 302
    assert Unit.objects.get(code="DM-01").kind == UnitKind.COMMUNE


def test_a_post_changing_the_kind_is_ignored_for_an_officer(client_for, users, tree):
    client = client_for(users["dm_officer"])
    response = client.post(reverse("units:edit", args=["DM-01"]), {
        "code": "DM-01", "name": "Thị trấn Đắk Mil", "kind": "division", "parent": tree["dm"].pk})
    assert response.status_code == 302
    unit = Unit.objects.get(code="DM-01")
    assert (unit.kind, unit.name) == (UnitKind.COMMUNE, "Thị trấn Đắk Mil")


def test_the_service_refuses_a_change_of_kind_by_an_officer(users, tree):
    with pytest.raises(ValidationError) as refused:
        services.unit_update(unit=tree["dm01"], by=users["dm_officer"], kind=UnitKind.DIVISION)
    assert "kind" in refused.value.message_dict
    assert Unit.objects.get(code="DM-01").kind == UnitKind.COMMUNE
    with pytest.raises(ValidationError) as refused:
        services.unit_create(by=users["dm_officer"], code="DM-02", name="Xã mới", kind=UnitKind.COMMUNE,
                             parent=tree["dm"])
    assert "kind" in refused.value.message_dict and not Unit.objects.filter(code="DM-02").exists()
    services.unit_update(unit=tree["dm01"], by=users["admin"], kind=UnitKind.DIVISION)
    assert Unit.objects.get(code="DM-01").kind == UnitKind.DIVISION


def test_an_officer_still_creates_divisions_only(users, tree):
    form = UnitForm(user=users["dm_officer"], initial={"parent": tree["dm01"]})
    assert [value for value, _label in form.fields["kind"].choices] == [UnitKind.DIVISION]
    assert not form.fields["kind"].disabled
    edit = UnitForm(user=users["dm_officer"], instance=tree["dm01"])
    assert edit.fields["kind"].disabled and edit["kind"].value() == UnitKind.COMMUNE


# Point 8: uniqueness messages never reveal rows outside the scope -------------------------------------------------


@pytest.fixture
def foreign_code(people):
    """A staff code of someone in Gia Nghĩa, outside the Đắk Mil officer's scope."""
    Person.objects.filter(pk=people["cuong"].pk).update(staff_code="GN01-007")
    return "GN01-007"


def test_a_staff_code_held_outside_the_scope_gets_the_generic_message(client_for, users, tree, foreign_code):
    client = client_for(users["dm_officer"])
    response = client.post(reverse("units:person_create"), {
        "full_name": "Phạm Văn Dũng", "gender": "male", "unit": tree["dm01"].pk, "staff_code": "gn01-007"})
    text = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_STAFF in text and "đã được dùng cho người khác" not in text
    assert not Person.objects.filter(full_name="Phạm Văn Dũng").exists()
    # Sở Nội vụ sees everyone: the specific message stays.
    admin = PersonForm({"full_name": "X", "gender": "male", "unit": tree["dm01"].pk, "staff_code": foreign_code},
                       user=users["admin"])
    assert admin.errors["staff_code"] == [f"Mã cán bộ {foreign_code} đã được dùng cho người khác."]


def test_the_person_services_refuse_a_foreign_staff_code_generically(users, tree, people, foreign_code):
    officer = users["dm_officer"]
    with pytest.raises(ValidationError) as refused:
        services.person_create(by=officer, full_name="Phạm Văn Dũng", gender="male", unit=tree["dm01"],
                               staff_code=foreign_code)
    assert refused.value.message_dict == {"staff_code": [GENERIC_STAFF]}
    with pytest.raises(ValidationError) as refused:
        services.person_update(person=people["binh"], by=officer, staff_code="gn01-007")
    assert refused.value.message_dict == {"staff_code": [GENERIC_STAFF]}
    assert Person.objects.get(pk=people["binh"].pk).staff_code is None


def test_the_people_import_refuses_a_foreign_staff_code_generically(users, tree, people, foreign_code):
    content = xlsx(PEOPLE_HEADERS, [
        [None, "Phạm Văn Dũng", "nam", None, "DM-01", foreign_code],
        [None, "Đỗ Thị Hoa", "nữ", None, "DM-01", "DM01-001"],
    ])
    result = excel.people_import(file=content, by=users["dm_officer"])
    messages = dict(result.errors)
    assert "không dùng được; nếu cần, hãy liên hệ Sở Nội vụ" in messages[2]
    assert "đã được dùng cho một người khác" not in messages[2]
    assert "đã được dùng cho một người khác" in messages[3]  # An, of the officer's own commune
    assert not Person.objects.filter(full_name__in=["Phạm Văn Dũng", "Đỗ Thị Hoa"]).exists()


def test_a_unit_code_held_outside_the_scope_gets_the_generic_message(client_for, users, tree):
    client = client_for(users["dm_officer"])
    data = {"code": "gn-01", "name": "Tư pháp", "kind": "division", "parent": tree["dm01"].pk}
    text = client.post(reverse("units:create") + "?parent=DM-01", data).content.decode()
    assert GENERIC_UNIT in text and "Đã có đơn vị mang mã" not in text
    own = client.post(reverse("units:create") + "?parent=DM-01", {**data, "code": "dm-01.vp"}).content.decode()
    assert "Đã có đơn vị mang mã DM-01.VP." in own
    admin = UnitForm(data, user=users["admin"])
    assert admin.errors["code"] == ["Đã có đơn vị mang mã GN-01."]
    with pytest.raises(ValidationError) as refused:
        services.unit_create(by=users["dm_officer"], code="GN-01", name="Tư pháp", kind="division",
                             parent=tree["dm01"])
    assert refused.value.message_dict == {"code": [GENERIC_UNIT]}
