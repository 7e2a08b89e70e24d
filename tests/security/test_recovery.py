"""Recovery (issue 7): an interrupted upload leaves neither a row without its file nor a file without its row, and a
report worker killed mid-job leaves a job that can be retried — retrying it also closes the task queue's own row of
the dead job (django-tasks-db's DBTaskResult), so nothing stays RUNNING for ever.

Interrupting an upload for real: a database trigger makes the activity-row insert — the last write of every upload
service, after the file is stored — fail with a genuine database error, so each upload request of the project
(driven through its real view, the same list as the hostile-upload tests) dies mid-transaction. A process killed
outright between storing the file and committing cannot clean up after itself: that case leaves an orphan file,
which `cleanup_orphans` finds and removes.

The killed worker is real: `manage.py db_worker` runs in a subprocess, is caught in the middle of rendering (its next
write is held by a lock the test takes) and killed with SIGKILL.
"""

import datetime
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from campaigns.models import EvidenceFile
from core.files import bytes_upload, private_storage, store_upload
from core.models import AuditEntry
from par.models import ParEvidenceFile
from par.services import score_self_assess
from reports import services as report_services
from reports.models import GeneratedReport, JobStatus

from .conftest import PDF
from .test_hostile_uploads import UPLOAD_FIELDS, _post, _private_files, _rows

AUDIT_TABLE = "units_auditentry"


