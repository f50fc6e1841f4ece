from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from console.fields import MoneyField


class TopUpRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="topups")
    amount = MoneyField(_("amount (CNY)"))
    reference = models.CharField(_("payment reference"), max_length=128)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("top-up request")
        verbose_name_plural = _("top-up requests")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="topup_amount_positive")]

    def __str__(self) -> str:
        return f"{self.organization} +{self.amount}"


class PaymentAccount(models.Model):
    """Where customers transfer top-ups: one row (pk=1) staff keep in the admin. The account center shows it
    with the reference each org quotes (prefix + OrgName) so staff can match a transfer to its org."""

    payee = models.CharField(_("payee"), max_length=128, blank=True)
    bank = models.CharField(_("bank"), max_length=128, blank=True)
    account_number = models.CharField(_("account number"), max_length=64, blank=True)
    reference_prefix = models.CharField(_("payment reference prefix"), max_length=16, default="IM-")

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment account")

    def __str__(self) -> str:
        return str(_("Payment account"))

    @property
    def is_set(self) -> bool:
        return bool(self.payee and self.bank and self.account_number)

    def reference_for(self, organization) -> str:
        return f"{self.reference_prefix}{organization.name}".upper()


class Bill(models.Model):
    """The consumption of one org in one calendar month (business time zone). One per (org, month)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="bills")
    month = models.DateField(_("month"), help_text=_("The first day of the billed month."))
    total = MoneyField(_("total"))
    # Written with the bill's lines in the same statement (bills_generate) and never changed after: the bill list
    # shows it without counting every bill's lines on each view (issue 14: 7 ms of PostgreSQL per page).
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-month", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="bill_one_per_org_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="bill_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%Y-%m}"


class BillLine(models.Model):
    """One order's charged days in the bill's month: monthly fee ÷ days in month × days, rounded once.

    Lines are written only by ``bills_generate``, in the same statement that inserts their bill and reads their
    order (so bill, order and app exist by construction), and are never updated. Their foreign keys are not
    checked by the database (issue 14: two thirds of a 100,000-line run was its commit, one deferred key check
    per line and key, each locking the row it points at). The rows pointed at are not deleted: a bill is held
    by its deduction (a checked key) and by PROTECT, orders and apps are never deleted by the console, and the
    ORM's PROTECT and CASCADE still apply. Indexes are upkeep on every line:
    the unique (bill, order) index serves lookups by bill, the order's index the orders' PROTECT; nothing looks
    lines up by app (an admin delete of an app with orders is refused by the orders' PROTECT first)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines", db_constraint=False,
                             db_index=False)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="bill_lines",
                              db_constraint=False)
    app = models.ForeignKey("applications.App", on_delete=models.PROTECT, related_name="+", db_constraint=False,
                            db_index=False)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until (exclusive)"))
    days = models.PositiveSmallIntegerField(_("days"))
    monthly_fee = MoneyField(_("monthly fee"))
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["start_date", "id"]
        constraints = [models.UniqueConstraint(fields=["bill", "order"], name="bill_line_one_per_order")]

    def __str__(self) -> str:
        return f"{self.bill_id}:{self.order_id}"


class LedgerEntry(models.Model):
    """The balance is the sum of these rows, always. Positive credits, negative debits."""

    class Kind(models.TextChoices):
        TOPUP = "topup", _("Top-up")
        BILL = "bill", _("Bill deduction")
        ADJUSTMENT = "adjustment", _("Adjustment")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = MoneyField(_("amount"))
    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="deduction")
    topup = models.OneToOneField(
        TopUpRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entry"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="ledger_org_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="bill", bill__isnull=False) | ~Q(kind="bill"), name="ledger_bill_entry_has_bill"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.kind} {self.amount}"
