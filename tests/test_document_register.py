"""The outgoing-document register (core.register): yearly series per issuing body and kind, the next number taken
under a row lock, numbers never given twice nor reused, and the signer block of Decree 30/2020.

The concurrent tests run ten real threads, each with its own database connection, released together by a barrier.
On PostgreSQL they share the test database (row locks at work). SQLite's in-memory test database refuses a second
writer at once ("table is locked") instead of waiting, which no deployment sees, so there the threads open a file
copy of it with the project's own SQLite settings (IMMEDIATE write transactions, a busy timeout, WAL): the
deployment's configuration, serialising the writers as it does in production.
"""

import contextlib
import datetime
import sqlite3
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from awards import services
from awards.models import Decision, Dossier
from core import register
from core.models import DocumentSequence, IssuingBody, RegisteredDocument, Signer, SignerPosition

THREADS = 10


@contextlib.contextmanager
def threads_database(tmp_path):
    """Where the threads' connections go (see the module's docstring)."""
    if connection.vendor != "sqlite":
        yield
        return
    path = str(tmp_path / "threads.sqlite3")
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    settings_dict["NAME"] = path
    try:
        yield
    finally:
        settings_dict["NAME"] = name


def in_thread(function):
    """`function()` in a thread of its own (its own connection), its result or its exception returned."""
    box = {}

    def run():
        try:
            box["result"] = function()
        except Exception as error:  # reported by the caller
            box["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box.get("result")


def race(calls):
    """Run every call at the same moment, one thread each: their outcomes ("ok", result) or ("error", repr)."""
    barrier = threading.Barrier(len(calls))
    outcomes, guard = [], threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            outcome = ("ok", call())
        except Exception as error:
            outcome = ("error", repr(error))
        finally:
            connection.close()
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_registrations_get_ten_consecutive_numbers(make_dossier, users, signers, tmp_path):
    drafts = []
    for _ in range(THREADS):
        dossier = make_dossier("at_council")
        drafts.append(services.decision_prepare(dossiers=[dossier], by=users["admin"],
                                                date=datetime.date(2024, 1, 15), signer=signers["chair"]).pk)
    assert not DocumentSequence.objects.filter(kind="QĐ").exists()  # the first registration creates the series
    admin = users["admin"]
    with threads_database(tmp_path):
        outcomes = race([lambda pk=pk: services.decision_register(decision=Decision(pk=pk), by=admin).number
                         for pk in drafts])
        errors = [detail for kind, detail in outcomes if kind == "error"]
        assert errors == [], errors
        numbers = sorted(number for _kind, number in outcomes)
        assert numbers == [f"{n:02d}/QĐ-UBND" for n in range(1, THREADS + 1)]
        stored = in_thread(lambda: (
            sorted(Decision.objects.filter(pk__in=drafts).values_list("number", flat=True)),
            sorted(RegisteredDocument.objects.filter(kind="QĐ", year=2024).values_list("number", flat=True)),
            list(DocumentSequence.objects.filter(kind="QĐ").values_list("year", "last")),
            sorted(Dossier.objects.filter(decision__in=drafts).values_list("state", flat=True))))
    assert stored == (numbers, list(range(1, THREADS + 1)), [(2024, THREADS)], ["awarded"] * THREADS)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_dossiers_get_ten_distinct_numbers(tree, users, catalogue, campaign, interim, tmp_path):
    officer = users["dm_officer"]
    form = catalogue["BK-TINH-CD"]
    with threads_database(tmp_path):
        outcomes = race([lambda: services.dossier_create(by=officer, campaign=campaign, milestone=interim,
                                                         unit=tree["dm"], form=form).code] * THREADS)
    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == [], errors
    year = datetime.date.today().year
    assert sorted(code for _kind, code in outcomes) == [f"HS-{year}-{n:04d}" for n in range(1, THREADS + 1)]


@pytest.mark.django_db
def test_a_number_is_never_given_twice_nor_reused(tree, catalogue, users):
    body = IssuingBody.objects.get(key="DNO")
    day = datetime.date(2025, 3, 4)
    with transaction.atomic():
        first = register.register(body=body, kind="QĐ", issued_on=day, subject="Thứ nhất")
    # A registration whose transaction fails leaves no trace: the next one gets the number it would have had.
    with pytest.raises(RuntimeError), transaction.atomic():
        register.register(body=body, kind="QĐ", issued_on=day)
        raise RuntimeError("the document could not be saved")
    with transaction.atomic():
        second = register.register(body=body, kind="QĐ", issued_on=day)
        other_kind = register.register(body=body, kind="TTr", issued_on=day)
        next_year = register.register(body=body, kind="QĐ", issued_on=datetime.date(2026, 1, 2))
    assert (first.reference, second.reference) == ("01/QĐ-UBND", "02/QĐ-UBND")
    assert (other_kind.reference, next_year.reference) == ("01/TTr-UBND", "01/QĐ-UBND")
    # The application may continue a register kept by hand until now, but never go back to a number given.
    register.continue_from(body=body, kind="QĐ", year=2025, last=40, by=users["admin"])
    with pytest.raises(ValidationError, match="không thể lùi số"):
        register.continue_from(body=body, kind="QĐ", year=2025, last=10, by=users["admin"])
    with transaction.atomic():
        assert register.register(body=body, kind="QĐ", issued_on=day).reference == "41/QĐ-UBND"


@pytest.mark.django_db
def test_a_registered_decision_cannot_be_discarded_and_a_draft_frees_its_dossiers(make_dossier, users, signers):
    dossier = make_dossier("at_council")
    draft = services.decision_prepare(dossiers=[dossier], by=users["admin"], date=datetime.date(2024, 2, 1),
                                      signer=signers["chair"])
    services.decision_discard(decision=draft, by=users["admin"])
    dossier.refresh_from_db()
    assert dossier.decision_id is None and dossier.state == "at_council"
    decision = services.decision_record(dossiers=[dossier], by=users["admin"], date=datetime.date(2024, 2, 1),
                                        signer=signers["chair"])
    with pytest.raises(ValidationError, match="không hủy được"):
        services.decision_discard(decision=decision, by=users["admin"])
    with pytest.raises(ValidationError, match="đã được đăng ký số"):
        services.decision_register(decision=decision, by=users["admin"])
    assert decision.number == "01/QĐ-UBND"


@pytest.mark.django_db
def test_signer_block_follows_the_signing_capacity(tree, catalogue):
    from awards.catalogue import ensure_issuers

    body = ensure_issuers()[0]
    day = datetime.date(2024, 5, 6)
    head = Signer.objects.create(body=body, full_name="A", position=SignerPosition.HEAD, valid_from=day)
    deputy = Signer.objects.create(body=body, full_name="B", position=SignerPosition.DEPUTY, valid_from=day)
    acting = Signer.objects.create(body=body, full_name="C", position=SignerPosition.ACTING, valid_from=day,
                                   valid_to=datetime.date(2024, 6, 30))
    assert register.signature_lines(head) == ["CHỦ TỊCH"]
    assert register.signature_lines(deputy) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert register.signature_lines(acting) == ["Q. CHỦ TỊCH"]
    assert register.signature_lines(deputy, collective=True) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                                                 "PHÓ CHỦ TỊCH"]
    assert [s.full_name for s in register.signers_on(body, day)] == ["A", "C", "B"]
    assert [s.full_name for s in register.signers_on(body, datetime.date(2024, 7, 1))] == ["A", "B"]
    assert register.signers_on(body, datetime.date(2024, 5, 5)) == []


@pytest.mark.django_db
def test_the_command_continues_a_register_kept_by_hand(tree, catalogue):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("register_continue", "DNO", "QĐ", "2025", "149", stdout=out)
    assert "150/QĐ-UBND" in out.getvalue()
    with pytest.raises(CommandError, match="không thể lùi số"):
        call_command("register_continue", "DNO", "QĐ", "2025", "100", stdout=out)
