"""Entitlement arithmetic over catalog rows (SPEC §6): a plan's values with add-on lines applied.

Pure: no query of its own beyond the plan's feature rows, no knowledge of orders. Which plan and add-ons an
app has *in service* is the gate's question, answered in ``orders.entitlements``; the checkout previews a
purchase with ``entitlements_for`` directly. ``Quota`` is the one place where "unlimited" is compared.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.plans.models import Feature, Plan, PlanFeature


@dataclass(frozen=True)
class Quota:
    """The effective value of a quota feature; ``value`` None means unlimited."""

    value: int | None

    @property
    def unlimited(self) -> bool:
        return self.value is None

    def allows(self, total: int) -> bool:
        """May the app hold ``total`` of this (users, members, groups…)?"""
        return self.value is None or total <= self.value

    def exceeds(self, other: "Quota") -> bool:
        """Strictly more than ``other``: nothing exceeds unlimited, unlimited exceeds any number."""
        if other.value is None:
            return False
        return self.value is None or self.value > other.value

    def raised_to(self, tier_value: int) -> "Quota":
        """A bought tier sets the cap; the higher of the two wins."""
        return self if not Quota(tier_value).exceeds(self) else Quota(tier_value)

    def percent_used(self, used: int) -> int:
        """How full a meter of ``used`` against this quota is, 0–100 (0 when unlimited, 100 on a zero quota)."""
        if self.value is None:
            return 0
        return min(100, round(used * 100 / self.value)) if self.value else 100

    def plus(self, amount: int) -> "Quota":
        return self if self.value is None else Quota(self.value + amount)

    def __str__(self) -> str:
        return _("Unlimited") if self.value is None else number_format(self.value, force_grouping=True)


@dataclass(frozen=True)
class Entitlements:
    """What an app may use: the plan's values with its in-service add-ons applied."""

    plan: Plan
    quotas: dict[str, Quota]  # quota feature code -> effective value
    switches: dict[str, bool]  # switch feature code -> included in the plan
    addon_lines: tuple  # the add-on OrderLine rows (or quote lines) counted

    def quota(self, code: str) -> Quota:
        """The effective value of a quota feature; a code the plan does not list has none (0)."""
        return self.quotas.get(code, NONE)

    def includes(self, code: str) -> bool:
        if code in self.switches:
            return self.switches[code]
        return code in self.quotas


NONE = Quota(0)


def plan_features(plan: Plan) -> list[PlanFeature]:
    """The plan's feature rows with their features, from the prefetch cache when there is one."""
    cache = getattr(plan, "_prefetched_objects_cache", {})
    if "plan_features" in cache:
        rows = list(plan.plan_features.all())
        if all(PlanFeature.feature.is_cached(row) for row in rows):
            return rows
    from apps.plans.selectors import cached_catalog  # the catalog cache (issue 14): no query on most pages

    return cached_catalog(f"plan-features:{plan.pk}", lambda: list(plan.plan_features.select_related("feature")))


def plan_quota(row: PlanFeature) -> Quota:
    return Quota(row.quota if row.included else 0)


def entitlements_for(*, plan: Plan, addon_lines: Iterable = ()) -> Entitlements:
    """Start from the plan's values; a bought tier sets the cap (the highest of the plan value and every
    bought tier wins), stackable units add ``unit_size × quantity``. Unlimited stays unlimited."""
    lines = tuple(addon_lines)
    quotas: dict[str, Quota] = {}
    switches: dict[str, bool] = {}
    for row in plan_features(plan):
        if row.feature.kind == Feature.Kind.SWITCH:
            switches[row.feature.code] = row.included
        else:
            quotas[row.feature.code] = plan_quota(row)
    for line in lines:
        addon = line.addon
        code = addon.feature.code
        current = quotas.get(code, NONE)
        if addon.stackable:
            quotas[code] = current.plus((addon.unit_size or 0) * line.quantity)
        elif line.tier_value is not None:
            quotas[code] = current.raised_to(line.tier_value)
    return Entitlements(plan=plan, quotas=quotas, switches=switches, addon_lines=lines)


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
            value=entitlements.quota(row.feature.code).value,
            plan_value=plan_quota(row).value,
        )
        for row in plan_features(entitlements.plan)
        if row.feature.kind == Feature.Kind.QUOTA
    ]
    return sorted(rows, key=lambda r: (r.feature.sort_order, r.feature.code))
