from django.contrib import admin

from apps.features.models import AppFeature, RecallSettings


@admin.register(AppFeature)
class AppFeatureAdmin(admin.ModelAdmin):
    list_display = ["app", "feature", "enabled", "enabled_at", "enabled_by"]
    list_filter = ["feature", "enabled"]
    list_select_related = ["app__organization", "feature", "enabled_by"]
    search_fields = ["app__name", "app__organization__name"]
    raw_id_fields = ["app", "enabled_by"]


@admin.register(RecallSettings)
class RecallSettingsAdmin(admin.ModelAdmin):
    list_display = ["app", "client_recall_seconds", "rest_recall_seconds", "updated_at"]
    list_select_related = ["app__organization"]
    search_fields = ["app__name", "app__organization__name"]
    raw_id_fields = ["app", "updated_by"]
