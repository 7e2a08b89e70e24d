"""`{% filter_bar %}` (core): the filter row of the unit and account lists, each field in its column in the order
given, the search landmark and the "Lọc" button; the typed value is kept and filters the list."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _bar(page):
    form = re.search(r'<form method="get" class="row g-2 align-items-end mb-3" role="search">(.*?)</form>', page,
                     re.S)
    assert form, "the filter row is on the page"
    return form.group(1)


@pytest.mark.parametrize("name, columns", [
    ("units:list", [("q", 4), ("kind", 2), ("block", 3), ("status", 2)]),
    ("units:accounts", [("q", 4), ("role", 3), ("status", 2), ("unit", 2)]),
])
def test_each_field_in_its_column_then_the_button(client_for, users, name, columns):
    bar = _bar(client_for(users["admin"]).get(reverse(name), {"q": "Đắk Mil"}).content.decode())
    found = re.findall(r'<div class="col-md-(\d+)">.*?name="(\w+)"', bar, re.S)
    assert [(field, int(width)) for width, field in found] == columns
    assert 'value="Đắk Mil"' in bar
    assert re.search(r'<div class="col-md-1 mb-3"><button class="btn btn-primary w-100" type="submit">Lọc</button>',
                     bar)


def test_the_unit_list_is_filtered_by_the_bar(client_for, users, tree):
    page = client_for(users["admin"]).get(reverse("units:list"), {"q": "gia nghia"}).content.decode()
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    assert tree["gn"].name in table and tree["dm"].name not in table
