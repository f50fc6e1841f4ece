"""Reads of orders, and the purchase rules of SPEC §6 as a read: what an app may buy and what it costs.

``purchase_quote`` is the one place the rules live; the checkout previews with it and ``order_place``
refuses with it, so a crafted POST meets the same rules as the form.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from apps.applications.models import App
from apps.plans.entitlements import Entitlements, Quota, entitlements_for
from apps.plans.models import AddOn, Plan
from apps.plans.selectors import catalog_addons, catalog_plans
from console.i18n import pick
from console.money import ZERO, prorate, quantize_money
from console.prepared import PreparedQuery
from console.sqlrows import PagedRows, aware, fetch, money, table
from console.timeutil import business_date, days_in_month
from orders.entitlements import app_entitlements, app_has_orders_in_flight
from orders.exceptions import PurchaseNotAllowed
from orders.models import Order, OrderLine, PurchaseAgreement, item_label


@dataclass(frozen=True)
class AddonRequest:
    """One add-on asked for at checkout: a tier (non-stackable) or a number of units (stackable)."""

    code: str
    tier_value: int | None = None
    quantity: int = 1


@dataclass(frozen=True)
class QuoteLine:
    kind: str
    plan: Plan | None
    addon: AddOn | None
    tier_value: int | None
    quantity: int
    unit_price: Decimal
    monthly_amount: Decimal

    @property
    def label(self) -> str:
        return item_label(self)


@dataclass(frozen=True)
class PurchaseOptions:
    """What the checkout of one app may offer, from the app's current entitlements."""

    current: Entitlements
    plans: list[Plan]  # the higher plans on sale
    addons: list[AddOn]
    addons_alone_allowed: bool
    provisioning_order: Order | None
    plan_order: Order | None  # the in-service plan order (None on Free)
    all_plans: list[Plan] = field(default_factory=list)

    @property
    def current_plan(self) -> Plan:
        return self.current.plan

    @property
    def can_buy(self) -> bool:
        return self.provisioning_order is None and bool(self.plans or self.addons_alone_allowed)

    def plan_by_code(self, code: str) -> Plan | None:
        return next((plan for plan in self.all_plans if plan.code == code), None)


@dataclass(frozen=True)
class PurchaseQuote:
    plan: Plan | None
    lines: tuple[QuoteLine, ...]
    monthly_fee: Decimal
    estimated_fee: Decimal
    purchase_date: dt.date
    days_left: int
    days_in_month: int
    resulting: Entitlements
    plan_order: Order | None  # the plan order an add-ons-only order extends


# The plan order in service and the order provisioning (each the newest of its kind), in one query; every checkout
# view and every purchase runs it: compiled once per process (console.prepared).
_open_orders = PreparedQuery(
    lambda app_id: Order.objects.filter(
        Q(status=Order.Status.IN_SERVICE, plan__isnull=False) | Q(status=Order.Status.PROVISIONING), app_id=app_id,
    ).select_related("plan"),
    app_id=int,
)


def purchase_options(*, app) -> PurchaseOptions:
    current = app_entitlements(app=app)
    all_plans = catalog_plans()
    plans = [plan for plan in all_plans if plan.rank > current.plan.rank and not plan.is_free]
    plan_order = provisioning_order = None
    for order in _open_orders(app_id=app.pk):
        if order.status == Order.Status.PROVISIONING:
            provisioning_order = provisioning_order or order
        else:
            plan_order = plan_order or order
    return PurchaseOptions(
        current=current,
        plans=plans,
        addons=catalog_addons(),
        addons_alone_allowed=not current.plan.is_free,
        provisioning_order=provisioning_order,
        plan_order=plan_order,
        all_plans=all_plans,
    )


def _cap_text(quota: Quota) -> str:
    return str(_("unlimited")) if quota.unlimited else number_format(quota.value, force_grouping=True)


