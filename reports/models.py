"""Report drafts (the narrative Sở Nội vụ writes) and generated report versions (immutable files).

The figures of a report never live here: they are read from the other apps at generation time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile

from .kinds import ReportKind, per_year_condition, spec_for


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (.xlsx)"
    STATS = "stats", _("Biểu thống kê 0601.N, 0603.N (.xlsx)")


class ReportDraft(models.Model):
    """What Sở Nội vụ writes before generating: number, place/date, the narrative parts, signer, recipients."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE,
                                 related_name="report_drafts")
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("năm báo cáo"), null=True, blank=True,
                                            help_text=_("Chỉ dùng cho báo cáo kết quả năm."))
    number = NFCCharField(_("số văn bản"), max_length=20, blank=True,
                          help_text=_("Để trống nếu chưa cấp số; báo cáo sẽ in “Số: …/BC-…”."))
    place = NFCCharField(_("địa danh"), max_length=100, blank=True,
                         help_text=_("Để trống để dùng tên tỉnh, ví dụ “Đắk Nông”."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    direction = NFCTextField(_("công tác chỉ đạo, tổ chức triển khai"), blank=True)
    results_note = NFCTextField(_("nhận xét kết quả thực hiện các nội dung"), blank=True)
    content_notes = models.JSONField(_("nhận xét theo từng nội dung thi đua"), default=dict, blank=True,
                                     help_text=_("Khóa là số thứ tự nội dung (\"1\"…\"5\"), giá trị là đoạn văn."))
    inspection_note = NFCTextField(_("công tác kiểm tra, nhân rộng điển hình"), blank=True)
    strengths = NFCTextField(_("ưu điểm"), blank=True)
    limitations = NFCTextField(_("tồn tại, hạn chế"), blank=True)
    causes = NFCTextField(_("nguyên nhân"), blank=True)
    lessons = NFCTextField(_("bài học kinh nghiệm"), blank=True)
    next_steps = NFCTextField(_("phương hướng, nhiệm vụ thời gian tới"), blank=True)
    proposals = NFCTextField(_("đề xuất, kiến nghị"), blank=True)
    signer_title = NFCTextField(_("chức vụ người ký"), blank=True,
                                help_text=_("Mỗi dòng một dòng in, ví dụ “KT. GIÁM ĐỐC” rồi “PHÓ GIÁM ĐỐC”."))
    signer_name = NFCCharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = NFCTextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "kind", "-year"]
        verbose_name = _("dự thảo báo cáo")
        verbose_name_plural = _("dự thảo báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "year"], condition=Q(year__isnull=False),
                                    name="report_draft_once_per_year"),
            models.UniqueConstraint(fields=["campaign", "kind"], condition=Q(year__isnull=True),
                                    name="report_draft_once_per_review"),
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="report_draft_kind_valid"),
            models.CheckConstraint(condition=~per_year_condition() | Q(year__isnull=False),
                                   name="yearly_report_has_year"),
        ]

    def __str__(self):
        label = spec_for(self.kind).label
        return f"{label} {self.year}" if self.year else str(label)

    def get_absolute_url(self):
        return reverse("reports:draft", args=[self.pk])


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã tạo xong")
    FAILED = "failed", _("Lỗi")


class GeneratedReport(PrivateFile):
    """One generation of a report: a job while it runs, then an immutable file version with its SHA-256.

    Regenerating always makes a new row; a finished row is never written again.
    """

    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    format = models.CharField(_("định dạng"), max_length=10, choices=ReportFormat.choices)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = NFCTextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="generated_report_status_valid"),
            models.CheckConstraint(condition=Q(format__in=ReportFormat.values), name="generated_report_format_valid"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="done_report_has_sha256"),
        ]

    def __str__(self):
        return f"{spec_for(self.kind).label} · {self.get_format_display()} · {self.created_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("reports:version", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_stale(self):
        """A job a killed worker left behind: queued or running for longer than the stale limit."""
        if self.is_finished:
            return False
        limit = getattr(settings, "REPORT_JOB_STALE_SECONDS", 15 * 60)
        since = self.started_at or self.created_at
        return (timezone.now() - since).total_seconds() > limit

    @property
    def can_retry(self):
        return self.status == JobStatus.FAILED or self.is_stale
