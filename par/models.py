"""The PAR index (Chỉ số cải cách hành chính): criteria sets as data, score sheets, scores and evidence.

A criteria set belongs to one year and one unit group; its criteria form a tree given by dotted codes
("1" area → "1.1" criterion → "1.1.1" sub-criterion). Units score the leaves. Totals, the index and the band are
computed by `par.services.sheet_recompute` and stored on the sheet; the rank is computed in SQL (selectors).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from campaigns.models import EvidenceFile
from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile
from units.models import Unit, UnitKind

POINTS = {"max_digits": 6, "decimal_places": 2}


class UnitGroup(models.TextChoices):
    """The groups ranked separately; the values are the unit kinds whose units belong to the group."""

    DEPARTMENT = UnitKind.DEPARTMENT.value, _("Sở, ban, ngành")
    DISTRICT = UnitKind.DISTRICT.value, _("UBND cấp huyện")
    COMMUNE = UnitKind.COMMUNE.value, _("UBND cấp xã")


class Band(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Yếu")


class CriteriaSet(models.Model):
    """Bộ chỉ số CCHC of one year for one unit group, with its band thresholds and survey part."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    group = models.CharField(_("nhóm đơn vị"), max_length=20, choices=UnitGroup.choices)
    title = NFCCharField(_("tên bộ chỉ số"), max_length=255)
    decision = NFCCharField(_("văn bản ban hành"), max_length=120, blank=True)
    band_good_min = models.DecimalField(_("Tốt: từ (%)"), default=Decimal("90"), **POINTS)
    band_fair_min = models.DecimalField(_("Khá: từ (%)"), default=Decimal("80"), **POINTS)
    band_average_min = models.DecimalField(_("Trung bình: từ (%)"), default=Decimal("65"), **POINTS)
    survey_enabled = models.BooleanField(_("có phần điều tra xã hội học"), default=False)
    survey_weight = models.DecimalField(_("tỷ trọng điều tra xã hội học (%)"), default=Decimal("0"), **POINTS)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "group"]
        verbose_name = _("bộ chỉ số CCHC")
        verbose_name_plural = _("bộ chỉ số CCHC")
        constraints = [
            models.UniqueConstraint(fields=["year", "group"], name="par_set_one_per_year_group"),
            models.CheckConstraint(condition=Q(group__in=UnitGroup.values), name="par_set_group_valid"),
            models.CheckConstraint(
                condition=Q(band_good_min__lte=100) & Q(band_fair_min__lte=models.F("band_good_min"))
                & Q(band_average_min__lte=models.F("band_fair_min")) & Q(band_average_min__gte=0),
                name="par_set_bands_ordered"),
            models.CheckConstraint(condition=Q(survey_weight__gte=0) & Q(survey_weight__lt=100),
                                   name="par_set_survey_weight_range"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("par:set_detail", args=[self.pk])

    @property
    def is_published(self):
        return self.published_at is not None

    def band_for(self, index):
        if index is None:
            return ""
        if index >= self.band_good_min:
            return Band.GOOD
        if index >= self.band_fair_min:
            return Band.FAIR
        if index >= self.band_average_min:
            return Band.AVERAGE
        return Band.WEAK


class Level(models.IntegerChoices):
    AREA = 1, _("Lĩnh vực")
    CRITERION = 2, _("Tiêu chí")
    SUB_CRITERION = 3, _("Tiêu chí thành phần")


class Criterion(models.Model):
    """One node of the tree. Leaves are scored; inner nodes' maximum is the sum of their children's."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=20)
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    is_leaf = models.BooleanField(default=True, editable=False)
    title = NFCTextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    guidance = NFCTextField(_("hướng dẫn chấm điểm"), blank=True)
    evidence_required = models.BooleanField(_("bắt buộc có tài liệu kiểm chứng"), default=False)
    may_be_not_applicable = models.BooleanField(_("có thể “không áp dụng”"), default=False)
    is_survey = models.BooleanField(_("chấm qua điều tra xã hội học"), default=False)

    class Meta:
        ordering = ["criteria_set", "sort_key"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="par_criterion_code_unique"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="par_criterion_max_nonnegative"),
        ]

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = self.sort_key_for(self.code)
        self.level = self.code.count(".") + 1
        super().save(*args, **kwargs)

    @staticmethod
    def sort_key_for(code):
        return ".".join(part.zfill(4) for part in code.split("."))


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
    UNDER_APPRAISAL = "under_appraisal", _("Đang thẩm định")
    RETURNED = "returned", _("Trả lại để giải trình")
    APPRAISED = "appraised", _("Đã thẩm định")
    PUBLISHED = "published", _("Đã công bố")


class ScoreSheet(FSMModelMixin, models.Model):
    """Phiếu chấm điểm: one unit's scores under one criteria set, with the stored totals and index."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="par_sheets")
    status = FSMField(_("trạng thái"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT,
                      protected=True)
    total_self = models.DecimalField(_("tổng điểm tự chấm"), default=Decimal("0"), **POINTS)
    total_appraised = models.DecimalField(_("tổng điểm thẩm định"), default=Decimal("0"), **POINTS)
    survey_points = models.DecimalField(_("điểm điều tra xã hội học"), default=Decimal("0"), **POINTS)
    max_applicable = models.DecimalField(_("điểm tối đa áp dụng"), default=Decimal("0"), **POINTS)
    survey_max = models.DecimalField(_("điểm tối đa điều tra"), default=Decimal("0"), **POINTS)
    index_percent = models.DecimalField(_("chỉ số (%)"), default=Decimal("0"), **POINTS)
    band = models.CharField(_("xếp loại"), max_length=10, choices=Band.choices, blank=True)
    done_count = models.PositiveIntegerField(_("số tiêu chí đã chấm"), default=0)
    leaf_count = models.PositiveIntegerField(_("số tiêu chí cần chấm"), default=0)
    return_note = NFCTextField(_("yêu cầu giải trình"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criteria_set", "unit__code"]
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "unit"], name="par_sheet_one_per_unit"),
            models.CheckConstraint(condition=Q(status__in=SheetStatus.values), name="par_sheet_status_valid"),
        ]
        indexes = [models.Index(fields=["criteria_set", "-index_percent"])]

    def __str__(self):
        return f"{self.unit} · {self.criteria_set}"

    def get_absolute_url(self):
        return reverse("par:sheet", args=[self.pk])

    @property
    def self_editable(self):
        return self.status in (SheetStatus.DRAFT, SheetStatus.RETURNED)

    @property
    def appraisal_visible_to_unit(self):
        return self.status in (SheetStatus.PUBLISHED, SheetStatus.RETURNED)

    @transition(field=status, source=[SheetStatus.DRAFT], target=SheetStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=[SheetStatus.SUBMITTED], target=SheetStatus.UNDER_APPRAISAL)
    def start_appraisal(self):
        pass

    @transition(field=status, source=[SheetStatus.UNDER_APPRAISAL], target=SheetStatus.RETURNED)
    def return_for_explanation(self):
        pass

    @transition(field=status, source=[SheetStatus.RETURNED], target=SheetStatus.SUBMITTED)
    def resubmit(self):
        pass

    @transition(field=status, source=[SheetStatus.UNDER_APPRAISAL], target=SheetStatus.APPRAISED)
    def complete_appraisal(self):
        pass

    @transition(field=status, source=[SheetStatus.APPRAISED], target=SheetStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=[SheetStatus.PUBLISHED], target=SheetStatus.APPRAISED)
    def reopen(self):
        pass


class Score(models.Model):
    """A unit's score on one leaf criterion: self-score, appraised score, survey score, evidence."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    self_score = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **POINTS)
    explanation = NFCTextField(_("giải trình"), blank=True)
    appraised_score = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **POINTS)
    appraisal_comment = NFCTextField(_("ý kiến thẩm định"), blank=True)
    survey_score = models.DecimalField(_("điểm điều tra"), null=True, blank=True, **POINTS)
    evidence_links = models.ManyToManyField(EvidenceFile, verbose_name=_("minh chứng đã có"), blank=True,
                                            related_name="par_scores")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sheet", "criterion__sort_key"]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="par_score_unique"),
            models.CheckConstraint(condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                                   name="par_score_self_nonnegative"),
            models.CheckConstraint(condition=Q(appraised_score__isnull=True) | Q(appraised_score__gte=0),
                                   name="par_score_appraised_nonnegative"),
        ]

    def __str__(self):
        return f"{self.sheet_id}/{self.criterion_id}"

    @property
    def differs(self):
        return (self.appraised_score is not None and not self.not_applicable
                and self.appraised_score != (self.self_score or 0))


class ParEvidenceFile(PrivateFile):
    """A file uploaded as evidence (tài liệu kiểm chứng) for one score."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="files")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
