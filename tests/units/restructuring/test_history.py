"""History follows the successor: its page links its predecessors (and theirs back), its commendation history and
achievement profile include theirs under their own names, and a search by a predecessor's name finds it."""

from django.urls import reverse

from units import lineage, selectors, services
from units.models import Unit

from .conftest import ON


def _merged(users, tree, more):
    services.restructuring_apply(by=users["admin"], ended=[tree["gn01"], more["gn02"]], on=ON, new_units=[
        {"code": "LD-BGN", "name": "Ủy ban nhân dân phường Bắc Gia Nghĩa", "parent": tree["province"]}])
    return Unit.objects.get(code="LD-BGN")


def test_unit_pages_link_predecessors_and_successor(client_for, users, tree, people, more):
    new = _merged(users, tree, more)
    client = client_for(users["admin"])
    page = client.get(reverse("units:detail", args=["LD-BGN"])).content.decode()
    assert "Hình thành từ" in page
    assert f'href="{tree["gn01"].get_absolute_url()}"' in page and "Ủy ban nhân dân phường Nghĩa Phú" in page
    old = client.get(reverse("units:detail", args=["GN-01"])).content.decode()
    assert "Đã sáp nhập vào" in old and f'href="{new.get_absolute_url()}"' in old


def test_commendation_history_and_profile_include_predecessors(client_for, users, tree, people, more):
    new = _merged(users, tree, more)
    client = client_for(users["admin"])
    page = client.get(reverse("units:detail", args=["LD-BGN"])).content.decode()
    history = page[page.index("Lịch sử khen thưởng"):]
    assert "88/QĐ-UBND" in history
    assert "khen cho Ủy ban nhân dân phường Nghĩa Đức (đơn vị trước sắp xếp)" in history
    profile = client.get(reverse("awards:unit_profile", args=["LD-BGN"])).content.decode()
    assert "88/QĐ-UBND" in profile and "Đối thoại" in profile  # an accepted achievement of GN-02 in 2024
    # The predecessor's own history is still its own.
    assert "88/QĐ-UBND" in client.get(reverse("units:detail", args=["GN-01"])).content.decode()
    assert lineage.lineage_ids([new.pk]) == {new.pk, tree["gn01"].pk, more["gn02"].pk}


def test_a_search_by_a_predecessors_name_finds_the_successor(client_for, users, tree, people, more):
    _merged(users, tree, more)
    found = selectors.unit_list(users["admin"], q="Nghia Phu", status="active")
    assert [unit.code for unit in found] == ["LD-BGN"]
    page = client_for(users["admin"]).get(reverse("units:list"), {"q": "Nghĩa Đức"}).content.decode()
    assert "Ủy ban nhân dân phường Bắc Gia Nghĩa" in page


def test_in_force_follows_the_chain(users, tree, people, more):
    new = _merged(users, tree, more)
    assert lineage.in_force(Unit.objects.get(code="GN-01"), ON) == new
    assert lineage.in_force(Unit.objects.get(code="GN-01"), ON.replace(day=30, month=6)).code == "GN-01"
