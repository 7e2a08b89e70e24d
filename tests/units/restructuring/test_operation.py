"""The restructuring operation through its services and its page: previewed, applied in one transaction."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns.models import Achievement, Registration
from core.models import AuditEntry
from par.models import ScoreSheet
from units import restructuring, services
from units.models import Person, Unit, UnitLink, User

from .conftest import ON


def _merge_three(users, tree, more, **extra):
    """GN-01, GN-02 (Gia Nghĩa) and DM-01 (Đắk Mil, with its division) into one new ward under the province."""
    return dict(by=users["admin"], ended=[tree["gn01"], more["gn02"], tree["dm01"]], on=ON,
                new_units=[{"code": "LD-BGN", "name": "Ủy ban nhân dân phường Bắc Gia Nghĩa", "kind": "commune",
                            "parent": tree["province"]}], basis="Nghị quyết thử", **extra)


def test_three_communes_into_one_preview_equals_what_moved(users, tree, people, more):
    preview = services.restructuring_preview(**_merge_three(users, tree, more))
    counts = {str(label): count for label, count in preview.moves}
    # People: An (DM-01), Bình (its division), Cường (GN-01), Dũng (GN-02); the division ends with its commune.
    assert counts["Cá nhân"] == 4
    assert {unit.code for unit in preview.plan.ended} == {"GN-01", "GN-02", "DM-01", "DM-01.VP"}
    # One registration per campaign and year at the successor: the first of 2025 moves, the others stay.
    assert counts["Đăng ký thi đua chưa kết thúc"] == 1
    assert counts["Thành tích đang chờ xem xét"] == 1
    assert counts["Phiếu chấm điểm CCHC năm hiện tại"] == 1
    kept = {str(label): count for label, count in preview.kept}
    assert kept["Lịch sử khen thưởng của tập thể"] == 1 and kept["Thành tích đã được chấp nhận"] == 1
    assert not Unit.objects.filter(code="LD-BGN").exists()  # a preview writes nothing

    plan, moved = services.restructuring_apply(**_merge_three(users, tree, more))
    new = Unit.objects.get(code="LD-BGN")
    assert new.valid_from == ON and plan.successors == [new]
    assert moved["people"] == counts["Cá nhân"] == Person.objects.filter(unit=new).count()
    assert moved["registrations"] == Registration.objects.filter(unit=new).count() == 1
    assert moved["achievements"] == Achievement.objects.filter(unit=new).count() == 1
    assert moved["par_sheets"] == ScoreSheet.objects.filter(unit=new).count() == 1
    # What stays: history, and the rows the successor could hold only once.
    assert more["record"].__class__.objects.get(pk=more["record"].pk).unit == tree["gn01"]
    assert Achievement.objects.get(pk=more["accepted"].pk).unit == more["gn02"]
    assert ScoreSheet.objects.get(pk=more["published"].pk).unit == tree["gn01"]
    assert Registration.objects.filter(unit__in=[tree["gn01"], more["gn02"], tree["dm01"]]).count() == 3
    for code in ("GN-01", "GN-02", "DM-01", "DM-01.VP"):
        unit = Unit.objects.get(code=code)
        assert unit.valid_to == plan.last_day
        assert list(unit.successors.all()) == [new]
    assert UnitLink.objects.filter(successor=new, on=ON, basis="Nghị quyết thử").count() == 4
    entries = AuditEntry.objects.filter(action="units_restructure")
    assert entries.count() == 1 and entries.get().changes["people"] == 4


def test_one_district_into_two_communes_with_a_share_of_people(users, tree, people, more):
    admin = users["admin"]
    services.restructuring_apply(by=admin, ended=[tree["gn01"]], on=ON, new_units=[
        {"code": "LD-A", "name": "Ủy ban nhân dân phường A", "parent": tree["province"]}])
    services.restructuring_apply(by=admin, ended=[more["gn02"]], on=ON, new_units=[
        {"code": "LD-B", "name": "Ủy ban nhân dân phường B", "parent": tree["province"]}])
    a, b = Unit.objects.get(code="LD-A"), Unit.objects.get(code="LD-B")
    staff = more["staff"]
    data = dict(by=admin, ended=[tree["gn"]], successors=[a, b], on=ON,
                people={staff["hoa"].pk: a.pk, staff["lan"].pk: b.pk, staff["minh"].pk: b.pk})
    preview = services.restructuring_preview(**data)
    assert {unit.code for unit in preview.plan.ended} == {"GN", "GN.VP", "GN.PNV"}
    assert dict(preview.people)[staff["lan"]] == b.pk
    assert dict((str(label), count) for label, count in preview.moves)["Cá nhân"] == 3
    _plan, moved = services.restructuring_apply(**data)
    assert moved["people"] == 3
    assert Person.objects.get(pk=staff["hoa"].pk).unit == a
    assert {p.unit for p in Person.objects.filter(pk__in=[staff["lan"].pk, staff["minh"].pk])} == {b}
    # The district is carried on by both communes; its divisions by its main (first) successor.
    assert set(Unit.objects.get(code="GN").successors.values_list("code", flat=True)) == {"LD-A", "LD-B"}
    assert list(Unit.objects.get(code="GN.VP").successors.values_list("code", flat=True)) == ["LD-A"]
    # The district's officer account follows the main successor (the default "move").
    assert User.objects.get(pk=users["gn_officer"].pk).unit == a


def test_accounts_of_ended_units_can_be_deactivated(users, tree, people, more):
    services.restructuring_apply(**_merge_three(users, tree, more, accounts=restructuring.ACCOUNTS_DEACTIVATE))
    services.restructuring_apply(by=users["admin"], ended=[tree["gn"]], successors=[Unit.objects.get(code="LD-BGN")],
                                 on=ON, accounts=restructuring.ACCOUNTS_DEACTIVATE)
    officer = User.objects.get(pk=users["gn_officer"].pk)
    assert not officer.is_active and officer.unit.code == "LD-BGN"


def test_a_failure_halfway_changes_nothing(users, tree, people, more):
    before = (sorted(Unit.objects.values_list("code", "valid_to")), sorted(Person.objects.values_list("pk", "unit")),
              sorted(User.objects.values_list("pk", "unit", "is_active")),
              sorted(Registration.objects.values_list("pk", "unit")))

    def explode(moves):
        raise RuntimeError("disk full")

    restructuring.register("zz_failing", label="x", planned=lambda plan: [(1, 1)], move=explode)
    try:
        with pytest.raises(RuntimeError):
            services.restructuring_apply(**_merge_three(users, tree, more))
    finally:
        restructuring._movers.pop("zz_failing")
    after = (sorted(Unit.objects.values_list("code", "valid_to")), sorted(Person.objects.values_list("pk", "unit")),
             sorted(User.objects.values_list("pk", "unit", "is_active")),
             sorted(Registration.objects.values_list("pk", "unit")))
    assert after == before
    assert not UnitLink.objects.exists() and not AuditEntry.objects.filter(action="units_restructure").exists()


def test_refusals_say_what_to_do(users, tree, more):
    admin = users["admin"]
    with pytest.raises(PermissionDenied):
        services.restructuring_preview(**{**_merge_three(users, tree, more), "by": users["gn_officer"]})
    with pytest.raises(Exception) as refused:
        services.restructuring_preview(by=admin, ended=[tree["gn"]], successors=[tree["dm"]], on=ON)
    assert "còn đơn vị cấp dưới đang hoạt động" in str(refused.value)
    with pytest.raises(Exception) as refused:
        services.restructuring_preview(by=admin, ended=[tree["gn01"]], on=ON)
    assert "ít nhất một đơn vị kế thừa" in str(refused.value)
    with pytest.raises(Exception) as refused:
        services.restructuring_preview(by=admin, ended=[tree["gn01"]], successors=[tree["gn01"]], on=ON)
    assert "vừa kết thúc vừa là đơn vị kế thừa" in str(refused.value)


def test_the_page_previews_then_applies(client_for, users, tree, people, more):
    client = client_for(users["admin"])
    url = reverse("units:restructuring")
    assert client.get(url).status_code == 200
    data = {"on": "01/07/2025", "ended": [tree["gn01"].pk, more["gn02"].pk], "successors": [],
            "new_units": "LD-X | Ủy ban nhân dân phường X | xã | DNO", "accounts": "move", "preview": "1"}
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200 and "Xem trước" in body and "Phạm Văn Dũng" in body
    assert not Unit.objects.filter(code="LD-X").exists()
    data.pop("preview")
    done = client.post(url, {**data, "apply": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("units:detail", args=["LD-X"])
    assert Person.objects.get(pk=more["staff"]["dung"].pk).unit.code == "LD-X"
    assert client_for(users["gn_officer"]).get(url).status_code == 403
    bad = client_for(users["admin"]).post(url, {**data, "new_units": "LD-Y | X | quận | DNO", "apply": "1"})
    assert bad.status_code == 200 and "không rõ" in bad.content.decode()
