"""Writes of the reports app on the request side: the narrative draft, generation requests and retries.

The generation itself runs in the worker (`reports.tasks` → `reports.generation`); a request only queues it.
Reports never write another app's tables. A finished version is immutable: regenerating makes a new row.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core import audit
from core import register as document_register
from core.text import nfc

from . import rules, tasks
from .context import build_for, default_recipients, issuing_body, period_for
from .kinds import year_of
from .models import GeneratedReport, JobStatus, ReportDraft, ReportFormat

DRAFT_FIELDS = ("place", "signer", "situation", "direction", "results_note", "inspection_note", "strengths",
                "limitations", "causes", "lessons", "next_steps", "proposals", "signer_title", "signer_name",
                "recipients", "content_notes")
"""What Sở Nội vụ edits on the draft; the number and the issue date are only set by `draft_register`."""
REGISTER_KIND = "BC"  # Decree 30/2020, Phụ lục III: báo cáo
ACTION_LABELS = {
    "report_draft_create": gettext_lazy("Mở dự thảo báo cáo"),
    "report_draft_update": gettext_lazy("Sửa nội dung dự thảo báo cáo"),
    "report_register": gettext_lazy("Đăng ký số báo cáo"),
    "report_request": gettext_lazy("Yêu cầu tạo báo cáo"),
    "report_retry": gettext_lazy("Tạo lại báo cáo"),
    "report_generated": gettext_lazy("Đã tạo tệp báo cáo"),
    "report_failed": gettext_lazy("Tạo báo cáo bị lỗi"),
}


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
                                                       defaults={"updated_by": by,
                                                                 "recipients": default_recipients(kind)})
    if created:
        audit.record(actor=by, action="report_draft_create", target=draft)
    return draft


@transaction.atomic
def draft_update(*, draft, by, **data):
    _require_writer(by)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.is_registered:
        raise ValidationError(_("Báo cáo đã được đăng ký số %(number)s ngày %(date)s; nội dung của văn bản đã cấp số "
                                "không được sửa.") % {"number": draft.entry.reference if draft.entry else draft.number,
                                                      "date": f"{draft.issued_on:%d/%m/%Y}"})
    for name in ("number", "issued_on"):  # set by the registration only
        data.pop(name, None)
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


def missing_for(draft):
    """What the draft's final document still lacks ([{name, label}]): a required section nobody wrote, the
    signer."""
    return build_for(draft.campaign, draft.kind, year=draft.year, draft=draft)["missing"]


def _refuse_incomplete(draft):
    missing = missing_for(draft)
    if missing:
        raise ValidationError(_("Chưa tạo được văn bản chính thức: còn thiếu %(parts)s. Hãy viết các phần này, "
                                "hoặc tạo bản nháp để xem trước.") % {
            "parts": ", ".join(f"“{part['label']}”" for part in missing)})


@transaction.atomic
def draft_register(*, draft, by, issued_on):
    """Register the report in the issuing body's register of outgoing documents (`core.register`): it takes the
    next number of the body's series of reports for the year of `issued_on`, and that date becomes the date line.
    The report must be complete; once registered its text is no longer edited."""
    _require_writer(by)
    draft = (ReportDraft.objects.select_for_update(of=("self",)).select_related("campaign__organiser__parent")
             .get(pk=draft.pk))
    if draft.is_registered:
        raise ValidationError(_("Báo cáo đã được đăng ký số %(number)s.") % {
            "number": draft.entry.reference if draft.entry else draft.number})
    body = issuing_body(draft.campaign, issued_on)
    if body is None:
        raise ValidationError(_("Chưa khai báo cơ quan ban hành của phong trào trong sổ đăng ký văn bản (Cấu hình "
                                "→ Cơ quan ban hành văn bản); chưa cấp được số."))
    _refuse_incomplete(draft)
    context = build_for(draft.campaign, draft.kind, year=draft.year, draft=draft)
    entry = document_register.register(body=body, kind=REGISTER_KIND, issued_on=issued_on,
                                       subject=context["subject"], target=draft, by=by)
    draft.entry = entry
    draft.number = str(entry.number)
    draft.issued_on = issued_on
    draft.registered_at = timezone.now()
    if draft.signer_id is None and context["signer"] is not None and not draft.signer_name.strip():
        draft.signer = context["signer"]  # the signer in force is kept with the registered document
    draft.updated_by = by
    draft.save()
    audit.record(actor=by, action="report_register", target=draft,
                 changes={"number": entry.reference, "issued_on": issued_on.isoformat()})
    return draft


def _enqueue(version_id):
    result = tasks.generate_report.enqueue(version_id)
    GeneratedReport.objects.filter(pk=version_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def report_request(*, draft, by, format, watermark=False):
    """Queue a new version of the draft's report in `format`; the worker renders it (`generation.report_run`).

    A PDF is the document to sign: it is refused while a required section is empty or no signer is known, unless
    it is asked as a draft (`watermark`: "BẢN NHÁP" across every page)."""
    _require_writer(by)
    if format not in ReportFormat.values:
        raise ValidationError({"format": _("Định dạng “%(f)s” không được hỗ trợ.") % {"f": format}})
    draft = ReportDraft.objects.select_related("campaign__organiser__parent").get(pk=draft.pk)
    try:
        period = period_for(draft.campaign, draft.kind, draft.year)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    watermark = bool(watermark) and format == ReportFormat.PDF
    if format == ReportFormat.PDF and not watermark:
        _refuse_incomplete(draft)
    version = GeneratedReport.objects.create(
        draft=draft, kind=draft.kind, format=format, year=draft.year, period_start=period.start,
        period_end=period.end, created_by=by, status=JobStatus.QUEUED, watermarked=watermark)
    audit.record(actor=by, action="report_request", target=version,
                 changes={"format": format, "watermark": watermark,
                          "period": [period.start.isoformat(), period.end.isoformat()]})
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



# Digital signature of a registered report (core.signing) --------------------------------------------------------

# The appendices' first line in templates/reports/document.html ("Phụ lục I", "Phụ lục II" …).
REPORT_APPENDIX_HEADINGS = ("Phụ lục",)


def signable_version(draft):
    """The report as registered and ready to sign: its newest finished PDF without the draft watermark."""
    return (GeneratedReport.objects.filter(draft=draft, format=ReportFormat.PDF, status=JobStatus.DONE,
                                           watermarked=False).order_by("-created_at", "-id").first())


def report_signer(draft):
    """The draft's signer, or the issuing body's signer in force on the issue date (as the document prints)."""
    if draft.signer_id or draft.entry_id is None:
        return draft.signer
    from core.models import IssuingBody

    body = IssuingBody.objects.filter(key=draft.entry.issuer).first()
    candidates = document_register.signers_on(body, draft.entry.issued_on) if body else []
    return candidates[0] if candidates else None


@transaction.atomic
def report_sign(*, draft, by):
    """Queue the digital signature of a registered report's PDF by its signer; the generated version stays as it
    is, the worker stores the signed file as a new version (core.signing)."""
    from core import signing

    draft = (ReportDraft.objects.select_for_update(of=("self",)).select_related("entry", "signer__body")
             .get(pk=draft.pk))
    if not draft.entry_id:
        raise ValidationError(_("Chỉ ký số được báo cáo đã đăng ký số."))
    signer = report_signer(draft)
    if not rules.can_sign_report(by, signer):
        raise PermissionDenied
    version = signable_version(draft)
    if version is None:
        raise ValidationError(_("Hãy tạo bản PDF chính thức (không phải bản nháp) của báo cáo trước khi ký số."))
    with version.file.open("rb") as handle:
        data = handle.read()
    name = version.original_name.removesuffix(".pdf") + " (đã ký số).pdf"
    return signing.request_signing(entry=draft.entry, signer=signer, pdf=data, by=by, name=name,
                                   appendix_headings=REPORT_APPENDIX_HEADINGS)
