"""An officer sees and changes only its own subtree: everything outside answers 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_officer_gets_404_on_another_districts_unit(client_for, users, tree):
    client = client_for(users["dm_officer"])
    assert client.get(reverse("units:detail", args=["DM-01"])).status_code == 200
    assert client.get(reverse("units:detail", args=["GN-01"])).status_code == 404
    assert client.get(reverse("units:detail", args=["GN"])).status_code == 404
    assert client.get(reverse("units:edit", args=["GN-01"])).status_code == 404


def test_officer_gets_404_on_another_districts_person(client_for, users, people):
    client = client_for(users["dm_officer"])
    assert client.get(reverse("units:person_detail", args=[people["an"].pk])).status_code == 200
    assert client.get(reverse("units:person_detail", args=[people["cuong"].pk])).status_code == 404
    assert client.get(reverse("units:person_edit", args=[people["cuong"].pk])).status_code == 404


def test_officer_gets_404_on_another_districts_exports(client_for, users, people):
    client = client_for(users["dm_officer"])
    assert client.get(reverse("units:people_export"), {"unit": "GN-01"}).status_code == 404
    assert client.get(reverse("units:people"), {"unit": "GN"}).status_code == 404
    assert client.get(reverse("units:people_export"), {"unit": "DM-01"}).status_code == 200


def test_officer_lists_only_its_subtree(client_for, users, people):
    client = client_for(users["dm_officer"])
    units_page = client.get(reverse("units:list")).content.decode()
    assert "<code>DM-01</code>" in units_page
    assert "<code>GN-01</code>" not in units_page and "<code>SNV</code>" not in units_page
    people_page = client.get(reverse("units:people")).content.decode()
    assert "Nguyễn Văn An" in people_page and "Lê Văn Cường" not in people_page


def test_officer_cannot_create_units_or_people_outside_scope(client_for, users, tree):
    client = client_for(users["dm_officer"])
    assert client.get(reverse("units:create"), {"parent": "GN"}).status_code == 404
    assert client.get(reverse("units:person_create"), {"unit": "GN-01"}).status_code == 404
    response = client.post(reverse("units:person_create") + "?unit=DM-01", {
        "full_name": "Người Lạ", "gender": "male", "unit": tree["gn01"].pk})
    assert response.status_code == 200  # the form refuses a unit outside the officer's choices
    assert "unit" in response.context["form"].errors


def test_officer_cannot_edit_its_own_unit_or_move_it(client_for, users, tree):
    client = client_for(users["dm_officer"])
    assert client.get(reverse("units:edit", args=["DM"])).status_code == 403
    assert client.get(reverse("units:edit", args=["DM-01"])).status_code == 200


@pytest.mark.parametrize("role", ["appraiser", "leader"])
def test_read_only_roles_see_everything_but_change_nothing(client_for, users, people, role):
    client = client_for(users[role])
    assert client.get(reverse("units:detail", args=["GN-01"])).status_code == 200
    assert client.get(reverse("units:person_detail", args=[people["cuong"].pk])).status_code == 200
    assert client.get(reverse("units:edit", args=["GN-01"])).status_code == 403
    assert client.get(reverse("units:person_edit", args=[people["cuong"].pk])).status_code == 403
    assert client.get(reverse("units:create")).status_code == 403
    assert client.get(reverse("units:person_create")).status_code == 403


def test_anonymous_is_sent_to_login(client, tree):
    # "/" is the public portal for anonymous visitors (tests/ux/test_portal.py); every units page asks to log in
    for url in [reverse("units:list"), reverse("units:detail", args=["DM"]),
                reverse("units:people"), reverse("units:export"), reverse("units:people_export")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_admin_manages_any_unit(client_for, users, tree):
    client = client_for(users["admin"])
    assert client.get(reverse("units:edit", args=["GN-01"])).status_code == 200
    assert client.get(reverse("units:create")).status_code == 200
