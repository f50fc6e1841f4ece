from django.contrib import admin

from apps.callbacks.models import CallbackDelivery, CallbackRule


@admin.register(CallbackRule)
class CallbackRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "app", "kind", "url", "enabled", "created_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "url", "app__name")
    raw_id_fields = ("app", "created_by")
    exclude = ("secret",)
    readonly_fields = ("secret_rotated_at", "created_at", "updated_at")


@admin.register(CallbackDelivery)
class CallbackDeliveryAdmin(admin.ModelAdmin):
    list_display = ("delivery_id", "attempt", "rule", "attempted_at", "status_code", "ok", "latency_ms")
    list_filter = ("ok",)
    raw_id_fields = ("rule",)
