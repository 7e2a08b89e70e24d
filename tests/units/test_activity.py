"""The activity page: audit rows filtered by who, what, when and object; Sở Nội vụ administrators read every row, a
unit officer the rows done by its subtree's accounts or about its subtree's units, people and accounts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from units import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users, tree, people):
    """One row of each kind the officer rule separates."""
    admin, dm, gn = users["admin"], users["dm_officer"], users["gn_officer"]
    rows = {
        "dm_did": audit.record(actor=dm, action="dossier_submit", target=tree["province"], note="DM nộp"),
        "about_dm_unit": audit.record(actor=admin, action="unit_update", target=tree["dm01"]),
        "about_dm_person": audit.record(actor=admin, action="person_update", target=people["binh"]),
        "about_dm_account": audit.record(actor=admin, action="account_update", target=dm),
        "gn_did": audit.record(actor=gn, action="dossier_submit", target=tree["gn01"], note="GN nộp"),
        "about_gn_person": audit.record(actor=admin, action="person_update", target=people["cuong"]),
        "about_gn_account": audit.record(actor=admin, action="account_update", target=gn),
        "admin_elsewhere": audit.record(actor=admin, action="unit_update", target=tree["snv"]),
        "bulk": audit.record_bulk(actor=admin, action="units_import", label="Nhập 12 đơn vị"),
    }
    return rows


INSIDE = {"dm_did", "about_dm_unit", "about_dm_person", "about_dm_account"}


def test_an_officer_reads_the_rows_about_its_subtree_only(users, trail):
    visible = set(selectors.activity_visible_to(users["dm_officer"]).values_list("pk", flat=True))
    assert visible == {trail[name].pk for name in INSIDE}
    assert set(selectors.activity_visible_to(users["admin"]).values_list("pk", flat=True)) == {
        row.pk for row in trail.values()}
    assert not selectors.activity_visible_to(users["leader"]).exists()


def test_the_activity_page_is_scoped_and_another_units_row_is_not_found(client_for, users, trail):
    client = client_for(users["dm_officer"])
    page = client.get(reverse("units:activity")).content.decode()
    assert "DM nộp" in page and "GN nộp" not in page and "Nhập 12 đơn vị" not in page
    assert "Sửa đơn vị" in page  # the action's Vietnamese label, not its code
    assert client.get(reverse("units:activity_detail", args=[trail["about_dm_person"].pk])).status_code == 200
    for name in ("gn_did", "about_gn_person", "about_gn_account", "admin_elsewhere", "bulk"):
        assert client.get(reverse("units:activity_detail", args=[trail[name].pk])).status_code == 404, name


def test_admin_reads_every_row_and_its_changes(client_for, users, tree):
    services.unit_update(unit=tree["gn01"], by=users["admin"], name="Phường Nghĩa Đức mới")
    entry = AuditEntry.objects.get(action="unit_update")
    client = client_for(users["admin"])
    page = client.get(reverse("units:activity_detail", args=[entry.pk])).content.decode()
    assert "Phường Nghĩa Đức mới" in page and "Ủy ban nhân dân phường Nghĩa Đức" in page
    listing = client.get(reverse("units:activity")).content.decode()
    assert f'href="{reverse("units:detail", args=["GN-01"])}"' in listing  # the unit is linked


def test_the_filters_who_what_when_and_object(client_for, users, trail):
    old = trail["gn_did"]
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.make_aware(datetime.datetime(2024, 3, 15, 23, 30)))
    client = client_for(users["admin"])

    def shown(**params):
        response = client.get(reverse("units:activity"), params)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["page"]}

    assert shown(actor="gn_off") == {old.pk}
    assert shown(action="person_update") == {trail["about_dm_person"].pk, trail["about_gn_person"].pk}
    assert shown(since="15/03/2024", until="15/03/2024") == {old.pk}  # the whole day, in Vietnam's time
    assert old.pk not in shown(since="16/03/2024")
    assert shown(q="Nghĩa Đức") == {old.pk}
    assert shown(q="Bình") == {trail["about_dm_person"].pk}
    page = client.get(reverse("units:activity"), {"since": "16/03/2024", "until": "15/03/2024"}).content.decode()
    assert "“Đến ngày” phải từ “Từ ngày” trở đi." in page


def test_the_action_filter_names_actions_in_vietnamese(client_for, users, trail):
    page = client_for(users["admin"]).get(reverse("units:activity")).content.decode()
    assert '<option value="account_update">Sửa tài khoản</option>' in page
    assert '<option value="dossier_submit">Nộp hồ sơ</option>' in page  # labelled by the awards app


def test_the_account_page_shows_its_recent_activity(client_for, users, trail):
    page = client_for(users["admin"]).get(reverse("units:account_detail", args=[users["gn_officer"].pk]))
    shown = {entry.pk for entry in page.context["entries"]}
    assert shown == {trail["gn_did"].pk, trail["about_gn_account"].pk}
