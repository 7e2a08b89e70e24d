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
from core.models import RegisteredDocument, Signer

from .kinds import ReportKind, per_year_condition, spec_for


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (.xlsx)"
    STATS = "stats", _("Biểu thống kê ngành Nội vụ (.xlsx)")


class ReportDraft(models.Model):
    """What Sở Nội vụ writes before generating: number, place/date, the narrative parts, signer, recipients."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE,
                                 related_name="report_drafts")
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("năm báo cáo"), null=True, blank=True,
                                            help_text=_("Chỉ dùng cho báo cáo kết quả năm."))
    number = NFCCharField(_("số văn bản"), max_length=20, blank=True,
                          help_text=_("Cấp khi đăng ký văn bản vào sổ; trước đó báo cáo để trống số để ghi tay."))
    place = NFCCharField(_("địa danh"), max_length=100, blank=True,
                         help_text=_("Để trống để dùng địa danh của cơ quan ban hành, ví dụ “Đắk Nông”."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    entry = models.OneToOneField(RegisteredDocument, verbose_name=_("số đăng ký"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("đăng ký lúc"), null=True, blank=True)
    signer = models.ForeignKey(Signer, verbose_name=_("người ký"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+",
                               help_text=_("Để trống để dùng người ký đang có thẩm quyền vào ngày ban hành."))
    sample = models.BooleanField(_("dữ liệu mẫu"), default=False,
                                 help_text=_("Dự thảo do dữ liệu trình diễn tạo ra (chỉ hiện trên giao diện)."))
    situation = NFCTextField(_("đặc điểm tình hình"), blank=True)
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

    @property
    def is_registered(self):
        return self.registered_at is not None


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
    watermarked = models.BooleanField(_("bản nháp"), default=False,
                                      help_text=_("Bản xem trước có dấu “BẢN NHÁP”, chưa phải văn bản để ký."))
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
        created = timezone.localtime(self.created_at)  # the hour in Vietnam, not UTC
        return f"{spec_for(self.kind).label} · {self.get_format_display()} · {created:%d/%m/%Y %H:%M}"

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


class StatisticsForm(models.Model):
    """One statistical form of the home-affairs sector (biểu mẫu báo cáo thống kê ngành Nội vụ) as law: its code,
    title, the circular that issued it and the dates it applies between. The layout of each form (its rows and
    column codes) is in `reports.statistics`, keyed by `code`; what the sources did not confirm is `confirmed=False`
    and shown to administrators, never printed on the form."""

    code = models.CharField(_("số hiệu biểu"), max_length=20, help_text=_("Ví dụ “0601.N”."))
    symbol = NFCCharField(_("ký hiệu biểu"), max_length=60, help_text=_("Ví dụ “0601.N/BNV-TĐKT”."))
    title = NFCCharField(_("tên biểu"), max_length=255)
    circular = NFCCharField(_("văn bản ban hành biểu"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    receiving_unit = NFCCharField(_("đơn vị nhận báo cáo"), max_length=255, blank=True)
    receiving_date = NFCCharField(_("ngày nhận báo cáo"), max_length=100, blank=True)
    unit_of_measure = NFCCharField(_("đơn vị tính"), max_length=60, blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False,
                                    help_text=_("Bỏ chọn khi mẫu chưa được đối chiếu với văn bản gốc."))
    note = NFCTextField(_("ghi chú (chỉ hiện cho quản trị)"), blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("biểu mẫu thống kê")
        verbose_name_plural = _("biểu mẫu thống kê")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="statistics_form_period_ordered"),
            models.UniqueConstraint(fields=["code", "valid_from"], name="statistics_form_once_per_regime"),
        ]

    def __str__(self):
        return f"{self.symbol} · {self.title}"

    def applies_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
