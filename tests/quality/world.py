"""The "world" the quality wall walks: two organizations with one of everything, so every URL pattern has an
object to point at and another org's object to be refused."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from apps.accounts.models import Invitation, Membership, Organization, User
from apps.accounts.roles import Role
from apps.applications.models import App
from apps.plans.models import Plan
from billing.models import Bill, BillLine, LedgerEntry
from console.heartbeat import heartbeat_record
from orders.models import Order
from tests.accounts.factories import InvitationFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line

PASSWORD = "correct-horse-battery-staple"


@dataclass
class OrgWorld:
    org: Organization
    members: dict[str, User]
    bystander: Membership  # a developer the members pages act on
    app: App  # completed, in-service plan order and an add-on order
    provisioning_app: App  # an order still provisioning
    orders: dict[str, Order]
    bill: Bill
    invitation: Invitation
    extra: dict = field(default_factory=dict)

    @property
    def owner(self) -> User:
        return self.members[Role.OWNER]


@dataclass
class World:
    acme: OrgWorld
    globex: OrgWorld
    outsider: User  # signed in, member of nothing


def build_org(name: str, app_name: str, provisioning_app_name: str, bill_month: dt.date) -> OrgWorld:
    org = OrganizationFactory(name=name)
    members = {
        role: MembershipFactory(organization=org, role=role, user=UserFactory(email=f"{role}@{name}.test")).user
        for role in Role.values
    }
    bystander = MembershipFactory(organization=org, role=Role.DEVELOPER,
                                  user=UserFactory(email=f"bystander@{name}.test"))
    app = AppFactory(organization=org, name=app_name)
    provisioning_app = AppFactory(organization=org, name=provisioning_app_name)
    now = timezone.now()
    last_month = now - dt.timedelta(days=40)
    completed = OrderFactory(
        app=app, plan=Plan.objects.get(code="pro"), status=Order.Status.COMPLETED, buyer=members[Role.OWNER],
        created_at=last_month, completed_at=now - dt.timedelta(days=5),
        charge_end_date=(now - dt.timedelta(days=5)).date(),
    )
    in_service = OrderFactory(app=app, plan=Plan.objects.get(code="flagship"), buyer=members[Role.ADMIN],
                              created_at=now - dt.timedelta(days=5))
    addon = OrderFactory(app=app, plan=None, plan_order=in_service, buyer=members[Role.ADMIN],
                         created_at=now - dt.timedelta(days=5))
    add_addon_line(addon, "message_storage", quantity=2)
    provisioning = OrderFactory(
        app=provisioning_app, plan=Plan.objects.get(code="pro"), status=Order.Status.PROVISIONING,
        buyer=members[Role.OWNER], created_at=now, activate_after=now + dt.timedelta(days=365),
    )
    bill = Bill.objects.create(organization=org, month=bill_month, total=Decimal("888.00"), line_count=1)
    BillLine.objects.create(
        bill=bill, order=completed, app=app, start_date=bill_month, end_date=bill_month + dt.timedelta(days=31),
        days=31, monthly_fee=Decimal("888.00"), amount=Decimal("888.00"),
    )
    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("5000.00"),
                               note="seed")
    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.BILL, amount=Decimal("-888.00"), bill=bill)
    invitation = InvitationFactory(organization=org, email=f"invitee@{name}.test", role=Role.DEVELOPER,
                                   invited_by=members[Role.OWNER])
    return OrgWorld(
        org=org, members=members, bystander=bystander, app=app, provisioning_app=provisioning_app,
        orders={"completed": completed, "in_service": in_service, "addon": addon, "provisioning": provisioning},
        bill=bill, invitation=invitation,
    )


def build_world() -> World:
    heartbeat_record()  # beat is alive in this world, so /healthz answers 200
    # Every object name differs between the two orgs, so swapping in the other org's kwargs finds nothing.
    return World(
        acme=build_org("acme", "chat", "news", dt.date(2026, 1, 1)),
        globex=build_org("globex", "talk", "blog", dt.date(2025, 12, 1)),
        outsider=UserFactory(email="outsider@nowhere.test"),
    )


# The usage metering's rows (SPEC §12): a refused REST call is still a call the app made, counted by status
# class; without Redis it is counted in these tables. tests/im/test_metering.py checks what they hold.
USAGE_MODELS = frozenset({"im.UsageDay", "im.ActiveUserDay"})


def row_counts() -> dict[str, int]:
    """The number of rows of every model's table: what a refused request must leave exactly as it was (usage
    metering aside). One statement for all ~70 tables (the fuzz tests call this twice a request, hundreds of
    times a form: as ORM counts it was most of their time on PostgreSQL)."""
    models = [model for model in django_apps.get_models()
              if not model._meta.proxy and model._meta.label not in USAGE_MODELS]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT {index}, COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608
                             for index, model in enumerate(models))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {models[index]._meta.label: count for index, count in cursor.fetchall()}
