"""Reads of the catalog (SPEC §6). An app's entitlements: ``orders.entitlements`` (the gate)."""

import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch

from apps.plans.entitlements import entitlements_for
from apps.plans.models import AddOn, AddOnTier, CatalogSettings, Feature, Plan, PlanFeature

_CATALOG_GENERATION_KEY = "plans:catalog-generation"
_fresh = threading.local()
_request = threading.local()  # the current request's catalog reads (cached_catalog)


@contextmanager
def fresh_catalog():
    """Within it, catalog reads go to the database: a purchase prices and checks with the rows as they are now,
    never with a cached copy."""
    previous = getattr(_fresh, "on", False)
    _fresh.on = True
    try:
        yield
    finally:
        _fresh.on = previous


def catalog_is_fresh() -> bool:
    """Inside ``fresh_catalog``: callers that cache what they derive from the catalog read the database too."""
    return getattr(_fresh, "on", False)


def catalog_generation_key() -> str:
    """The cache key of the catalog's generation, for caches of values derived from catalog rows (an app's
    entitlements: orders.entitlements), which check it in the same round trip as their own entry."""
    return _CATALOG_GENERATION_KEY


def cached_catalog(name: str, build):
    """Catalog rows read on most pages, kept in the cache (issue 14). Saving or deleting any catalog row starts a
    new generation (apps.plans.signals), which every entry is checked against; CONSOLE_CACHE_SECONDS bounds the
    rest (a change made with ``QuerySet.update``, which sends no signal). ``fresh_catalog`` bypasses it.

    Each process also keeps the entries it has read, with their generation: while the generation (one small read
    per request) is the same, an entry is not fetched and unpickled again (issue 14: re-creating the plans with
    their feature rows cost ~1.7 ms of CPU on the feature overview and the checkout). The values are shared by the
    requests of a process, so nothing may change them (no caller does: they are read, never assigned to)."""
    if getattr(_fresh, "on", False):
        return build()
    memo = getattr(_request, "memo", None)
    if memo is not None and name in memo:
        return memo[name]
    generation = _catalog_generation(memo)
    now = time.monotonic()
    held = _held.get(name)
    if held is not None and held[0] == generation and held[1] > now:
        value = held[2]
    else:
        key = f"plans:catalog:{name}"
        cached = cache.get(key)
        if cached is not None and cached[0] == generation:
            value = cached[1]
        else:
            value = build()
            cache.set(key, (generation, value), settings.CONSOLE_CACHE_SECONDS)
        _held[name] = (generation, now + settings.CONSOLE_CACHE_SECONDS, value)
    if memo is not None:
        memo[name] = value
    return value


_held: dict[str, tuple[str, float, object]] = {}  # this process's entries: name -> (generation, until, value)
_GENERATION_IN_MEMO = "\0generation"


def _catalog_generation(memo: dict | None) -> str:
    """The catalog's generation, read once per request; started when the cache has none (after a flush), so that
    an entry is always tied to a generation that a later change replaces."""
    if memo is not None and _GENERATION_IN_MEMO in memo:
        return memo[_GENERATION_IN_MEMO]
    generation = cache.get(_CATALOG_GENERATION_KEY)
    if generation is None:
        cache.add(_CATALOG_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(_CATALOG_GENERATION_KEY)
    if memo is not None:
        memo[_GENERATION_IN_MEMO] = generation
    return generation


def catalog_request_started(**kwargs) -> None:
    """Within one request each catalog entry is read from the cache once (issue 14: the feature overview asked
    for the same plan's rows five times, a cache round trip each); ``forget_catalog`` empties the memo."""
    _request.memo = {}


def catalog_request_finished(**kwargs) -> None:
    _request.memo = None


def forget_catalog() -> None:
    memo = getattr(_request, "memo", None)
    if memo:
        memo.clear()
    cache.set(_CATALOG_GENERATION_KEY, uuid.uuid4().hex, None)


def free_plan() -> Plan:
    """Free with its feature rows (cached)."""
    return cached_catalog("free-plan", lambda: Plan.objects.prefetch_related(
        Prefetch("plan_features", queryset=PlanFeature.objects.select_related("feature"))
    ).get(code=Plan.Code.FREE))


def catalog_plans() -> list[Plan]:
    """Plans on sale, cheapest first, each with its feature rows (cached)."""
    return cached_catalog("plans", lambda: list(
        Plan.objects.filter(is_active=True).prefetch_related(
            Prefetch("plan_features", queryset=PlanFeature.objects.select_related("feature"))
        )
    ))


def catalog_settings() -> CatalogSettings:
    """The platform limits (apps per org, whitelist entries, callback rules) as pages show them (cached). The services
    that enforce a limit read ``CatalogSettings.load()`` itself."""
    return cached_catalog("settings", CatalogSettings.load)


def all_plans() -> list[Plan]:
    """Every plan, on sale or not (an app may still be on a retired one), without its feature rows (cached)."""
    return cached_catalog("all-plans", lambda: list(Plan.objects.all()))


def catalog_features() -> list[Feature]:
    return cached_catalog("features", lambda: list(Feature.objects.all()))


def catalog_addons() -> list[AddOn]:
    """Add-ons on sale with their feature and tiers (cached)."""
    return cached_catalog("addons", lambda: list(
        AddOn.objects.filter(is_active=True)
        .select_related("feature")
        .prefetch_related(Prefetch("tiers", queryset=AddOnTier.objects.order_by("value")))
    ))


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
