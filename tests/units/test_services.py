"""Unit and person services: one transaction, permission checks, audit rows, subtree paths kept right."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_moving_a_unit_moves_its_whole_subtree(users, tree):
    services.unit_update(unit=tree["dm01"], by=users["admin"], parent=tree["gn"])
    moved = Unit.objects.get(code="DM-01.VP")
    assert moved.path == "DNO/GN/DM-01/DM-01.VP/"
    assert moved.depth == 3
    assert Unit.objects.filter(path__startswith="DNO/GN/").count() == 4  # GN, GN-01, DM-01, DM-01.VP
    entry = AuditEntry.objects.get(action="unit_update")
    assert entry.actor == users["admin"] and entry.changes["parent"][1] == str(tree["gn"])


def test_renaming_a_code_rewrites_descendant_paths(users, tree):
    services.unit_update(unit=tree["dm"], by=users["admin"], code="dmil")
    assert Unit.objects.get(code="DM-01.VP").path == "DNO/DMIL/DM-01/DM-01.VP/"


def test_a_unit_cannot_move_under_itself(users, tree):
    with pytest.raises(ValidationError):
        services.unit_update(unit=tree["dm"], by=users["admin"], parent=tree["dm01_vp"])
    assert Unit.objects.get(code="DM").parent == tree["province"]


def test_officer_cannot_move_a_subunit_out_of_its_subtree(users, tree):
    with pytest.raises(PermissionDenied):
        services.unit_update(unit=tree["dm01_vp"], by=users["dm_officer"], parent=tree["gn"])
    assert Unit.objects.get(code="DM-01.VP").parent == tree["dm01"]


def test_officer_adds_a_division_under_its_subtree(users, tree):
    unit = services.unit_create(by=users["dm_officer"], code="DM-01.TP", name="Tư pháp - Hộ tịch",
                                kind="division", parent=tree["dm01"])
    assert unit.path == "DNO/DM/DM-01/DM-01.TP/"
    assert AuditEntry.objects.filter(action="unit_create", target_id=str(unit.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        services.unit_create(by=users["dm_officer"], code="GN-01.TP", name="X", kind="division",
                             parent=tree["gn01"])


def test_person_create_and_update_leave_audit_rows(users, tree):
    person = services.person_create(by=users["dm_officer"], full_name="Đỗ Thị Hoa", gender="female",
                                    unit=tree["dm01"], position="")
    services.person_update(person=person, by=users["dm_officer"], position="Văn thư")
    actions = list(AuditEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["person_create", "person_update"]
    with pytest.raises(PermissionDenied):
        services.person_update(person=person, by=users["gn_officer"], position="X")
    with pytest.raises(PermissionDenied):
        services.person_update(person=person, by=users["dm_officer"], unit=tree["gn01"])


def test_unit_form_flow_in_vietnamese(client_for, users, tree):
    client = client_for(users["admin"])
    response = client.post(reverse("units:create"), {
        "code": "snv.cchc", "name": "Phòng Cải cách hành chính", "kind": "division", "parent": tree["snv"].pk,
        "valid_from": "01/03/2025"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="SNV.CCHC")
    assert unit.valid_from.isoformat() == "2025-03-01"
    bad = client.post(reverse("units:create"), {"code": "Mã có dấu", "name": "", "kind": "division"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Mã đơn vị chỉ gồm chữ cái không dấu" in text
    assert "Trường này là bắt buộc." in text


def test_person_form_rejects_duplicate_staff_code(client_for, users, people):
    client = client_for(users["dm_officer"])
    response = client.post(reverse("units:person_create"), {
        "full_name": "Phạm Văn Dũng", "gender": "male", "unit": people["an"].unit_id, "staff_code": "dm01-001"})
    assert response.status_code == 200
    assert "Mã cán bộ DM01-001 đã được dùng cho người khác." in response.content.decode()
