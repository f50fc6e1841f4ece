"""The entitlement gate: what an app has in service (SPEC §6), and the one check every plan-gated write asks.

An app's plan is its in-service plan order's plan (Free when it has none); its add-ons are the add-on lines of
that order and of its in-service add-on-only orders. ``app_entitlements`` turns those into quotas and switches
(through ``apps.plans.entitlements``). Every write service of a plan-gated feature calls ``require_feature``;
every quota-bounded write calls ``require_quota``; the console pages, the checkout and the IM REST service ask
these functions and nothing else.
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.plans.entitlements import Entitlements, Quota, entitlements_for
from apps.plans.models import Feature, Plan, PlanFeature
from apps.plans.selectors import catalog_generation_key, catalog_is_fresh, free_plan
from console.errors import DomainError
from orders.models import Order, OrderLine


class FeatureNotInPlan(DomainError):
    """The app's plan does not include the feature; nothing was written."""

    http_status = 403
    code = "feature_not_in_plan"

    def __init__(self, *, app, feature_code: str):
        self.app = app
        self.feature_code = feature_code
        feature = Feature.objects.filter(code=feature_code).first()
        name = feature.name if feature else feature_code
        super().__init__(
            _("This app's plan does not include %(feature)s. Upgrade the app to use it.") % {"feature": name}
        )


class QuotaExceeded(DomainError):
    """The write would take the app past a quota of its plan and add-ons; nothing was written."""

    http_status = 429
    code = "resource_limited"

    def __init__(self, *, app, feature_code: str, quota: Quota, used: int):
        self.app, self.feature_code, self.quota, self.used = app, feature_code, quota, used
        super().__init__(
            _("This app may have at most %(limit)s of this (%(code)s); it has %(used)s.")
            % {"limit": quota, "code": feature_code, "used": used}
        )


def in_service_plan_orders() -> QuerySet:
    return Order.objects.filter(status=Order.Status.IN_SERVICE, plan__isnull=False)


def plan_for_app(*, app) -> Plan:
    """The plan of the app's in-service plan order; an app without one is on Free (Free has no order)."""
    order = in_service_plan_orders().filter(app=app).select_related("plan").first()
    return order.plan if order else Plan.objects.get(code=Plan.Code.FREE)


def annotate_current_plan(apps_qs: QuerySet) -> QuerySet:
    """Adds ``current_plan_id`` (None = Free) to an App queryset in the same query."""
    current = in_service_plan_orders().filter(app=OuterRef("pk")).values("plan_id")[:1]
    return apps_qs.annotate(current_plan_id=Subquery(current))


def in_service_addon_lines(*, plan_order) -> QuerySet:
    """Add-on lines that count for a plan order in service: its own, and those of its in-service
    add-on-only orders."""
    return (
        OrderLine.objects.filter(kind=OrderLine.Kind.ADDON)
        .filter(
            Q(order=plan_order)
            | Q(order__plan_order=plan_order, order__plan__isnull=True, order__status=Order.Status.IN_SERVICE)
        )
        .select_related("addon__feature", "order")
        .order_by("order__created_at", "id")
    )


def _features_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}plan_features", queryset=PlanFeature.objects.select_related("feature"))


def _generation_key(app_id: int) -> str:
    return f"orders:entitlements-generation:{app_id}"


def _entry_key(app_id: int) -> str:
    return f"orders:entitlements:{app_id}"


def _bump_generations(app_ids: list[int]) -> None:
    """One new value for all the apps of a bump: a generation only has to differ from the app's earlier ones (an
    entry is per app), and the activation job bumps thousands of apps at a time (issue 14)."""
    generation = uuid.uuid4().hex
    cache.set_many(dict.fromkeys(map(_generation_key, app_ids), generation), None)


def forget_app_entitlements(app_ids: Iterable[int], *, own_reads: bool = True) -> None:
    """The apps' orders changed (a status, a line): their cached entitlements are stale. A new generation at once
    (the writer's own next read) and again after the commit (a reader that read the old rows meanwhile cached
    them under the first new generation). A writer that reads none of them again in its transaction (the
    activation job: 10,000 apps a batch, issue 14) passes ``own_reads=False`` and skips the first."""
    ids = sorted({pk for pk in app_ids if pk is not None})
    if not ids:
        return
    if own_reads:
        _bump_generations(ids)
    transaction.on_commit(lambda: _bump_generations(ids))