def purchase_quote(
    *, app, plan_code: str | None, addons: list[AddonRequest], now: dt.datetime | None = None,
    options: PurchaseOptions | None = None,
) -> PurchaseQuote:
    """Check a purchase against the rules and price it from the catalog; PurchaseNotAllowed with a
    user-facing message when a rule is broken. Tiers are compared with the cap the app would have after
    this order: with a new plan that is the new plan's value (its add-ons in service end with the old plan
    order), otherwise the app's effective cap today."""
    options = options or purchase_options(app=app)
    current_plan = options.current_plan
    plan = None
    if plan_code:
        plan = options.plan_by_code(plan_code)
        if plan is None:
            raise PurchaseNotAllowed(_("That plan is not on sale."))
        if plan.pk == current_plan.pk:
            raise PurchaseNotAllowed(
                _("The app is already on %(plan)s: choose a higher plan or add-ons.") % {"plan": plan.name}
            )
        if plan.rank < current_plan.rank or plan.is_free:
            raise PurchaseNotAllowed(
                _("An app on %(current)s cannot buy %(plan)s: only a higher plan is an upgrade.")
                % {"current": current_plan.name, "plan": plan.name}
            )
    if plan is None and not addons:
        raise PurchaseNotAllowed(_("Choose a plan or at least one add-on."))
    if plan is None and current_plan.is_free:
        raise PurchaseNotAllowed(
            _("An app on the Free plan cannot buy add-ons alone: choose Pro, Flagship or Premium with them.")
        )
    if plan is None and options.plan_order is None:
        raise PurchaseNotAllowed(_("The app has no plan in service to add add-ons to."))

    codes = [request.code for request in addons]
    if len(codes) != len(set(codes)):
        raise PurchaseNotAllowed(_("Each add-on can appear only once in an order."))
    base = entitlements_for(plan=plan) if plan else options.current
    catalog = {addon.code: addon for addon in options.addons}
    lines: list[QuoteLine] = []
    if plan is not None:
        lines.append(QuoteLine(OrderLine.Kind.PLAN, plan, None, None, 1, plan.monthly_price, plan.monthly_price))
    for request in addons:
        addon = catalog.get(request.code)
        if addon is None:
            raise PurchaseNotAllowed(_("That add-on is not on sale."))
        if addon.stackable:
            if request.tier_value is not None:
                raise PurchaseNotAllowed(_("%(addon)s is bought in units, not tiers.") % {"addon": addon.name})
            if not 1 <= request.quantity <= addon.max_quantity:
                raise PurchaseNotAllowed(
                    _("Buy between 1 and %(max)s units of %(addon)s.")
                    % {"max": addon.max_quantity, "addon": addon.name}
                )
            unit_price = addon.unit_price
            lines.append(QuoteLine(OrderLine.Kind.ADDON, None, addon, None, request.quantity, unit_price,
                                   unit_price * request.quantity))
            continue
        tier = next((t for t in addon.tiers.all() if t.value == request.tier_value), None)
        if tier is None:
            raise PurchaseNotAllowed(_("Choose one of the tiers of %(addon)s.") % {"addon": addon.name})
        if request.quantity != 1:
            raise PurchaseNotAllowed(_("%(addon)s is bought as one tier, not a quantity.") % {"addon": addon.name})
        cap = base.quota(addon.feature.code)
        if not Quota(tier.value).exceeds(cap):
            raise PurchaseNotAllowed(
                _("%(addon)s: the %(tier)s tier is not above the cap of %(cap)s the app has with %(plan)s. "
                  "Choose a higher tier.")
                % {"addon": addon.name, "tier": _cap_text(Quota(tier.value)), "cap": _cap_text(cap),
                   "plan": base.plan.name}
            )
        lines.append(QuoteLine(OrderLine.Kind.ADDON, None, addon, tier.value, 1, tier.monthly_price,
                               tier.monthly_price))

    monthly_fee = quantize_money(sum((line.monthly_amount for line in lines), ZERO))
    today = business_date(now or timezone.now())
    month_days = days_in_month(today)
    days_left = month_days - today.day + 1
    addon_lines = [line for line in lines if line.kind == OrderLine.Kind.ADDON]
    resulting = entitlements_for(plan=plan, addon_lines=addon_lines) if plan else entitlements_for(
        plan=current_plan, addon_lines=[*options.current.addon_lines, *addon_lines]
    )
    return PurchaseQuote(
        plan=plan,
        lines=tuple(lines),
        monthly_fee=monthly_fee,
        estimated_fee=prorate(monthly_fee, days=days_left, month_days=month_days),
        purchase_date=today,
        days_left=days_left,
        days_in_month=month_days,
        resulting=resulting,
        plan_order=None if plan else options.plan_order,
    )


def cheapest_plan_with_feature(*, options: PurchaseOptions, feature_code: str) -> Plan | None:
    """The checkout's ``?feature=`` preselection: the cheapest allowed plan that includes a switch feature,
    or that raises a quota feature above the app's current value."""
    current = options.current
    for plan in options.plans:
        offered = entitlements_for(plan=plan)
        if feature_code in offered.switches:
            if offered.switches[feature_code] and not current.switches.get(feature_code, False):
                return plan
        elif feature_code in offered.quotas and offered.quota(feature_code).exceeds(current.quota(feature_code)):
            return plan
    return None


def addon_lifting(*, options: PurchaseOptions, feature_code: str) -> AddOn | None:
    """When no plan raises a quota (every plan has 100 REST API calls/s), the stackable add-on that does:
    the checkout's ``?feature=`` link then preselects one unit of it."""
    return next((addon for addon in options.addons if addon.stackable and addon.feature.code == feature_code), None)


def _lines_prefetch() -> Prefetch:
    return Prefetch("lines", queryset=OrderLine.objects.select_related("plan", "addon"))


