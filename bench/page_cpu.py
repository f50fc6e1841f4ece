"""CPU milliseconds per request of every main console page, in process (issue 14).

    .venv/bin/python bench/page_cpu.py                      # build bench/pages.py's data, measure every page
    .venv/bin/python bench/page_cpu.py --reuse              # the data of an earlier run (same database)
    .venv/bin/python bench/page_cpu.py --reuse --only "app" --requests 100
    .venv/bin/python bench/page_cpu.py --reuse --profile "app overview"   # cProfile of one page, top functions

The settings are bench.pages_site's (DEBUG off, cached templates, Redis cache and sessions, PostgreSQL at
BENCH_PAGES_DATABASE_URL); the data is bench/pages.py's (1,000 apps, 5,000 orders, 24 bills, 100,000 IM users).
Each page is requested through the whole WSGI handler (middleware, session, context processors, template) with
a signed-in owner's session; after warm-up requests, the process CPU time (time.process_time: this process only,
not PostgreSQL's or Redis's) of N requests is divided by N. Unlike req/s under wrk, this figure hardly moves
with the machine's load, so before/after comparisons hold on a busy machine.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_reused() -> dict:
    os.environ.update(_environment())
    import django

    django.setup()
    from apps.accounts.models import Organization
    from apps.applications.models import App
    from billing.models import Bill
    from tests.quality.scale import MAIN_APP, MAIN_PAGES, ScaleOrg, page_url

    org = Organization.objects.get(name="bench")
    owner = org.memberships.get(role="owner").user
    scale = ScaleOrg(org=org, owner=owner, app=App.objects.get(organization=org, name=MAIN_APP),
                     bill=Bill.objects.filter(organization=org).order_by("-month").first())
    return {"email": owner.email, "pages": [(page.label, page_url(page, scale)) for page in MAIN_PAGES]}


def _environment() -> dict:
    from bench.pages import _environment as pages_environment

    return pages_environment()


def measure(client, path: str, requests: int) -> float:
    """CPU ms per request of ``requests`` GETs of ``path`` (each must answer 200)."""
    started = time.process_time()
    for _ in range(requests):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    return (time.process_time() - started) * 1000 / requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="do not rebuild: the data of an earlier run")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is reported")
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    parser.add_argument("--profile", default="", help="cProfile this page (exact label) and print the top")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()

    if args.reuse:
        data = _setup_reused()
    else:
        from bench.pages import build

        data = build()
    from django.test import Client

    from apps.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=data["email"]))
    pages = [("trivial view", "/bench/trivial/"), *data["pages"]]
    if args.profile:
        path = dict(pages)[args.profile]
        measure(client, path, 5)
        profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on PostgreSQL and Redis
        profiler.enable()
        ms = measure(client, path, args.requests)
        profiler.disable()
        print(f"{args.profile}: {ms:.2f} CPU ms/request under cProfile (inflated)")
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        return
    pages = [(label, path) for label, path in pages if args.only in label or label == "trivial view"]
    for _label, path in pages:
        measure(client, path, 5)  # warm: templates, translations, caches
    results: dict[str, list[float]] = {label: [] for label, _ in pages}
    for _ in range(args.rounds):
        for label, path in pages:
            results[label].append(measure(client, path, args.requests))
    load = os.getloadavg()[0]
    print(f"CPU ms per request (best of {args.rounds} rounds of {args.requests}; load {load:.1f}):")
    for label, _ in pages:
        print(f"  {label:<22} {min(results[label]):7.2f}")


if __name__ == "__main__":
    main()
