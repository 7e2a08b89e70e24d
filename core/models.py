"""The kernel's tables: the audit trail every service writes to (see `core.audit`), the outgoing-document
register with its issuing bodies and signers (see `core.register`), and the Excel imports that run in the background
worker (see `core.imports`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import NFCCharField, NFCTextField
from .files import PrivateFile, private_storage


class AuditEntry(models.Model):
    """An immutable row for every change made through a service: who, when, what, note."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60, blank=True)
    target_label = NFCCharField(max_length=255, blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "units_auditentry"  # created by units 0001; the model moved to the kernel
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self):
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.action} {self.target_label}"  # Vietnam's hour


# The outgoing-document register (sổ đăng ký văn bản đi, Decree 30/2020/NĐ-CP) --------------------------------------
# Generic: an issuing body is a key (by convention the code of its unit), a name and the abbreviation of its symbol;
# which bodies exist, their signers and what each app registers are data of the apps that use the register.


class IssuingBody(models.Model):
    """A body that issues documents with its own number series (cơ quan, tổ chức ban hành văn bản)."""

    key = models.CharField(_("mã"), max_length=40, unique=True,
                           help_text=_("Mã đơn vị trong cây đơn vị, hoặc mã riêng của hội đồng, ban."))
    name = NFCCharField(_("tên cơ quan ban hành"), max_length=255)
    abbreviation = NFCCharField(_("chữ viết tắt trong ký hiệu"), max_length=30,
                                help_text=_("Ví dụ UBND trong “QĐ-UBND”, SNV trong “TTr-SNV”."))
    governing = NFCCharField(_("cơ quan chủ quản"), max_length=255, blank=True,
                             help_text=_("Dòng trên tên cơ quan ở đầu văn bản; để trống nếu không có."))
    place = NFCCharField(_("địa danh"), max_length=100, blank=True)
    head_title = NFCCharField(_("chức danh người đứng đầu"), max_length=100, default="Chủ tịch")
    deputy_title = NFCCharField(_("chức danh cấp phó"), max_length=100, default="Phó Chủ tịch")
    collective = NFCCharField(_("tên tập thể lãnh đạo (ký TM.)"), max_length=150, blank=True,
                              help_text=_("Ví dụ “Ủy ban nhân dân”: văn bản của tập thể ký “TM. ỦY BAN NHÂN DÂN”."))
    fund = NFCCharField(_("quỹ chi tiền thưởng"), max_length=255, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("cơ quan ban hành văn bản")
        verbose_name_plural = _("cơ quan ban hành văn bản")

    def __str__(self):
        return self.name

    def symbol(self, kind):
        """ "QĐ-UBND" for kind "QĐ"."""
        return f"{kind}-{self.abbreviation}"


class SignerPosition(models.TextChoices):
    HEAD = "head", _("Người đứng đầu (ký trực tiếp)")
    DEPUTY = "deputy", _("Cấp phó (ký thay, KT.)")
    ACTING = "acting", _("Quyền người đứng đầu (Q.)")


class Signer(models.Model):
    """Who may sign for a body, in which capacity, between two dates (người ký văn bản)."""

    body = models.ForeignKey(IssuingBody, verbose_name=_("cơ quan"), on_delete=models.CASCADE,
                             related_name="signers")
    full_name = NFCCharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("thẩm quyền ký"), max_length=10, choices=SignerPosition.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    source = NFCCharField(_("căn cứ (quyết định phân công, bầu, phê chuẩn)"), max_length=255, blank=True)

    class Meta:
        ordering = ["body", "position", "-valid_from", "full_name"]
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True)
                                   | models.Q(valid_to__gte=models.F("valid_from")), name="signer_period_ordered"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.title})"

    @property
    def title(self):
        titles = {SignerPosition.HEAD: self.body.head_title, SignerPosition.DEPUTY: self.body.deputy_title,
                  SignerPosition.ACTING: _("Quyền %(title)s") % {"title": self.body.head_title}}
        return str(titles[self.position])

    def applies_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class DocumentSequence(models.Model):
    """The last number taken in one body's yearly series of one kind of document; only ever goes up."""

    issuer = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dãy số văn bản")
        verbose_name_plural = _("dãy số văn bản")
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "year"], name="document_sequence_once")]

    def __str__(self):
        return f"{self.issuer} {self.kind} {self.year}: {self.last}"


class RegisteredDocument(models.Model):
    """One line of the outgoing-document register: the number a document took, never given to another."""

    issuer = models.CharField(_("cơ quan ban hành"), max_length=40)
    issuer_name = NFCCharField(_("tên cơ quan ban hành"), max_length=255, blank=True)
    kind = models.CharField(_("loại văn bản"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    symbol = NFCCharField(_("ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    subject = NFCTextField(_("trích yếu"), blank=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đăng ký"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)

    class Meta:
        ordering = ["issuer", "-year", "kind", "-number"]
        verbose_name = _("văn bản đã đăng ký")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "year", "number"],
                                               name="registered_number_once")]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        """ "07/QĐ-UBND" (Decree 30/2020: numbers below 10 take a leading zero)."""
        return f"{self.number:02d}/{self.symbol}"


