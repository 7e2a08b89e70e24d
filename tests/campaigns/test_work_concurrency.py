"""Two appraisers accept the same achievement at the same moment: one succeeds, one gets the polite message."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from campaigns.models import AchievementStatus
from campaigns.services import work as services
from units.models import AuditEntry

from . import test_work_support as support

officers = support.officers
work_files_in_test_storage = support.work_files_in_test_storage


@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_give_one_success(campaign, contents, tree, officers, users):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises whole transactions anyway")
    achievement = support.make_achievement(campaign, contents[2], tree["dm01"], officers["dm01"])
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(user):
        from django.db import connections

        try:
            barrier.wait()
            services.achievement_accept(achievement=achievement, by=user)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(users[who],)) for who in ("appraiser", "admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes)[1] == "ok" and "đã được xử lý bởi người khác" in sorted(outcomes)[0]
    achievement.refresh_from_db()
    assert achievement.status == AchievementStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="achievement_accept", target_id=str(achievement.pk)).count() == 1
