"""Staff look at orders here; statuses move only through orders.services.order_transition, so the admin is
read-only."""

from django.contrib import admin

from orders.models import Order, OrderLine, OrderStatusChange, PurchaseAgreement


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


@admin.register(PurchaseAgreement)
class PurchaseAgreementAdmin(admin.ModelAdmin):
    """Staff publish a new version (Add); a version buyers may have accepted is not edited afterwards."""

    list_display = ["version", "published_at"]
    fields = ["version", "published_at", "text_zh", "text_en"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def get_changeform_initial_data(self, request):
        latest = PurchaseAgreement.objects.order_by("-version").first()
        if latest is None:
            return {"version": 1}
        return {"version": latest.version + 1, "text_zh": latest.text_zh, "text_en": latest.text_en}

    def has_delete_permission(self, request, obj=None):
        return False
