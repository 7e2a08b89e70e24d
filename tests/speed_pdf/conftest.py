"""The reports' small hand-countable dataset (tests/reports/conftest.py), shared rather than built again."""

from tests.reports.conftest import _immediate_tasks, body, dataset, final_draft  # noqa: F401
