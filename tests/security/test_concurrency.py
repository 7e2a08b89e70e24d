"""Ten people fire the same transition on the same object at the same moment: exactly one applies, exactly one
activity row is written, and the nine others get the service's polite Vietnamese refusal (no other exception).

On PostgreSQL the ten attempts run in ten threads released together by a barrier (real row locks at work). On
SQLite, which serialises writers, threads prove nothing: the same ten attempts run one after the other through the
same service and must give the same outcome.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards import services as award_services
from awards.models import Dossier
from campaigns.models import Achievement
from campaigns.services import work as campaign_services
from core.models import AuditEntry
from par import services as par_services
from par.models import ScoreSheet
from tests.fixtures.par import officer_for, self_assess

ATTEMPTS = 10


def _attempt(load, act, before=None):
    """One user's click: the object as their page loaded it, then the service call. Returns the outcome."""
    obj = load()
    if before:
        before()
    try:
        act(obj)
    except ValidationError as error:
        return ("refused", " ".join(error.messages))
    except Exception as error:  # anything else is a failure of the test, reported with its type
        return ("error", repr(error))
    return ("applied", "")


def race(load, act):
    if connection.vendor != "postgresql":
        return [_attempt(load, act) for _ in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)
    outcomes, guard = [], threading.Lock()

    def worker():
        try:
            outcome = _attempt(load, act, before=lambda: barrier.wait(timeout=30))
            with guard:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (lock never released?)"
    return outcomes


def assert_one_applied(outcomes, refusal_words):
    kinds = [kind for kind, _message in outcomes]
    errors = [message for kind, message in outcomes if kind == "error"]
    assert errors == [], f"unexpected exceptions: {errors}"
    assert len(outcomes) == ATTEMPTS
    assert kinds.count("applied") == 1, outcomes
    refusals = [message for kind, message in outcomes if kind == "refused"]
    assert len(refusals) == ATTEMPTS - 1
    for message in refusals:
        assert refusal_words in message, message


def audit_rows(action, obj):
    return AuditEntry.objects.filter(action=action, target_type=obj._meta.label_lower, target_id=str(obj.pk))


@pytest.mark.django_db(transaction=True)
def test_ten_appraisers_receive_one_dossier(make_dossier, users):
    dossier = make_dossier("submitted")
    appraiser = users["appraiser"]
    outcomes = race(lambda: Dossier.objects.get(pk=dossier.pk),
                    lambda d: award_services.dossier_receive(dossier=d, by=appraiser))
    assert_one_applied(outcomes, "vừa được người khác thay đổi")
    dossier.refresh_from_db()
    assert dossier.state == "received"
    assert audit_rows("dossier_receive", dossier).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_appraisers_propose_one_dossier(make_dossier, users):
    dossier = make_dossier("under_appraisal")
    appraiser = users["appraiser"]
    outcomes = race(lambda: Dossier.objects.get(pk=dossier.pk),
                    lambda d: award_services.dossier_propose(dossier=d, by=appraiser, note="Đủ tiêu chuẩn"))
    assert_one_applied(outcomes, "vừa được người khác thay đổi")
    dossier.refresh_from_db()
    assert dossier.state == "proposed"
    assert audit_rows("dossier_propose", dossier).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_clicks_submit_one_par_sheet(district_sheets):
    sheet = district_sheets["DM"]
    officer = officer_for(sheet.unit)
    self_assess(sheet, officer, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    outcomes = race(lambda: ScoreSheet.objects.get(pk=sheet.pk),
                    lambda s: par_services.sheet_submit(sheet=s, by=officer))
    assert_one_applied(outcomes, "vừa được người khác thay đổi")
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    assert audit_rows("par_sheet_submit", sheet).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_appraisers_take_one_par_sheet(district_sheets, par_users):
    sheet = district_sheets["DM"]
    officer = officer_for(sheet.unit)
    self_assess(sheet, officer, {"1.1": 4, "1.2.1": 3, "1.2.2": 3, "2.1": 5, "2.2": 5})
    par_services.sheet_submit(sheet=sheet, by=officer)
    appraiser = par_users["appraiser"]
    outcomes = race(lambda: ScoreSheet.objects.get(pk=sheet.pk),
                    lambda s: par_services.sheet_start_appraisal(sheet=s, by=appraiser))
    assert_one_applied(outcomes, "vừa được người khác thay đổi")
    sheet.refresh_from_db()
    assert sheet.status == "under_appraisal"
    assert audit_rows("par_sheet_start_appraisal", sheet).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_reviewers_accept_one_achievement(achievement, users):
    reviewer = users["appraiser"]
    outcomes = race(lambda: Achievement.objects.get(pk=achievement.pk),
                    lambda a: campaign_services.achievement_accept(achievement=a, by=reviewer, note="Đạt"))
    assert_one_applied(outcomes, "vừa được người khác thay đổi")
    achievement.refresh_from_db()
    assert achievement.status == "accepted"
    assert audit_rows("achievement_accept", achievement).count() == 1