class OrderListRows(PagedRows):
    """The org's orders for a Paginator, newest first, with the order center's filters, as the values a row shows:
    ``id``, ``number``, ``status``, fees, times, the ``app_name`` and ``org_name`` of its AppKey, and its ``items``
    ('Flagship + Members per group 5,000', as ``Order.items_summary``).

    Two statements a page: the count (the orders alone: with the rows' app and org joined it took 3 ms in
    PostgreSQL) and the page's orders joined to their lines (issue 14: the same reads as ORM queries cost 2.5 ms
    of CPU a page, as model instances 4 ms more)."""

    def __init__(self, *, organization, status: str | None = None, app_name: str | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None):
        self.org_name = organization.name  # every order's app is the org's: its AppKey starts with it
        where, params, join = ["o.organization_id = %s"], [organization.pk], ""
        if status:
            where.append("o.status = %s")
            params.append(status)
        if app_name:
            join = f"JOIN {table(App)} app ON app.id = o.app_id"
            where.append("app.name = %s")
            params.append(app_name)
        adapt = connection.ops.adapt_datefield_value
        if date_from:
            where.append("o.purchase_date >= %s")
            params.append(adapt(date_from))
        if date_to:
            where.append("o.purchase_date <= %s")
            params.append(adapt(date_to))
        self._from = f"FROM {table(Order)} o {join} WHERE {' AND '.join(where)}"  # noqa: S608
        self._params = params

    @cached_property
    def count(self) -> int:
        (count,), = fetch(f"SELECT COUNT(*) {self._from}", self._params)  # noqa: S608
        return count

    def page(self, *, offset: int, limit: int) -> list[dict]:
        rows = fetch(
            f"""SELECT o.id, o.number, o.status, o.monthly_fee, o.estimated_fee, o.created_at, o.activate_after,
                       app.name, line.kind, plan.name_zh, plan.name_en, addon.name_zh, addon.name_en,
                       line.tier_value, line.quantity
                FROM (SELECT o.id {self._from} ORDER BY o.created_at DESC, o.id DESC LIMIT %s OFFSET %s) page
                JOIN {table(Order)} o ON o.id = page.id
                JOIN {table(App)} app ON app.id = o.app_id
                LEFT JOIN {table(OrderLine)} line ON line.order_id = o.id
                LEFT JOIN {table(Plan)} plan ON plan.id = line.plan_id
                LEFT JOIN {table(AddOn)} addon ON addon.id = line.addon_id
                ORDER BY o.created_at DESC, o.id DESC, line.id""",  # noqa: S608
            [*self._params, limit, offset],
        )
        orders: dict[int, dict] = {}
        for (order_id, number, status, monthly_fee, estimated_fee, created_at, activate_after, app_name, kind,
             plan_zh, plan_en, addon_zh, addon_en, tier_value, quantity) in rows:
            order = orders.get(order_id)
            if order is None:
                order = orders[order_id] = {
                    "id": order_id, "number": number, "status": status, "monthly_fee": money(monthly_fee),
                    "estimated_fee": money(estimated_fee), "created_at": aware(created_at),
                    "activate_after": aware(activate_after), "app_name": app_name, "org_name": self.org_name,
                    "items": [],
                }
            if kind is not None:
                order["items"].append(item_label(_ItemLine(
                    kind=kind,
                    plan=_Named(pick(plan_zh, plan_en)) if kind == OrderLine.Kind.PLAN else None,
                    addon=_Named(pick(addon_zh, addon_en)) if kind == OrderLine.Kind.ADDON else None,
                    tier_value=tier_value,
                    quantity=quantity,
                )))
        for order in orders.values():
            order["items"] = " + ".join(order["items"])
        return list(orders.values())


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class _ItemLine:
    """What ``item_label`` reads of an order line."""

    kind: str
    plan: _Named | None
    addon: _Named | None
    tier_value: int | None
    quantity: int


def order_detail_queryset(*, organization) -> QuerySet:
    return (
        Order.objects.filter(organization=organization)
        .select_related("app__organization", "app__data_center", "plan", "buyer", "plan_order")
        .prefetch_related(
            _lines_prefetch(),
            "history",
            Prefetch("addon_orders", queryset=Order.objects.order_by("created_at")),
        )
    )


def orders_in_flight(*, app) -> list[Order]:
    """The app's orders still provisioning (a plan change or add-ons on their way), oldest first."""
    if not app_has_orders_in_flight(app=app):
        return []
    return list(
        Order.objects.filter(app=app, status=Order.Status.PROVISIONING)
        .select_related("plan", "app__organization")
        .prefetch_related(_lines_prefetch())
        .order_by("created_at")
    )


def purchase_agreement_current():
    """The purchase agreement in force (the highest version), or None before any is published."""
    return PurchaseAgreement.objects.order_by("-version").first()
