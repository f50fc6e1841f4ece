"""Every main console page against a trivial view and the Django admin, through gunicorn on PostgreSQL (issue 14).

    .venv/bin/python bench/pages.py                   # build the data, serve, measure, write bench/results/
    .venv/bin/python bench/pages.py --rounds 2 --duration 5 --only "bill"   # fewer, shorter, some pages

What it does, in one command:
  1. drops and creates the PostgreSQL database console_bench_pages (BENCH_PAGES_DATABASE_URL to change it),
     migrates, builds one org with 1,000 apps, 5,000 orders, 24 bills of which the newest has 5,000 lines,
     1,000 sensitive words, members and audit entries, 100,000 IM users with 1,000 groups and 10,000 messages
     on the main app and 30 usage days per app (tests/quality/scale.py), and runs VACUUM ANALYZE (autovacuum is off
     on this machine);
  2. starts gunicorn (2 sync workers) with bench.pages_site.settings: the console's own settings and URLs plus a
     trivial view mounted only there; Redis (BENCH_REDIS_URL, db 4 by default) is the cache and session store;
  3. signs in through the login form and checks every page answers 200 with that session;
  4. runs ``wrk -t2 -c16 -d10s --latency`` with the session cookie on each target, in rounds that interleave the
     trivial view, every console page and the admin changelists (each round runs the trivial view first);
  5. prints req/s, p50, p99 and the two ratios (× trivial, × the admin apps changelist) with the targets
     (≥ 0.05× trivial, ≥ 5× admin, p99 ≤ 150 ms; the aim beyond: 0.12× and p99 ≤ 100 ms), and writes
     bench/results/pages.txt.

Pages go in tests/quality/scale.py's MAIN_PAGES (the query-count test then covers them too; the IM users,
IM groups and usage pages are there) or, for a target outside the console's org pages, in EXTRA_TARGETS below;
bench/rest for the IM REST service reports with the same targets.
"""

import argparse
import datetime as dt
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/console_bench_pages")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_PAGES_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "bench-password-123"
IM_USERS = 100_000  # the IM users, groups and usage pages are measured at this size (issue 16)
SETTINGS = "bench.pages_site.settings"

# (label, path) of further targets; the console's org pages come from MAIN_PAGES.
EXTRA_TARGETS: list[tuple[str, str]] = []
ADMIN_TARGETS = [
    ("admin: apps changelist", "/admin/applications/app/"),
    ("admin: orders changelist", "/admin/orders/order/"),
    ("admin: bills changelist", "/admin/billing/bill/"),
]
ADMIN_BASELINE = "admin: apps changelist"
TRIVIAL = "trivial view"
TARGET_X_TRIVIAL, AIM_X_TRIVIAL, TARGET_X_ADMIN, TARGET_P99, AIM_P99 = 0.05, 0.12, 5.0, 150.0, 100.0


def _environment() -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=DB_URL, REDIS_URL=REDIS_URL, CELERY_BROKER_URL=REDIS_URL,
               DJANGO_SETTINGS_MODULE=SETTINGS, PYTHONPATH=str(ROOT),
               CONSOLE_VAR_DIR=tempfile.mkdtemp(prefix="bench-pages-"))
    return env


def build() -> dict:
    """The data, in this process; returns the URL of every console page."""
    from bench.common import recreate_postgres_database

    recreate_postgres_database(DB_URL)
    os.environ.update(_environment())
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import User
    from tests.quality.scale import MAIN_PAGES, build_scale_org, page_url

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    scale = build_scale_org(name="bench", rows=1000, apps=1000, orders=5000, bills=24, bill_lines=5000,
                            words=1000, members=50, im_users=IM_USERS, im_groups=1000, messages=10_000,
                            password=PASSWORD)
    User.objects.filter(pk=scale.owner.pk).update(is_staff=True, is_superuser=True)  # one session for the admin
    with connection.cursor() as cursor:
        # VACUUM as well as ANALYZE: autovacuum is off on this machine, and without it PostgreSQL cannot answer
        # an index count (the IM users' registered count) from the index alone, as a production server would.
        cursor.execute("VACUUM ANALYZE")
        # Write the build's dirty pages now: otherwise the checkpointer flushes them while the first pages are
        # measured (a steady-state server is not writing back a 100,000-user bulk load).
        cursor.execute("CHECKPOINT")
    cache.clear()  # the bench's Redis db: no session or cached value of an earlier run
    print(f"data built in {time.perf_counter() - started:.1f} s: 1,000 apps, 5,000 orders, 24 bills "
          f"(newest {scale.bill.month:%Y-%m}, 5,000 lines), 1,000 words, 50 members, {IM_USERS:,} IM users, "
          f"1,000 groups, 10,000 messages, 30 usage days per app; VACUUM ANALYZE and CHECKPOINT done")
    return {
        "email": scale.owner.email,
        "pages": [(page.label, page_url(page, scale)) for page in MAIN_PAGES],
    }


