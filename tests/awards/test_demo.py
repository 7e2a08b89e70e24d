"""The awards demo: the catalogue and interim-review dossiers in every state, one decision; idempotent."""

import pytest

from awards import demo
from awards.models import AwardForm, CommendationRecord, Decision, Dossier, DossierState
from campaigns import demo_plan, demo_work
from units.demo.builder import build_demo


@pytest.mark.django_db
def test_demo_builds_every_state_once():
    assert demo.build() == ""  # no Plan 584 yet
    build_demo()
    demo_plan.build()
    demo_work.build()
    summary = demo.build()
    assert summary.startswith("Khen thưởng sơ kết 584/KH-UBND")
    counts = (Dossier.objects.count(), CommendationRecord.objects.count(), Decision.objects.count())
    assert demo.build() == summary
    assert (Dossier.objects.count(), CommendationRecord.objects.count(), Decision.objects.count()) == counts
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert AwardForm.objects.filter(code="CSTD-TINH").exists()
    decision = Decision.objects.get(number="2150/QĐ-UBND")
    assert decision.dossiers.count() == 2
    assert CommendationRecord.objects.filter(decision=decision).count() == 3
    assert not Dossier.objects.exclude(nominees__person__staff_code__startswith="DEMO-").filter(
        nominees__unit__isnull=True).exists()
    resubmitted = Dossier.objects.filter(submission_count=2).first()
    assert resubmitted is not None and resubmitted.submissions.get(number=2).changes
