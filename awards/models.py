"""Award forms as data, dossiers with nominees and documents, decisions and commendation history.

Models are thin: fields, constraints, the state machine's declared transitions and tiny derived properties.
Every write that means something to a user lives in `awards.services`.
"""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from campaigns.models import Achievement, Campaign, Initiative, Milestone
from core.fields import NFCCharField, NFCTextField
from core.files import PrivateFile
from core.models import IssuingBody, RegisteredDocument, Signer
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


class GeneratedKind(models.TextChoices):
    """The dossier documents the application fills from its data (the appendix forms of the decree in force)."""

    PROPOSAL = "proposal", _("Tờ trình đề nghị khen thưởng")
    REPORT_COLLECTIVE = "report_collective", _("Báo cáo thành tích tập thể")
    REPORT_INDIVIDUAL = "report_individual", _("Báo cáo thành tích cá nhân")
    LIST = "list", _("Danh sách đề nghị khen thưởng")


class DossierTemplate(models.Model):
    """Which appendix form of which decree a generated dossier document follows, between two dates (law as data).

    Seeded from `awards.catalogue.DOSSIER_TEMPLATES`; a number not checked against the decree's text is marked
    `confirmed=False` for administrators (never printed as such in a document).
    """

    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=GeneratedKind.choices)
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("thay cho thành phần hồ sơ"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="templates")
    form_number = NFCCharField(_("mẫu số"), max_length=60, blank=True)
    legal_basis = NFCCharField(_("ban hành kèm theo"), max_length=255)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        verbose_name = _("mẫu tài liệu hồ sơ")
        verbose_name_plural = _("mẫu tài liệu hồ sơ")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=GeneratedKind.values), name="dossier_template_kind_valid"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="dossier_template_period_ordered"),
            models.UniqueConstraint(fields=["kind", "valid_from"], name="dossier_template_once_per_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.form_number or '—'}, {self.legal_basis})"

    @property
    def citation(self):
        """ "Mẫu số 01 ban hành kèm theo Nghị định số 98/2023/NĐ-CP" (printed at the top of the document)."""
        if not self.form_number:
            return self.legal_basis
        return f"{self.form_number} {self.legal_basis}"


class AwardForm(models.Model):
    """A form of commendation or emulation title the province gives (hình thức khen thưởng, danh hiệu thi đua)."""

    code = models.CharField(_("mã"), max_length=30, unique=True)
    name = NFCCharField(_("tên hình thức"), max_length=255)
    recipient_kind = models.CharField(_("đối tượng"), max_length=20, choices=RecipientKind.choices)
    authority = NFCCharField(_("thẩm quyền quyết định"), max_length=255)
    basis = models.CharField(_("loại hình khen thưởng"), max_length=20, choices=AwardBasis.choices,
                             default=AwardBasis.REGULAR)
    is_title = models.BooleanField(_("là danh hiệu thi đua"), default=False)
    decided_above = models.BooleanField(
        _("do cấp trên quyết định"), default=False,
        help_text=_("Chủ tịch nước, Thủ tướng Chính phủ quyết định: tỉnh trình, không tự ra quyết định."))
    register_family = models.CharField(
        _("nhóm hình thức trong sổ khen thưởng"), max_length=12, blank=True,
        help_text=_("Các hình thức cùng nhóm (ví dụ BK: mọi loại Bằng khen) đánh số chung một dãy trong sổ khen "
                    "thưởng của cơ quan quyết định, mỗi năm từ số 1; để trống thì dùng mã hình thức."))
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

    @property
    def family(self):
        """The award register's series this form is numbered in ("BK" for every kind of Bằng khen)."""
        return self.register_family or self.code

    @property
    def official_name(self):
        """The name as a decision prints it: no catalogue qualifier ("(theo chuyên đề, phong trào)"), no "UBND"."""
        name = QUALIFIER.sub("", self.name).strip()
        return UBND_WORD.sub("Ủy ban nhân dân", name)


QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
UBND_WORD = re.compile(r"\bUBND\b")


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
    prize_individual = models.DecimalField(_("tiền thưởng cá nhân (hệ số lương cơ sở)"), max_digits=5,
                                           decimal_places=2, null=True, blank=True)
    prize_collective = models.DecimalField(_("tiền thưởng tập thể (hệ số lương cơ sở)"), max_digits=5,
                                           decimal_places=2, null=True, blank=True)
    prize_rounding = models.PositiveIntegerField(_("làm tròn lên đến (đồng)"), default=10000)
    prize_basis = NFCCharField(_("căn cứ mức tiền thưởng"), max_length=255, blank=True)
    prize_confirmed = models.BooleanField(_("mức tiền thưởng đã đối chiếu văn bản"), default=False)

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

    def prize_coefficient(self, kind):
        return self.prize_collective if kind == RecipientKind.COLLECTIVE else self.prize_individual


class BaseSalary(models.Model):
    """Mức lương cơ sở between two dates, with the decree that set it; prize money is a multiple of it."""

    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng/tháng)"))
    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    legal_basis = NFCCharField(_("căn cứ pháp lý"), max_length=255)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="base_salary_period_ordered"),
        ]

    def __str__(self):
        return f"{self.amount:,} ({self.valid_from:%d/%m/%Y})".replace(",", ".")


