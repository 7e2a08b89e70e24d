"""The worker half of the reports: build one report's file and store it as an immutable version.

`reports.tasks` runs `report_run` in the background; `reports.services` (the request half) only queues. The imports
go one way: services → tasks → generation → context, render, kinds. Nothing here imports services or tasks.
"""

import hashlib
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.text import download_name, fold

from . import render
from .context import build_context, period_for
from .kinds import spec_for
from .models import GeneratedReport, JobStatus, ReportDraft, ReportFormat

logger = logging.getLogger(__name__)


def file_name(draft, fmt, *, watermark=False):
    """The downloaded file's name, in ASCII (core.text.download_name): the kind's `file_stem`, the plan's number,
    the last year of a review's period (a yearly kind's stem holds its year), "ban-nhap" on a watermarked draft:
    "bao-cao-tong-ket-584-KH-UBND-2025.pdf"."""
    kind = spec_for(draft.kind).file_stem.format(year=draft.year)
    if fmt == ReportFormat.STATS:
        kind = f"Biểu thống kê {kind}"
    year = None if draft.year else period_for(draft.campaign, draft.kind).end.year
    return download_name(fold(kind), draft.campaign.number, year, "ban-nhap" if watermark else "",
                         ext=render.EXTENSION[fmt])


def build_file(*, campaign, kind, year=None, fmt, draft=None, progress=None, watermark=False):
    """The bytes of one report: context (selectors) → HTML → PDF, or context → XLSX. No database writes.

    `watermark`: a draft ("BẢN NHÁP" on every page; required sections nobody wrote are marked in it)."""
    progress = progress or (lambda percent: None)
    period = period_for(campaign, kind, year)
    if fmt == ReportFormat.STATS:
        progress(50)
        # The statistics are the province's: the plan's issuer reports them (Sở Nội vụ compiles them).
        return render.render_stats_xlsx(list(period.years), reporting_unit=campaign.issuer)
    context = build_context(campaign, period, draft, watermark=watermark)
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
    draft = ReportDraft.objects.select_related("campaign__organiser__parent", "signer__body", "entry").get(
        pk=version.draft_id)
    try:
        data = build_file(campaign=draft.campaign, kind=draft.kind, year=draft.year, fmt=version.format, draft=draft,
                          progress=lambda percent: _set(version_id, progress=percent), watermark=version.watermarked)
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
    version.original_name = file_name(draft, version.format, watermark=version.watermarked)
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
