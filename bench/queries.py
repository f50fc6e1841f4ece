"""The SQL query count of every main page with 1 row and with 500 rows of everything in the org.

    .venv/bin/python bench/queries.py            # SQLite in a temporary directory
    .venv/bin/python bench/queries.py --postgres # PostgreSQL database console_bench_queries (dropped first)
    .venv/bin/python bench/queries.py --sql      # also print each page's statements (the query log)

Equal counts (1 row and 500 rows) and at most 10 per page is the target; tests/quality/test_query_counts.py
asserts the same. Writes bench/results/queries.txt (one section per database vendor).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/console_bench_queries"
BUDGET = 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    os.environ["CONSOLE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-queries-")
    if args.postgres:
        from bench.common import recreate_postgres_database

        recreate_postgres_database(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "console.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bench.common import write_section
    from tests.quality.scale import MAIN_PAGES, build_scale_org, page_url

    setup_test_environment()
    call_command("migrate", verbosity=0)
    scales = {1: build_scale_org(name="small", rows=1), 500: build_scale_org(name="large", rows=500)}
    clients = {}
    for rows, scale in scales.items():
        client = Client(headers={"accept-language": "en"})
        client.force_login(scale.owner)
        for page in MAIN_PAGES:  # warm: the session's current org, the cached catalog and arrears flag
            client.get(page_url(page, scale))
        clients[rows] = client
    lines = [f"{'page':<20} {'1 row':>6} {'500 rows':>9}  verdict (equal and <= {BUDGET})"]
    failures = 0
    for page in MAIN_PAGES:
        counts, logs = {}, {}
        for rows, scale in scales.items():
            with CaptureQueriesContext(connection) as ctx:
                response = clients[rows].get(page_url(page, scale))
            assert response.status_code == 200, (page.label, response.status_code)
            counts[rows], logs[rows] = len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]
        ok = counts[1] == counts[500] <= BUDGET
        failures += not ok
        lines.append(f"{page.label:<20} {counts[1]:>6} {counts[500]:>9}  {'ok' if ok else 'OVER'}")
        if args.sql:
            for sql in logs[500]:
                print(f"  [{page.label}] {sql[:300]}")
    lines.append(f"{len(MAIN_PAGES) - failures} of {len(MAIN_PAGES)} pages within the budget")
    print("\n".join(lines))
    write_section(ROOT / "bench" / "results" / "queries.txt", connection.vendor, lines)


if __name__ == "__main__":
    main()