class LegalBasis(models.Model):
    """One "Căn cứ …" line of a commendation decision, printed when the decision's date is in its period."""

    text = NFCTextField(_("căn cứ"), help_text=_("Ví dụ “Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;”"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản"), default=False)
    note = NFCTextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["order", "valid_from"]
        verbose_name = _("căn cứ ban hành quyết định")
        verbose_name_plural = _("căn cứ ban hành quyết định")

    def __str__(self):
        return self.text


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
    PASSED = "council_passed", _("Hội đồng đã thông qua")
    PROPOSED_CENTRAL = "proposed_central", _("Đề nghị cấp trên")
    AWARDED = "awarded", _("Đã khen thưởng")
    NOT_AWARDED = "not_awarded", _("Không khen thưởng")
    WITHDRAWN = "withdrawn", _("Đơn vị đã rút")


S = DossierState
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
OPEN_APPRAISAL_STATES = (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL)
ACTIVE_STATES = (S.SUBMITTED, S.RECEIVED, S.UNDER_APPRAISAL, S.RETURNED, S.PROPOSED, S.AT_COUNCIL, S.PASSED,
                 S.PROPOSED_CENTRAL, S.AWARDED)
# Proposed by Sở Nội vụ and not yet decided (reports count them as proposed until the decision).
PROPOSED_STATES = (S.PROPOSED, S.AT_COUNCIL, S.PASSED, S.PROPOSED_CENTRAL)
# States from which a decision awards a dossier: after the council (or without a session, as before sessions).
DECIDABLE_STATES = (S.AT_COUNCIL, S.PASSED, S.PROPOSED_CENTRAL)


class Decision(models.Model):
    """A commendation decision (quyết định khen thưởng) covering one or more dossiers.

    A decision of the province is prepared as a draft (no number, "DỰ THẢO" on its PDF), then registered: it
    takes its number from the issuing body's register, the prize money is computed and stored on each award.
    A decision of a central authority (`external`) is recorded with the number it already has.
    """

    number = NFCCharField(_("số quyết định"), max_length=60, blank=True)
    date = models.DateField(_("ngày quyết định"))
    signer = NFCCharField(_("người ký"), max_length=150, blank=True)
    signer_title = NFCCharField(_("chức vụ người ký"), max_length=150, blank=True)
    authority = NFCCharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issuer = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan ban hành"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    signer_ref = models.ForeignKey(Signer, verbose_name=_("người ký"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    proposer = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan trình"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    proposal_number = NFCCharField(_("số tờ trình của Sở Nội vụ"), max_length=60, blank=True)
    proposal_date = models.DateField(_("ngày tờ trình"), null=True, blank=True)
    entry = models.OneToOneField(RegisteredDocument, verbose_name=_("số đăng ký"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("đăng ký lúc"), null=True, blank=True)
    external = models.BooleanField(_("quyết định của cấp trên"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [
            # Numbers start again from 01 every year (Decree 30/2020): unique within the issuing body's series of
            # the decision's year (after a restructuring two bodies both issue an 01/QĐ-UBND in 2025).
            models.UniqueConstraint("issuer", "number", ExtractYear("date"), condition=~Q(number=""),
                                    name="decision_number_once_a_year"),
            models.CheckConstraint(condition=Q(registered_at__isnull=True) | ~Q(number=""),
                                   name="registered_decision_has_number"),
        ]

    def __str__(self):
        return f"{self.number or _('Dự thảo')} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("awards:decision_detail", args=[self.pk])

    @property
    def is_registered(self):
        """Numbered: registered from the register, recorded with its number before it, or a central decision."""
        return bool(self.number)


class Dossier(FSMModelMixin, models.Model):
    """Hồ sơ đề nghị khen thưởng: a unit proposes one award form for one or more nominees."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("phong trào"), on_delete=models.PROTECT,
                                 related_name="dossiers")
    milestone = models.ForeignKey(Milestone, verbose_name=_("đợt khen thưởng"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị trình"), on_delete=models.PROTECT, related_name="dossiers")
    year = models.PositiveSmallIntegerField(_("năm lập hồ sơ"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số hồ sơ trong năm"), null=True, blank=True)
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
    # The unit's Tờ trình generated from the data: its number from the unit's register (none when the unit has no
    # issuing body in the application: left blank for the unit's own register), its date and its signer.
    proposal_entry = models.OneToOneField(RegisteredDocument, verbose_name=_("số tờ trình của đơn vị"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    proposal_date = models.DateField(_("ngày tờ trình của đơn vị"), null=True, blank=True)
    proposal_signer = models.ForeignKey(Signer, verbose_name=_("người ký tờ trình"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
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
            models.UniqueConstraint(fields=["year", "number"], name="dossier_number_once"),
        ]
        indexes = [models.Index(fields=["state", "due_on"]), models.Index(fields=["campaign", "milestone", "form"]),
                   # The "Việc cần làm" tab's order: its first page read from the index, not sorted from the rows.
                   models.Index(fields=["due_on", "-id"], name="dossier_todo_order")]

    def __str__(self):
        return _("Hồ sơ %(code)s · %(form)s · %(unit)s") % {"code": self.code, "form": self.form, "unit": self.unit}

    def get_absolute_url(self):
        return reverse("awards:detail", args=[self.pk])

    @property
    def code(self):
        """The number people read and quote ("HS-2025-0042"); the id for a dossier made before numbering."""
        return f"HS-{self.year}-{self.number:04d}" if self.number else str(self.pk)

    @property
    def vote_share(self):
        if not self.council_members or self.council_votes is None:
            return None
        return round(self.council_votes * 100 / self.council_members, 2)

    @property
    def open_return_reasons(self):
        """Why the dossier was last returned, while that still applies: returned, or resubmitted and not yet
        decided on (after a proposal, a refusal or a decision the old reasons are history: the activity keeps them)."""
        return self.return_reasons if self.state in (S.RETURNED, *OPEN_APPRAISAL_STATES) else ""

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def in_open_session(self):
        """Put to a council session that has not closed yet (its result is pending)."""
        return self.state == S.AT_COUNCIL and any(item.session.state == "open" for item in self.council_items.all())

    @property
    def is_overdue(self):
        return self.is_overdue_on(timezone.localdate())

    def is_overdue_on(self, day):
        return self.state in OPEN_APPRAISAL_STATES and self.due_on is not None and self.due_on < day

    @property
    def is_due_soon(self):
        """Open for appraisal and due within the next three days (shown on the what-to-do list)."""
        return self.is_due_soon_on(timezone.localdate())

    def is_due_soon_on(self, day):
        if self.state not in OPEN_APPRAISAL_STATES or self.due_on is None:
            return False
        return 0 <= (self.due_on - day).days <= 3

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

    @transition(field=state, source=[S.AT_COUNCIL], target=S.PASSED)
    def council_pass(self):
        pass

    @transition(field=state, source=[S.PASSED], target=S.PROPOSED_CENTRAL)
    def propose_central(self):
        pass

    @transition(field=state, source=list(DECIDABLE_STATES), target=S.AWARDED)
    def award(self):
        pass

    @transition(field=state, source=list(DECIDABLE_STATES), target=S.NOT_AWARDED)
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
    council_passed = models.BooleanField(_("Hội đồng thông qua"), null=True, blank=True,
                                         help_text=_("Kết quả bỏ phiếu của phiên họp Hội đồng gần nhất."))

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
    year = models.PositiveSmallIntegerField(_("năm thi đua"),
                                            help_text=_("Năm của thành tích được khen (theo đợt khen thưởng)."))
    period_start = models.DateField(_("thành tích từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("thành tích đến ngày"), null=True, blank=True)
    basis = models.CharField(_("loại hình khen thưởng"), max_length=20, choices=AwardBasis.choices)
    decision_number = NFCCharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    coefficient = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2, null=True, blank=True)
    base_salary = models.PositiveIntegerField(_("mức lương cơ sở áp dụng"), null=True, blank=True)
    prize_basis = NFCCharField(_("căn cứ tiền thưởng"), max_length=255, blank=True)
    funding_body = models.ForeignKey(IssuingBody, verbose_name=_("chi từ quỹ của"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = NFCTextField(_("ghi chú"), blank=True)
    # The award register (sổ khen thưởng) of the body that decided it: one series per body, year and form family,
    # numbered from 1 when the decision is registered (`core.register.next_number`); never given twice.
    register_body = models.CharField(_("sổ khen thưởng của cơ quan"), max_length=40, blank=True)
    register_family = models.CharField(_("nhóm hình thức trong sổ"), max_length=12, blank=True)
    register_year = models.PositiveSmallIntegerField(_("năm vào sổ"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("số vào sổ khen thưởng"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-decision_date", "-id"]
        verbose_name = _("lịch sử khen thưởng")
        verbose_name_plural = _("lịch sử khen thưởng")
        constraints = [
            models.UniqueConstraint(fields=["register_body", "register_family", "register_year", "register_number"],
                                    condition=Q(register_number__isnull=False), name="record_register_number_once"),
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

    @property
    def register_reference(self):
        """ "007/BK-2024": the number in the award register, its form family and year ("" when not numbered)."""
        if self.register_number is None:
            return ""
        return f"{self.register_number:03d}/{self.register_family}-{self.register_year}"


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


# The council (Hội đồng Thi đua - Khen thưởng) ---------------------------------------------------------------------


class SessionState(models.TextChoices):
    OPEN = "open", _("Đang họp")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch Hội đồng")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
    MEMBER = "member", _("Ủy viên")
    SECRETARY = "secretary", _("Ủy viên, Thư ký Hội đồng")


class CouncilSession(FSMModelMixin, models.Model):
    """One meeting of the council: who sat, the dossiers put to it, a secret ballot per nominee, minutes."""

    body = models.ForeignKey(IssuingBody, verbose_name=_("hội đồng"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("ngày họp"))
    place = NFCCharField(_("địa điểm"), max_length=255)
    state = FSMField(_("trạng thái"), max_length=10, choices=SessionState.choices, default=SessionState.OPEN,
                     protected=True)
    minutes = models.OneToOneField(RegisteredDocument, verbose_name=_("biên bản họp"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    tally = models.OneToOneField(RegisteredDocument, verbose_name=_("biên bản kiểm phiếu"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        constraints = [models.CheckConstraint(condition=Q(state__in=SessionState.values), name="session_state_valid")]

    def __str__(self):
        return _("Phiên họp Hội đồng ngày %(d)s") % {"d": self.date.strftime("%d/%m/%Y")}

    def get_absolute_url(self):
        return reverse("awards:session_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state == SessionState.OPEN

    @transition(field=state, source=[SessionState.OPEN], target=SessionState.CLOSED)
    def close(self):
        pass


class CouncilMember(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=12, choices=CouncilRole.choices, default=CouncilRole.MEMBER)
    present = models.BooleanField(_("có mặt"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="council_member_once")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class CouncilItem(models.Model):
    """A dossier put to a session."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="council_items")
    threshold = models.DecimalField(_("tỷ lệ phiếu tối thiểu (%)"), max_digits=5, decimal_places=2)
    rule = models.ForeignKey(AwardRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["session", "dossier__form__order", "dossier_id"]
        constraints = [models.UniqueConstraint(fields=["session", "dossier"], name="council_item_once")]

    def __str__(self):
        return f"{self.session} · {self.dossier}"


class Ballot(models.Model):
    """The secret-ballot count for one nominee: agreeing ballots over valid ballots, against the members."""

    item = models.ForeignKey(CouncilItem, on_delete=models.CASCADE, related_name="ballots")
    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="ballots")
    members = models.PositiveSmallIntegerField(_("tổng số thành viên"))
    valid = models.PositiveSmallIntegerField(_("số phiếu hợp lệ"))
    approve = models.PositiveSmallIntegerField(_("số phiếu đồng ý"))
    passed = models.BooleanField(_("đạt"))

    class Meta:
        ordering = ["item", "nominee_id"]
        verbose_name = _("kết quả kiểm phiếu")
        verbose_name_plural = _("kết quả kiểm phiếu")
        constraints = [
            models.UniqueConstraint(fields=["item", "nominee"], name="ballot_once"),
            models.CheckConstraint(condition=Q(approve__lte=models.F("valid")), name="ballot_approve_le_valid"),
            models.CheckConstraint(condition=Q(valid__lte=models.F("members")), name="ballot_valid_le_members"),
        ]

    def __str__(self):
        return f"{self.nominee}: {self.approve}/{self.valid}/{self.members}"

    @property
    def share(self):
        """Agreeing ballots as a percentage of the council's members (the threshold's base)."""
        return round(self.approve * 100 / self.members, 2) if self.members else 0


# Certificates printed onto the pre-printed blanks (phôi Bằng khen, Giấy khen) ---------------------------------------


class Orientation(models.TextChoices):
    PORTRAIT = "portrait", _("Khổ dọc")
    LANDSCAPE = "landscape", _("Khổ ngang")


class CertificateSlot(models.TextChoices):
    """What a field of the blank holds; the text of each comes from the commendation and its decision."""

    NAME = "name", _("Tên tập thể, cá nhân")
    TITLE = "title", _("Chức vụ, đơn vị")
    REASON = "reason", _("Lý do khen thưởng")
    DECISION = "decision", _("Số, ngày quyết định")
    PLACE_DATE = "place_date", _("Địa danh, ngày tháng")
    SIGNER_TITLE = "signer_title", _("Chức danh người ký")
    SIGNER = "signer", _("Người ký")
    SERIAL = "serial", _("Số vào sổ khen thưởng")


class TextAlign(models.TextChoices):
    LEFT = "left", _("Trái")
    CENTER = "center", _("Giữa")
    RIGHT = "right", _("Phải")


class FontStyle(models.TextChoices):
    REGULAR = "regular", _("Thường")
    BOLD = "bold", _("Đậm")
    ITALIC = "italic", _("Nghiêng")
    BOLD_ITALIC = "bold_italic", _("Đậm nghiêng")


class CertificateLayout(models.Model):
    """Where each text goes on the blank of one award form: the blank's size and orientation, and its fields."""

    form = models.OneToOneField(AwardForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.CASCADE,
                                related_name="certificate_layout")
    paper_width = models.DecimalField(_("chiều rộng phôi (mm)"), max_digits=5, decimal_places=1, default=210)
    paper_height = models.DecimalField(_("chiều cao phôi (mm)"), max_digits=5, decimal_places=1, default=297)
    orientation = models.CharField(_("hướng in"), max_length=10, choices=Orientation.choices,
                                   default=Orientation.LANDSCAPE)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["form__order", "form__name"]
        verbose_name = _("mẫu in bằng, giấy khen")
        verbose_name_plural = _("mẫu in bằng, giấy khen")
        constraints = [
            models.CheckConstraint(condition=Q(orientation__in=Orientation.values), name="layout_orientation_valid"),
            models.CheckConstraint(condition=Q(paper_width__gt=0) & Q(paper_height__gt=0)
                                   & Q(paper_width__lte=models.F("paper_height")), name="layout_paper_portrait"),
        ]

    def __str__(self):
        return str(self.form)

    @property
    def page_size(self):
        """(width, height) in mm of the page as printed: the paper turned for a landscape blank."""
        if self.orientation == Orientation.LANDSCAPE:
            return self.paper_height, self.paper_width
        return self.paper_width, self.paper_height


class CertificateField(models.Model):
    """One text on the blank: its anchor (mm from the page's top-left corner: the left edge, the centre or the
    right edge of the text as it is aligned, and the top of the line), font, size, and the width it must fit in
    (a longer text is set smaller, down to the minimum size, over at most `max_lines` lines)."""

    layout = models.ForeignKey(CertificateLayout, on_delete=models.CASCADE, related_name="fields")
    slot = models.CharField(_("nội dung"), max_length=20, choices=CertificateSlot.choices)
    enabled = models.BooleanField(_("in"), default=True)
    x = models.DecimalField(_("vị trí ngang (mm)"), max_digits=5, decimal_places=1)
    y = models.DecimalField(_("vị trí dọc (mm)"), max_digits=5, decimal_places=1)
    width = models.DecimalField(_("chiều rộng tối đa (mm)"), max_digits=5, decimal_places=1)
    font = models.CharField(_("phông chữ"), max_length=20, default="serif")
    size = models.DecimalField(_("cỡ chữ (pt)"), max_digits=4, decimal_places=1, default=14)
    min_size = models.DecimalField(_("cỡ chữ nhỏ nhất khi thu nhỏ (pt)"), max_digits=4, decimal_places=1, default=8)
    style = models.CharField(_("kiểu chữ"), max_length=12, choices=FontStyle.choices, default=FontStyle.REGULAR)
    align = models.CharField(_("căn lề"), max_length=10, choices=TextAlign.choices, default=TextAlign.CENTER)
    max_lines = models.PositiveSmallIntegerField(_("số dòng tối đa"), default=1)
    uppercase = models.BooleanField(_("chữ in hoa"), default=False)

    class Meta:
        ordering = ["layout", "y", "x"]
        verbose_name = _("trường in")
        verbose_name_plural = _("trường in")
        constraints = [
            models.UniqueConstraint(fields=["layout", "slot"], name="certificate_field_once"),
            models.CheckConstraint(condition=Q(slot__in=CertificateSlot.values), name="certificate_slot_valid"),
            models.CheckConstraint(condition=Q(align__in=TextAlign.values), name="certificate_align_valid"),
            models.CheckConstraint(condition=Q(style__in=FontStyle.values), name="certificate_style_valid"),
            models.CheckConstraint(condition=Q(width__gt=0) & Q(size__gt=0) & Q(min_size__gt=0)
                                   & Q(min_size__lte=models.F("size")) & Q(max_lines__gte=1),
                                   name="certificate_field_sizes"),
        ]

    def __str__(self):
        return f"{self.layout} · {self.get_slot_display()}"


class CertificateBlank(PrivateFile):
    """A photo or scan of the blank, under the fields in the editor and printed only on a test print."""

    layout = models.ForeignKey(CertificateLayout, on_delete=models.CASCADE, related_name="blanks")

    class Meta:
        ordering = ["layout", "-uploaded_at", "-id"]
        verbose_name = _("ảnh phôi")
        verbose_name_plural = _("ảnh phôi")


class Printer(models.Model):
    """A printer's offset: how far it moves what it prints (mm, right and down positive), corrected when printing."""

    name = NFCCharField(_("tên máy in"), max_length=100, unique=True)
    offset_x = models.DecimalField(_("lệch ngang (mm)"), max_digits=4, decimal_places=1, default=0,
                                   help_text=_("Dương: máy in in lệch sang phải; bản in được dịch sang trái."))
    offset_y = models.DecimalField(_("lệch dọc (mm)"), max_digits=4, decimal_places=1, default=0,
                                   help_text=_("Dương: máy in in lệch xuống dưới; bản in được dịch lên trên."))
    note = NFCCharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("máy in")
        verbose_name_plural = _("máy in")

    def __str__(self):
        return self.name
