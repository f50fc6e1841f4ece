"""Staff look at orders here; statuses move only through orders.services.order_transition, so the admin is
read-only."""

from django.contrib import admin

from orders.models import Order, OrderLine, OrderStatusChange


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["kind", "plan", "addon", "tier_value", "quantity", "unit_price", "monthly_amount"]
    readonly_fields = fields


class OrderStatusChangeInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = ["at", "from_status", "to_status", "note"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "organization", "app", "plan", "status", "monthly_fee", "purchase_date",
                    "charge_end_date", "created_at"]
    list_filter = ["status", "plan"]
    search_fields = ["number", "organization__name", "app__name"]
    list_select_related = ["organization", "app__organization", "plan"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderStatusChangeInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
