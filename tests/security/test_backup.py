"""`make backup` / `make restore` round trip: data made through the services (units, people, users, an achievement
with its evidence file, a dossier with its documents) is backed up by scripts/backup.sh in a subprocess, restored by
scripts/restore.sh into an EMPTY database and an EMPTY media folder, and then every row of every table and every
file's SHA-256 are compared with the originals.

Databases: on SQLite the test database (in memory) is copied to a temporary file for the scripts, and the restore
target is a copy of the empty, migrated test database; on PostgreSQL the scripts read the test database itself and
restore into a temporary database made from it while it was still empty (dropped at the end).
"""

import ast
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from campaigns.models import EvidenceFile
from units.management.commands.cleanup_orphans import file_models

ROOT = Path(settings.BASE_DIR)


def run_script(script, *args, database_url, media, backup_dir=None, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVATE_STORAGE", "DJANGO_"))}
    env.update(DATABASE_URL=database_url, PRIVATE_MEDIA_ROOT=str(media), DEBUG="1", PYTHON=sys.executable,
               BACKUP_DIR=str(backup_dir or media.parent / "backups"), DB_CONN_MAX_AGE="0")
    result = subprocess.run(["bash", str(ROOT / "scripts" / script), *map(str, args)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def tables():
    """Every table the application owns (models and many-to-many tables), with a stable ordering column."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"contenttypes", "sessions"} or model._meta.label == "auth.Permission":
            continue
        found[model._meta.db_table] = model._meta.pk.column
    return found


def snapshot(dbapi_connection):
    """All rows of every application table, as plain tuples."""
    cursor = dbapi_connection.cursor()
    rows = {}
    for table, pk in sorted(tables().items()):
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')
        rows[table] = [tuple(row) for row in cursor.fetchall()]
    return rows


def file_hashes(folder):
    folder = Path(folder)
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


class SQLiteTarget:
    def __init__(self, tmp_path):
        self.source_file, self.target_file = tmp_path / "nguon.sqlite3", tmp_path / "dich.sqlite3"
        connection.ensure_connection()
        self._copy(self.target_file)  # empty and migrated

    def _copy(self, path):
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()

    def source_url(self):
        self._copy(self.source_file)
        return f"sqlite:///{self.source_file}"

    def target_url(self):
        return f"sqlite:///{self.target_file}"

    def source_connection(self):
        return sqlite3.connect(self.source_file)

    def target_connection(self):
        return sqlite3.connect(self.target_file)

    def close(self):
        pass


class PostgresTarget:
    def __init__(self, tmp_path):
        import psycopg

        self.psycopg = psycopg
        self.params = dict(connection.settings_dict)
        self.name = f"{self.params['NAME']}_restore"
        connection.close()  # CREATE DATABASE … TEMPLATE needs the template without connections
        with self._admin() as admin:
            # A connection an earlier test's worker thread left open would block the template copy: end it.
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", [self.params["NAME"]])
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.params["NAME"]}"')

    def _url(self, name):
        p = self.params
        auth = p["USER"] + (f":{p['PASSWORD']}" if p.get("PASSWORD") else "")
        return f"postgres://{auth}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{name}"

    def _admin(self):
        return self.psycopg.connect(self._url("postgres"), autocommit=True)

    def source_url(self):
        return self._url(self.params["NAME"])

    def target_url(self):
        return self._url(self.name)

    def source_connection(self):
        return self.psycopg.connect(self.source_url())

    def target_connection(self):
        return self.psycopg.connect(self.target_url())

    def close(self):
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def empty_target(transactional_db, tmp_path):
    target = (PostgresTarget if connection.vendor == "postgresql" else SQLiteTarget)(tmp_path)
    yield target
    target.close()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_lose_nothing(empty_target, achievement, make_dossier, tmp_path):
    dossier = make_dossier("draft")
    media = tmp_path / "private"  # the private storage of this test (tests/conftest.py)
    assert EvidenceFile.objects.filter(achievement=achievement).count() == 1
    assert dossier.documents.count() == 4
    stored = {row.file.name for model in file_models() for row in model.objects.exclude(file="")}
    assert len(stored) == 5 and file_hashes(media).keys() == stored

    backups = tmp_path / "backups"
    out = run_script("backup.sh", database_url=empty_target.source_url(), media=media, backup_dir=backups).stdout
    archives = list(backups.glob("thidua-*.tar.gz"))
    assert len(archives) == 1 and "Đã sao lưu" in out and "5 tệp" in out

    with empty_target.source_connection() as source:
        before_rows = snapshot(source)
    before_files = file_hashes(media)

    restored_media = tmp_path / "khoi-phuc"
    out = run_script("restore.sh", archives[0], database_url=empty_target.target_url(), media=restored_media).stdout
    assert "Đã khôi phục" in out and "đều khớp" in out

    with empty_target.target_connection() as target:
        after_rows = snapshot(target)
    assert sum(len(rows) for rows in before_rows.values()) > 50
    for table, rows in before_rows.items():
        assert after_rows[table] == rows, table
    assert file_hashes(restored_media) == before_files

    # Restoring again into the now non-empty database is refused: nothing is overwritten (--force would).
    again = run_script("restore.sh", archives[0], database_url=empty_target.target_url(), media=restored_media,
                       check=False)
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr
    with empty_target.target_connection() as target:
        assert snapshot(target) == after_rows


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "khong-phai.tar.gz"
    bogus.write_bytes(b"not a tar")
    result = run_script("restore.sh", bogus, database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                        media=tmp_path / "m", check=False)
    assert result.returncode != 0 and "không phải bản sao lưu hợp lệ" in result.stderr


def test_only_the_listed_catalogues_are_seeded_by_migrations(tmp_path):
    """restore.sh treats a freshly migrated database as empty apart from SEEDED_BY_MIGRATIONS: a new data migration
    that seeds another table must be listed there, or every restore into a new database would be refused."""
    source = (ROOT / "scripts" / "restore.sh").read_text()
    listed = ast.literal_eval(source.split("SEEDED_BY_MIGRATIONS = ", 1)[1].split("}", 1)[0] + "}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'moi.sqlite3'}", DEBUG="1")
    probe = ("from django.apps import apps\n"
             "for m in apps.get_models():\n"
             "    if m._meta.app_label not in {'contenttypes', 'sessions'} and m._meta.label != 'auth.Permission' "
             "and not m._meta.proxy and m._base_manager.exists(): print(m._meta.label)")
    for command in (["migrate", "-v", "0"], ["shell", "-v", "0", "-c", probe]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    seeded = set(result.stdout.split())
    assert seeded and seeded == listed
