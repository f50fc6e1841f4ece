from django.contrib import admin

from apps.applications.models import App, DataCenter


@admin.register(DataCenter)
class DataCenterAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "rest_host", "ws_host", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["code", "name_zh", "name_en", "rest_host", "ws_host"]


@admin.register(App)
class AppAdmin(admin.ModelAdmin):
    """Staff look at any organization's apps. The Client Secret is never shown here; AppName, data center,
    organization and Client ID cannot change after creation."""

    list_display = ["name", "organization", "product_name", "data_center", "status", "created_at"]
    list_filter = ["status", "data_center"]
    search_fields = ["name", "product_name", "organization__name", "client_id"]
    list_select_related = ["organization", "data_center"]
    fields = ["organization", "name", "product_name", "description", "data_center", "client_id", "status", "created_at"]
    readonly_fields = ["client_id", "created_at"]
    raw_id_fields = ["organization"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "organization", "name", "data_center"]
