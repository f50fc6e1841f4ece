"""Writes of orders: placing one (the purchase rules and idempotency), the one transition service, and the
activation scan the Celery beat job runs."""

import datetime as dt
import random
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.applications.models import App
from apps.audit.services import audit_record
from console.timeutil import business_date, business_now
from orders.exceptions import InvalidOrderTransition, PurchaseNotAllowed
from orders.models import Order, OrderLine, OrderStatusChange, item_label, new_order_number
from orders.selectors import AddonRequest, purchase_agreement_current, purchase_quote
from orders.tokens import checkout_token_key

Status = Order.Status

# The order pipeline as data; order_transition is the only code that assigns Order.status.
TRANSITIONS: dict[str, set[str]] = {
    Status.PROVISIONING: {Status.IN_SERVICE},
    Status.IN_SERVICE: {Status.COMPLETED},
    Status.COMPLETED: set(),
}

PROVISIONING_REFUSAL = _(
    "This app has an order still provisioning. Wait until it is in service before buying again."
)
ACTIVATION_BATCH = 500

# Rules of higher apps that may refuse a purchase (billing: an organization in arrears). Each is called with the
# organization and returns the refusal to show, or None; billing registers its own in BillingConfig.ready, so
# orders never imports billing.
PURCHASE_CHECKS: list[Callable[[object], str | None]] = []


def purchase_check_register(check: Callable[[object], str | None]) -> None:
    if check not in PURCHASE_CHECKS:
        PURCHASE_CHECKS.append(check)


def provisioning_delay() -> dt.timedelta:
    """ORDER_PROVISIONING_SECONDS: "180-300" draws a delay per order in that range, "2" is fixed."""
    raw = str(settings.ORDER_PROVISIONING_SECONDS).strip()
    try:
        if "-" in raw:
            low, high = (float(part) for part in raw.split("-", 1))
            if low > high:
                raise ValueError(raw)
            return dt.timedelta(seconds=random.uniform(low, high))
        return dt.timedelta(seconds=float(raw))
    except ValueError:
        raise ImproperlyConfigured(
            f"ORDER_PROVISIONING_SECONDS must be a number or a range like 180-300, not {raw!r}"
        ) from None


@transaction.atomic
def order_place(
    *, app: App, buyer, plan_code: str | None, addons: list[AddonRequest], token: str,
    now: dt.datetime | None = None,
) -> Order:
    """Place an order after checking the purchase rules; PurchaseNotAllowed (nothing created) otherwise.

    The checkout token makes "Buy now" idempotent: the same token returns the order it already made
    (``order.just_placed`` is False then). The role is checked by the view.
    """
    now = now or timezone.now()
    key = checkout_token_key(app=app, token=token)
    # One purchase of an app at a time: the second waits here and then sees the first one's order.
    app = App.objects.select_for_update().select_related("organization").get(pk=app.pk)
    existing = Order.objects.filter(idempotency_key=key, app=app).first()
    if existing is not None:
        existing.just_placed = False
        return existing
    for check in PURCHASE_CHECKS:
        refusal = check(app.organization)
        if refusal:
            raise PurchaseNotAllowed(refusal)
    if Order.objects.filter(app=app, status=Status.PROVISIONING).exists():
        raise PurchaseNotAllowed(PROVISIONING_REFUSAL)
    quote = purchase_quote(app=app, plan_code=plan_code, addons=addons, now=now)

    order = Order(
        number=new_order_number(business_now(now)),
        organization=app.organization,
        app=app,
        plan=quote.plan,
        plan_order=quote.plan_order,
        status=Status.PROVISIONING,
        buyer=buyer,
        monthly_fee=quote.monthly_fee,
        estimated_fee=quote.estimated_fee,
        idempotency_key=key,
        created_at=now,
        purchase_date=quote.purchase_date,
        activate_after=now + provisioning_delay(),
        agreement_version=getattr(purchase_agreement_current(), "version", None),
    )
    order.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # The database has the last word (unique key, one provisioning order per app) should two
        # purchases slip past the checks above.
        with transaction.atomic():
            order.save()
    except IntegrityError:
        existing = Order.objects.filter(idempotency_key=key, app=app).first()
        if existing is not None:
            existing.just_placed = False
            return existing
        raise PurchaseNotAllowed(PROVISIONING_REFUSAL) from None
    lines = []
    for quote_line in quote.lines:
        line = OrderLine(
            order=order, kind=quote_line.kind, plan=quote_line.plan, addon=quote_line.addon,
            tier_value=quote_line.tier_value, quantity=quote_line.quantity,
            unit_price=quote_line.unit_price, monthly_amount=quote_line.monthly_amount,
        )
        line.full_clean()
        lines.append(line)
    OrderLine.objects.bulk_create(lines)
    OrderStatusChange.objects.create(order=order, from_status="", to_status=Status.PROVISIONING, at=now)
    items = {}
    for language in ("zh-hans", "en"):  # the audit log shows the reader's language
        with translation.override(language):
            items[language] = ", ".join(item_label(line) for line in quote.lines)
    audit_record(
        organization=app.organization, actor=buyer, app=app, action="order.place",
        summary=f"Order {order.number}: {items['en']}",
        detail={"number": order.number, "items": items["en"], "items_zh": items["zh-hans"],
                "monthly_fee": str(order.monthly_fee), "estimated_fee": str(order.estimated_fee)},
    )
    order.just_placed = True
    return order


