"""Writes of the reports app on the request side: the narrative draft, generation requests and retries.

The generation itself runs in the worker (`reports.tasks` → `reports.generation`); a request only queues it.
Reports never write another app's tables. A finished version is immutable: regenerating makes a new row.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import audit
from core.text import nfc

from . import rules, tasks
from .context import period_for
from .kinds import year_of
from .models import GeneratedReport, JobStatus, ReportDraft, ReportFormat

DRAFT_FIELDS = ("number", "place", "issued_on", "direction", "results_note", "inspection_note", "strengths",
                "limitations", "causes", "lessons", "next_steps", "proposals", "signer_title", "signer_name",
                "recipients", "content_notes")


def _require_writer(by):
    if not rules.can_write_reports(by):
        raise PermissionDenied


@transaction.atomic
def draft_create(*, by, campaign, kind, year=None):
    """Open the draft of one report (one per campaign, kind and year); answers the existing one if there is one."""
    _require_writer(by)
    try:
        year = year_of(kind, year)
    except ValueError as error:  # not a kind at all
        raise ValidationError({"kind": str(error)}) from None
    try:
        period_for(campaign, kind, year)
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from None
    draft, created = ReportDraft.objects.get_or_create(campaign=campaign, kind=kind, year=year,
                                                       defaults={"updated_by": by})
    if created:
        audit.record(actor=by, action="report_draft_create", target=draft)
    return draft


@transaction.atomic
def draft_update(*, draft, by, **data):
    _require_writer(by)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if "content_notes" in data:
        data["content_notes"] = {str(key): nfc(value) for key, value in (data["content_notes"] or {}).items()
                                 if nfc(value)}
    changed = [name for name in DRAFT_FIELDS if name in data and getattr(draft, name) != data[name]]
    for name in changed:
        setattr(draft, name, data[name])
    draft.updated_by = by
    draft.save()
    audit.record(actor=by, action="report_draft_update", target=draft, changes={"fields": changed})
    return draft


def _enqueue(version_id):
    result = tasks.generate_report.enqueue(version_id)
    GeneratedReport.objects.filter(pk=version_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def report_request(*, draft, by, format):
    """Queue a new version of the draft's report in `format`; the worker renders it (`generation.report_run`)."""
    _require_writer(by)
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("Định dạng “%(f)s” không được hỗ trợ.") % {"f": format}})
    draft = ReportDraft.objects.select_related("campaign").get(pk=draft.pk)
    try:
        period = period_for(draft.campaign, draft.kind, draft.year)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    version = GeneratedReport.objects.create(
        draft=draft, kind=draft.kind, format=format, year=draft.year, period_start=period.start,
        period_end=period.end, created_by=by, status=JobStatus.QUEUED)
    audit.record(actor=by, action="report_request", target=version,
                 changes={"format": format, "period": [period.start.isoformat(), period.end.isoformat()]})
    transaction.on_commit(lambda: _enqueue(version.pk))
    return version


class AbandonedJob(Exception):
    """Recorded on the task queue's own row of a report job whose worker died (see `_fail_abandoned_task`)."""


def _fail_abandoned_task(task_id):
    """Mark the queue row (django-tasks-db's DBTaskResult) of an abandoned job failed, with the package's own
    `set_failed`, so that it does not stay RUNNING for ever after its worker was killed, nor — if no worker ever took
    it — run later next to the retry. Answers the row's former status, or "" when there is nothing to close (another
    task backend, a row already pruned or finished: a job that ended is left as it is).

    Done here, when a person retries a job that `GeneratedReport.is_stale` calls abandoned, rather than when a worker
    starts: several workers share the queue and a task row has no heartbeat, so a starting worker cannot tell a dead
    peer's job from a live one; the staleness limit can, and the retry already relies on it.
    """
    try:
        uuid.UUID(task_id)
    except ValueError:  # empty, or the id of another backend
        return ""
    orphan = (DBTaskResult.objects.select_for_update()
              .filter(pk=task_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).first())
    if orphan is None:
        return ""
    before = orphan.status
    # A technical record (like a log line), kept in one language whoever clicks "retry".
    orphan.set_failed(AbandonedJob("Tiến trình chạy nền dừng trước khi tạo xong báo cáo; công việc đã được tạo lại."))
    return before


@transaction.atomic
def report_retry(*, version, by):
    """Queue a failed (or abandoned) job again; a finished version is never touched."""
    _require_writer(by)
    version = GeneratedReport.objects.select_for_update().get(pk=version.pk)
    if not version.can_retry:
        raise ValidationError(_("Chỉ tạo lại được báo cáo bị lỗi hoặc bị gián đoạn; báo cáo này đang ở trạng thái "
                                "“%(status)s”.") % {"status": version.get_status_display()})
    changes = {"from": version.status, "to": JobStatus.QUEUED}
    abandoned = _fail_abandoned_task(version.task_id)
    if abandoned:
        changes.update(abandoned_task=version.task_id, abandoned_task_status=abandoned)
    version.status = JobStatus.QUEUED
    version.progress = 0
    version.error = ""
    version.task_id = ""
    version.started_at = None
    version.save(update_fields=["status", "progress", "error", "task_id", "started_at"])
    audit.record(actor=by, action="report_retry", target=version, changes=changes)
    transaction.on_commit(lambda: _enqueue(version.pk))
    return version

