"""Writes of orders: placing one (the purchase rules and idempotency), the one transition service, and the
activation scan the Celery beat job runs."""

import datetime as dt
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.applications.models import App
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from apps.plans.selectors import fresh_catalog
from console.timeutil import business_date, business_now
from orders.entitlements import forget_app_entitlements
from orders.exceptions import InvalidOrderTransition, PurchaseNotAllowed
from orders.models import Order, OrderKey, OrderLine, OrderStatusChange, item_label, new_order_number
from orders.selectors import AddonRequest, purchase_agreement_current, purchase_quote
from orders.tokens import checkout_token_key

Status = Order.Status
logger = logging.getLogger(__name__)

# The order pipeline as data; order_transition (one order), order_transition_set (many, set-based) and, on
# PostgreSQL, the activation job's statement (_activate_due_batch_sql) are the only code that assigns Order.status.
TRANSITIONS: dict[str, set[str]] = {
    Status.PROVISIONING: {Status.IN_SERVICE},
    Status.IN_SERVICE: {Status.COMPLETED},
    Status.COMPLETED: set(),
}

PROVISIONING_REFUSAL = _(
    "This app has an order still provisioning. Wait until it is in service before buying again."
)
# Due orders one activation transaction takes (set-based: one statement on PostgreSQL, a few on SQLite, whatever
# the number); a tick repeats until none is left. The per-row index upkeep is most of the cost, not the per-batch
# overhead, but one batch of 10,000 did 2% less work than two of 5,000 (EXPLAIN BUFFERS) and commits once; SQLite's
# path passes the 20,000 completed ids as parameters, well under its limit of 32,766.
ACTIVATION_BATCH = 10_000

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
    existing = Order.objects.filter(key__idempotency_key=key, app=app).first()
    if existing is not None:
        existing.just_placed = False
        return existing
    for check in PURCHASE_CHECKS:
        refusal = check(app.organization)
        if refusal:
            raise PurchaseNotAllowed(refusal)
    if Order.objects.filter(app=app, status=Status.PROVISIONING).exists():
        raise PurchaseNotAllowed(PROVISIONING_REFUSAL)
    with fresh_catalog():  # prices and plans as the database has them now, not the pages' cached catalog
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
        created_at=now,
        purchase_date=quote.purchase_date,
        activate_after=now + provisioning_delay(),
        agreement_version=getattr(purchase_agreement_current(), "version", None),
    )
    order.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # The database has the last word (unique keys on OrderKey, one provisioning order per app) should two
        # purchases slip past the checks above.
        with transaction.atomic():
            order.save()
            OrderKey.objects.create(order=order, number=order.number, idempotency_key=key)
    except IntegrityError:
        existing = Order.objects.filter(key__idempotency_key=key, app=app).first()
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


@transaction.atomic(savepoint=False)
def order_transition_set(
    *, order_ids: Iterable[int], from_status: str, to_status: str, now: dt.datetime,
    notes: dict[int, str] | None = None, charge_end_dates: dict[int, dt.date] | None = None,
) -> list[int]:
    """``order_transition`` for many orders in a few statements, for rows the caller has locked: moves those of
    ``order_ids`` still in ``from_status``, writes one history row each (with ``notes[id]``), and returns their ids.
    Completing sets ``charge_end_dates[id]`` (one UPDATE per distinct date)."""
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise InvalidOrderTransition(_("Orders cannot go from %(from)s to %(to)s.")
                                     % {"from": Status(from_status).label, "to": Status(to_status).label})
    notes = notes or {}
    rows = list(
        Order.objects.filter(pk__in=list(order_ids), status=from_status).order_by().values_list("pk", "app_id")
    )
    if not rows:
        return []
    ids = [pk for pk, _app_id in rows]
    forget_app_entitlements(app_id for _pk, app_id in rows)
    if to_status == Status.IN_SERVICE:
        Order.objects.filter(pk__in=ids).update(status=to_status, activated_at=now)
    else:
        by_date: dict[dt.date, list[int]] = defaultdict(list)
        for pk in ids:
            by_date[charge_end_dates[pk]].append(pk)
        for end, pks in by_date.items():
            Order.objects.filter(pk__in=pks).update(status=to_status, completed_at=now, charge_end_date=end)
    OrderStatusChange.objects.bulk_create(
        [OrderStatusChange(order_id=pk, from_status=from_status, to_status=to_status, at=now,
                           note=notes.get(pk, "")[:255]) for pk in ids],
        batch_size=2_000,
    )
    return ids


