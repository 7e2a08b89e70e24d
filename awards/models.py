"""Award forms as data, dossiers with nominees and documents, decisions and commendation history.

Models are thin: fields, constraints, the state machine's declared transitions and tiny derived properties.
Every write that means something to a user lives in `awards.services`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from campaigns.models import Achievement, Campaign, Initiative, Milestone
from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile
from units.models import Person, Unit

# The catalogue ---------------------------------------------------------------------------------------------


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    BOTH = "both", _("Tập thể và cá nhân")


class AwardBasis(models.TextChoices):
    """Loại hình khen thưởng (Law 06/2022 Art 8)."""

    REGULAR = "regular", _("Thường xuyên (công trạng, thành tích)")
    THEMATIC = "thematic", _("Theo chuyên đề, phong trào thi đua")
    IRREGULAR = "irregular", _("Đột xuất")
    DEDICATION = "dedication", _("Quá trình cống hiến")
    SENIORITY = "seniority", _("Niên hạn")
    FOREIGN = "foreign", _("Đối ngoại")


# Results of these kinds of award may not be counted as grounds for a merit award (Decree 98/2023 Art 4).
NOT_MERIT_GROUNDS = (AwardBasis.THEMATIC, AwardBasis.IRREGULAR)


class DocumentType(models.Model):
    """A part of a dossier (thành phần hồ sơ): tờ trình, báo cáo thành tích, biên bản họp hội đồng…"""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = NFCCharField(_("tên thành phần hồ sơ"), max_length=255)
    form_number = NFCCharField(_("mẫu số"), max_length=60, blank=True)
    applies_to = models.CharField(_("áp dụng khi đề nghị cho"), max_length=20, choices=RecipientKind.choices,
                                  default=RecipientKind.BOTH)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return f"{self.name} ({self.form_number})" if self.form_number else self.name


class AwardForm(models.Model):
    """A form of commendation or emulation title the province gives (hình thức khen thưởng, danh hiệu thi đua)."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = NFCCharField(_("tên hình thức"), max_length=255)
    recipient_kind = models.CharField(_("đối tượng"), max_length=20, choices=RecipientKind.choices)
    authority = NFCCharField(_("thẩm quyền quyết định"), max_length=255)
    basis = models.CharField(_("loại hình khen thưởng"), max_length=20, choices=AwardBasis.choices,
                             default=AwardBasis.REGULAR)
    is_title = models.BooleanField(_("là danh hiệu thi đua"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        constraints = [
            models.CheckConstraint(condition=Q(recipient_kind__in=RecipientKind.values), name="award_form_kind_valid"),
            models.CheckConstraint(condition=Q(basis__in=AwardBasis.values), name="award_form_basis_valid"),
        ]

    def __str__(self):
        return self.name

    def accepts(self, kind):
        return self.recipient_kind in (RecipientKind.BOTH, kind)

    @property
    def is_merit(self):
        return self.basis == AwardBasis.REGULAR


class AwardRule(models.Model):
    """The procedure for one award form under one legal regime, valid between two dates.

    Values the sources did not confirm are marked `confirmed=False` and stay editable by Sở Nội vụ.
    """

    form = models.ForeignKey(AwardForm, verbose_name=_("hình thức"), on_delete=models.CASCADE, related_name="rules")
    legal_basis = NFCCharField(_("căn cứ pháp lý"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    required_documents = models.ManyToManyField(DocumentType, verbose_name=_("thành phần hồ sơ bắt buộc"),
                                                related_name="+", blank=True)
    simplified_allowed = models.BooleanField(_("được áp dụng thủ tục đơn giản"), default=False)
    simplified_documents = models.ManyToManyField(DocumentType, verbose_name=_("thành phần hồ sơ (thủ tục đơn giản)"),
                                                  related_name="+", blank=True)
    vote_threshold = models.DecimalField(_("tỷ lệ phiếu đồng ý tối thiểu (%)"), max_digits=5, decimal_places=2,
                                         default=50)
    requires_initiative = models.BooleanField(_("cá nhân phải có sáng kiến được công nhận"), default=False)
    appraisal_working_days = models.PositiveSmallIntegerField(_("thời hạn thẩm định (ngày làm việc)"), default=20)
    prerequisite_form = models.ForeignKey(AwardForm, verbose_name=_("điều kiện: đã đạt hình thức"), null=True,
                                          blank=True, on_delete=models.SET_NULL, related_name="+")
    prerequisite_years = models.PositiveSmallIntegerField(_("điều kiện: số năm liên tục"), default=0)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False,
                                    help_text=_("Bỏ chọn khi giá trị chưa được xác nhận từ văn bản gốc."))
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["form__order", "form__name", "valid_from"]
        verbose_name = _("quy định khen thưởng")
        verbose_name_plural = _("quy định khen thưởng")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="award_rule_period_ordered"),
            models.CheckConstraint(condition=Q(vote_threshold__gte=0) & Q(vote_threshold__lte=100),
                                   name="award_rule_threshold_percent"),
        ]

    def __str__(self):
        return f"{self.form} · {self.legal_basis}"

    def applies_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PublicHoliday(models.Model):
    """A day off (ngày nghỉ lễ, Tết, nghỉ bù) skipped when counting working days."""

    date = models.DateField(_("ngày"), unique=True)
    name = NFCCharField(_("tên ngày nghỉ"), max_length=150)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


# Dossiers -----------------------------------------------------------------------------------------------------


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    UNDER_APPRAISAL = "under_appraisal", _("Đang thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    PROPOSED = "proposed", _("Đề nghị khen thưởng")
    NOT_PROPOSED = "not_proposed", _("Không đề nghị")
    AT_COUNCIL = "at_council", _("Đã trình Hội đồng")
    AWARDED = "awarded", _("Đã khen thưởng")
    NOT_AWARDED = "not_awarded", _("Không khen thưởng")
    WITHDRAWN = "withdrawn", _("Đơn vị đã rút")


S = DossierState
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
OPEN_APPRAISAL_STATES = (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL)
ACTIVE_STATES = (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL, S.RETURNED, S.PROPOSED, S.AT_COUNCIL, S.AWARDED)


class Decision(models.Model):
    """A commendation decision (quyết định khen thưởng) covering one or more dossiers."""

    number = NFCCharField(_("số quyết định"), max_length=60, unique=True)
    date = models.DateField(_("ngày quyết định"))
    signer = NFCCharField(_("người ký"), max_length=150)
    signer_title = NFCCharField(_("chức vụ người ký"), max_length=150, blank=True)
    authority = NFCCharField(_("cơ quan ban hành"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("awards:decision_detail", args=[self.pk])


class Dossier(FSMModelMixin, models.Model):
    """Hồ sơ đề nghị khen thưởng: a unit proposes one award form for one or more nominees."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào"), on_delete=models.PROTECT,
                                 related_name="dossiers")
    milestone = models.ForeignKey(Milestone, verbose_name=_("đợt khen thưởng"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị trình"), on_delete=models.PROTECT, related_name="dossiers")
    form = models.ForeignKey(AwardForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT,
                             related_name="dossiers")
    rule = models.ForeignKey(AwardRule, verbose_name=_("quy định áp dụng"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="dossiers")
    simplified = models.BooleanField(_("thủ tục đơn giản"), default=False)
    council_date = models.DateField(_("ngày họp hội đồng"), null=True, blank=True)
    council_members = models.PositiveSmallIntegerField(_("tổng số thành viên hội đồng"), null=True, blank=True)
    council_present = models.PositiveSmallIntegerField(_("số thành viên có mặt"), null=True, blank=True)
    council_votes = models.PositiveSmallIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    state = FSMField(_("trạng thái"), max_length=20, choices=DossierState.choices, default=S.DRAFT, protected=True)
    submission_count = models.PositiveSmallIntegerField(_("số lần nộp"), default=0)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    due_on = models.DateField(_("hạn thẩm định"), null=True, blank=True)
    return_reasons = NFCTextField(_("lý do trả lại"), blank=True)
    appraisal_note = NFCTextField(_("ý kiến thẩm định"), blank=True)
    decision = models.ForeignKey(Decision, verbose_name=_("quyết định"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dossiers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DossierState.values), name="dossier_state_valid"),
            models.CheckConstraint(condition=~Q(state="awarded") | Q(decision__isnull=False),
                                   name="awarded_dossier_has_decision"),
        ]
        indexes = [models.Index(fields=["state", "due_on"]), models.Index(fields=["campaign", "milestone", "form"])]

    def __str__(self):
        return _("Hồ sơ số %(pk)s · %(form)s · %(unit)s") % {"pk": self.pk, "form": self.form, "unit": self.unit}

    def get_absolute_url(self):
        return reverse("awards:detail", args=[self.pk])

    @property
    def vote_share(self):
        if not self.council_members or self.council_votes is None:
            return None
        return round(self.council_votes * 100 / self.council_members, 2)

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_overdue(self):
        return (self.state in OPEN_APPRAISAL_STATES and self.due_on is not None
                and self.due_on < timezone.localdate())

    @property
    def is_due_soon(self):
        """Open for appraisal and due within the next three days (shown on the what-to-do list)."""
        if self.state not in OPEN_APPRAISAL_STATES or self.due_on is None:
            return False
        return 0 <= (self.due_on - timezone.localdate()).days <= 3

    # The state machine: every transition declared once, here; services call them.
    @transition(field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=[S.SUBMITTED], target=S.RECEIVED)
    def receive(self):
        pass

    @transition(field=state, source=[S.RECEIVED], target=S.UNDER_APPRAISAL)
    def start_appraisal(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL], target=S.RETURNED)
    def return_for_supplement(self):
        pass

    @transition(field=state, source=[S.UNDER_APPRAISAL], target=S.PROPOSED)
    def propose(self):
        pass

    @transition(field=state, source=[S.UNDER_APPRAISAL], target=S.NOT_PROPOSED)
    def not_propose(self):
        pass

    @transition(field=state, source=[S.PROPOSED], target=S.AT_COUNCIL)
    def put_to_council(self):
        pass

    @transition(field=state, source=[S.AT_COUNCIL], target=S.AWARDED)
    def award(self):
        pass

    @transition(field=state, source=[S.AT_COUNCIL], target=S.NOT_AWARDED)
    def not_award(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.SUBMITTED, S.RECEIVED, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=[S.WITHDRAWN], target=S.DRAFT)
    def reopen_withdrawn(self):
        pass

    @transition(field=state, source=[S.NOT_PROPOSED, S.NOT_AWARDED], target=S.UNDER_APPRAISAL)
    def reopen_appraisal(self):
        pass


class Nominee(models.Model):
    """One collective (a unit) or one individual (a person) proposed in a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="nominees")
    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    summary = NFCTextField(_("tóm tắt thành tích"), blank=True)
    achievements = models.ManyToManyField(Achievement, verbose_name=_("thành tích đã ghi nhận"), blank=True,
                                          related_name="nominations")
    initiatives = models.ManyToManyField(Initiative, verbose_name=_("sáng kiến đã được công nhận"), blank=True,
                                         related_name="nominations")
    grounds = models.ManyToManyField("CommendationRecord", verbose_name=_("khen thưởng làm căn cứ"), blank=True,
                                     related_name="used_as_grounds")

    class Meta:
        ordering = ["id"]
        verbose_name = _("đối tượng đề nghị")
        verbose_name_plural = _("đối tượng đề nghị")
        constraints = [
            models.CheckConstraint(condition=(Q(unit__isnull=False) & Q(person__isnull=True))
                                   | (Q(unit__isnull=True) & Q(person__isnull=False)),
                                   name="nominee_unit_xor_person"),
            models.UniqueConstraint(fields=["dossier", "unit"], name="nominee_unit_once"),
            models.UniqueConstraint(fields=["dossier", "person"], name="nominee_person_once"),
        ]

    def __str__(self):
        return str(self.unit or self.person)

    @property
    def kind(self):
        return RecipientKind.COLLECTIVE if self.unit_id else RecipientKind.INDIVIDUAL

    @property
    def key(self):
        return f"unit:{self.unit_id}" if self.unit_id else f"person:{self.person_id}"


class DossierDocument(PrivateFile):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("loại tài liệu"), on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["doc_type__order", "uploaded_at", "id"]
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")


class DossierSubmission(models.Model):
    """A snapshot of the nominees, documents and council meeting at each submission, with the diff to the last."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["dossier", "-number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="submission_number_unique")]

    def __str__(self):
        return f"{self.dossier_id} #{self.number}"


# History -----------------------------------------------------------------------------------------------------


class CommendationRecord(models.Model):
    """One award a unit or a person received: decided here, or entered for earlier years by Sở Nội vụ."""

    unit = models.ForeignKey(Unit, verbose_name=_("tập thể"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="commendations")
    person = models.ForeignKey(Person, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="commendations")
    form = models.ForeignKey(AwardForm, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="records")
    year = models.PositiveSmallIntegerField(_("năm"))
    period_start = models.DateField(_("thành tích từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("thành tích đến ngày"), null=True, blank=True)
    basis = models.CharField(_("loại hình khen thưởng"), max_length=20, choices=AwardBasis.choices)
    decision_number = NFCCharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    note = NFCTextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-decision_date", "-id"]
        verbose_name = _("lịch sử khen thưởng")
        verbose_name_plural = _("lịch sử khen thưởng")
        constraints = [
            models.CheckConstraint(condition=(Q(unit__isnull=False) & Q(person__isnull=True))
                                   | (Q(unit__isnull=True) & Q(person__isnull=False)),
                                   name="record_unit_xor_person"),
            models.CheckConstraint(condition=Q(basis__in=AwardBasis.values), name="record_basis_valid"),
        ]

    def __str__(self):
        return f"{self.form} · {self.year} · {self.decision_number}"

    def save(self, *args, **kwargs):
        if self.period_start is None:
            self.period_start = datetime.date(self.year, 1, 1)
        if self.period_end is None:
            self.period_end = datetime.date(self.year, 12, 31)
        if not self.basis and self.form_id:
            self.basis = self.form.basis
        super().save(*args, **kwargs)

    @property
    def recipient(self):
        return self.unit or self.person


# Notifications -----------------------------------------------------------------------------------------------


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_notifications")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = NFCTextField(_("nội dung"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text[:80]


# Public posting (công khai) ------------------------------------------------------------------------------------


class Posting(models.Model):
    """A list of nominees published on the public site for comments during a window of working days."""

    title = NFCCharField(_("tiêu đề"), max_length=255)
    opened_at = models.DateTimeField(_("công khai lúc"), default=timezone.now)
    closes_on = models.DateField(_("nhận ý kiến đến hết ngày"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    dossiers = models.ManyToManyField(Dossier, verbose_name=_("hồ sơ"), related_name="postings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("đợt công khai")
        verbose_name_plural = _("đợt công khai")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:posting_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_at is None and self.closes_on >= timezone.localdate()


class PublicComment(models.Model):
    """A comment anyone may leave (no account) on a dossier in an open posting; rate-limited by source."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="comments")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="public_comments")
    name = NFCCharField(_("họ tên người góp ý"), max_length=150, blank=True)
    text = NFCTextField(_("nội dung ý kiến"))
    source_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")

    def __str__(self):
        return self.text[:80]
