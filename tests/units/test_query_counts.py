"""List pages issue the same number of queries for 1 row and for 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from units.models import Person, Unit

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _add_units(parent, count, start=0):
    for i in range(start, start + count):
        Unit.objects.create(code=f"{parent.code}.X{i:02d}", name=f"Phòng thử {i}", kind="division", parent=parent)


def _add_people(unit, count):
    Person.objects.bulk_create(
        Person(full_name=f"Nguyễn Thị Thử {i}", search_name=f"nguyen thi thu {i}", gender="female", unit=unit)
        for i in range(count))


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_unit_list_queries_do_not_grow(client_for, users, tree, role):
    client = client_for(users[role])
    _add_units(tree["dm01"], 1)
    few = _queries(client, reverse("units:list"), {"q": "phong thu"})
    _add_units(tree["dm01_vp"], 49)
    many = _queries(client, reverse("units:list"), {"q": "phong thu"})
    assert few == many


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_people_list_queries_do_not_grow(client_for, users, tree, role):
    client = client_for(users[role])
    _add_people(tree["dm01"], 1)
    few = _queries(client, reverse("units:people"), {"q": "thu"})
    _add_people(tree["dm01_vp"], 49)
    many = _queries(client, reverse("units:people"), {"q": "thu"})
    assert few == many


def test_unit_detail_queries_do_not_grow(client_for, users, tree):
    client = client_for(users["admin"])
    _add_units(tree["dm01"], 1)
    _add_people(tree["dm01"], 1)
    few = _queries(client, reverse("units:detail", args=["DM-01"]))
    _add_units(tree["dm01"], 30, start=1)
    _add_people(tree["dm01"], 49)
    assert _queries(client, reverse("units:detail", args=["DM-01"])) == few


def _add_accounts(unit, count, start=0):
    from units.models import User

    User.objects.bulk_create(User(username=f"thu.{unit.code.lower()}.{i}", full_name=f"Cán bộ thử {i}",
                                  role="officer", unit=unit, password="!") for i in range(start, start + count))


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_account_list_queries_do_not_grow(client_for, users, tree, role):
    from axes.models import AccessAttempt

    client = client_for(users[role])
    _add_accounts(tree["dm01"], 1)
    AccessAttempt.objects.create(username="thu.dm-01.0", ip_address="10.0.0.1", user_agent="x",
                                 failures_since_start=2, get_data="", post_data="", http_accept="", path_info="/")
    few = _queries(client, reverse("units:accounts"), {"q": "thu"})
    _add_accounts(tree["dm01_vp"], 49)
    for i in range(10):  # failed logins on many rows of the page: still one query for the column
        AccessAttempt.objects.create(username=f"thu.dm-01.vp.{i}", ip_address="10.0.0.1", user_agent="x",
                                     failures_since_start=6, get_data="", post_data="", http_accept="",
                                     path_info="/")
    many = _queries(client, reverse("units:accounts"), {"q": "thu"})
    assert few == many


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_activity_list_queries_do_not_grow(client_for, users, tree, people, role):
    from core import audit

    client = client_for(users[role])
    audit.record(actor=users["dm_officer"], action="unit_update", target=tree["dm01"])
    audit.record(actor=users["admin"], action="person_update", target=people["an"])
    few = _queries(client, reverse("units:activity"))
    for i in range(24):
        audit.record(actor=users["dm_officer"], action=f"unit_update_{i % 3}", target=tree["dm01_vp"])
        audit.record(actor=users["admin"], action="person_update", target=people["binh"], note=f"Lần {i}")
        audit.record(actor=users["admin"], action="account_update", target=users["dm_officer"])
    many = _queries(client, reverse("units:activity"))
    assert few == many
