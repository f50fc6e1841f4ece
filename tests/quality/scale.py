"""An organization with ``rows`` of everything a main page lists (apps, orders, bills, bill lines, ledger entries,
sensitive words, members, audit entries), built in bulk; and the list of the console's main pages.

Shared by the query-count test (1 row against 500 rows) and by the benchmarks under bench/ (bench/queries.py,
bench/pages.py), so the pages a benchmark times are the pages the test suite holds to a query budget.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import Membership, Organization, User
from apps.accounts.roles import Role
from apps.applications.models import App, DataCenter
from apps.audit.models import AuditEntry
from apps.plans.models import CatalogSettings, Plan
from apps.sensitive_words.models import SensitiveWord, word_key
from billing.models import Bill, BillLine, LedgerEntry
from console.timeutil import business_date
from orders.models import Order, OrderLine, OrderStatusChange
from tests.orders.factories import add_order_keys

MAIN_APP = "main"


@dataclass
class ScaleOrg:
    org: Organization
    owner: User
    app: App  # on Premium (every feature page is open), with the org's sensitive words
    bill: Bill  # the newest bill, with the org's bill lines


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(start: dt.date, count: int) -> list[dt.date]:
    months, month = [], start
    for _ in range(count):
        months.append(month)
        month = _first_of_month(month - dt.timedelta(days=1))
    return months


def build_scale_org(*, name: str = "scale", rows: int = 1, apps: int | None = None, orders: int | None = None,
                    bills: int | None = None, bill_lines: int | None = None, words: int | None = None,
                    members: int | None = None, im_users: int | None = None, im_groups: int | None = None,
                    messages: int | None = None, password: str = "bench-password-123") -> ScaleOrg:
    """One org whose owner sees ``rows`` of each kind (or the count given per kind). Orders belong to the apps
    round-robin: the main app's plan order is in service, every other order is completed. The main app has
    ``im_users`` IM users, ``im_groups`` groups and ``messages`` stored messages; every app has 30 days of
    usage rows."""
    apps = rows if apps is None else apps
    orders = rows if orders is None else orders
    bills = rows if bills is None else bills
    bill_lines = rows if bill_lines is None else bill_lines
    words = rows if words is None else words
    members = rows if members is None else members
    im_users = rows if im_users is None else im_users
    im_groups = rows if im_groups is None else im_groups
    messages = rows if messages is None else messages
    catalog = CatalogSettings.load()
    if catalog.app_limit < apps:
        catalog.app_limit = apps
        catalog.save()
    org = Organization.objects.create(name=name)
    hashed = make_password(password)
    owner = User.objects.create(email=f"owner@{name}.test", password=hashed)
    Membership.objects.create(user=owner, organization=org, role=Role.OWNER)
    others = User.objects.bulk_create(
        User(email=f"member{i}@{name}.test", password=hashed) for i in range(max(members - 1, 0))
    )
    roles = [Role.ADMIN, Role.DEVELOPER, Role.FINANCE]
    Membership.objects.bulk_create(
        Membership(user=user, organization=org, role=roles[i % len(roles)]) for i, user in enumerate(others)
    )
    center = DataCenter.objects.order_by("sort_order").first()
    app_rows = App.objects.bulk_create(
        App(organization=org, name=MAIN_APP if i == 0 else f"app-{i:05d}", product_name=f"Product {i}",
            data_center=center)
        for i in range(max(apps, 1))
    )
    main = app_rows[0]
    premium = Plan.objects.get(code="premium")
    pro = Plan.objects.get(code="pro")
    now = timezone.now()
    today = business_date(now)
    order_rows = []
    for i in range(max(orders, 1)):
        plan = premium if i == 0 else pro
        created = now - dt.timedelta(days=400) + dt.timedelta(minutes=i)
        in_service = i == 0
        order_rows.append(Order(
            organization=org, app=app_rows[i % len(app_rows)], plan=plan,
            status=Order.Status.IN_SERVICE if in_service else Order.Status.COMPLETED,
            buyer=owner, monthly_fee=plan.monthly_price, estimated_fee=Decimal("0.00"),
            number=f"{name[:8]}{i:010d}", created_at=created,
            purchase_date=business_date(created), activate_after=created, activated_at=created,
            completed_at=None if in_service else created + dt.timedelta(days=1),
            charge_end_date=None if in_service else business_date(created) + dt.timedelta(days=1),
        ))
    order_rows = Order.objects.bulk_create(order_rows)
    add_order_keys(order_rows)
    OrderLine.objects.bulk_create(
        OrderLine(order=order, kind=OrderLine.Kind.PLAN, plan_id=order.plan_id, quantity=1,
                  unit_price=order.monthly_fee, monthly_amount=order.monthly_fee)
        for order in order_rows
    )
    OrderStatusChange.objects.bulk_create(
        OrderStatusChange(order=order, from_status="", to_status=order.status, at=order.created_at)
        for order in order_rows
    )
    months = _months_back(_first_of_month(_first_of_month(today) - dt.timedelta(days=1)), max(bills, 1))
    bill_rows = Bill.objects.bulk_create(
        Bill(organization=org, month=month, total=Decimal("0.00")) for month in months
    )
    newest = bill_rows[0]
    fee = Decimal("100.00")
    lines = [
        BillLine(bill=newest, order=order_rows[i % len(order_rows)], app_id=order_rows[i % len(order_rows)].app_id,
                 start_date=newest.month, end_date=newest.month + dt.timedelta(days=28), days=28,
                 monthly_fee=fee, amount=fee)
        for i in range(min(bill_lines, len(order_rows)))
    ]
    # More lines than orders (the bench's 5,000-line month) take more orders of the main app's org.
    BillLine.objects.bulk_create(lines, batch_size=2000)
    Bill.objects.filter(pk=newest.pk).update(total=fee * len(lines), line_count=len(lines))
    newest.refresh_from_db()
    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("1000000.00"),
                               note="seed")
    LedgerEntry.objects.bulk_create(
        LedgerEntry(organization=org, kind=LedgerEntry.Kind.BILL, amount=-bill.total, bill=bill)
        for bill in bill_rows
    )
    SensitiveWord.objects.bulk_create(
        SensitiveWord(app=main, word=f"word{i}", key=word_key(f"word{i}"), created_by=owner)
        for i in range(words)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(organization=org, app=main, actor=owner, action="app.updated", summary=f"change {i}",
                   created_at=now - dt.timedelta(minutes=i))
        for i in range(rows)
    )
    build_im_data(app=main, users=im_users, groups=im_groups, messages=messages, now=now)
    build_usage_days(apps=app_rows, today=today)
    return ScaleOrg(org=org, owner=owner, app=main, bill=newest)


IM_PASSWORD_HASH = "im_pbkdf2_sha256$20000$scale$not-a-usable-hash="  # the pages never check it
MEMBERS_PER_GROUP = 10


def build_im_data(*, app: App, users: int, groups: int, messages: int, now: dt.datetime) -> None:
    """IM users (``user000001``…), groups owned round-robin with ``MEMBERS_PER_GROUP`` members each and stored
    messages, in bulk: 100,000 users take seconds, not the REST service's hashing per user. The groups' member
    counts and the users' group counts are those of the memberships built, as the group services keep them."""
    from collections import Counter

    from apps.im.models import ImGroup, ImGroupMember, ImMessage, ImUser, UserCounter

    UserCounter.objects.get_or_create(app=app)
    per_group = min(MEMBERS_PER_GROUP, users)
    member_of = [[(index + k) % users for k in range(per_group)] for index in range(groups)] if users else []
    group_counts = Counter(person for members in member_of for person in members)
    people = ImUser.objects.bulk_create(
        (ImUser(app=app, username=f"user{i:06d}", password=IM_PASSWORD_HASH, nickname=f"User {i}", created=now,
                modified=now, group_count=group_counts[i]) for i in range(users)), batch_size=5000)
    UserCounter.objects.filter(app=app).update(registered=ImUser.objects.filter(app=app).count())
    if not people:
        return
    group_rows = ImGroup.objects.bulk_create(
        (ImGroup(app=app, group_id=f"{app.pk % 10_000:04d}{i:011d}", name=f"group {i}", maxusers=200,
                 owner=people[i % len(people)], created=now, member_count=per_group) for i in range(groups)),
        batch_size=5000)
    ImGroupMember.objects.bulk_create(
        (ImGroupMember(group=group, user=people[person],
                       role=ImGroupMember.Role.OWNER if k == 0 else ImGroupMember.Role.MEMBER)
         for group, members in zip(group_rows, member_of, strict=True) for k, person in enumerate(members)),
        batch_size=5000)
    ImMessage.objects.bulk_create(
        (ImMessage(app=app, msg_id=f"{app.pk}{i:012d}", from_user=people[i % len(people)].username,
                   to=people[(i + 1) % len(people)].username, chat_type=ImMessage.ChatType.CHAT, msg_type="txt",
                   body={"msg": f"hello {i}"}, sent_at=now - dt.timedelta(minutes=i)) for i in range(messages)),
        batch_size=5000)


