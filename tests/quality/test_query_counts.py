"""Every main page runs the same number of SQL queries with 1 row and with 500 rows of everything in the org
(apps, orders, bills and bill lines, ledger, sensitive words, members, audit entries), and at most 10.
bench/queries.py prints the same counts (and, with --sql, the statements)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import ENGLISH
from tests.quality.scale import MAIN_PAGES, build_scale_org, page_url

BUDGET = 10


def _count(client: Client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_main_pages_query_count_does_not_grow_with_rows_and_stays_within_budget(db):
    small = build_scale_org(name="small", rows=1)
    large = build_scale_org(name="large", rows=500)
    problems = []
    for scale in (small, large):
        client = Client(headers=ENGLISH)
        client.force_login(scale.owner)
        # Warm: the first org page of a session records the current org, and the first read of the catalog and
        # the arrears flag fills the cache; the budget is what every later request costs.
        for page in MAIN_PAGES:
            client.get(page_url(page, scale))
        scale.client = client
    for page in MAIN_PAGES:
        small_count, _ = _count(small.client, page_url(page, small))
        large_count, _ = _count(large.client, page_url(page, large))
        if small_count != large_count or large_count > BUDGET:
            problems.append(f"{page.label}: {small_count} queries with 1 row, {large_count} with 500")
    assert not problems, "\n".join(problems)