# Background imports (see `core.imports`) ------------------------------------------------------------------------


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang đọc và kiểm tra tệp")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ImportJob(PrivateFile):
    """One Excel import too large to read within the request: the stored upload, what the worker made of it.

    Knows no domain: `kind` names the import (the app that registered it runs it and shows its `result`, plain
    JSON); `options` are that import's arguments (a dry run, the criteria set …). Only `uploaded_by` sees it. The
    stored file is removed when the job ends, except after a clean preview, which keeps it until it is confirmed
    (then the confirming job takes it over) or cancelled.
    """

    kind = models.CharField(max_length=40)
    options = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, default="vi")
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportJobStatus.choices,
                              default=ImportJobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    result = models.JSONField(null=True, blank=True)
    error = NFCTextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)  # a preview confirmed or cancelled: single use

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lần nhập Excel chạy nền")
        verbose_name_plural = _("lần nhập Excel chạy nền")
        indexes = [models.Index(fields=["uploaded_by", "kind", "status"], name="importjob_owner_kind")]

    def __str__(self):
        return f"{self.kind} {self.original_name} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def is_stale(self):
        """Left behind by a killed worker: queued or running for longer than IMPORT_JOB_STALE_SECONDS."""
        if self.is_finished:
            return False
        limit = getattr(settings, "IMPORT_JOB_STALE_SECONDS", 30 * 60)
        return (timezone.now() - (self.started_at or self.created_at)).total_seconds() > limit


class SiteFlag(models.Model):
    """A switch of the whole deployment that a command sets, read by the page frame (see `core.demo`: "demo" is
    set by load_demo and shows the banner "Dữ liệu mẫu" on every page)."""

    name = models.CharField(primary_key=True, max_length=40)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cờ hệ thống")
        verbose_name_plural = _("cờ hệ thống")

    def __str__(self):
        return self.name


# Digital signatures (see `core.signing`) ---------------------------------------------------------------------------
# The keys themselves are configuration (SIGNING_IDENTITIES), never rows: here are only the images an admin uploads,
# the signed versions of registered documents and what the verification of a PDF found.


class SignatureImage(PrivateFile):
    """A signer's signature image (PNG, blue, transparent ground) and which configured identity signs for them."""

    signer = models.OneToOneField(Signer, verbose_name=_("người ký"), on_delete=models.CASCADE,
                                  related_name="signature_image")
    identity = models.CharField(_("chứng thư số (khóa trong SIGNING_IDENTITIES)"), max_length=60, blank=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản của người ký"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text=_("Tài khoản được bấm nút ký số thay cho người ký này."))

    class Meta:
        verbose_name = _("hình ảnh chữ ký")
        verbose_name_plural = _("hình ảnh chữ ký")


class SealImage(PrivateFile):
    """The issuing body's seal image (PNG): drawn in red over the left third of the signer's image."""

    body = models.OneToOneField(IssuingBody, verbose_name=_("cơ quan"), on_delete=models.CASCADE,
                                related_name="seal_image")

    class Meta:
        verbose_name = _("hình ảnh con dấu")
        verbose_name_plural = _("hình ảnh con dấu")


class SignatureLevel(models.TextChoices):
    B_B = "B-B", "PAdES B-B"
    B_T = "B-T", _("PAdES B-T (có dấu thời gian)")
    B_LT = "B-LT", _("PAdES B-LT (có dấu thời gian và dữ liệu thu hồi)")


class SigningStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ ký")
    RUNNING = "running", _("Đang ký")
    DONE = "done", _("Đã ký số")
    FAILED = "failed", _("Lỗi")


class SignedDocument(PrivateFile):
    """A signed version of a registered document: the unsigned PDF it was made from (`source`, kept) and, once the
    worker has signed it, the signed file with its SHA-256. Never written again once done."""

    entry = models.ForeignKey(RegisteredDocument, verbose_name=_("văn bản"), on_delete=models.PROTECT,
                              related_name="signed_versions")
    signer = models.ForeignKey(Signer, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+")
    identity = models.CharField(max_length=60)
    test_identity = models.BooleanField(_("chứng thư thử nghiệm"), default=False)
    source = models.FileField(storage=private_storage, max_length=255)
    source_sha256 = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True)
    level = models.CharField(_("mức chữ ký"), max_length=5, choices=SignatureLevel.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=SigningStatus.choices,
                              default=SigningStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = NFCTextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=SigningStatus.values), name="signed_status_valid"),
            models.CheckConstraint(condition=~models.Q(status="done") | ~models.Q(sha256=""),
                                   name="signed_document_has_sha256"),
            # One signing at a time per document, and one signed version: a failed attempt may be made again.
            models.UniqueConstraint(fields=["entry"], condition=~models.Q(status="failed"),
                                    name="signed_once_per_document"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.get_status_display()}"

    @property
    def is_finished(self):
        return self.status in (SigningStatus.DONE, SigningStatus.FAILED)


class VerificationStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    MODIFIED = "modified", _("Văn bản đã bị sửa đổi sau khi ký")
    UNTRUSTED = "untrusted", _("Chứng thư số không được tin cậy")
    EXPIRED = "expired", _("Chứng thư số đã hết hạn")
    REVOKED = "revoked", _("Chứng thư số đã bị thu hồi")
    INVALID = "invalid", _("Chữ ký không kiểm tra được")
    UNSIGNED = "unsigned", _("Chưa ký số")


class PdfVerification(models.Model):
    """What checking a PDF's signatures found, keyed by the file's SHA-256: any app's stored PDF finds its result
    by its own `sha256`, without a column of its own."""

    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=VerificationStatus.choices)
    signer_name = NFCCharField(_("người ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("thời gian ký"), null=True, blank=True)
    signature_count = models.PositiveSmallIntegerField(default=0)
    detail = models.TextField(blank=True)
    checked_at = models.DateTimeField(_("kiểm tra lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kết quả kiểm tra chữ ký số")
        verbose_name_plural = _("kết quả kiểm tra chữ ký số")
        constraints = [models.CheckConstraint(condition=models.Q(status__in=VerificationStatus.values),
                                              name="pdf_verification_status_valid")]

    def __str__(self):
        return f"{self.sha256[:12]} {self.status}"

    @property
    def is_signed(self):
        return self.status != VerificationStatus.UNSIGNED
