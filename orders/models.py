import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from console.fields import MoneyField


def new_order_number(at=None) -> str:
    """Date prefix for people, 16 random digits (~53 bits) so numbers cannot be guessed."""
    return (at or timezone.now()).strftime("%Y%m%d") + f"{secrets.randbelow(10**16):016d}"


class Order(models.Model):
    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Provisioning")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")

    # Unique through OrderKey, which holds the unique index (issue 14: see OrderKey); the number never changes.
    number = models.CharField(_("order number"), max_length=32, default=new_order_number, editable=False)
    # No index of its own: order_org_created_idx (organization, -created_at) starts with it (issue 14: each index
    # is upkeep on every status change of the activation job).
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    # No index of its own: an app's orders are read by status, through one_in_service_plan_order_per_app and
    # one_provisioning_order_per_app, or within its organization's (order_org_created_idx) (issue 14).
    app = models.ForeignKey("applications.App", on_delete=models.PROTECT, related_name="orders", db_index=False)
    # Set on a plan order (optionally with add-ons in the same order); empty on an add-ons-only order. No index:
    # no query looks orders up by plan (a handful of plans; the in-service plan order is found by app through
    # one_in_service_plan_order_per_app), and each index is upkeep on every status change (issue 14).
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="orders", db_index=False
    )
    # An add-ons-only order belongs to the plan order in service when it was bought; it ends with it. Indexed by
    # order_addon_idx, which holds only add-on-only orders.
    plan_order = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="addon_orders", db_index=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROVISIONING)
    # No index: nothing lists orders by buyer (only a user's deletion, a rare staff action, scans for them).
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    monthly_fee = MoneyField(_("monthly fee"))
    estimated_fee = MoneyField(_("estimated fee for the rest of the month"))
    created_at = models.DateTimeField(_("purchased at"), default=timezone.now)
    # Charging starts the business day of purchase and ends (exclusive) the day it is completed;
    # an upgrade ends it on the upgrading order's purchase date.
    purchase_date = models.DateField(_("purchase date"))
    charge_end_date = models.DateField(_("charged until (exclusive)"), null=True, blank=True)
    activate_after = models.DateTimeField(_("in service from"))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The purchase agreement version the buyer accepted (empty on orders placed before agreements were versioned).
    agreement_version = models.PositiveIntegerField(_("agreement version accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["app"],
                condition=Q(status="in_service", plan__isnull=False),
                name="one_in_service_plan_order_per_app",
            ),
            models.UniqueConstraint(
                fields=["app"],
                condition=Q(status="provisioning"),
                name="one_provisioning_order_per_app",
            ),
            models.CheckConstraint(
                condition=Q(charge_end_date__isnull=True) | Q(charge_end_date__gte=models.F("purchase_date")),
                name="order_charge_end_after_purchase",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="order_org_created_idx"),
            # Partial: only provisioning orders are in it, so moving an order out of provisioning or between later
            # states adds no entry (issue 14).
            models.Index(fields=["activate_after"], condition=Q(status="provisioning"), name="order_due_idx"),
            # Partial: a plan order (most orders) has no plan_order, so completing or activating it adds no entry.
            # The readers all ask for given plan orders (plan_order_id = or IN), which implies NOT NULL.
            models.Index(fields=["plan_order"], condition=Q(plan_order__isnull=False), name="order_addon_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_plan_order(self) -> bool:
        return self.plan_id is not None

    @property
    def items_summary(self) -> str:
        """'Flagship + Members per group 5,000'; uses prefetched lines."""
        return " + ".join(item_label(line) for line in self.lines.all())


def item_label(line) -> str:
    """'Flagship', 'Members per group 5,000', 'Message storage × 10' for an order line or a checkout line."""
    if line.kind == "plan":
        return str(line.plan.name)
    if line.tier_value is not None:
        return f"{line.addon.name} {number_format(line.tier_value, force_grouping=True)}"
    return f"{line.addon.name} × {line.quantity}"


class OrderLine(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        ADDON = "addon", _("Add-on")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    addon = models.ForeignKey("plans.AddOn", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # For a tier add-on: the cap bought (e.g. 8000). For a stackable add-on: units (quantity).
    tier_value = models.PositiveIntegerField(_("tier"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = MoneyField(_("unit price per month"))
    monthly_amount = MoneyField(_("amount per month"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="plan", plan__isnull=False, addon__isnull=True))
                | Q(kind="addon", plan__isnull=True, addon__isnull=False),
                name="order_line_kind_matches_item",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.kind}"

    @property
    def label(self) -> str:
        return item_label(self)


class OrderKey(models.Model):
    """An order's two unique keys, off the order's own row (issue 14). Every status change rewrites the order's row
    (status is in the partial indexes' predicates, so no update is HOT) and adds an entry to each of its indexes;
    the activation job changes 30,000 orders per 10,000 activations, and these two unique indexes were a third of
    its time. Written once, with the order, by ``order_place``; never updated.

    ``number`` is the order's number (copied on the order, which pages read) and the way its detail page finds it;
    ``idempotency_key`` is the checkout token's nonce: a second submit of the same form finds the first order."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, primary_key=True, related_name="key")
    number = models.CharField(max_length=32)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("order key")
        verbose_name_plural = _("order keys")
        # Constraints rather than unique=True: PostgreSQL then gets no second (varchar_pattern_ops) index each.
        constraints = [
            models.UniqueConstraint(fields=["number"], name="order_number_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], name="order_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderStatusChange(models.Model):
    # Not checked by the database (issue 14: the per-row check of 20,000 history rows was half the commit of the
    # activation job). A history row is written only with its order's status change, in the transaction that
    # holds the order's row (locked, or just inserted by order_place) and takes order_id from it (the activation
    # statement from its UPDATE ... RETURNING); orders are never deleted (PROTECT from organization and app, no
    # delete in the admin), and the ORM's CASCADE still applies.
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history", db_constraint=False)
    from_status = models.CharField(max_length=16, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Order.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class PurchaseAgreement(models.Model):
    """The service purchase agreement (《服务购买协议》) buyers accept at checkout. Staff publish a new version
    in the admin rather than edit an accepted one; the highest version is the one in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_en = models.TextField(_("text (English)"))
    text_zh = models.TextField(_("text (Chinese)"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("purchase agreement")
        verbose_name_plural = _("purchase agreements")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    def text_in(self, language: str) -> str:
        return self.text_zh if language.startswith("zh") else self.text_en
