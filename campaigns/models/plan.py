"""The plan as data: nothing about Plan 584 is hard-coded outside the demo data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile
from units.models import Unit, UnitKind


class CampaignKind(models.TextChoices):
    THEMATIC = "thematic", _("Theo chuyên đề")
    REGULAR = "regular", _("Thường xuyên")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    CLOSED = "closed", _("Đã kết thúc")


# What a launched campaign whose period is over shows instead of "Đã phát động": only the final review and the
# closing remain. A phase of the calendar, not a stored state (nobody has to remember to flip it).
PERIOD_OVER_LABEL = _("Hết thời gian thi đua, chờ tổng kết")


class Campaign(FSMModelMixin, models.Model):
    number = NFCCharField(_("số, ký hiệu"), max_length=50, unique=True)  # "584/KH-UBND"
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = NFCCharField(_("cơ quan ban hành"), max_length=255)
    title = NFCTextField(_("tên phong trào"))
    kind = models.CharField(_("loại phong trào"), max_length=20, choices=CampaignKind.choices,
                            default=CampaignKind.THEMATIC)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    purpose = NFCTextField(_("mục đích"), blank=True)
    requirements = NFCTextField(_("yêu cầu"), blank=True)
    participant_unit_kinds = models.JSONField(_("loại đơn vị tham gia"), default=list, blank=True)
    individuals_take_part = models.BooleanField(_("cá nhân tham gia"), default=True)
    individuals_note = NFCTextField(_("đối tượng cá nhân"), blank=True)
    organiser = models.ForeignKey(Unit, verbose_name=_("cơ quan thường trực"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    status = FSMField(_("trạng thái"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    sample = models.BooleanField(_("dữ liệu mẫu"), default=False,
                                 help_text=_("Số và ngày của kế hoạch không phải của một văn bản thật (dữ liệu "
                                             "trình diễn)."))

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_ordered"),
            models.CheckConstraint(condition=Q(status__in=CampaignStatus.values), name="campaign_status_valid"),
        ]

    def __str__(self):
        return f"{self.number} · {self.title}"

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def years(self):
        return list(range(self.starts_on.year, self.ends_on.year + 1))

    def takes_part(self, unit):
        return unit.kind in (self.participant_unit_kinds or [k.value for k in UnitKind])

    def period_over(self, today=None):
        """Launched, and its period has ended: what remains is the final review and the closing."""
        return self.status == CampaignStatus.LAUNCHED and (today or timezone.localdate()) > self.ends_on

    def is_running(self, today=None):
        """Launched and within its period today."""
        today = today or timezone.localdate()
        return self.status == CampaignStatus.LAUNCHED and self.starts_on <= today <= self.ends_on

    @property
    def status_label(self):
        """The state as the pages show it ("Đã phát động" only while the period runs)."""
        return PERIOD_OVER_LABEL if self.period_over() else self.get_status_display()

    @property
    def status_badge(self):
        """The badge colour of `status_label` (a waiting state once the period is over)."""
        if self.period_over():
            return "text-bg-warning"
        return {CampaignStatus.LAUNCHED: "text-bg-success", CampaignStatus.DRAFT: "text-bg-secondary"}.get(
            self.status, "text-bg-dark")

    @transition(field=status, source=CampaignStatus.DRAFT, target=CampaignStatus.LAUNCHED)
    def launch(self):
        pass

    @transition(field=status, source=CampaignStatus.LAUNCHED, target=CampaignStatus.CLOSED)
    def close(self):
        pass


class EmulationContent(models.Model):
    """One of the plan's numbered emulation contents (nội dung thi đua)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contents")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    short_title = NFCCharField(_("tên ngắn"), max_length=200)
    text = NFCTextField(_("nội dung"))
    expected_evidence = NFCTextField(_("minh chứng cần có"), blank=True)

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="content_number_unique")]

    def __str__(self):
        return f"({self.number}) {self.short_title}"


class MilestoneKind(models.TextChoices):
    YEARLY_REPORT = "yearly", _("Báo cáo kết quả năm")
    INTERIM_REVIEW = "interim", _("Sơ kết")
    FINAL_REVIEW = "final", _("Tổng kết")


class Milestone(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("loại mốc"), max_length=20, choices=MilestoneKind.choices)
    title = NFCCharField(_("tên mốc"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến ngày"))
    due_on = models.DateField(_("hạn"))

    class Meta:
        ordering = ["campaign", "due_on"]
        verbose_name = _("mốc thời gian")
        verbose_name_plural = _("mốc thời gian")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="milestone_period_ordered"),
        ]

    def __str__(self):
        return self.title


class YearlyTheme(models.Model):
    """The year's theme (chủ đề thi đua) chosen by Sở Nội vụ; units see it once published."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = NFCTextField(_("chủ đề"))
    guidance = NFCTextField(_("hướng dẫn"), blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "-year"]
        verbose_name = _("chủ đề thi đua năm")
        verbose_name_plural = _("chủ đề thi đua năm")
        constraints = [models.UniqueConstraint(fields=["campaign", "year"], name="theme_year_unique")]

    def __str__(self):
        return f"{self.year}: {self.title}"

    @property
    def is_published(self):
        return self.published_at is not None


class ThemeDocument(PrivateFile):
    theme = models.ForeignKey(YearlyTheme, on_delete=models.CASCADE, related_name="documents")


class Registration(models.Model):
    """A unit's registration (đăng ký thi đua) for one year, with its commitments per content."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registrations")
    year = models.PositiveSmallIntegerField(_("năm"))
    registered_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["campaign", "-year", "unit__path"]
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "year"], name="registration_once_per_year"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year}"


class RegistrationCommitment(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="commitments")
    content = models.ForeignKey(EmulationContent, on_delete=models.PROTECT, related_name="+")
    commitment = NFCTextField(_("cam kết"))

    class Meta:
        ordering = ["registration", "content__number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "content"], name="commitment_once_per_content"),
        ]

    def __str__(self):
        return self.commitment[:80]


class Inspection(models.Model):
    """An inspection visit (kiểm tra) of a unit by Sở Nội vụ."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="inspections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("ngày kiểm tra"))
    inspectors = NFCTextField(_("thành phần đoàn kiểm tra"))
    findings = NFCTextField(_("kết quả kiểm tra"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-inspected_on", "id"]
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")

    def __str__(self):
        return f"{self.unit} · {self.inspected_on:%d/%m/%Y}"


class FollowUpTask(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="tasks")
    description = NFCTextField(_("việc cần khắc phục"))
    deadline = models.DateField(_("hạn hoàn thành"))
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completion_note = NFCTextField(_("kết quả khắc phục"), blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("việc sau kiểm tra")
        verbose_name_plural = _("việc sau kiểm tra")

    def __str__(self):
        return self.description[:80]


