"""Billing rows as the database holds them, and orders priced over exact business dates."""

import datetime as dt
from decimal import Decimal

import factory

from apps.plans.models import Plan
from billing.models import LedgerEntry, TopUpRequest
from console.timeutil import business_midnight
from orders.models import Order
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.orders.factories import OrderFactory


class TopUpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopUpRequest

    organization = factory.SubFactory(OrganizationFactory)
    amount = Decimal("1000.00")
    reference = factory.Sequence(lambda n: f"BANK-{n:06d}")
    requested_by = factory.SubFactory(UserFactory)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    organization = factory.SubFactory(OrganizationFactory)
    kind = LedgerEntry.Kind.ADJUSTMENT
    amount = Decimal("100.00")
    note = "test"


def order_bought(day: dt.date, *, ended: dt.date | None = None, **kwargs) -> Order:
    """A plan order bought on business day ``day``, charged until ``ended`` (exclusive) or still running."""
    created = business_midnight(day) + dt.timedelta(hours=10)
    status = Order.Status.COMPLETED if ended else kwargs.pop("status", Order.Status.IN_SERVICE)
    return OrderFactory(created_at=created, purchase_date=day, charge_end_date=ended, status=status, **kwargs)


def at(day: dt.date, hour: int = 0, minute: int = 10) -> dt.datetime:
    """An aware moment on a business day (Asia/Shanghai)."""
    return business_midnight(day) + dt.timedelta(hours=hour, minutes=minute)


def plan(code: str) -> Plan:
    return Plan.objects.get(code=code)
