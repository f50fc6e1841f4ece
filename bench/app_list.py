"""Time the app list of an org with 1,000 apps (SPEC §5: "an org with 1,000 apps stays fast").

    DJANGO_SETTINGS_MODULE=console.settings.local .venv/bin/python bench/app_list.py

Builds a throwaway SQLite database in a temporary directory (never touches var/), creates one org with 1,000
apps (a fifth of them on a paid plan), then requests the app list page through the test Client several times
per case and prints the median time and the query count. The figures are also written to
bench/results/app_list.txt.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR_DIR = tempfile.mkdtemp(prefix="bench-app-list-")
os.environ["CONSOLE_VAR_DIR"] = VAR_DIR
os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite file under VAR_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

APPS = 1_000
RUNS = 15


def build():
    from apps.accounts.models import Membership, Organization, User
    from apps.accounts.roles import Role
    from apps.applications.models import App, DataCenter
    from apps.plans.models import CatalogSettings, Plan
    from tests.orders.factories import OrderFactory

    call_command("migrate", verbosity=0)
    catalog = CatalogSettings.load()
    catalog.app_limit = APPS
    catalog.save()
    org = Organization.objects.create(name="bench")
    user = User.objects.create_user(email="bench@example.com", password="bench-password-123")
    Membership.objects.create(user=user, organization=org, role=Role.OWNER)
    centers = list(DataCenter.objects.all())
    App.objects.bulk_create(
        App(
            organization=org,
            name=f"app-{i:04d}",
            product_name=f"Product {i}",
            data_center=centers[i % len(centers)],
        )
        for i in range(APPS)
    )
    paid = [Plan.objects.get(code=code) for code in ("pro", "flagship", "premium")]
    for i, app in enumerate(App.objects.filter(organization=org).order_by("pk")[: APPS // 5]):
        OrderFactory(app=app, plan=paid[i % len(paid)])
    return org, user


def measure(client, url, params):
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, params)
    return statistics.median(timings), len(ctx.captured_queries)


def main():
    setup_test_environment()
    org, user = build()
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    url = reverse("applications:app_list", kwargs={"org_name": org.name})
    cases = [
        ("first page", {}),
        ("page 40", {"page": 40}),
        ("search 'app-09'", {"q": "app-09"}),
        ("search, no match", {"q": "zzz"}),
    ]
    client.get(url)  # warm caches (templates, translations)
    lines = [f"App list of an org with {APPS} apps, SQLite, median of {RUNS} runs ({connection.vendor})"]
    for label, params in cases:
        median, queries = measure(client, url, params)
        lines.append(f"{label:<20} {median:8.1f} ms  {queries} queries")
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results" / "app_list.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n")


if __name__ == "__main__":
    main()
