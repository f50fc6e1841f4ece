"""Orders as the database holds them. Services place orders in real flows; these build states directly."""

import datetime as dt
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from apps.plans.models import AddOn, Plan
from console.timeutil import business_date
from orders.models import Order, OrderKey, OrderLine, OrderStatusChange
from tests.applications.factories import AppFactory


class OrderFactory(factory.django.DjangoModelFactory):
    """A plan order by default (``plan__code``); pass ``plan=None`` and ``plan_order`` for add-ons only."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    app = factory.SubFactory(AppFactory)
    organization = factory.SelfAttribute("app.organization")
    plan = factory.LazyFunction(lambda: Plan.objects.get(code="pro"))
    status = Order.Status.IN_SERVICE
    buyer = factory.SubFactory("tests.accounts.factories.UserFactory")
    monthly_fee = factory.LazyAttribute(lambda o: o.plan.monthly_price if o.plan else Decimal("0.00"))
    estimated_fee = Decimal("0.00")
    created_at = factory.LazyFunction(timezone.now)
    purchase_date = factory.LazyAttribute(lambda o: business_date(o.created_at))
    activate_after = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(seconds=2))
    activated_at = factory.LazyAttribute(
        lambda o: o.activate_after if o.status != Order.Status.PROVISIONING else None
    )

    @factory.post_generation
    def with_key(obj, create, extracted, **kwargs):
        if create:
            add_order_keys([obj])

    @factory.post_generation
    def with_plan_line(obj, create, extracted, **kwargs):
        if create and obj.plan_id and extracted is not False:
            OrderLine.objects.create(
                order=obj, kind=OrderLine.Kind.PLAN, plan=obj.plan, quantity=1,
                unit_price=obj.plan.monthly_price, monthly_amount=obj.plan.monthly_price,
            )
            OrderStatusChange.objects.create(order=obj, from_status="", to_status=obj.status, at=obj.created_at)


def add_order_keys(orders) -> None:
    """The OrderKey rows ``order_place`` writes with each order (its number's and a checkout nonce's unique
    keys), for orders built directly."""
    OrderKey.objects.bulk_create(OrderKey(order=o, number=o.number, idempotency_key=uuid.uuid4().hex) for o in orders)


def add_addon_line(order: Order, addon_code: str, *, quantity: int = 1, tier_value: int | None = None) -> OrderLine:
    """Attach an add-on line with catalog prices and keep the order's monthly fee in step."""
    addon = AddOn.objects.get(code=addon_code)
    unit_price = addon.unit_price if addon.stackable else addon.tiers.get(value=tier_value).monthly_price
    line = OrderLine.objects.create(
        order=order, kind=OrderLine.Kind.ADDON, addon=addon, tier_value=tier_value, quantity=quantity,
        unit_price=unit_price, monthly_amount=unit_price * quantity,
    )
    order.monthly_fee += line.monthly_amount
    order.save(update_fields=["monthly_fee"])
    return line


def app_on_plan(app, plan_code: str, **kwargs) -> Order | None:
    """Put ``app`` on a plan the way the database holds it: an in-service plan order (Free has none)."""
    if plan_code == "free":
        return None
    return OrderFactory(app=app, plan=Plan.objects.get(code=plan_code), **kwargs)


class ProAppFactory(AppFactory):
    """An app with an in-service plan order (Pro unless ``in_service_plan="flagship"``…), so the plan-gated
    features (callbacks, sensitive words) are included."""

    @factory.post_generation
    def in_service_plan(obj, create, extracted, **kwargs):
        if create:
            OrderFactory(app=obj, plan=Plan.objects.get(code=extracted or "pro"))
