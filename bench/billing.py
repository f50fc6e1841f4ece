"""Benchmark: bill one month for 200 orgs × 5 apps (~2,000 orders) and count the SQL statements.

    .venv/bin/python bench/billing.py                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_bench .venv/bin/python bench/billing.py

On PostgreSQL the named database is dropped and created again (use a throwaway name such as console_bench).
The figures are printed and written to bench/results/billing.txt (one section per database vendor).
"""

import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CONSOLE_VAR_DIR", tempfile.mkdtemp(prefix="bench-billing-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")

from bench.common import recreate_postgres_database, write_section  # noqa: E402

ORGS, APPS_PER_ORG = 200, 5
MONTH = dt.date(2026, 2, 1)


def build_data() -> int:
    from apps.accounts.models import Organization, User
    from apps.applications.models import App, DataCenter
    from apps.plans.models import Plan
    from console.timeutil import business_midnight, next_month_start
    from orders.models import Order

    rng = random.Random(7)
    buyer = User.objects.create_user(email="bench@example.com", password="bench-password-1")
    data_center = DataCenter.objects.order_by("sort_order").first()
    pro, flagship = Plan.objects.get(code="pro"), Plan.objects.get(code="flagship")
    orgs = Organization.objects.bulk_create([Organization(name=f"bench-{i:04d}") for i in range(ORGS)])
    apps = App.objects.bulk_create([
        App(organization=org, name=f"app-{j}", product_name=f"App {j}", data_center=data_center)
        for org in orgs for j in range(APPS_PER_ORG)
    ])
    end = next_month_start(MONTH)
    orders = []
    for app in apps:
        # A Pro bought before or during the month, upgraded to Flagship on a day of the month.
        bought = MONTH - dt.timedelta(days=rng.randint(0, 40))
        upgraded = MONTH + dt.timedelta(days=rng.randint(1, 26))
        for plan, day, until, status in ((pro, bought, upgraded, Order.Status.COMPLETED),
                                         (flagship, upgraded, None, Order.Status.IN_SERVICE)):
            created = business_midnight(day) + dt.timedelta(hours=10)
            orders.append(Order(
                organization_id=app.organization_id, app=app, plan=plan, status=status, buyer=buyer,
                monthly_fee=plan.monthly_price + Decimal(rng.choice([0, 200, 500, 1000])), estimated_fee=0,
                idempotency_key=uuid.uuid4().hex, created_at=created, purchase_date=day, charge_end_date=until,
                activate_after=created, activated_at=created,
            ))
    assert all(o.charge_end_date is None or o.charge_end_date < end for o in orders)
    Order.objects.bulk_create(orders, batch_size=500)
    return len(orders)


def verify_against_python() -> int:
    """Recompute every line with Decimal and ROUND_HALF_UP in Python; return how many differ."""
    from billing.models import BillLine
    from console.money import quantize_money
    from console.timeutil import days_in_month

    dim = days_in_month(MONTH)
    return sum(
        line.amount != quantize_money(line.monthly_fee * line.days / dim)
        or line.days != (line.end_date - line.start_date).days
        for line in BillLine.objects.all()
    )


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        recreate_postgres_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from billing.models import Bill, BillLine
    from billing.services import bills_generate
    from console.timeutil import business_midnight

    call_command("migrate", verbosity=0)
    order_count = build_data()
    now = business_midnight(dt.date(2026, 3, 5)) + dt.timedelta(minutes=10)

    with CaptureQueriesContext(connection) as first_queries:
        started = time.perf_counter()
        billed = bills_generate(month=MONTH, now=now)
        first_ms = (time.perf_counter() - started) * 1000
    with CaptureQueriesContext(connection) as again_queries:
        started = time.perf_counter()
        again = bills_generate(month=MONTH, now=now)
        again_ms = (time.perf_counter() - started) * 1000

    vendor = connection.vendor
    mismatches = verify_against_python()
    lines = [
        f"## {vendor}",
        f"data: {ORGS} orgs x {APPS_PER_ORG} apps, {order_count} orders; month {MONTH:%Y-%m}",
        f"bills_generate: {billed} bills, {BillLine.objects.count()} lines in {first_ms:.1f} ms, "
        f"{len(first_queries)} SQL statements",
        f"second run (already billed): {again} bills in {again_ms:.1f} ms, {len(again_queries)} SQL statements",
        f"bills in the database: {Bill.objects.count()}; lines differing from a Python Decimal check: {mismatches}",
    ]
    print("\n".join(lines))
    write_section(ROOT / "bench" / "results" / "billing.txt", vendor, lines[1:])


if __name__ == "__main__":
    main()
