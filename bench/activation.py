"""The activation job on 10,000 due orders with cascades (issue 14), on PostgreSQL.

    .venv/bin/python bench/activation.py            # 10,000 due orders (target: <= 1 s)
    .venv/bin/python bench/activation.py --orders 2000

Drops and creates console_bench_activation (BENCH_ACTIVATION_DATABASE_URL to change it), builds 100 orgs whose
apps each have a Pro order in service with an add-on order, and a due Flagship order (so every activation
completes two orders first: the cascade), with their order lines and history, runs ANALYZE, then times
``orders_activate_due()`` (set-based) and counts its SQL statements. For comparison it first times the previous
per-order path (``order_activate`` one order per transaction) on 500 of the orders and extrapolates. Checks every
order ended where it should, then writes bench/results/activation.txt.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_ACTIVATION_DATABASE_URL",
                        "postgres://postgres@127.0.0.1:5432/console_bench_activation")
PER_ORDER_SAMPLE = 500


def build(orders: int):
    from django.utils import timezone

    from apps.accounts.models import Organization, User
    from apps.applications.models import App, DataCenter
    from apps.plans.models import AddOn, CatalogSettings, Plan
    from console.timeutil import business_date
    from orders.models import Order, OrderLine, OrderStatusChange
    from tests.orders.factories import add_order_keys

    CatalogSettings.objects.update_or_create(pk=1, defaults={"app_limit": orders})
    orgs = Organization.objects.bulk_create(Organization(name=f"bench{i}") for i in range(100))
    buyer = User.objects.create(email="buyer@bench.test")
    center = DataCenter.objects.order_by("sort_order").first()
    apps = App.objects.bulk_create(
        (App(organization=orgs[i % len(orgs)], name=f"app-{i:06d}", product_name="P", data_center=center)
         for i in range(orders)), batch_size=5000,
    )
    pro, flagship = Plan.objects.get(code="pro"), Plan.objects.get(code="flagship")
    storage = AddOn.objects.get(code="message_storage")
    now = timezone.now()
    then, due_at = now - dt.timedelta(days=3), now - dt.timedelta(minutes=1)

    def order(app, plan, status, created, plan_order=None, fee=Decimal("888.00")):
        return Order(organization_id=app.organization_id, app=app, plan=plan, plan_order=plan_order, status=status,
                     buyer=buyer, monthly_fee=fee, estimated_fee=Decimal("0.00"), number=uuid.uuid4().hex[:20],
                     created_at=created, purchase_date=business_date(created),
                     activate_after=created, activated_at=None if status == "provisioning" else created)

    plans = Order.objects.bulk_create((order(app, pro, "in_service", then) for app in apps), batch_size=5000)
    addons = Order.objects.bulk_create(
        (order(o.app, None, "in_service", then, plan_order=o, fee=Decimal("20.00")) for o in plans), batch_size=5000
    )
    due = Order.objects.bulk_create((order(app, flagship, "provisioning", due_at) for app in apps), batch_size=5000)
    add_order_keys(plans + addons + due)
    OrderLine.objects.bulk_create(
        [OrderLine(order=o, kind="plan", plan_id=o.plan_id, quantity=1, unit_price=o.monthly_fee,
                   monthly_amount=o.monthly_fee) for o in plans + due]
        + [OrderLine(order=o, kind="addon", addon=storage, quantity=1, unit_price=o.monthly_fee,
                     monthly_amount=o.monthly_fee) for o in addons], batch_size=5000,
    )
    OrderStatusChange.objects.bulk_create(
        (OrderStatusChange(order=o, from_status="", to_status=o.status, at=o.created_at) for o in plans + addons + due),
        batch_size=5000,
    )
    return due


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    from bench.common import recreate_postgres_database

    recreate_postgres_database(DB_URL)
    os.environ.update(DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="console.settings.test",
                      CONSOLE_VAR_DIR=tempfile.mkdtemp(prefix="bench-activation-"))
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.audit.models import AuditEntry
    from orders.models import Order, OrderStatusChange
    from orders.services import order_activate, orders_activate_due

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    total = args.orders + PER_ORDER_SAMPLE  # the sample for the previous path, then the set-based on the rest
    due = build(total)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"data: {total:,} apps with a Pro order in service, an add-on order and a due Flagship order "
          f"(built in {time.perf_counter() - started:.1f} s, ANALYZE done)")

    now = timezone.now()
    sample = due[:PER_ORDER_SAMPLE]
    start = time.perf_counter()
    for order in sample:
        order_activate(order=order, now=now)
    per_order = time.perf_counter() - start
    per_order_total = per_order / len(sample) * args.orders

    remaining = Order.objects.filter(status="provisioning").count()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        activated = orders_activate_due(now=now)
        elapsed = time.perf_counter() - start
    assert activated == remaining == args.orders, (activated, remaining)
    assert Order.objects.filter(status="provisioning").count() == 0
    assert Order.objects.filter(status="in_service", plan__code="flagship").count() == total
    assert Order.objects.filter(status="completed").count() == 2 * total
    assert OrderStatusChange.objects.filter(to_status="completed").count() == 2 * total
    assert AuditEntry.objects.filter(action="order.in_service").count() == total
    assert orders_activate_due(now=now) == 0
    lines = [
        f"bench/activation.py on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        f"{args.orders:,} due upgrade orders, each completing a plan order and an add-on order (history, audit)",
        f"previous per-order path (order_activate, one transaction each): {len(sample)} orders in {per_order:.2f} s"
        f" = {per_order / len(sample) * 1000:.1f} ms each -> {args.orders:,} would take {per_order_total:.1f} s",
        f"set-based orders_activate_due: {activated:,} orders in {elapsed * 1000:.0f} ms "
        f"({len(ctx.captured_queries)} SQL statements), target <= 1 s: {'met' if elapsed <= 1 else 'MISSED'}",
    ]
    slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:4]
    lines += [f"  slowest statement: {float(q['time']) * 1000:.0f} ms {' '.join(q['sql'].split())[:110]}"
              for q in slowest]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results" / "activation.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n")


if __name__ == "__main__":
    main()
