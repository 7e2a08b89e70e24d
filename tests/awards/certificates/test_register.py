"""The award register (sổ khen thưởng): every commendation a decision registers takes the next number of the
deciding body's series for the year and the form family, consecutive in the decision's order, never given twice,
also when ten decisions are registered at the same time (threads on PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection

from awards import services
from awards.models import CommendationRecord, Decision

pytestmark = pytest.mark.django_db


def _numbers(decision):
    return list(decision.records.order_by("register_number").values_list("register_number", flat=True))


def test_numbers_follow_on_per_body_year_and_family(make_dossier, tree, people):
    first = make_dossier("awarded").decision
    second = make_dossier("awarded", nominees=[{"person": people["binh"]}]).decision
    giay_khen = make_dossier("awarded", form="GIAYKHEN", nominees=[{"person": people["an"]}]).decision
    assert _numbers(first) == [1, 2] and _numbers(second) == [3]
    assert _numbers(giay_khen) == [1]  # Giấy khen: a series of its own
    record = second.records.get()
    assert (record.register_body, record.register_family, record.register_year) == ("DNO", "BK", 2024)
    assert record.register_reference == "003/BK-2024"
    # The decision's list order: the collective first, then the individual (as the dossier lists them).
    ordered = list(first.records.order_by("register_number"))
    assert ordered[0].unit_id == tree["dm01"].pk and ordered[1].person_id == people["an"].pk


def test_the_history_shows_the_register_number(make_dossier, users, client_for):
    make_dossier("awarded")
    page = client_for(users["admin"]).get("/khen-thuong/lich-su/").content.decode()
    assert "001/BK-2024" in page and "002/BK-2024" in page


def _register(decision_pk, user, outcomes, barrier):
    try:
        barrier.wait(timeout=20)
        services.decision_register(decision=Decision(pk=decision_pk), by=user)
        outcomes.append("ok")
    except Exception as error:  # noqa: BLE001 (the outcome is what the test checks)
        outcomes.append(repr(error))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_decisions_never_share_or_reuse_a_number(make_dossier, users, signers):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises write transactions and cannot lock a row: the race needs PostgreSQL")
    dossiers = [make_dossier("at_council") for _ in range(10)]
    drafts = [services.decision_prepare(dossiers=[d], by=users["admin"], date=datetime.date(2024, 1, 15),
                                        signer=signers["chair"]) for d in dossiers]
    outcomes, barrier = [], threading.Barrier(len(drafts))
    threads = [threading.Thread(target=_register, args=(d.pk, users["admin"], outcomes, barrier)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["ok"] * 10
    numbers = sorted(CommendationRecord.objects.filter(register_family="BK", register_year=2024)
                     .values_list("register_number", flat=True))
    assert numbers == list(range(1, 21))  # 10 decisions × 2 awardees: consecutive, none twice, none skipped
    for decision in Decision.objects.filter(pk__in=[d.pk for d in drafts]):
        own = _numbers(decision)
        assert own == [own[0], own[0] + 1]  # each decision's awardees side by side in the register
