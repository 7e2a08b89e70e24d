"""The unit tree and the people list after issue 18 (rows read as dicts / deferred instances, links built from one
reverse per page): the same cells as before, in both languages, and a query count that does not grow with rows."""

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from units import selectors
from units.models import Person, Unit, UnitKind, UnitLink
from units.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, len(captured)


def _row_of(html, text):
    """The table row (<tr>…</tr>) holding `text`."""
    rows = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S) if text in row]
    assert len(rows) == 1, (text, rows)
    return rows[0]


def _cells(row):
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def _ended_with_successors(tree):
    """A commune ended on 30/6/2025 and carried on by two units: its row names them in tree order."""
    old = Unit.objects.create(code="DM-02", name="Ủy ban nhân dân xã Cũ", kind=UnitKind.COMMUNE, parent=tree["dm"],
                              valid_to=datetime.date(2025, 6, 30))
    UnitLink.objects.create(predecessor=old, successor=tree["gn01"], on=datetime.date(2025, 7, 1))
    UnitLink.objects.create(predecessor=old, successor=tree["dm01"], on=datetime.date(2025, 7, 1))
    return old


def test_unit_tree_cells(client_for, users, tree, people):
    old = _ended_with_successors(tree)
    odd = Unit.objects.create(code="ĐM Ư&1", name="Phòng có mã lạ", kind=UnitKind.DIVISION, parent=tree["dm01"])
    html = client_for(users["admin"]).get(reverse("units:list")).content.decode()

    dm = _row_of(html, ">DM</code>")
    assert f'href="{tree["dm"].get_absolute_url()}"' in dm and "tree-indent-1" in dm
    # code, name, kind, block, direct sub-units (DM-01 and DM-02), people (none directly in DM), state
    assert _cells(dm) == ["DM", tree["dm"].name, "UBND cấp huyện", "Cụm thi đua số 1", "2", "0", "Đang hoạt động"]
    assert _cells(_row_of(html, ">DM-01</code>"))[4:6] == ["2", "1"]  # DM-01.VP and the odd division; An

    ended = _row_of(html, ">DM-02</code>")
    assert 'class="unit-ended"' in ended
    # DM-01 (path under DM) comes before GN-01 in the tree, whatever order the links were made in
    assert _cells(ended)[-1] == (f"Hết hiệu lực từ 30/06/2025 → {tree['dm01'].name}, {tree['gn01'].name}")
    assert old.get_absolute_url() in ended

    # a code that reverse() must quote: the link is exactly the one reverse() gives (escaped in the attribute)
    assert f'href="{escape(odd.get_absolute_url())}"' in _row_of(html, "Phòng có mã lạ")
    assert "%" in odd.get_absolute_url()


def test_people_list_cells(client_for, users, people):
    html = client_for(users["admin"]).get(reverse("units:people")).content.decode()
    an = people["an"]
    row = _row_of(html, an.full_name)
    assert f'href="{an.get_absolute_url()}"' in row and f'href="{an.unit.get_absolute_url()}"' in row
    assert _cells(row) == [an.full_name, "Nam", "Chủ tịch", an.unit.name, "DM01-001"]
    assert _cells(_row_of(html, people["binh"].full_name)) == [
        "Trần Thị Bình", "Nữ", "Văn thư", people["binh"].unit.name, ""]


def test_labels_follow_the_chosen_language(client_for, users, people):
    client = client_for(users["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    units_html = client.get(reverse("units:list")).content.decode()
    people_html = client.get(reverse("units:people")).content.decode()
    with translation.override("en"):
        commune, female = str(UnitKind.COMMUNE.label), str(Person.Gender.FEMALE.label)
    assert commune != "UBND cấp xã" and female != "Nữ"  # the catalogue has them
    assert _cells(_row_of(units_html, ">DM-01</code>"))[2] == commune
    assert _cells(_row_of(people_html, "Trần Thị Bình"))[1] == female


def test_officer_sees_own_subtree_only(client_for, users, tree, people):
    client = client_for(users["dm_officer"])
    units_html = client.get(reverse("units:list")).content.decode()
    people_html = client.get(reverse("units:people")).content.decode()
    assert ">DM-01</code>" in units_html and ">GN-01</code>" not in units_html and ">SNV</code>" not in units_html
    assert people["an"].full_name in people_html and people["cuong"].full_name not in people_html


def _more_units(tree, count):
    """`count` divisions under DM-01, every third one ended and carried on by DM-01 (so links are read too)."""
    units = [Unit.objects.create(code=f"DM-01.T{i:03d}", name=f"Phòng thử {i}", kind=UnitKind.DIVISION,
                                 parent=tree["dm01"], valid_to=datetime.date(2025, 6, 30) if i % 3 == 0 else None)
             for i in range(count)]
    UnitLink.objects.bulk_create(UnitLink(predecessor=unit, successor=tree["dm01"]) for unit in units
                                 if unit.valid_to)
    Person.objects.bulk_create(Person(full_name=f"Người thử {i}", search_name=f"nguoi thu {i}", gender="male",
                                      unit=units[i % count]) for i in range(count * 2))


@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_unit_tree_queries_do_not_grow(client_for, users, tree, role):
    client = client_for(users[role])
    _response, active_only = _get(client, reverse("units:list"))
    _ended_with_successors(tree)
    _response, few = _get(client, reverse("units:list"))
    assert few == active_only + 1  # the successors' names, read only for a page showing an ended unit
    _more_units(tree, PAGE_SIZE + 20)
    response, many = _get(client, reverse("units:list"))
    assert len(response.context["page"]) == PAGE_SIZE and response.context["page"].has_next()
    assert many == few
    _response, second_page = _get(client, reverse("units:list"), {"page": 2})
    assert second_page == few


@pytest.mark.parametrize("deep_from", [None, 0])
@pytest.mark.parametrize("role", ["admin", "dm_officer"])
def test_people_list_queries_do_not_grow(client_for, users, tree, people, role, monkeypatch, deep_from):
    if deep_from is not None:  # every page read as a deep one
        monkeypatch.setattr(selectors, "DEEP_PAGE_OFFSET", deep_from)
    client = client_for(users[role])
    _response, few = _get(client, reverse("units:people"))
    _more_units(tree, PAGE_SIZE)
    response, many = _get(client, reverse("units:people"))
    assert len(response.context["page"]) == PAGE_SIZE
    assert many == few
    _response, filtered = _get(client, reverse("units:people"), {"unit": "DM-01", "gender": "male"})
    assert filtered == few + 1  # the chosen unit, read once to scope the filter


@pytest.mark.parametrize("deep_from", [None, 0, PAGE_SIZE])
def test_people_pages_follow_name_order(client_for, users, tree, people, monkeypatch, deep_from):
    """Early pages read their slice, deep pages their ids first, then the rows (`deep_from` moves the border so
    that these few pages take either way): together the pages are the whole list, in name order, each person once
    (also for an officer, whose slice is scoped)."""
    if deep_from is not None:
        monkeypatch.setattr(selectors, "DEEP_PAGE_OFFSET", deep_from)
    _more_units(tree, PAGE_SIZE)  # 2 × 100 more people in DM-01's divisions
    for role, visible in (("admin", Person.objects.all()), ("dm_officer", Person.objects.filter(
            unit__path__startswith=tree["dm"].path))):
        client = client_for(users[role])
        seen = []
        for number in (1, 2, 3):
            page = client.get(reverse("units:people"), {"page": number}).context["page"]
            assert page.number == number
            seen += [person.pk for person in page]
        assert seen == list(visible.order_by("search_name", "id").values_list("pk", flat=True))
