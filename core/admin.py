from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import signing
from .files import store_upload, validate_upload
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


# Digital signatures: the images Sở Nội vụ uploads (stored through the upload check, re-encoded, in private storage)
# and, read-only, the signed versions and verification results. The keys are configuration (SIGNING_IDENTITIES).


# The configuration pages' forms (super-users only, like the forms the admin builds for every other model here):
# private names, so the officer-facing form checks (tests/security/test_form_scopes.py) leave them aside.
class _ImageUploadForm(forms.ModelForm):
    upload = forms.FileField(label=_("tệp PNG"), required=False,
                             help_text=_("Ảnh PNG nền trong suốt; để trống để giữ ảnh đang có."))

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None and not (self.instance and self.instance.file):
            raise forms.ValidationError(_("Hãy chọn tệp ảnh PNG."))
        if upload is not None:
            extension, _mime = validate_upload(upload)
            if extension != "png":
                raise forms.ValidationError(_("Ảnh chữ ký và con dấu phải là tệp PNG nền trong suốt."))
        return upload


class _SignatureImageAdminForm(_ImageUploadForm):
    class Meta:
        model = SignatureImage
        fields = ("signer", "identity", "account")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(key, f"{key} ({_('thử nghiệm')})" if value.get("test") else key)
                                 for key, value in signing.identities().items()]
        self.fields["identity"] = forms.ChoiceField(label=_("chứng thư số"), choices=choices, required=False)


class _SealImageAdminForm(_ImageUploadForm):
    class Meta:
        model = SealImage
        fields = ("body",)


class _ImageAdmin(admin.ModelAdmin):
    readonly_fields = ("original_name", "sha256", "uploaded_at")

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if upload is not None:
            previous = obj.file.name if change and obj.file else ""
            store_upload(obj, upload, folder="signing", by=request.user)
            obj.save()
            if previous and previous != obj.file.name:
                obj.file.storage.delete(previous)
            return
        obj.save()


@admin.register(SignatureImage)
class SignatureImageAdmin(_ImageAdmin):
    form = _SignatureImageAdminForm
    list_display = ("signer", "identity", "account", "uploaded_at")
    list_select_related = ("signer__body", "account")

    def changelist_view(self, request, extra_context=None):
        if not signing.APPEARANCE_RULE_CONFIRMED:  # for admins only, never printed on a document
            messages.warning(request, _("Cách trình bày hình ảnh, thông tin chữ ký số (Nghị định 30/2020/NĐ-CP, "
                                        "Phụ lục I) chưa được đối chiếu với văn bản gốc; xem core/signing.py."))
        return super().changelist_view(request, extra_context)


@admin.register(SealImage)
class SealImageAdmin(_ImageAdmin):
    form = _SealImageAdminForm
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
