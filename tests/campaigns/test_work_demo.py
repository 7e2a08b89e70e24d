"""The work demo: achievements in every state for all five contents, initiatives, exemplary models; idempotent."""

import pytest

from campaigns import demo_plan, demo_work
from campaigns.models import Achievement, EvidenceFile, ExemplaryModel, Initiative, InitiativeFile
from core.models import AuditEntry
from units.demo.builder import build_demo

from . import test_work_support as support

work_files_in_test_storage = support.work_files_in_test_storage


def _counts():
    return [m.objects.count() for m in (Achievement, EvidenceFile, Initiative, InitiativeFile, ExemplaryModel)]


@pytest.mark.django_db
def test_demo_work_builds_once_and_again():
    assert demo_work.build() == ""  # no Plan 584 yet
    build_demo()
    demo_plan.build()
    summary = demo_work.build()
    assert summary.startswith("Minh chứng 584/KH-UBND")
    first = _counts()
    files_on_disk = len(support.stored_files())
    assert demo_work.build() == summary
    assert _counts() == first and len(support.stored_files()) == files_on_disk

    achievements = Achievement.objects.filter(campaign__number="584/KH-UBND")
    assert set(achievements.values_list("content__number", flat=True)) == {1, 2, 3, 4, 5}
    assert set(achievements.values_list("status", flat=True)) == {"submitted", "accepted", "clarification"}
    assert achievements.values("unit").distinct().count() >= 4
    assert not achievements.filter(files__isnull=True).exists()
    assert files_on_disk == EvidenceFile.objects.count() + InitiativeFile.objects.count() + \
        ExemplaryModel.objects.exclude(file="").count()
    assert EvidenceFile.objects.filter(content_type="application/pdf").exists()
    assert Initiative.objects.filter(status="recognised").count() == 2
    assert ExemplaryModel.objects.filter(published_at__isnull=False).count() == 3
    assert ExemplaryModel.objects.filter(published_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="achievement_resubmit").count() == 1
