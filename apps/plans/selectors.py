"""Reads of the catalog (SPEC §6). An app's entitlements: ``orders.entitlements`` (the gate)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from apps.plans.entitlements import entitlements_for
from apps.plans.models import AddOn, AddOnTier, Feature, Plan, PlanFeature


def catalog_plans() -> list[Plan]:
    """Plans on sale, cheapest first, each with its feature rows."""
    return list(
        Plan.objects.filter(is_active=True).prefetch_related(
            Prefetch("plan_features", queryset=PlanFeature.objects.select_related("feature"))
        )
    )


def catalog_features() -> list[Feature]:
    return list(Feature.objects.all())


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
            values = [ent.quota(feature.code).value for ent in per_plan]
        rows.append(ComparisonRow(feature=feature, values=values))
    return plans, rows, catalog_addons()
