"""Excel imports in the background worker: a workbook too large to read within the request is stored, queued and
read by `manage.py db_worker`; its page polls the progress and ends on the import's own result.

Why: openpyxl expands and parses a whole workbook in memory (about 0.15-0.3 s per unpacked megabyte, so up to half
a minute for a file within the limits). No import holds a transaction while it parses; the large ones also leave
the request, which would otherwise come close to gunicorn's timeout.

Request side
    `runs_in_background(upload)`: the workbook unpacks to more than settings.IMPORT_BACKGROUND_BYTES. The view then
    calls `enqueue(kind=…, by=…, upload=…, original_name=…, options=…)`, which stores the upload in private storage
    under a random name, writes the `core.models.ImportJob` row and queues `core.tasks.run_import` after the commit,
    and redirects to the import's own page with `?job=<id>`. There `job_for` loads the job for its owner only (404
    for anyone else) and `poll_response` answers the progress bar's htmx polls (the bar while the job runs, a full
    reload once it has ended, when the page shows the import's result). A clean preview that waits for
    confirmation keeps its file: `confirm(preview, …)` hands it to the confirming job (once), `discard(job)` drops it.
Worker side
    `job_run(job_id)` calls the registered kind's `run(job=, file=, by=, progress=)` (the app's import service, which
    parses and checks outside any transaction and writes in one short one) as the job's user (never as nobody: a
    user deleted or deactivated since fails the job) in the language of the request, stores its JSON result on the
    row and removes the stored file (unless `keeps_file(job, result)`); an exception fails the job with its message,
    nothing written.

Apps register their imports in AppConfig.ready(): `register("units", run=…, keeps_file=…)`. This module knows no
domain.
"""

import hashlib
import logging
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .files import private_storage
from .models import ImportJob, ImportJobStatus
from .text import number_or_none

logger = logging.getLogger(__name__)

FOLDER = "imports/jobs"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_BACKGROUND_BYTES = 2 * 1024 * 1024  # unpacked: about 6,000 plain rows, half a second of parsing


@dataclass(frozen=True)
class Kind:
    run: object  # run(*, job, file, by, progress) → the JSON result the import's page shows
    keeps_file: object  # keeps_file(job, result) → keep the stored file after the job (a preview to confirm)


_KINDS = {}


def register(name, *, run, keeps_file=None):
    _KINDS[name] = Kind(run=run, keeps_file=keeps_file or (lambda job, result: False))


def registered():
    return set(_KINDS)


# Request side ---------------------------------------------------------------------------------------------------


def background_bytes():
    return getattr(settings, "IMPORT_BACKGROUND_BYTES", DEFAULT_BACKGROUND_BYTES)


def unpacked_size(upload):
    """What the workbook's zip directory says its members unpack to (nothing is decompressed); None if unreadable."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        upload.seek(0)


def runs_in_background(upload):
    """True when reading this (already checked) workbook is too long a job for the request."""
    size = unpacked_size(upload)
    return size is not None and size > background_bytes()


def _digest(upload):
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _refuse_a_second_job(by):
    """One import at a time per user in the worker: nobody can fill the queue others' imports and reports wait in."""
    unfinished = ImportJob.objects.filter(uploaded_by=by, status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING])
    if any(not job.is_stale for job in unfinished):
        raise ValidationError(_("Một tệp bạn tải lên trước đó vẫn đang được xử lý; hãy chờ xử lý xong rồi tải tệp "
                                "tiếp theo."), code="busy")


def enqueue(*, kind, by, upload, original_name, options=None):
    """Store `upload`, write the job row and queue it (after the commit); returns the job. A ValidationError while
    the same user's previous job is still queued or running."""
    if kind not in _KINDS:
        raise LookupError(f"no background import {kind!r} is registered")
    _refuse_a_second_job(by)
    storage = private_storage()
    sha256, size = _digest(upload)
    name = storage.save(f"{FOLDER}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.xlsx", upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                kind=kind, options=options or {}, language=translation.get_language() or settings.LANGUAGE_CODE,
                file=name, original_name=str(original_name)[:255], content_type=XLSX_CONTENT_TYPE, sha256=sha256,
                size=size, uploaded_by=by)
            transaction.on_commit(lambda: _queue(job.pk))
    except BaseException:
        storage.delete(name)
        raise
    return job


