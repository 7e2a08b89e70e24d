import sqlite3

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _sqlite_real_parameter_limit(monkeypatch):
    """Django assumes SQLite's old limit of 999 parameters per statement and cuts bulk statements into many small
    ones; the linked SQLite (3.32 and later) takes 32,766, which PostgreSQL (65,535) exceeds. With the real limit a
    batch is one statement on either database, so the counts below compare batches, not the driver's chunks."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 32):
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
