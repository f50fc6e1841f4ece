"""Reads of an app's features: the feature overview (SPEC §9) and the settings pages."""

from collections.abc import Callable
from dataclasses import dataclass

from apps.features.models import AppFeature, RecallSettings
from apps.plans.entitlements import Entitlements, Quota, entitlements_for, plan_features, plan_quota
from apps.plans.models import Feature, Plan
from apps.plans.selectors import catalog_addons, catalog_features, catalog_plans
from console.prepared import PreparedQuery
from orders.entitlements import app_entitlements

# Functions app -> {quota code: current use}, registered by the apps that hold the counted data (apps.im at
# ready time): the overview shows the use next to the limit without importing them.
_quota_usage_sources: list[Callable[..., dict[str, int]]] = []


def quota_usage_register(source: Callable[..., dict[str, int]]) -> None:
    if source not in _quota_usage_sources:
        _quota_usage_sources.append(source)


def quota_usage(*, app) -> dict[str, int]:
    used: dict[str, int] = {}
    for source in _quota_usage_sources:
        used.update(source(app=app))
    return used


class State:
    UPGRADE = "upgrade"  # a switch the plan does not include
    ENABLE = "enable"  # included and off: "Enable for free"
    ON = "on"  # included and on: "Settings"
    QUOTA = "quota"  # a quota: its effective value, "Add-ons" and maybe "Upgrade"


def settings_url_name(code: str) -> str:
    """The settings page of a switch feature, when a module provides one."""
    return f"features:settings_{code}"


@dataclass(frozen=True)
class FeatureRow:
    feature: Feature
    state: str
    value: int | None = None  # quota: effective value (None = unlimited)
    plan_value: int | None = None  # quota: the plan's own value
    upgrade_available: bool = False  # a higher plan on sale gives this feature or more of it
    addons_available: bool = False  # an add-on on sale raises this quota above its current value
    used: int | None = None  # quota: what the app uses of it now (None: no registered source counts it)

    @property
    def used_metered(self) -> bool:
        """A meter is drawn for a counted use of a limited quota."""
        return self.used is not None and not Quota(self.value).unlimited

    @property
    def used_percent(self) -> int:
        """For the usage meter of a limited quota (0 when unlimited or not counted)."""
        return 0 if self.used is None else Quota(self.value).percent_used(self.used)

    @property
    def settings_url_name(self) -> str:
        return settings_url_name(self.feature.code)


@dataclass(frozen=True)
class FeatureOverview:
    entitlements: Entitlements
    switches: list[FeatureRow]
    quotas: list[FeatureRow]


def feature_overview(*, app) -> FeatureOverview:
    """Every feature of the catalog with its state for the app. A fixed number of queries."""
    ent = app_entitlements(app=app)
    features = catalog_features()
    enabled = set(
        AppFeature.objects.filter(app=app, enabled=True).values_list("feature__code", flat=True)
    )
    higher = [entitlements_for(plan=plan) for plan in catalog_plans() if plan.rank > ent.plan.rank]
    addons_by_feature: dict[str, list] = {}
    for addon in catalog_addons():
        addons_by_feature.setdefault(addon.feature.code, []).append(addon)

    used = quota_usage(app=app)
    switches, quotas = [], []
    for feature in features:
        code = feature.code
        if feature.kind == Feature.Kind.SWITCH:
            if not ent.switches.get(code, False):
                state = State.UPGRADE
            elif code in enabled:
                state = State.ON
            else:
                state = State.ENABLE
            switches.append(
                FeatureRow(
                    feature=feature,
                    state=state,
                    upgrade_available=any(other.switches.get(code, False) for other in higher),
                )
            )
        else:
            quota = ent.quota(code)
            addons = addons_by_feature.get(code, [])
            quotas.append(
                FeatureRow(
                    feature=feature,
                    state=State.QUOTA,
                    value=quota.value,
                    plan_value=_plan_value(ent.plan, code).value,
                    used=used.get(code),
                    upgrade_available=any(other.quota(code).exceeds(quota) for other in higher),
                    addons_available=any(
                        (addon.stackable and not quota.unlimited)
                        or any(Quota(tier.value).exceeds(quota) for tier in addon.tiers.all())
                        for addon in addons
                    ),
                )
            )
    return FeatureOverview(entitlements=ent, switches=switches, quotas=quotas)


def _plan_value(plan: Plan, code: str) -> Quota:
    for row in plan_features(plan):
        if row.feature.code == code:
            return plan_quota(row)
    return Quota(0)


def recall_settings_for(*, app) -> RecallSettings:
    """The app's recall settings; an app that never saved any has the defaults (not stored)."""
    return RecallSettings.objects.filter(app=app).first() or RecallSettings(app=app)


def feature_state(*, app, code: str, is_on: bool | None = None) -> str:
    """State.UPGRADE (the plan does not include it), State.ENABLE (included, off) or State.ON. ``is_on``: what
    ``feature_is_on`` answered, when the caller already asked it (one query less)."""
    if not app_entitlements(app=app).includes(code):
        return State.UPGRADE
    if is_on is None:
        is_on = feature_is_on(app=app, code=code)
    return State.ON if is_on else State.ENABLE


# Every feature settings page asks it (the state note): compiled once per process (console.prepared).
_switched_on = PreparedQuery(
    lambda app_id, code: AppFeature.objects.filter(app_id=app_id, feature__code=code, enabled=True).only("pk")[:1],
    app_id=int, code=str,
)


def feature_is_on(*, app, code: str) -> bool:
    return bool(_switched_on(app_id=app.pk, code=str(code)))
