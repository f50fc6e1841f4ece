"""Demo: chat-prod has every feature its plan includes switched on, so its settings pages are lived-in. Runs
after the orders demo (chat-prod must be on its paid plan); each feature app then adds its own demo rows."""

from apps.applications.demo import demo_app_and_owner
from apps.features.services import app_feature_enable
from orders.entitlements import app_entitlements

DEMO_SWITCHES = ("recall", "push", "ip_whitelist", "sensitive_words")


def seed(organization) -> None:
    found = demo_app_and_owner(organization)
    if found is None:
        return
    app, owner = found
    entitlements = app_entitlements(app=app)
    for code in DEMO_SWITCHES:
        if entitlements.includes(code):
            app_feature_enable(app=app, feature_code=code, actor=owner)