def _entitlements_from_database(*, app) -> Entitlements:
    plan_order = in_service_plan_orders().filter(app=app).select_related("plan").first()
    if plan_order is None:
        return entitlements_for(plan=free_plan(), addon_lines=())
    return entitlements_for(plan=plan_order.plan, addon_lines=in_service_addon_lines(plan_order=plan_order))


def app_entitlements(*, app) -> Entitlements:
    """The effective entitlements of an app from its in-service plan order and add-ons; Free if none.
    A constant number of queries, whatever the number of add-on lines; none on most pages (issue 14):

    the result is cached per app, tagged with the app's generation (a new one on every change of its orders:
    ``forget_app_entitlements``, called by ``order_transition``/``order_transition_set``, the activation statement
    and the Order and OrderLine signals) and the catalog's; one cache round trip reads the entry and both
    generations, and an entry whose tags differ is rebuilt. Without an app generation yet, the request that starts
    one caches under it (a new generation: an evicted one never revives an old entry). ``fresh_catalog`` (a
    purchase) reads the database."""
    if catalog_is_fresh():
        return _entitlements_from_database(app=app)
    return _cached_per_app(app_id=app.pk, entry_key=_entry_key(app.pk), tag_keys=[catalog_generation_key()],
                           compute=lambda: _entitlements_from_database(app=app))


def _in_flight_key(app_id: int) -> str:
    return f"orders:in-flight:{app_id}"


def app_has_orders_in_flight(*, app) -> bool:
    """Whether the app has a provisioning order. Cached like the entitlements, under the app's generation, which
    every change of its orders replaces (an order placed, activated or cancelled), so the app overview skips its
    in-flight query on most views (issue 14)."""
    return _cached_per_app(
        app_id=app.pk, entry_key=_in_flight_key(app.pk), tag_keys=[],
        compute=lambda: Order.objects.filter(app=app, status=Order.Status.PROVISIONING).exists(),
    )


def _cached_per_app(*, app_id: int, entry_key: str, tag_keys: list[str], compute):
    """``compute()``, cached at ``entry_key`` tagged with the app's generation and the generations at ``tag_keys``
    (the catalog's); one cache round trip reads the entry and its tags, and an entry whose tags differ is computed
    again. A generation missing (never set, or evicted) is started before computing: a new value, so an evicted one
    never revives an old entry."""
    keys = [_generation_key(app_id), *tag_keys]
    found = cache.get_many([entry_key, *keys])
    tags = [found.get(key) for key in keys]
    cached = found.get(entry_key)
    if cached is not None and None not in tags and cached[0] == tags:
        return cached[1]
    for index, tag in enumerate(tags):
        if tag is None:
            # Start the missing generation before computing, so that the value is tagged with a generation read
            # before it: a change meanwhile replaces that generation (or has set one already: the add fails and
            # we take the one it set, also read before computing).
            started = uuid.uuid4().hex
            tags[index] = started if cache.add(keys[index], started, None) else cache.get(keys[index])
    value = compute()
    if None in tags:  # evicted again at once: nothing to tag with
        return value
    cache.set(entry_key, (tags, value), settings.CONSOLE_CACHE_SECONDS)
    return value


def require_feature(*, app, code: str, entitlements: Entitlements | None = None) -> Entitlements:
    """Raise ``FeatureNotInPlan`` unless the app's plan includes the feature; returns the entitlements."""
    ent = entitlements or app_entitlements(app=app)
    if not ent.includes(code):
        raise FeatureNotInPlan(app=app, feature_code=code)
    return ent


def require_quota(*, app, code: str, used: int, adding: int = 1, entitlements: Entitlements | None = None) -> Quota:
    """Raise ``QuotaExceeded`` unless ``used + adding`` fits the app's quota ``code``; returns the quota.
    Callers that must be race-safe lock the parent row before counting ``used``."""
    ent = entitlements or app_entitlements(app=app)
    quota = ent.quota(code)
    if not quota.allows(used + adding):
        raise QuotaExceeded(app=app, feature_code=code, quota=quota, used=used)
    return quota