@transaction.atomic
def _activate_due_batch(*, now: dt.datetime) -> tuple[int, bool]:
    """One set-based batch of ``orders_activate_due``: (orders activated, whether more may be due).

    Exactly once under parallel ticks: the due rows are claimed with FOR UPDATE SKIP LOCKED, so another tick
    takes other rows or none, and a row activated meanwhile no longer matches ``status = provisioning`` when
    PostgreSQL re-checks it under the lock. A plan order first completes the app's previous plan order and its
    add-on orders, charged until the new order's purchase date (as ``order_activate``)."""
    if connection.vendor == "postgresql":
        return _activate_due_batch_sql(now=now)
    due = list(
        Order.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PROVISIONING, activate_after__lte=now)
        .order_by("activate_after", "pk")
        .values_list("pk", "app_id", "plan_id", "number", "purchase_date", "organization_id")[:ACTIVATION_BATCH]
    )
    if not due:
        return 0, False
    upgrading = {app_id: (number, purchase_date) for _pk, app_id, plan_id, number, purchase_date, _org in due
                 if plan_id is not None}
    completions: dict[int, tuple[int, dt.date]] = {}  # completed order -> (app, its own purchase date)
    if upgrading:
        previous = list(
            Order.objects.select_for_update()
            .filter(app_id__in=list(upgrading), status=Status.IN_SERVICE, plan__isnull=False)
            .order_by()
            .values_list("pk", "app_id", "purchase_date")
        )
        completions = {pk: (app_id, bought) for pk, app_id, bought in previous}
        if previous:
            addon_orders = (
                Order.objects.select_for_update()
                .filter(plan_order_id__in=[pk for pk, _app, _bought in previous], status=Status.IN_SERVICE)
                .order_by()
                .values_list("pk", "app_id", "purchase_date")
            )
            completions.update({pk: (app_id, bought) for pk, app_id, bought in addon_orders})
    if completions:
        replaced = gettext("Replaced by order %(number)s")
        order_transition_set(
            order_ids=completions, from_status=Status.IN_SERVICE, to_status=Status.COMPLETED, now=now,
            notes={pk: replaced % {"number": upgrading[app_id][0]} for pk, (app_id, _b) in completions.items()},
            charge_end_dates={pk: max(upgrading[app_id][1], bought) for pk, (app_id, bought) in completions.items()},
        )
    activated = set(order_transition_set(
        order_ids=[row[0] for row in due], from_status=Status.PROVISIONING, to_status=Status.IN_SERVICE, now=now,
    ))
    AuditEntry.objects.bulk_create(
        [AuditEntry(organization_id=org_id, app_id=app_id, actor=None, action="order.in_service",
                    summary=f"Order {number} in service", detail={"number": number}, created_at=now)
         for pk, app_id, _plan, number, _bought, org_id in due if pk in activated],
        batch_size=2_000,
    )
    return len(activated), len(due) == ACTIVATION_BATCH


