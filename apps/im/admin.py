from django.contrib import admin

from apps.im.models import ImGroup, ImMessage, ImUser, ServiceSettings


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    list_display = ("app", "token_ttl_seconds", "registration_mode", "updated_at")
    raw_id_fields = ("app", "updated_by")


@admin.register(ImUser)
class ImUserAdmin(admin.ModelAdmin):
    list_display = ("username", "app", "activated", "created")
    list_filter = ("activated",)
    search_fields = ("username",)
    raw_id_fields = ("app",)
    exclude = ("password",)
    readonly_fields = ("uuid", "tokens_valid_after", "group_count")  # the group services keep the count


@admin.register(ImGroup)
class ImGroupAdmin(admin.ModelAdmin):
    list_display = ("group_id", "name", "app", "maxusers", "created")
    search_fields = ("group_id", "name")
    raw_id_fields = ("app", "owner")
    readonly_fields = ("member_count",)  # the group services keep the count


@admin.register(ImMessage)
class ImMessageAdmin(admin.ModelAdmin):
    """Staff see what receivers got (sensitive words already replaced)."""

    list_display = ("msg_id", "app", "from_user", "to", "chat_type", "msg_type", "sent_at", "recalled_at")
    list_filter = ("chat_type", "msg_type")
    search_fields = ("msg_id", "from_user", "to")
    raw_id_fields = ("app",)
