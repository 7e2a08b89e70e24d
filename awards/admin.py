"""Configuration data for Sở Nội vụ administrators: the catalogue, holidays, and earlier awards (history)."""

from django.contrib import admin

from .models import (
    AwardForm,
    AwardRule,
    BaseSalary,
    CommendationRecord,
    CouncilSession,
    Decision,
    DocumentType,
    DossierTemplate,
    LegalBasis,
    PublicHoliday,
)


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    fk_name = "form"
    extra = 0
    filter_horizontal = ("required_documents", "simplified_documents")


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "recipient_kind", "basis", "authority", "is_title", "active")
    list_filter = ("recipient_kind", "basis", "is_title", "active")
    search_fields = ("name", "code")
    inlines = [AwardRuleInline]


@admin.register(DossierTemplate)
class DossierTemplateAdmin(admin.ModelAdmin):
    """Which appendix form of which decree each generated dossier document follows; unchecked rows are marked."""

    list_display = ("kind", "form_number", "legal_basis", "valid_from", "valid_to", "doc_type", "confirmed")
    list_filter = ("confirmed", "kind")


@admin.register(AwardRule)
class AwardRuleAdmin(admin.ModelAdmin):
    list_display = ("form", "legal_basis", "valid_from", "valid_to", "vote_threshold", "appraisal_working_days",
                    "simplified_allowed", "confirmed", "prize_individual", "prize_collective", "prize_confirmed")
    list_filter = ("confirmed", "prize_confirmed", "simplified_allowed", "form")
    filter_horizontal = ("required_documents", "simplified_documents")


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "form_number", "applies_to", "order")


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


@admin.register(CommendationRecord)
class CommendationRecordAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit", "person", "form", "year", "decision_number", "decision_date", "basis")
    list_filter = ("form", "year", "basis")
    search_fields = ("decision_number", "unit__name", "person__full_name")
    autocomplete_fields = ()
    raw_id_fields = ("unit", "person", "decision", "dossier")
    # Numbers of the award register are given by the decision's registration, never typed or changed by hand.
    readonly_fields = ("register_body", "register_family", "register_year", "register_number")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "date", "signer")
    search_fields = ("number",)

    def has_add_permission(self, request):
        return False  # decisions are recorded through the workflow so dossiers and history stay consistent



@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    """Mức lương cơ sở by period: prize money already decided keeps the amount stored on each award."""

    list_display = ("amount", "valid_from", "valid_to", "legal_basis", "confirmed")
    list_filter = ("confirmed",)


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ("text", "valid_from", "valid_to", "order", "confirmed")
    list_filter = ("confirmed",)


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    """Read-only: sessions are run from their pages so the ballots, minutes and dossiers stay consistent."""

    list_display = ("__str__", "place", "state", "minutes", "tally")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
