from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .models import AuditEntry, IssuingBody, RegisteredDocument, Signer

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
