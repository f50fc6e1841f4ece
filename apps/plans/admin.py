from django.contrib import admin

from apps.plans.models import AddOn, AddOnTier, CatalogSettings, Feature, Plan, PlanFeature


class PlanFeatureInline(admin.TabularInline):
    model = PlanFeature
    extra = 0
    autocomplete_fields = ["feature"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "rank", "monthly_price", "is_active"]
    list_editable = ["monthly_price", "is_active"]
    ordering = ["rank"]
    inlines = [PlanFeatureInline]


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "kind", "unit_en", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["code", "name_en", "name_zh"]
    ordering = ["sort_order", "code"]


class AddOnTierInline(admin.TabularInline):
    model = AddOnTier
    extra = 0


@admin.register(AddOn)
class AddOnAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "feature", "stackable", "unit_size", "unit_price", "is_active"]
    list_filter = ["stackable", "is_active"]
    list_select_related = ["feature"]
    inlines = [AddOnTierInline]


@admin.register(CatalogSettings)
class CatalogSettingsAdmin(admin.ModelAdmin):
    """One row of platform-wide limits: staff edit it, never add a second or delete it."""

    list_display = ["__str__", "app_limit", "ip_whitelist_max", "callback_rules_max"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CatalogSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
