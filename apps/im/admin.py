from contextlib import suppress

from django.contrib import admin

from apps.im.errors import NotFound
from apps.im.models import ImGroup, ImMessage, ImUser, ServiceSettings
from apps.im.services import groups, users


class _ThroughTheServices(admin.ModelAdmin):
    """IM users and groups are created through the REST API or the console (the services keep the registered
    count, the members per group and the groups per user); a staff delete goes through the same services, so
    those counters stay true."""

    def has_add_permission(self, request) -> bool:
        return False

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset.select_related("app"):
            self.delete_model(request, obj)


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    list_display = ("app", "token_ttl_seconds", "registration_mode", "updated_at")
    raw_id_fields = ("app", "updated_by")


@admin.register(ImUser)
class ImUserAdmin(_ThroughTheServices):
    list_display = ("username", "app", "activated", "created")
    list_filter = ("activated",)
    search_fields = ("username",)
    raw_id_fields = ("app",)
    exclude = ("password",)
    readonly_fields = ("uuid", "tokens_valid_after", "group_count")  # the group services keep the count

    def delete_model(self, request, obj) -> None:
        with suppress(NotFound):  # deleted meanwhile (the REST API, the console, another staff member)
            users.user_delete(app=obj.app, username=obj.username)


@admin.register(ImGroup)
class ImGroupAdmin(_ThroughTheServices):
    list_display = ("group_id", "name", "app", "maxusers", "created")
    search_fields = ("group_id", "name")
    raw_id_fields = ("app", "owner")
    readonly_fields = ("member_count",)  # the group services keep the count

    def delete_model(self, request, obj) -> None:
        with suppress(NotFound):  # deleted meanwhile
            groups.group_delete(app=obj.app, group_id=obj.group_id)


@admin.register(ImMessage)
class ImMessageAdmin(admin.ModelAdmin):
    """Staff see what receivers got (sensitive words already replaced)."""

    list_display = ("msg_id", "app", "from_user", "to", "chat_type", "msg_type", "sent_at", "recalled_at")
    list_filter = ("chat_type", "msg_type")
    search_fields = ("msg_id", "from_user", "to")
    raw_id_fields = ("app",)