@transaction.atomic
def order_transition(
    *, order: Order, to_status: str, now: dt.datetime | None = None, note: str = "",
    charge_end_date: dt.date | None = None,
) -> Order:
    """Move an order along TRANSITIONS: locks the row, no-op on the same state, InvalidOrderTransition on an
    illegal move, one history row per move. Completing ends charging on ``charge_end_date`` (exclusive;
    an upgrade passes its own purchase date) or today."""
    now = now or timezone.now()
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == to_status:
        return locked
    if to_status not in TRANSITIONS.get(locked.status, set()):
        raise InvalidOrderTransition(
            _("Order %(number)s cannot go from %(from)s to %(to)s.")
            % {"number": locked.number, "from": locked.get_status_display(), "to": Status(to_status).label}
        )
    from_status = locked.status
    locked.status = to_status
    fields = ["status"]
    if to_status == Status.IN_SERVICE:
        locked.activated_at = now
        fields.append("activated_at")
    elif to_status == Status.COMPLETED:
        locked.completed_at = now
        locked.charge_end_date = max(charge_end_date or business_date(now), locked.purchase_date)
        fields += ["completed_at", "charge_end_date"]
    locked.save(update_fields=fields)
    OrderStatusChange.objects.create(order=locked, from_status=from_status, to_status=to_status, at=now,
                                     note=note[:255])
    for name in fields:
        setattr(order, name, getattr(locked, name))
    return locked


@transaction.atomic
def order_activate(*, order: Order, now: dt.datetime | None = None) -> bool:
    """Put one due provisioning order in service. A plan order first completes the app's previous plan
    order and its add-on orders, charged until this order's purchase date, in the same transaction.
    False when the order is not due, already done, or being activated by another worker."""
    now = now or timezone.now()
    locked = (
        Order.objects.select_for_update(skip_locked=True)
        .filter(pk=order.pk, status=Status.PROVISIONING, activate_after__lte=now)
        .first()
    )
    if locked is None:
        return False
    if locked.plan_id is not None:
        previous = (
            Order.objects.select_for_update()
            .filter(app_id=locked.app_id, status=Status.IN_SERVICE, plan__isnull=False)
            .first()
        )
        if previous is not None:
            note = gettext("Replaced by order %(number)s") % {"number": locked.number}
            for addon_order in Order.objects.filter(plan_order=previous, status=Status.IN_SERVICE).order_by("pk"):
                order_transition(order=addon_order, to_status=Status.COMPLETED, now=now, note=note,
                                 charge_end_date=locked.purchase_date)
            order_transition(order=previous, to_status=Status.COMPLETED, now=now, note=note,
                             charge_end_date=locked.purchase_date)
    order_transition(order=locked, to_status=Status.IN_SERVICE, now=now)
    audit_record(
        organization=locked.organization, actor=None, app=locked.app, action="order.in_service",
        summary=f"Order {locked.number} in service", detail={"number": locked.number},
    )
    for name in ("status", "activated_at"):
        setattr(order, name, getattr(locked, name))
    return True


def orders_activate_due(*, now: dt.datetime | None = None) -> int:
    """The beat job: activate every provisioning order whose delay has passed; returns how many.
    Each order is its own transaction, so one failure does not hold back the others."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=Status.PROVISIONING, activate_after__lte=now)
        .order_by("activate_after", "pk")[:ACTIVATION_BATCH]
    )
    return sum(1 for order in due if order_activate(order=order, now=now))
