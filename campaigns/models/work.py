"""The units' work under a campaign: achievements with evidence, initiatives, exemplary models."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile
from units.models import Person, Unit

from .plan import Campaign, EmulationContent


class AchievementStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ Sở Nội vụ xem xét")
    CLARIFICATION = "clarification", _("Cần làm rõ")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Achievement(FSMModelMixin, models.Model):
    """An achievement (thành tích) a unit records for one year and one content, with evidence files."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="achievements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="achievements")
    year = models.PositiveSmallIntegerField(_("năm"))
    content = models.ForeignKey(EmulationContent, verbose_name=_("nội dung thi đua"), on_delete=models.PROTECT,
                                related_name="achievements")
    title = NFCCharField(_("tên thành tích"), max_length=255)
    description = NFCTextField(_("mô tả"), blank=True)
    person = models.ForeignKey(Person, verbose_name=_("cá nhân (nếu là thành tích cá nhân)"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="achievements")
    status = FSMField(_("trạng thái"), max_length=20, choices=AchievementStatus.choices,
                      default=AchievementStatus.SUBMITTED, protected=True)
    review_comment = NFCTextField(_("ý kiến của Sở Nội vụ"), blank=True)
    unit_answer = NFCTextField(_("giải trình của đơn vị"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # How many evidence files it has, kept by the signal handlers below (and set by bulk writers such as the bench
    # generator), so that the dashboard and the reports count files without reading the evidence table.
    evidence_count = models.PositiveIntegerField(_("số tệp minh chứng"), default=0, editable=False)

    class Meta:
        ordering = ["-year", "content__number", "-created_at"]
        verbose_name = _("thành tích")
        verbose_name_plural = _("thành tích")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AchievementStatus.values), name="achievement_status_valid"),
        ]
        indexes = [
            models.Index(fields=["campaign", "year", "unit"]),
            # Covers the per-content figures (dashboard, reports, monitoring): read from the index, not the rows.
            models.Index(fields=["campaign", "year", "unit", "content", "status", "evidence_count"],
                         name="achievement_figures"),
            # The list's and the review queue's orders (selectors.work.LIST_ORDER, REVIEW_ORDER): a page's keys
            # are read from the index in order (the list sorts only within a year, by the content's number).
            models.Index(fields=["campaign", "-year", "content", "-created_at", "-id"], name="achievement_list"),
            models.Index(fields=["-status", "updated_at", "id"], name="achievement_review"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:achievement_detail", args=[self.pk])

    @transition(field=status, source=[AchievementStatus.SUBMITTED], target=AchievementStatus.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=[AchievementStatus.SUBMITTED], target=AchievementStatus.CLARIFICATION)
    def ask_clarification(self):
        pass

    @transition(field=status, source=[AchievementStatus.CLARIFICATION], target=AchievementStatus.SUBMITTED)
    def resubmit(self):
        pass


class EvidenceFile(PrivateFile):
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="files")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")


@receiver(post_save, sender=EvidenceFile, dispatch_uid="campaigns.evidence_count_added")
def _evidence_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Achievement.objects.filter(pk=instance.achievement_id).update(evidence_count=F("evidence_count") + 1)


@receiver(post_delete, sender=EvidenceFile, dispatch_uid="campaigns.evidence_count_removed")
def _evidence_removed(sender, instance, **kwargs):
    Achievement.objects.filter(pk=instance.achievement_id, evidence_count__gt=0).update(
        evidence_count=F("evidence_count") - 1)


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đã đề xuất")
    RECOGNISED = "recognised", _("Đã công nhận")
    REFUSED = "refused", _("Không công nhận")


class InitiativeLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Cấp cơ sở")
    PROVINCIAL = "provincial", _("Cấp tỉnh")


class Initiative(FSMModelMixin, models.Model):
    """An initiative or solution (sáng kiến, giải pháp) under content (4)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="initiatives")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="initiatives")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = NFCCharField(_("tên sáng kiến, giải pháp"), max_length=255)
    authors = models.ManyToManyField(Person, verbose_name=_("tác giả"), related_name="initiatives")
    problem = NFCTextField(_("vấn đề cần giải quyết"))
    solution = NFCTextField(_("nội dung giải pháp"))
    effect = NFCTextField(_("hiệu quả"))
    status = FSMField(_("trạng thái"), max_length=20, choices=InitiativeStatus.choices,
                      default=InitiativeStatus.PROPOSED, protected=True)
    level = models.CharField(_("cấp công nhận"), max_length=20, choices=InitiativeLevel.choices, blank=True)
    decision_number = NFCCharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    refusal_reason = NFCTextField(_("lý do không công nhận"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("sáng kiến, giải pháp")
        verbose_name_plural = _("sáng kiến, giải pháp")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InitiativeStatus.values), name="initiative_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="recognised") | (~Q(level="") & ~Q(decision_number="")
                                                     & Q(decision_date__isnull=False)),
                name="recognised_initiative_has_decision",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:initiative_detail", args=[self.pk])

    @transition(field=status, source=[InitiativeStatus.PROPOSED], target=InitiativeStatus.RECOGNISED)
    def recognise(self):
        pass

    @transition(field=status, source=[InitiativeStatus.PROPOSED], target=InitiativeStatus.REFUSED)
    def refuse(self):
        pass


class InitiativeFile(PrivateFile):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="files")


class ExemplaryModel(PrivateFile):
    """An exemplary collective, individual or good practice (gương điển hình tiên tiến), public once published.

    The inherited file fields hold the optional photo (blank when there is none).
    """

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể tiêu biểu")
        INDIVIDUAL = "individual", _("Cá nhân tiêu biểu")
        PRACTICE = "practice", _("Cách làm hay")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exemplary_models")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    title = NFCCharField(_("tiêu đề"), max_length=255)
    story = NFCTextField(_("câu chuyện"))
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-published_at", "id"]
        verbose_name = _("gương điển hình")
        verbose_name_plural = _("gương điển hình")

    def __str__(self):
        return self.title