def _activate_due_batch_sql(*, now: dt.datetime) -> tuple[int, bool]:
    """PostgreSQL: the whole batch is ONE statement (issue 14: 10,000 due orders in <= 1 s), the same steps as the
    SQLite path above, chained by writable CTEs: claim the due rows (SKIP LOCKED), find each upgrade's previous
    plan order and its add-on orders by joins (not IN lists of ids), complete them with their history, activate
    the due orders with theirs, and write the audit entries. No ids travel to Python and back.

    The previous and add-on orders are not locked by a FOR UPDATE of their own (issue 14: 10,000 lock records
    written, then each row written again): the completing UPDATE locks each row itself and re-checks its status
    under the lock, so a row another transaction completed meanwhile is skipped, as before; and no other tick
    reaches the same rows, since each app has at most one provisioning order and this tick holds it. The add-on
    orders are looked up per previous plan order (LATERAL, through order_addon_idx), so a tick with nothing due
    reads none of them.

    Two steps need an order the CTEs do not give by themselves: an app's new plan order may enter
    ``one_in_service_plan_order_per_app`` (checked row by row) only after its previous one has left it, so the
    activating UPDATE waits for ``(SELECT count(*) FROM completed)``, which runs every completion first; and
    each UPDATE re-checks the status it moves from, as ``order_transition_set`` does. These two moves are the
    ones TRANSITIONS allows; like ``order_transition_set`` this sends no signal and forgets the apps itself."""
    assert Status.IN_SERVICE in TRANSITIONS[Status.PROVISIONING]
    assert Status.COMPLETED in TRANSITIONS[Status.IN_SERVICE]
    orders, history, audit = Order._meta.db_table, OrderStatusChange._meta.db_table, AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH due AS (
                SELECT id, app_id, plan_id, organization_id, number, purchase_date FROM {orders}
                WHERE status = %(provisioning)s AND activate_after <= %(now)s
                ORDER BY activate_after, id LIMIT %(batch)s
                FOR UPDATE SKIP LOCKED
            ),
            previous AS (
                SELECT p.id, p.purchase_date, due.number AS replaced_by, due.purchase_date AS replaced_on
                FROM {orders} p JOIN due ON p.app_id = due.app_id
                WHERE due.plan_id IS NOT NULL AND p.status = %(in_service)s AND p.plan_id IS NOT NULL
            ),
            addons AS (
                SELECT a.id, a.purchase_date, previous.replaced_by, previous.replaced_on
                FROM previous CROSS JOIN LATERAL (
                    SELECT id, purchase_date FROM {orders}
                    WHERE plan_order_id = previous.id AND status = %(in_service)s
                ) a
            ),
            completed AS (
                UPDATE {orders} o
                SET status = %(completed)s, completed_at = %(now)s,
                    charge_end_date = GREATEST(c.replaced_on, c.purchase_date)
                FROM (SELECT * FROM previous UNION ALL SELECT * FROM addons) c
                WHERE o.id = c.id AND o.status = %(in_service)s
                RETURNING o.id, o.app_id, c.replaced_by
            ),
            completed_history AS (
                INSERT INTO {history} (order_id, from_status, to_status, at, note)
                SELECT id, %(in_service)s, %(completed)s, %(now)s,
                       left(replace(%(replaced)s, %(placeholder)s, replaced_by), 255)
                FROM completed
            ),
            activated AS (
                UPDATE {orders} o SET status = %(in_service)s, activated_at = %(now)s
                FROM due
                WHERE o.id = due.id AND o.status = %(provisioning)s AND (SELECT count(*) FROM completed) >= 0
                RETURNING o.id, o.app_id, o.organization_id, o.number
            ),
            activated_history AS (
                INSERT INTO {history} (order_id, from_status, to_status, at, note)
                SELECT id, %(provisioning)s, %(in_service)s, %(now)s, '' FROM activated
            ),
            audited AS (
                INSERT INTO {audit} (organization_id, app_id, actor_id, action, summary, detail, created_at)
                SELECT organization_id, app_id, NULL, 'order.in_service', 'Order ' || number || ' in service',
                       jsonb_build_object('number', number), %(now)s
                FROM activated
            )
            SELECT (SELECT count(*) FROM due), (SELECT count(*) FROM activated),
                   ARRAY(SELECT app_id FROM activated UNION SELECT app_id FROM completed)
            """,  # noqa: S608 -- table names only; values are params
            {"now": now, "batch": ACTIVATION_BATCH, "provisioning": Status.PROVISIONING,
             "in_service": Status.IN_SERVICE, "completed": Status.COMPLETED,
             "replaced": gettext("Replaced by order %(number)s"), "placeholder": "%(number)s"},
        )
        claimed, activated, app_ids = cursor.fetchone()
    # The job reads no entitlements after this; only a caller in an outer transaction (a test) may before the commit.
    forget_app_entitlements(app_ids, own_reads=len(connection.atomic_blocks) > 1)
    return activated, claimed == ACTIVATION_BATCH


def orders_activate_due(*, now: dt.datetime | None = None) -> int:
    """The beat job: activate every provisioning order whose delay has passed; returns how many.

    Set-based, in batches of ACTIVATION_BATCH, each one transaction (one statement on PostgreSQL;
    bench/activation.py times 10,000 due upgrades). Should a batch fail (a row the set-based statements cannot
    move), it is rolled back and its orders are activated one by one, each in its own transaction, so one bad order
    does not hold back the others."""
    now = now or timezone.now()
    total = 0
    while True:
        try:
            count, more = _activate_due_batch(now=now)
        except DatabaseError:
            logger.exception("Set-based activation failed; activating the due orders one by one")
            due = list(
                Order.objects.filter(status=Status.PROVISIONING, activate_after__lte=now)
                .order_by("activate_after", "pk")[:ACTIVATION_BATCH]
            )
            return total + sum(1 for order in due if _activate_one_safely(order=order, now=now))
        total += count
        if not more:
            return total


def _activate_one_safely(*, order: Order, now: dt.datetime) -> bool:
    try:
        return order_activate(order=order, now=now)
    except DatabaseError:
        logger.exception("Order %s could not be activated", order.number)
        return False
