"""Benchmark: bill one month for 200 orgs × 5 apps (~2,000 orders) and count the SQL statements.

    .venv/bin/python bench/billing.py                      # SQLite in a temporary directory
    .venv/bin/python bench/billing.py --scale 10000 100000 1000000   # PostgreSQL at scale (issue 14), below
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_bench .venv/bin/python bench/billing.py

On PostgreSQL the named database is dropped and created again (use a throwaway name such as console_bench).
The figures are printed and written to bench/results/billing.txt (one section per database vendor).
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
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
                created_at=created, purchase_date=day, charge_end_date=until,
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


# --- Scale: 10,000 / 100,000 / 1,000,000 in-service orders (issue 14), PostgreSQL only -----------------------

SCALE_URL = os.environ.get("BENCH_BILLING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/console_bench_billing")
SCALES = {10_000: 1_000, 100_000: 10_000, 1_000_000: 100_000}  # orders -> orgs (10 apps per org, 1 order each)


def _insert_select(cursor, model, columns: dict[str, str], tail: str, params: list) -> None:
    """INSERT INTO model's table (columns..., every other NOT NULL column) SELECT expressions... ``tail``.

    ``columns`` maps a column to its SQL expression; every other non-null column without a value gets its
    field's Python default as a parameter, so a column added to the model later (such as the organization's
    require_two_factor) does not break the builder."""
    from django.db import connection

    extra_columns, extra_params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.column in columns:
            continue
        if not field.has_default():
            raise RuntimeError(f"{model.__name__}.{field.name} has no default: give it a value in build_scale")
        extra_columns.append(field.column)
        extra_params.append(field.get_db_prep_save(field.get_default(), connection))
    names = [*columns, *extra_columns]
    expressions = [*columns.values(), *(["%s"] * len(extra_columns))]
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) SELECT {', '.join(expressions)} {tail}",
        [*extra_params, *params],  # the extras' placeholders come before the tail's
    )


def build_scale(orders: int, orgs: int) -> None:
    """Orgs, apps and one in-service Pro order per app, in three INSERT ... SELECT generate_series (the ORM would
    take minutes for a million rows); fees vary so amounts differ; half the orders start during the month."""
    from django.db import connection

    from apps.accounts.models import Organization, User
    from apps.applications.models import App, DataCenter
    from apps.plans.models import Plan
    from orders.models import Order

    buyer = User.objects.create(email="bench@example.com")
    center = DataCenter.objects.order_by("sort_order").first().pk
    pro = Plan.objects.get(code="pro").pk
    per_org = orders // orgs
    with connection.cursor() as cursor:
        _insert_select(cursor, Organization, {"name": "'scale-' || i", "created_at": "now()"},
                       "FROM generate_series(1, %s) i", [orgs])
        _insert_select(
            cursor, App,
            {"name": f"'app-' || (i %% {per_org:d})", "product_name": "'App'", "description": "''",
             "client_id": "'cid-' || i", "client_secret": "''", "status": "'active'", "created_at": "now()",
             "uuid": "gen_random_uuid()",
             "organization_id": "o.id", "data_center_id": f"{center:d}"},
            f"FROM generate_series(0, %s - 1) i JOIN {Organization._meta.db_table} o "
            f"ON o.name = 'scale-' || (i / {per_org:d} + 1)",
            [orders])
        _insert_select(
            cursor, Order,
            {"number": "'N' || a.id", "status": "'in_service'", "monthly_fee": "888 + (a.id %% 7) * 100",
             "estimated_fee": "0", "created_at": "now()",
             "purchase_date": f"CASE WHEN a.id %% 2 = 0 THEN DATE '{MONTH - dt.timedelta(days=20):%Y-%m-%d}' "
                              f"ELSE DATE '{MONTH:%Y-%m-%d}' + (a.id %% 27)::int END",
             "activate_after": "now()", "activated_at": "now()", "app_id": "a.id", "buyer_id": f"{buyer.pk:d}",
             "organization_id": "a.organization_id", "plan_id": f"{pro:d}"},
            f"FROM {App._meta.db_table} a", [])
        cursor.execute("ANALYZE")


def raw_insert_seconds() -> float:
    """The same lines by one plain INSERT ... SELECT into a table of the bill line's columns (no keys, no
    indexes, no bills, no ledger): the floor the service is compared with."""
    from django.db import connection, transaction

    from orders.charges import order_charged_lines_sql

    sql, params = order_charged_lines_sql(month=MONTH)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS raw_lines")
        cursor.execute("CREATE TABLE raw_lines (order_id bigint, app_id bigint, start_date date, end_date date, "
                       "days smallint, monthly_fee numeric(14,2), amount numeric(14,2))")
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO raw_lines SELECT c.order_id, c.app_id, c.start_date, c.end_date, c.days, c.monthly_fee, "
            f"c.amount_cents / 100.0 FROM ({sql}) c", params)  # noqa: S608
        elapsed = time.perf_counter() - started
    return elapsed


def scale_main(sizes: list[int]) -> None:
    import resource

    lines = []
    for orders in sizes:
        recreate_postgres_database(SCALE_URL)
        os.environ["DATABASE_URL"] = SCALE_URL
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from billing.models import Bill, BillLine, LedgerEntry
        from billing.services import bills_generate
        from console.timeutil import business_midnight

        connection.close()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build_scale(orders, SCALES[orders])
        built = time.perf_counter() - started
        raw = statistics.median(raw_insert_seconds() for _ in range(3))
        now = business_midnight(dt.date(2026, 3, 5)) + dt.timedelta(minutes=10)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            billed = bills_generate(month=MONTH, now=now)
            elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert billed == SCALES[orders] and BillLine.objects.count() == orders
        assert LedgerEntry.objects.filter(kind="bill").count() == Bill.objects.count() == billed
        target = {100_000: "target <= 2 s and <= 10x raw", 1_000_000: "target <= 25 s, RSS <= 200 MB"}.get(orders, "")
        lines.append(
            f"{orders:>9,} orders / {SCALES[orders]:>7,} orgs: bills_generate {elapsed:6.2f} s "
            f"({len(ctx.captured_queries)} statements), raw INSERT ... SELECT {raw:5.2f} s "
            f"({elapsed / raw:4.1f}x raw); peak RSS {peak_mb:.0f} MB; data built in {built:.0f} s. {target}"
        )
        print(lines[-1], flush=True)
        for query in ctx.captured_queries:
            print(f"    {float(query['time']) * 1000:8.0f} ms  {' '.join(query['sql'].split())[:100]}")
        connection.close()
    header = (f"bench/billing.py --scale on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL, month "
              f"{MONTH:%Y-%m}, ANALYZE after building; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(header)
    write_section(ROOT / "bench" / "results" / "billing.txt", "postgresql scale", [header, *lines])


if __name__ == "__main__":
    if "--scale" in sys.argv:
        # --scale [10000 100000 1000000]: the sizes to run (default 10,000 and 100,000; 1,000,000 is heavy)
        chosen = [int(arg) for arg in sys.argv[sys.argv.index("--scale") + 1:]] or [10_000, 100_000]
        scale_main(chosen)
    else:
        main()
