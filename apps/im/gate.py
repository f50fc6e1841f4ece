"""The REST service's questions about plans and features, all answered by the entitlement gate
(orders/entitlements.py).

Results are memoised on the ``app`` instance, which lives for one request, so a request asks the database once.
A switch feature applies when the plan includes it AND the console turned it on ("Enable for free")."""

from apps.features.models import AppFeature
from apps.plans.entitlements import Entitlements
from orders.entitlements import app_entitlements


def entitlements(*, app) -> Entitlements:
    cached = getattr(app, "_im_entitlements", None)
    if cached is None:
        cached = app_entitlements(app=app)
        app._im_entitlements = cached
    return cached


def _enabled_codes(app) -> frozenset[str]:
    cached = getattr(app, "_im_enabled_features", None)
    if cached is None:
        cached = frozenset(
            AppFeature.objects.filter(app=app, enabled=True).values_list("feature__code", flat=True)
        )
        app._im_enabled_features = cached
    return cached


def feature_applies(*, app, code: str) -> bool:
    """Is the switch feature in the app's plan and turned on? Off or not in the plan: not applied."""
    return code in _enabled_codes(app) and entitlements(app=app).includes(code)


def quota(*, app, code: str) -> int | None:
    """The effective value of a quota feature; None is unlimited, a code the plan lacks is 0."""
    return entitlements(app=app).quota(code).value


def quota_allows(*, app, code: str, used: int, adding: int = 1) -> bool:
    return entitlements(app=app).quota(code).allows(used + adding)
