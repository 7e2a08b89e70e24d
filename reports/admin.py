"""Read-only views of report drafts and versions for super-users (the work happens on the report pages)."""

from django.contrib import admin

from .models import GeneratedReport, ReportDraft, StatisticsForm


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "number", "issued_on", "sample", "updated_at"]
    list_filter = ["kind", "sample"]
    list_select_related = ["campaign"]


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress", "sha256", "size", "created_by"]
    list_filter = ["status", "format", "kind"]
    list_select_related = ["created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StatisticsForm)
class StatisticsFormAdmin(admin.ModelAdmin):
    """The statistical forms as law: their circular and dates are edited here; `confirmed` says they were checked."""

    list_display = ["symbol", "title", "circular", "valid_from", "valid_to", "confirmed"]
    list_filter = ["confirmed", "code"]
