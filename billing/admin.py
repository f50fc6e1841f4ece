"""Staff tools: confirm or reject top-up requests, record adjustments, read bills. Nothing here edits money
in place: every change of a balance is a new ledger entry written by a service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from billing.exceptions import BillingError
from billing.forms import AdjustmentForm
from billing.models import Bill, BillLine, LedgerEntry, PaymentAccount, TopUpRequest
from billing.services import ledger_adjust, topup_confirm, topup_reject


def _decide(modeladmin, request, queryset, service, done_message):
    done = 0
    for topup_id in queryset.values_list("pk", flat=True):
        try:
            service(topup_id=topup_id, staff=request.user)
        except BillingError as error:
            modeladmin.message_user(request, f"#{topup_id}: {error}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.register(TopUpRequest)
class TopUpRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organization", "amount", "reference", "status", "requested_by", "decided_by",
                    "decided_at"]
    list_filter = ["status"]
    list_select_related = ["organization", "requested_by", "decided_by"]
    search_fields = ["organization__name", "reference", "requested_by__email"]
    readonly_fields = ["organization", "amount", "reference", "status", "requested_by", "created_at", "decided_by",
                       "decided_at"]
    actions = ["confirm_requests", "reject_requests"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Confirm the selected top-ups (credit the balance)"))
    def confirm_requests(self, request, queryset):
        _decide(self, request, queryset, topup_confirm,
                lambda n: ngettext("%(n)d top-up confirmed and credited.", "%(n)d top-ups confirmed and credited.",
                                   n) % {"n": n})

    @admin.action(description=_("Reject the selected top-ups"))
    def reject_requests(self, request, queryset):
        _decide(self, request, queryset, topup_reject,
                lambda n: ngettext("%(n)d top-up rejected.", "%(n)d top-ups rejected.", n) % {"n": n})


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Adding here records a signed adjustment; existing entries are read-only and never deleted."""

    list_display = ["created_at", "organization", "kind", "amount", "note", "bill", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["organization", "bill__organization", "created_by"]
    search_fields = ["organization__name", "note"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["organization"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AdjustmentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "amount", "note"]
        return ["organization", "kind", "amount", "bill", "topup", "note", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        entry = ledger_adjust(organization=obj.organization, amount=obj.amount, note=obj.note, staff=request.user)
        obj.pk, obj.kind, obj.created_at = entry.pk, entry.kind, entry.created_at

    def has_delete_permission(self, request, obj=None):
        return False


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    can_delete = False
    fields = ["app", "order", "start_date", "end_date", "days", "monthly_fee", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("app__organization", "order")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    list_display = ["month", "organization", "total", "created_at"]
    list_select_related = ["organization"]
    search_fields = ["organization__name"]
    date_hierarchy = "month"
    readonly_fields = ["organization", "month", "total", "created_at"]
    inlines = [BillLineInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentAccount)
class PaymentAccountAdmin(admin.ModelAdmin):
    """The one account customers transfer top-ups to (shown in every account center)."""

    list_display = ["payee", "bank", "account_number", "reference_prefix"]

    def has_add_permission(self, request):
        return not PaymentAccount.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
