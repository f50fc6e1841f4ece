from django.contrib import admin

from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings


@admin.register(SensitiveWordSettings)
class SensitiveWordSettingsAdmin(admin.ModelAdmin):
    list_display = ["app", "enabled", "action", "ignore_case", "revision", "updated_at"]
    list_filter = ["enabled", "action"]
    list_select_related = ["app__organization"]
    search_fields = ["app__name", "app__organization__name"]
    raw_id_fields = ["app", "updated_by"]
    readonly_fields = ["revision"]


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    """Read-only: words change through the console's services, which keep the revision and the audit log."""

    list_display = ["word", "app", "created_at", "created_by"]
    list_select_related = ["app__organization", "created_by"]
    search_fields = ["key", "app__name"]
    raw_id_fields = ["app", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