def build_usage_days(*, apps: list[App], today: dt.date, days: int = 30) -> None:
    """30 business days of usage for every app, and their organization's sums, as the metering's roll-up
    leaves them (the sums by the roll-up's own statement)."""
    from apps.im.models import UsageDay
    from apps.im.services.usage import org_usage_rollup

    UsageDay.objects.bulk_create(
        (UsageDay(app=app, day=today - dt.timedelta(days=d), calls_2xx=1000 + d, calls_4xx=d, calls_429=d % 3,
                  calls_5xx=int(d % 7 == 0), messages=500 + d, active_users=50 + d, peak_calls_per_second=20 + d % 5,
                  registered_users=100)
         for app in apps for d in range(days)), batch_size=5000)
    org_usage_rollup(days=[today - dt.timedelta(days=d) for d in range(days)])


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    scope: str  # "org", "app" (org + app name) or "bill" (org + year + month)


# Every main page of the console; bench/pages.py and the query-count test pick them up.
MAIN_PAGES: list[Page] = [
    Page("app list", "applications:app_list", "org"),
    Page("app overview", "applications:app_detail", "app"),
    Page("feature overview", "features:overview", "app"),
    Page("message recall", "features:settings_recall", "app"),
    Page("push certificates", "features:settings_push", "app"),
    Page("callbacks", "features:settings_callbacks", "app"),
    Page("sensitive words", "features:settings_sensitive_words", "app"),
    Page("IP whitelist", "features:settings_ip_whitelist", "app"),
    Page("checkout", "orders:checkout", "app"),
    Page("order list", "orders:order_list", "org"),
    Page("bill list", "billing:bill_list", "org"),
    Page("bill detail", "billing:bill_detail", "bill"),
    Page("account center", "billing:account", "org"),
    Page("audit log", "audit:audit_list", "org"),
    Page("members", "members:member_list", "org"),
    Page("IM users", "im_console:users", "app"),
    Page("IM groups", "im_console:groups", "app"),
    Page("usage", "im_console:usage", "app"),
    Page("usage of all apps", "im_console:org_usage", "org"),
]


def page_url(page: Page, scale: ScaleOrg) -> str:
    from django.urls import reverse

    kwargs = {"org_name": scale.org.name}
    if page.scope == "app":
        kwargs["app_name"] = scale.app.name
    elif page.scope == "bill":
        kwargs.update(year=scale.bill.month.year, month=scale.bill.month.month)
    return reverse(page.url_name, kwargs=kwargs)