def start_gunicorn(workers: int) -> subprocess.Popen:
    log = open(Path(tempfile.gettempdir()) / "bench-pages-gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "console.wsgi:application", "--workers", str(workers),
         "--worker-class", "sync", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=_environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    import requests

    for _ in range(100):
        try:
            # not /healthz: it answers 503 while no beat heartbeat is fresh, and no beat runs in the benchmark
            if requests.get(f"{BASE}/accounts/login/", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            pass
        if process.poll() is not None:
            sys.exit(f"gunicorn exited; see {log.name}")
        time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not answer the login page")


def login(email: str) -> str:
    import requests

    session = requests.Session()
    form = session.get(f"{BASE}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = session.post(f"{BASE}/accounts/login/", data={"username": email, "password": PASSWORD,
                                                            "csrfmiddlewaretoken": token},
                          headers={"Referer": f"{BASE}/accounts/login/"}, timeout=10, allow_redirects=False)
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        sys.exit(f"login failed: {answer.status_code}")
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def check(targets: list[tuple[str, str]], cookie: str) -> None:
    import requests

    for label, path in targets:
        answer = requests.get(f"{BASE}{path}", headers={"Cookie": cookie}, timeout=60, allow_redirects=False)
        if answer.status_code != 200:
            sys.exit(f"{label} ({path}) answered {answer.status_code}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(path: str, cookie: str, *, threads: int, connections: int, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
         "-H", f"Cookie: {cookie}", f"{BASE}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "errors": errors.group(1) if errors else ""}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="only the console pages whose label contains this")
    args = parser.parse_args()

    data = build()
    pages = [(label, path) for label, path in data["pages"] + EXTRA_TARGETS if args.only in label]
    targets = [(TRIVIAL, "/bench/trivial/"), *pages, *ADMIN_TARGETS]
    server = start_gunicorn(args.workers)
    try:
        cookie = login(data["email"])
        check(targets, cookie)
        for _label, path in targets:  # warm each worker: templates, translations, cached catalog
            wrk(path, cookie, threads=1, connections=2, duration=1)
        runs: dict[str, list[dict]] = {label: [] for label, _ in targets}
        round_lines: list[str] = []
        for number in range(1, args.rounds + 1):
            for label, path in targets:
                result = wrk(path, cookie, threads=args.threads, connections=args.connections,
                             duration=args.duration)
                runs[label].append(result)
                line = (f"round {number}: {label:<28} {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                        f"p99 {result['p99']:7.1f} ms" + (f"  NON-2xx {result['non2xx']}" if result["non2xx"] else "")
                        + (f"  socket errors {result['errors']}" if result["errors"] else ""))
                round_lines.append(line + "\n")
                print(line, flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    def median(label, key):
        return statistics.median(run[key] for run in runs[label])

    trivial, admin = median(TRIVIAL, "rps"), median(ADMIN_BASELINE, "rps")
    load = os.getloadavg()
    lines = [
        f"bench/pages.py on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: gunicorn {args.workers} sync workers, "
        f"PostgreSQL, Redis cache and sessions; wrk -t{args.threads} -c{args.connections} -d{args.duration}s; "
        f"median of {args.rounds} round(s); load average before the report {load[0]:.1f} on {os.cpu_count()} cores",
        "data: 1 org, 1,000 apps, 5,000 orders, 24 bills (newest with 5,000 lines), 1,000 words, 50 members; "
        f"main app: {IM_USERS:,} IM users, 1,000 groups of 10, 10,000 messages; 30 usage days per app",
        f"targets: >= {TARGET_X_TRIVIAL}x trivial, >= {TARGET_X_ADMIN}x admin apps changelist, p99 <= {TARGET_P99:.0f}"
        f" ms (aim {AIM_X_TRIVIAL}x, p99 <= {AIM_P99:.0f} ms)",
        "",
        f"| {'page':<28} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'x trivial':>9} | {'x admin':>7} "
        "| verdict |",
        f"|{'-' * 30}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 11}|{'-' * 9}|---------|",
    ]
    for label, _ in targets:
        rps, p50, p99 = median(label, "rps"), median(label, "p50"), median(label, "p99")
        # No request finished within the run (wrk's 10 s timeout): 0 req/s, ratios against it are meaningless.
        x_trivial, x_admin = (rps / trivial if trivial else 0.0), (rps / admin if admin else float("inf"))
        if label == TRIVIAL or label.startswith("admin:"):
            verdict = "-"
        elif not admin or not rps:
            verdict = "NO DATA"
        elif x_trivial >= AIM_X_TRIVIAL and p99 <= AIM_P99 and x_admin >= TARGET_X_ADMIN:
            verdict = "aim"
        elif x_trivial >= TARGET_X_TRIVIAL and p99 <= TARGET_P99 and x_admin >= TARGET_X_ADMIN:
            verdict = "target"
        else:
            verdict = "MISS"
        lines.append(f"| {label:<28} | {rps:>8.1f} | {p50:>7.1f} | {p99:>7.1f} | {x_trivial:>9.3f} | "
                     f"{x_admin:>7.2f} | {verdict:<7} |")
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results" / "pages.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n")
    # Every round's figures beside the medians: how much one round differs from another on this machine.
    (out.parent / "pages_rounds.txt").write_text(
        f"bench/pages.py --rounds {args.rounds}, ended {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: every round's "
        "figures (the table in pages.txt is their median)\n" + "".join(round_lines))


if __name__ == "__main__":
    main()
