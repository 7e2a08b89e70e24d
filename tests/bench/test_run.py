"""The bench's own pieces that decide what a row means (bench/run.py)."""

import pytest

from bench import run
from core import versions
from core.models import AuditEntry


@pytest.mark.django_db
def test_a_page_timed_after_a_write_sees_a_new_version_and_leaves_no_row():
    before, rows = versions.current(), AuditEntry.objects.count()
    with run._write_first(True):
        inside = versions.current()
        assert AuditEntry.objects.count() == rows + 1
    assert inside != before  # the cached pieces of the page are not served
    assert AuditEntry.objects.count() == rows  # the bench database is left as it was
    with run._write_first(False):
        assert AuditEntry.objects.count() == rows


def test_after_write_rows_have_no_goal_but_pages_do():
    rows = [{"measure": "Trang", "kind": "page", "ratio": 0.6},
            {"measure": "Trang, ngay sau một lần ghi", "kind": "page-after-write", "ratio": 3.0}]
    assert run.missed_goals(rows) == ["Trang: 0.6 (≤ 0.5)"]
