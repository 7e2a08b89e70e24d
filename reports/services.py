"""Writes of the reports app: the narrative draft, generation requests, retries and the generation itself.

Reports never write another app's tables. A finished version is immutable: regenerating makes a new row.
"""

import hashlib
import logging
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import audit
from core.text import nfc

from . import render, rules
from .context import BUILDERS, period_for
from .models import GeneratedReport, JobStatus, ReportDraft, ReportFormat, ReportKind

logger = logging.getLogger(__name__)

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
    year = year if kind == ReportKind.YEARLY else None
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
    from .tasks import generate_report

    result = generate_report.enqueue(version_id)
    GeneratedReport.objects.filter(pk=version_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def report_request(*, draft, by, format):
    """Queue a new version of the draft's report in `format`; the worker renders it (see `report_run`)."""
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


# Generation (run by the worker) ----------------------------------------------------------------------------------


def file_name(draft, fmt):
    kind = {ReportKind.YEARLY: f"Báo cáo kết quả năm {draft.year}", ReportKind.INTERIM: "Báo cáo sơ kết",
            ReportKind.FINAL: "Báo cáo tổng kết"}[ReportKind(draft.kind)]
    if fmt == ReportFormat.STATS:
        kind = f"Biểu thống kê 0601.N 0603.N - {kind}"
    number = draft.campaign.number.replace("/", "-")
    return f"{kind} - {number}.{render.EXTENSION[fmt]}"


def build_file(*, campaign, kind, year=None, fmt, draft=None, progress=None):
    """The bytes of one report: context (selectors) → HTML → PDF, or context → XLSX. No database writes."""
    progress = progress or (lambda percent: None)
    period = period_for(campaign, kind, year)
    if fmt == ReportFormat.STATS:
        organiser = campaign.organiser.name if campaign.organiser else campaign.issuer
        progress(50)
        return render.render_stats_xlsx(list(period.years), reporting_unit=organiser)
    context = BUILDERS[ReportKind(kind)](campaign, period, draft)
    progress(30)
    if fmt == ReportFormat.XLSX:
        return render.render_xlsx(context)
    html = render.render_html(context)
    progress(50)
    # The laying out is most of the time: the bar moves from 50 to 95 % as its documents are finished.
    return render.render_pdf(html, progress=lambda share: progress(50 + round(45 * share)))


def _set(version_id, **fields):
    GeneratedReport.objects.filter(pk=version_id).update(**fields)


def report_run(*, version_id):
    """Render one queued version and store it. Safe to call twice: a finished version is left as it is."""
    with transaction.atomic():
        version = GeneratedReport.objects.select_for_update().get(pk=version_id)
        if version.status == JobStatus.DONE:
            return version
        version.status = JobStatus.RUNNING
        version.attempts += 1
        version.started_at = timezone.now()
        version.progress = 5
        version.save(update_fields=["status", "attempts", "started_at", "progress"])
    draft = ReportDraft.objects.select_related("campaign__organiser__parent").get(pk=version.draft_id)
    try:
        data = build_file(campaign=draft.campaign, kind=draft.kind, year=draft.year, fmt=version.format, draft=draft,
                          progress=lambda percent: _set(version_id, progress=percent))
    except Exception as error:  # the job shows its error and can be retried
        logger.exception("report %s failed", version_id)
        _set(version_id, status=JobStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
             finished_at=timezone.now())
        audit.record(actor=None, action="report_failed", target=version, changes={"from": "running", "to": "failed"})
        return GeneratedReport.objects.get(pk=version_id)
    return _store(version_id, draft, data)


@transaction.atomic
def _store(version_id, draft, data):
    version = GeneratedReport.objects.select_for_update().get(pk=version_id)
    if version.status == JobStatus.DONE:  # a retried job finished first: the stored file is never replaced
        return version
    stored = f"reports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{render.EXTENSION[version.format]}"
    version.file.save(stored, ContentFile(data), save=False)
    version.original_name = file_name(draft, version.format)
    version.content_type = render.MIME[version.format]
    version.sha256 = hashlib.sha256(data).hexdigest()
    version.size = len(data)
    version.uploaded_by = version.created_by
    version.status = JobStatus.DONE
    version.progress = 100
    version.finished_at = timezone.now()
    version.save()
    audit.record(actor=version.created_by, action="report_generated", target=version,
                 changes={"from": "running", "to": "done", "sha256": version.sha256})
    return version
