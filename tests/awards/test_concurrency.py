"""Two appraisers act on one dossier at once: exactly one succeeds, the other is told the dossier changed.

On PostgreSQL the two attempts run in two threads with their own connections, racing for the row lock.
SQLite cannot lock a row, so there the same service runs twice in sequence: the second attempt re-reads the
row, finds it changed and is refused exactly as the losing thread is on PostgreSQL.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from awards import services
from awards.models import Dossier
from core.models import AuditEntry


def _attempt(dossier_pk, user, outcomes, barrier=None):
    try:
        if barrier is not None:
            barrier.wait(timeout=10)
        services.dossier_receive(dossier=Dossier(pk=dossier_pk), by=user, expected="submitted")
        outcomes.append("ok")
    except ValidationError as error:
        outcomes.append(error.messages[0])
    finally:
        if barrier is not None:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_receipts_one_succeeds_one_is_refused(make_dossier, users, django_user_model):
    dossier = make_dossier("submitted")
    second = django_user_model.objects.create_user(username="snv_td2", password="x", role="appraiser",
                                                   unit=users["appraiser"].unit)
    outcomes = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=_attempt, args=(dossier.pk, user, outcomes, barrier))
                   for user in (users["appraiser"], second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        _attempt(dossier.pk, users["appraiser"], outcomes)
        _attempt(dossier.pk, second, outcomes)
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert outcomes.count("ok") == 1
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == 1 and "vừa được người khác thay đổi" in refused[0]
    assert Dossier.objects.get(pk=dossier.pk).state == "received"
    rows = AuditEntry.objects.filter(target_type="awards.dossier", target_id=str(dossier.pk),
                                     action="dossier_receive")
    assert rows.count() == 1