def _queue(job_id):
    from . import tasks

    result = tasks.run_import.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def job_for(user, pk, *, kind, **options):
    """The job `pk` of `user` for the import `kind` (with these options), or 404: nobody else's job is found."""
    pk = number_or_none(str(pk))  # typed in a request (?job=, a button), or a key
    if pk is None:
        raise Http404
    job = ImportJob.objects.filter(pk=pk, kind=kind, uploaded_by=user).first() if user.is_authenticated else None
    if job is None or any(job.options.get(key) != value for key, value in options.items()):
        raise Http404
    return job


def is_poll(request):
    return request.headers.get("HX-Request") == "true"


def poll_response(request, job):
    """The progress bar while the job runs; once it has ended (or was abandoned), a full reload of the page, which
    then shows the result."""
    if job.is_finished or job.is_stale:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "core/_import_progress.html", {"job": job, "poll_url": request.get_full_path()})


def _expired():
    return ValidationError(_("Phiên nhập dữ liệu đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))


@transaction.atomic
def confirm(preview, *, by, options):
    """Queue the real import of a clean preview's file (each preview once); returns the new job."""
    preview = ImportJob.objects.select_for_update().get(pk=preview.pk)
    if (preview.uploaded_by_id != by.pk or preview.consumed_at or preview.status != ImportJobStatus.DONE
            or not preview.file or not private_storage().exists(preview.file.name)):
        raise _expired()
    name = preview.file.name
    _refuse_a_second_job(by)
    preview.consumed_at = timezone.now()
    preview.file = ""
    preview.save(update_fields=["consumed_at", "file"])
    job = ImportJob.objects.create(
        kind=preview.kind, options=options, language=translation.get_language() or settings.LANGUAGE_CODE,
        file=name, original_name=preview.original_name, content_type=preview.content_type, sha256=preview.sha256,
        size=preview.size, uploaded_by=by)
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def discard(job, *, by):
    """Cancel a preview that waits for confirmation: its file is deleted, it can no longer be confirmed."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.uploaded_by_id != by.pk or job.consumed_at or not job.is_finished:
            return
        name = job.file.name
        job.consumed_at = timezone.now()
        job.file = ""
        job.save(update_fields=["consumed_at", "file"])
    if name:
        private_storage().delete(name)


def discard_pending(*, by, kind, keep=None):
    """One waiting preview per user and import: a new upload (`keep`) drops the earlier ones (like the session's)."""
    waiting = ImportJob.objects.filter(uploaded_by=by, kind=kind, consumed_at=None).exclude(file="")
    if keep is not None:
        waiting = waiting.exclude(pk=keep.pk)
    for job in waiting.filter(status__in=[ImportJobStatus.DONE, ImportJobStatus.FAILED]):
        discard(job, by=by)


# Worker side ----------------------------------------------------------------------------------------------------


def _set(job_id, **fields):
    ImportJob.objects.filter(pk=job_id).update(**fields)


def job_run(job_id):
    """Run one queued job. Safe to call twice: a job that is not queued any more is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJobStatus.QUEUED:
            return job
        job.status = ImportJobStatus.RUNNING
        job.started_at = timezone.now()
        job.progress = 1
        job.save(update_fields=["status", "started_at", "progress"])
    shown = [job.progress]

    def progress(percent):
        percent = max(1, min(99, int(percent)))
        if percent > shown[0]:  # at most a hundred small updates of the job row, none inside the import's write
            shown[0] = percent
            _set(job.pk, progress=percent)

    try:
        kind = _KINDS[job.kind]
        by = job.uploaded_by
        if by is None or not by.is_active:  # never a system import with full scope: the user is gone
            raise PermissionDenied
        with translation.override(job.language), job.file.open("rb") as handle:
            result = kind.run(job=job, file=handle, by=by, progress=progress)
    except Exception as error:  # the page says the import failed and nothing was written; the log has the trace
        logger.exception("background import %s (%s) failed", job.pk, job.kind)
        _finish(job, status=ImportJobStatus.FAILED, error=f"{type(error).__name__}: {error}")
        return ImportJob.objects.get(pk=job.pk)
    _finish(job, status=ImportJobStatus.DONE, result=result, keep=kind.keeps_file(job, result))
    return ImportJob.objects.get(pk=job.pk)


def _finish(job, *, status, result=None, error="", keep=False):
    fields = {"status": status, "result": result, "error": error[:2000], "finished_at": timezone.now()}
    if status == ImportJobStatus.DONE:
        fields["progress"] = 100
    name = job.file.name
    if not keep:
        fields["file"] = ""
    _set(job.pk, **fields)
    if name and not keep:
        private_storage().delete(name)
