from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import EmulationBlock, Person, RestructuringRule, Unit, UnitLink, User


@admin.register(User)
class AppUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Thi đua", {"fields": ("full_name", "role", "unit", "must_change_password")}),)
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(EmulationBlock)
class EmulationBlockAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")


class UnitLinkInline(admin.TabularInline):
    model = UnitLink
    fk_name = "predecessor"
    autocomplete_fields = ("successor",)
    extra = 0


@admin.register(RestructuringRule)
class RestructuringRuleAdmin(admin.ModelAdmin):
    list_display = ("source", "article", "valid_from", "valid_to", "confirmed")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "block", "valid_to")
    list_filter = ("kind", "block")
    list_select_related = ("parent", "block")
    search_fields = ("code", "name", "search_name")
    readonly_fields = ("path", "depth")
    autocomplete_fields = ("parent",)
    inlines = [UnitLinkInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "gender", "position", "unit", "staff_code")
    list_filter = ("gender", "unit__kind")
    list_select_related = ("unit",)
    search_fields = ("search_name", "staff_code")
    autocomplete_fields = ("unit",)
