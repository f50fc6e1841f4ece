"""Demo orders for the demo org, placed and activated through the services at past times so bills have
content: an upgrade chain, plans with add-ons, an add-on-only order, and one order still provisioning.
Idempotent: an org that already has orders is left as it is."""

import datetime as dt

from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.applications.models import App, DataCenter
from orders.models import Order
from orders.selectors import AddonRequest
from orders.services import order_activate, order_place
from orders.tokens import checkout_token_issue

DEMO_APP_NAMES = ["chat-prod", "chat-staging", "support-sg"]
ACTIVATION_LAG = dt.timedelta(minutes=10)


def _demo_app(organization, name: str) -> App:
    app = organization.apps.filter(name=name).first()
    if app is None:
        app = App.objects.create(organization=organization, name=name, product_name=name.replace("-", " ").title(),
                                 data_center=DataCenter.objects.order_by("sort_order").first())
    return app


def _buy(app, buyer, plan_code, addons, *, days_ago: int, activate: bool, now: dt.datetime) -> Order:
    placed_at = now - dt.timedelta(days=days_ago, hours=3) if days_ago else now
    order = order_place(app=app, buyer=buyer, plan_code=plan_code, addons=addons,
                        token=checkout_token_issue(app=app), now=placed_at)
    if activate:
        order_activate(order=order, now=order.activate_after + ACTIVATION_LAG)
    return order


def seed(organization) -> list[Order]:
    existing = list(Order.objects.filter(organization=organization))
    if existing:
        return existing
    members = {m.role: m.user for m in Membership.objects.filter(organization=organization).select_related("user")}
    owner = members.get(Role.OWNER)
    if owner is None:
        return []
    admin = members.get(Role.ADMIN, owner)
    prod, staging, support = (_demo_app(organization, name) for name in DEMO_APP_NAMES)
    now = timezone.now()
    return [
        # chat-prod: Pro, later upgraded to Flagship with a bigger group cap (the Pro order completes).
        _buy(prod, owner, "pro", [], days_ago=80, activate=True, now=now),
        _buy(prod, admin, "flagship", [AddonRequest(code="group_members", tier_value=5000)],
             days_ago=35, activate=True, now=now),
        # chat-staging: Pro with 10 storage units (+300 days), then more REST rate alone.
        _buy(staging, owner, "pro", [AddonRequest(code="message_storage", quantity=10)],
             days_ago=60, activate=True, now=now),
        _buy(staging, admin, "", [AddonRequest(code="rest_rate", quantity=2)], days_ago=20, activate=True, now=now),
        # support-sg: just bought, still provisioning (the beat job puts it in service in a few minutes).
        _buy(support, owner, "pro", [], days_ago=0, activate=False, now=now),
    ]
