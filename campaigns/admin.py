"""Django admin for super-users only (day-to-day editing happens in the application's own pages)."""

from django.contrib import admin

from .models import (
    Campaign,
    EmulationContent,
    FollowUpTask,
    Inspection,
    Milestone,
    Registration,
    RegistrationCommitment,
    ThemeDocument,
    YearlyTheme,
)


class ContentInline(admin.TabularInline):
    model = EmulationContent
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on", "status"]
    list_filter = ["status", "kind"]
    inlines = [ContentInline, MilestoneInline]


class ThemeDocumentInline(admin.TabularInline):
    model = ThemeDocument
    extra = 0
    fields = ["original_name", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(YearlyTheme)
class YearlyThemeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "year", "title", "published_at"]
    list_filter = ["campaign", "year"]
    inlines = [ThemeDocumentInline]


class CommitmentInline(admin.TabularInline):
    model = RegistrationCommitment
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["unit", "campaign", "year", "registered_at"]
    list_filter = ["campaign", "year", "unit__kind"]
    raw_id_fields = ["unit", "registered_by"]
    inlines = [CommitmentInline]


class TaskInline(admin.TabularInline):
    model = FollowUpTask
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["unit", "campaign", "inspected_on"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [TaskInline]
