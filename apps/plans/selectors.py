"""Reads of the catalog and the one place that computes an app's effective entitlements (SPEC §6)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from apps.plans.models import AddOn, AddOnTier, Feature, Plan, PlanFeature


def free_plan() -> Plan:
    return Plan.objects.get(code=Plan.Code.FREE)


def in_service_plan_orders():
    from orders.models import Order

    return Order.objects.filter(status=Order.Status.IN_SERVICE, plan__isnull=False)


def plan_for_app(*, app) -> Plan:
    """The plan of the app's in-service plan order; an app without one is on Free (Free has no order)."""
    order = in_service_plan_orders().filter(app=app).select_related("plan").first()
    return order.plan if order else free_plan()


def annotate_current_plan(apps_qs: QuerySet) -> QuerySet:
    """Adds ``current_plan_id`` (None = Free) to an App queryset in the same query."""
    current = in_service_plan_orders().filter(app=OuterRef("pk")).values("plan_id")[:1]
    return apps_qs.annotate(current_plan_id=Subquery(current))


@dataclass(frozen=True)
class Entitlements:
    """What an app may use: the plan's values with its in-service add-ons applied."""

    plan: Plan
    quotas: dict[str, int | None]  # quota feature code -> effective value (None = unlimited)
    switches: dict[str, bool]  # switch feature code -> included in the plan
    addon_lines: tuple  # the in-service add-on OrderLine rows counted

    def quota(self, code: str) -> int | None:
        """The effective value of a quota feature; None means unlimited. KeyError for an unknown code."""
        return self.quotas[code]

    def includes(self, code: str) -> bool:
        if code in self.switches:
            return self.switches[code]
        return code in self.quotas


def _plan_features(plan: Plan) -> list[PlanFeature]:
    cache = getattr(plan, "_prefetched_objects_cache", {})
    if "plan_features" in cache:
        rows = list(plan.plan_features.all())
        if all(PlanFeature.feature.is_cached(row) for row in rows):
            return rows
    return list(plan.plan_features.select_related("feature"))


def entitlements_for(*, plan: Plan, addon_lines: Iterable = ()) -> Entitlements:
    """Pure arithmetic over catalog rows: start from the plan's values; a bought tier sets the cap (the
    highest of the plan value and every bought tier wins), stackable units add ``unit_size × quantity``.
    Unlimited stays unlimited. The checkout previews a purchase with it."""
    lines = tuple(addon_lines)
    quotas: dict[str, int | None] = {}
    switches: dict[str, bool] = {}
    for row in _plan_features(plan):
        if row.feature.kind == Feature.Kind.SWITCH:
            switches[row.feature.code] = row.included
        else:
            quotas[row.feature.code] = row.quota if row.included else 0
    for line in lines:
        addon = line.addon
        code = addon.feature.code
        if code not in quotas:
            quotas[code] = 0
        current = quotas[code]
        if current is None:
            continue
        if addon.stackable:
            quotas[code] = current + (addon.unit_size or 0) * line.quantity
        elif line.tier_value is not None:
            quotas[code] = max(current, line.tier_value)
    return Entitlements(plan=plan, quotas=quotas, switches=switches, addon_lines=lines)


def in_service_addon_lines(*, plan_order) -> QuerySet:
    """Add-on lines that count for a plan order in service: its own, and those of its in-service
    add-on-only orders."""
    from orders.models import Order, OrderLine

    return (
        OrderLine.objects.filter(kind=OrderLine.Kind.ADDON)
        .filter(
            Q(order=plan_order)
            | Q(
                order__plan_order=plan_order,
                order__plan__isnull=True,
                order__status=Order.Status.IN_SERVICE,
            )
        )
        .select_related("addon__feature", "order")
        .order_by("order__created_at", "id")
    )


def app_entitlements(*, app) -> Entitlements:
    """The effective entitlements of an app from its in-service plan order and add-ons; Free if none.
    A constant number of queries, whatever the number of add-on lines."""
    plan_order = (
        in_service_plan_orders()
        .filter(app=app)
        .select_related("plan")
        .prefetch_related(Prefetch("plan__plan_features", queryset=PlanFeature.objects.select_related("feature")))
        .first()
    )
    if plan_order is None:
        plan = Plan.objects.prefetch_related(
            Prefetch("plan_features", queryset=PlanFeature.objects.select_related("feature"))
        ).get(code=Plan.Code.FREE)
        return entitlements_for(plan=plan, addon_lines=())
    return entitlements_for(plan=plan_order.plan, addon_lines=in_service_addon_lines(plan_order=plan_order))


def catalog_plans() -> list[Plan]:
    """Plans on sale, cheapest first, each with its feature rows."""
    return list(
        Plan.objects.filter(is_active=True).prefetch_related(
            Prefetch("plan_features", queryset=PlanFeature.objects.select_related("feature"))
        )
    )


def catalog_addons() -> list[AddOn]:
    """Add-ons on sale with their feature and tiers."""
    return list(
        AddOn.objects.filter(is_active=True)
        .select_related("feature")
        .prefetch_related(Prefetch("tiers", queryset=AddOnTier.objects.order_by("value")))
    )


@dataclass(frozen=True)
class ComparisonRow:
    feature: Feature
    values: list  # one per plan: a bool for a switch, an int or None (unlimited) for a quota


def plan_comparison() -> tuple[list[Plan], list[ComparisonRow], list[AddOn]]:
    """The public Plans page: plans as columns, features as rows, the add-ons below. Three queries."""
    plans = catalog_plans()
    per_plan = [entitlements_for(plan=plan) for plan in plans]
    features = {}
    for plan in plans:
        for row in plan.plan_features.all():
            features[row.feature.code] = row.feature
    rows = []
    for feature in sorted(features.values(), key=lambda f: (f.sort_order, f.code)):
        if feature.kind == Feature.Kind.SWITCH:
            values = [ent.switches.get(feature.code, False) for ent in per_plan]
        else:
            values = [ent.quotas.get(feature.code, 0) for ent in per_plan]
        rows.append(ComparisonRow(feature=feature, values=values))
    return plans, rows, catalog_addons()


@dataclass(frozen=True)
class QuotaRow:
    feature: Feature
    value: int | None  # effective value, None = unlimited
    plan_value: int | None  # the plan's own value


def quota_rows(entitlements: Entitlements) -> list[QuotaRow]:
    """Each quota feature of the plan with its effective value, in catalog order; no query when the
    plan's feature rows are prefetched (``app_entitlements`` does)."""
    rows = [
        QuotaRow(
            feature=row.feature,
            value=entitlements.quotas.get(row.feature.code),
            plan_value=row.quota if row.included else 0,
        )
        for row in _plan_features(entitlements.plan)
        if row.feature.kind == Feature.Kind.QUOTA
    ]
    return sorted(rows, key=lambda r: (r.feature.sort_order, r.feature.code))