def _break_activity_rows():
    """From now on (until the test's transaction ends) inserting an activity row fails inside the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION test_interrupt() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'mất kết nối giữa chừng'; END $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER test_interrupt BEFORE INSERT ON {AUDIT_TABLE} "
                           "FOR EACH ROW EXECUTE FUNCTION test_interrupt()")
        else:
            cursor.execute(f"CREATE TRIGGER test_interrupt BEFORE INSERT ON {AUDIT_TABLE} "
                           "BEGIN SELECT RAISE(ABORT, 'mất kết nối giữa chừng'); END")


# Uploads ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(UPLOAD_FIELDS), ids=lambda key: f"{key[1]}.{key[2]}")
def test_an_upload_interrupted_mid_request_leaves_no_file_and_no_row(reach, key):
    client, target = reach(key)
    files_before, rows_before = _private_files(), _rows()
    _break_activity_rows()
    name, content = target.valid()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DatabaseError):
        _post(client, target, [SimpleUploadedFile(name, content)])
    assert _private_files() == files_before, "a stored file was left behind without its row"
    assert _rows() == rows_before, "a row was written although the request failed"


def test_a_failed_par_edit_keeps_the_file_it_was_asked_to_remove(district_sheets, users):
    """Removing an evidence file and then failing must not leave the (rolled back) row pointing at a deleted file."""
    sheet = district_sheets["DM"]
    criterion = sheet.criteria_set.criteria.get(code="1.1")
    score_self_assess(sheet=sheet, criterion=criterion, by=users["dm_officer"], self_score=3, explanation="Có",
                      uploads=[bytes_upload("ke-hoach.pdf", PDF)])
    evidence = ParEvidenceFile.objects.get()
    _break_activity_rows()
    with pytest.raises(DatabaseError):
        score_self_assess(sheet=sheet, criterion=criterion, by=users["dm_officer"], self_score=3, explanation="Có",
                          remove_file_ids=[evidence.pk], uploads=[bytes_upload("moi.pdf", PDF)])
    evidence = ParEvidenceFile.objects.get()  # the row is still there (rolled back) …
    assert private_storage().exists(evidence.file.name)  # … and so is its file
    assert len(_private_files()) == 1  # the new upload of the failed request is gone


def test_a_process_killed_before_commit_leaves_an_orphan_that_cleanup_removes(achievement):
    """A hard kill runs no clean-up code: the stored file outlives the rolled-back row until cleanup_orphans runs."""
    files_before = _private_files()

    class Killed(BaseException):
        pass

    with pytest.raises(Killed), transaction.atomic():
        evidence = EvidenceFile(achievement=achievement)
        store_upload(evidence, bytes_upload("minh-chung-2.pdf", PDF), folder="minh-chung")
        evidence.save()
        raise Killed  # the process dies here: no except block of the service runs
    orphan = evidence.file.name
    assert not EvidenceFile.objects.filter(file=orphan).exists() and private_storage().exists(orphan)

    out = io.StringIO()
    call_command("cleanup_orphans", stdout=out)  # too recent: it may be an upload in progress
    assert private_storage().exists(orphan) and "còn mới" in out.getvalue()
    out = io.StringIO()
    call_command("cleanup_orphans", "--older-than-minutes", "0", stdout=out)
    assert not private_storage().exists(orphan)
    assert orphan in out.getvalue() and "1 — đã xoá" in out.getvalue()
    assert _private_files() == files_before  # the achievement's own evidence is untouched


# Reports ---------------------------------------------------------------------------------------------------------


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]}}


class _SQLiteCopy:
    """The in-memory test database copied to a file the worker subprocess can open, and copied back after."""

    def __init__(self, path):
        self.path = path
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
        self.url = f"sqlite:///{path}"
        self.lock = sqlite3.connect(path, isolation_level=None)

    def status(self, pk):
        return self.lock.execute("SELECT status FROM reports_generatedreport WHERE id = ?", [pk]).fetchone()[0]

    def hold_writes(self, pk):
        self.lock.execute("BEGIN IMMEDIATE")  # the worker's next write waits for us

    def release(self):
        self.lock.execute("ROLLBACK")
        time.sleep(0.5)  # had anything of the worker survived, it would now write its progress or result
        with sqlite3.connect(self.path) as source:
            source.backup(connection.connection)  # what the killed worker left behind, back into the test database
        source.close()
        self.lock.close()


class _Postgres:
    def __init__(self, path):
        import psycopg

        p = connection.settings_dict
        auth = p["USER"] + (f":{p['PASSWORD']}" if p.get("PASSWORD") else "")
        self.url = f"postgres://{auth}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"
        self.lock = psycopg.connect(self.url, autocommit=True)

    def status(self, pk):
        return self.lock.execute("SELECT status FROM reports_generatedreport WHERE id = %s", [pk]).fetchone()[0]

    def hold_writes(self, pk):
        self.lock.execute("BEGIN")
        self.lock.execute("SELECT id FROM reports_generatedreport WHERE id = %s FOR UPDATE", [pk])

    def release(self):
        self.lock.execute("ROLLBACK")
        time.sleep(0.5)  # had anything of the worker survived, it would now write its progress or result
        self.lock.close()


@pytest.mark.django_db(transaction=True)
def test_a_report_worker_killed_mid_job_leaves_a_retryable_job(settings, tmp_path, users, campaign, client_for):
    settings.TASKS = DB_TASKS
    admin = users["admin"]
    draft = report_services.draft_create(by=admin, campaign=campaign, kind="final")
    # An empty draft: its PDF can only be a watermarked draft (issue 12), which is the same job for the worker.
    version = report_services.report_request(draft=draft, by=admin, format="pdf", watermark=True)
    database = (_Postgres if connection.vendor == "postgresql" else _SQLiteCopy)(tmp_path / "worker.sqlite3")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVATE_STORAGE", "DJANGO_"))}
    env.update(DATABASE_URL=database.url, DEBUG="1", DB_CONN_MAX_AGE="0",
               PRIVATE_MEDIA_ROOT=settings.STORAGES["private"]["OPTIONS"]["location"])
    # --no-reload: with DEBUG the worker would otherwise run as a child of an autoreloader process.
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay",
                               "--no-reload", "--interval", "0.1"], cwd=settings.BASE_DIR, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while database.status(version.pk) == JobStatus.QUEUED:
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the worker never picked the job"
            time.sleep(0.02)
        database.hold_writes(version.pk)  # the job is running: its next write (progress or result) now waits
        time.sleep(0.3)
        assert worker.poll() is None
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and anything it started die at once
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        worker.stderr.close()
    assert worker.returncode == -signal.SIGKILL
    database.release()
    with pytest.raises(ProcessLookupError):
        os.killpg(worker.pid, 0)  # nothing of the worker is left running

    version.refresh_from_db()
    assert version.status == JobStatus.RUNNING and not version.file and version.attempts == 1
    assert version.started_at is not None and not version.can_retry  # it might still be running: not yet
    orphan = DBTaskResult.objects.get(pk=version.task_id)
    assert orphan.status == TaskResultStatus.RUNNING  # the queue's row of the dead job: claimed, never finished

    client = client_for(admin)
    client.post(reverse("reports:retry", args=[version.pk]))
    assert GeneratedReport.objects.get(pk=version.pk).status == JobStatus.RUNNING  # refused while not stale
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.RUNNING  # … and its queue row is left alone too
    # Time passes: after REPORT_JOB_STALE_SECONDS without an end, the job counts as abandoned.
    GeneratedReport.objects.filter(pk=version.pk).update(started_at=timezone.now() - datetime.timedelta(
        seconds=getattr(settings, "REPORT_JOB_STALE_SECONDS", 15 * 60) + 60))
    page = client.get(reverse("reports:versions", args=[draft.pk])).content.decode()
    assert "Tạo lại" in page
    response = client.post(reverse("reports:retry", args=[version.pk]), follow=True)
    assert "Đã đưa báo cáo vào hàng đợi để tạo lại." in response.content.decode()
    version.refresh_from_db()
    assert version.status == JobStatus.QUEUED and version.task_id
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED and orphan.finished_at is not None
    assert orphan.exception_class_path == "reports.services.AbandonedJob"
    retry = DBTaskResult.objects.get(pk=version.task_id)
    assert retry.pk != orphan.pk and retry.status == TaskResultStatus.READY  # the retry is enqueued
    assert AuditEntry.objects.get(action="report_retry").changes["abandoned_task"] == str(orphan.pk)

    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)
    version.refresh_from_db()
    assert version.status == JobStatus.DONE and version.attempts == 2 and version.sha256
    with version.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()


@pytest.mark.django_db(transaction=True)  # the worker closes a connection it finds inside a transaction
def test_retrying_a_job_no_worker_took_closes_its_queue_row(settings, users, campaign):
    """A job queued while no worker runs goes stale too; its retry must not leave the first queue row READY, or the
    next worker would render the report twice (and the row would count as pending for ever)."""
    settings.TASKS = DB_TASKS
    admin = users["admin"]
    draft = report_services.draft_create(by=admin, campaign=campaign, kind="interim")
    version = report_services.report_request(draft=draft, by=admin, format="xlsx")  # queued once committed
    version.refresh_from_db()
    first = DBTaskResult.objects.get(pk=version.task_id)
    assert first.status == TaskResultStatus.READY
    GeneratedReport.objects.filter(pk=version.pk).update(created_at=timezone.now() - datetime.timedelta(
        seconds=getattr(settings, "REPORT_JOB_STALE_SECONDS", 15 * 60) + 60))
    version.refresh_from_db()
    assert version.status == JobStatus.QUEUED and version.can_retry

    report_services.report_retry(version=version, by=admin)
    first.refresh_from_db()
    assert first.status == TaskResultStatus.FAILED
    version.refresh_from_db()
    assert DBTaskResult.objects.get(pk=version.task_id).status == TaskResultStatus.READY

    call_command("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", verbosity=0)
    version.refresh_from_db()
    assert version.status == JobStatus.DONE and version.attempts == 1  # rendered once: the first row never ran
    first.refresh_from_db()
    assert first.status == TaskResultStatus.FAILED and first.started_at is None
    assert not DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()
