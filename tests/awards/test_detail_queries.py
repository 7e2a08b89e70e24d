"""The dossier page's queries do not depend on how many collectives it proposes, nor on whether they were merged
into other units (the "no longer exists" warning is checked for all the nominees at once)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from units.models import Unit, UnitKind, UnitLink


def _queries(client, dossier):
    url = reverse("awards:detail", args=[dossier.pk])
    client.get(url)  # the session and the caches warmed alike for both dossiers
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_dossier_page_costs_the_same_for_individuals_and_for_many_merged_collectives(make_dossier, tree, people,
                                                                                    users, client_for):
    officer = users["dm_officer"]
    individuals = make_dossier("draft", nominees=[{"person": people["an"]}])
    collectives = make_dossier("draft", nominees=[{"person": people["an"]}])
    successor = Unit.objects.create(code="DM-99", name="Ủy ban nhân dân xã Đắk Mil mới", kind=UnitKind.COMMUNE,
                                    parent=tree["dm"])
    for number in range(4):
        commune = Unit.objects.create(code=f"DM-1{number}", name=f"Ủy ban nhân dân xã thử {number}",
                                      kind=UnitKind.COMMUNE, parent=tree["dm"])
        UnitLink.objects.create(predecessor=commune, successor=successor, on=datetime.date(2025, 7, 1),
                                basis="Nghị quyết thử")
        services.nominee_add(dossier=collectives, by=officer, summary="Hoàn thành xuất sắc nhiệm vụ.", unit=commune)
    client = client_for(officer)
    few, few_page = _queries(client, individuals)
    many, many_page = _queries(client, collectives)
    assert "xã thử 3" in many_page and "không còn tồn tại" in many_page  # each merged collective is warned about
    assert "không còn tồn tại" not in few_page
    assert many == few
