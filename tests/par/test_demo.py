import time

import pytest

from par import demo
from par.models import CriteriaSet, ScoreSheet, SheetStatus
from units.demo.builder import build_demo


@pytest.mark.django_db
def test_demo_builds_fast_and_is_idempotent():
    build_demo()
    started = time.monotonic()
    summary = demo.build()
    elapsed = time.monotonic() - started
    assert "Chỉ số CCHC" in summary
    assert elapsed < 10
    assert CriteriaSet.objects.filter(year=2023, published_at__isnull=False).count() == 3
    assert CriteriaSet.objects.filter(year=2024, published_at__isnull=True).count() == 3
    published = ScoreSheet.objects.filter(criteria_set__year=2023)
    assert published.exists() and not published.exclude(status=SheetStatus.PUBLISHED).exists()
    assert ScoreSheet.objects.filter(criteria_set__year=2024, status=SheetStatus.DRAFT).exists()
    assert published.filter(index_percent__gt=50).count() == published.count()
    count = ScoreSheet.objects.count()
    demo.build()
    assert ScoreSheet.objects.count() == count
