from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import signing
from .models import (
    AuditEntry,
    IssuingBody,
    PdfVerification,
    RegisteredDocument,
    SealImage,
    SignatureImage,
    SignedDocument,
    Signer,
)

# The Django admin is for configuration (catalogues, issuing bodies, criteria…), for super-users. Day-to-day work,
# accounts and the activity trail included, is in the application's pages (units/accounts.py).
admin.site.site_header = _("Quản trị cấu hình · Sở Nội vụ")
admin.site.site_title = _("Quản trị cấu hình · Sở Nội vụ")
admin.site.index_title = _("Quản trị cấu hình · Sở Nội vụ")
# Background jobs are followed on the reports' own pages (versions, retry), not configured here; django-axes' login
# records are seen and cleared on the accounts pages (AXES_ENABLE_ADMIN = False).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are never changed once written (the audit trail, the register): shown, never edited or deleted."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "target_label")
    list_select_related = ("actor",)


class SignerInline(admin.TabularInline):
    model = Signer
    extra = 0


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "abbreviation", "head_title", "valid_from", "valid_to")
    search_fields = ("name", "key")
    inlines = [SignerInline]


@admin.register(RegisteredDocument)
class RegisteredDocumentAdmin(ReadOnlyAdmin):
    """The register is read-only: a number once given is never changed, deleted or given again."""

    list_display = ("__str__", "issuer_name", "kind", "year", "issued_on", "subject", "registered_by")
    list_filter = ("issuer", "kind", "year")
    search_fields = ("symbol", "subject")


# Digital signatures: the images Sở Nội vụ uploads on the application's page (shown here with the identity and account
# a super-user configures) and, read-only, the signed versions and verification results. The keys are configuration
# (SIGNING_IDENTITIES).


class _SignatureImageAdminForm(forms.ModelForm):
    """Which signing identity signs for a signer and which account may press the button (super-users only). The
    image itself is uploaded on the application's page "Ảnh chữ ký và con dấu (ký số)" (units.signing_views), the
    one path with every upload check and an activity row; here it is only shown."""

    class Meta:
        model = SignatureImage
        fields = ("identity", "account")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(key, f"{key} ({_('thử nghiệm')})" if value.get("test") else key)
                                 for key, value in signing.identities().items()]
        self.fields["identity"] = forms.ChoiceField(label=_("chứng thư số"), choices=choices, required=False)


class _ImageAdmin(admin.ModelAdmin):
    readonly_fields = ("original_name", "sha256", "uploaded_at")

    def has_add_permission(self, request):
        return False  # a signature or seal image arrives through the application's upload page


@admin.register(SignatureImage)
class SignatureImageAdmin(_ImageAdmin):
    form = _SignatureImageAdminForm
    fields = ("signer", "identity", "account", "original_name", "sha256", "uploaded_at")
    readonly_fields = ("signer", "original_name", "sha256", "uploaded_at")
    list_display = ("signer", "identity", "account", "uploaded_at")
    list_select_related = ("signer__body", "account")

    def changelist_view(self, request, extra_context=None):
        if not signing.APPEARANCE_RULE_CONFIRMED:  # for admins only, never printed on a document
            messages.warning(request, _("Cách trình bày hình ảnh, thông tin chữ ký số (Nghị định 30/2020/NĐ-CP, "
                                        "Phụ lục I) chưa được đối chiếu với văn bản gốc; xem core/signing.py."))
        return super().changelist_view(request, extra_context)


@admin.register(SealImage)
class SealImageAdmin(_ImageAdmin):
    fields = ("body", "original_name", "sha256", "uploaded_at")
    readonly_fields = fields  # replaced or retired on the application's page only
    list_display = ("body", "uploaded_at")


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("entry", "signer", "status", "level", "test_identity", "signed_at", "sha256")
    list_select_related = ("entry", "signer__body")


@admin.register(PdfVerification)
class PdfVerificationAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "status", "signer_name", "signed_at", "checked_at")
    list_filter = ("status",)
    search_fields = ("sha256", "signer_name")
