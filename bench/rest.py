"""The IM REST service under load (issue 15): token, get-user and send-message next to a trivial view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/console_imx REDIS_URL=redis://127.0.0.1:6379/6 \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/rest.py

Runs gunicorn (2 sync workers) on bench/rest_settings.py (the project's URLs plus a trivial JSON view) against
PostgreSQL and Redis, prepares one org and app on a paid plan through the ORM (its REST calls/s made
unlimited in this database so the limiter never answers 429) and the IM users through the REST API itself, then
drives each endpoint with wrk (Lua scripts for the POST bodies) and prints requests/s, the ratio to the trivial
view and the p99 latency; the figures go to bench/results/rest.txt. The heavy case adds a 10,000-word
sensitive-word list (on, replace) and 4 post-send callback rules matching the message: the request path then
publishes one Celery task per message (no worker runs during the measurement; the queue is purged after).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.rest_settings"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (and REDIS_URL / CELERY_BROKER_URL to a Redis db).")

import django  # noqa: E402

django.setup()

from bench.common import write_section  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "18765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORDS = 10_000
TARGETS = {"get-user": 0.2, "send": 0.1, "send (10,000 words, 4 post-send rules)": 0.08}
P99_MAX_MS = 50.0
RESULTS = ROOT / "bench" / "results" / "rest.txt"
ORG = "benchrest"
APP = f"bench{int(time.time())}"  # a new app per run: apps with orders cannot be deleted


def prepare():
    from django.core.management import call_command

    from apps.accounts.models import Organization, User
    from apps.applications.models import App, DataCenter
    from apps.features.services import app_feature_enable
    from apps.plans.models import Plan, PlanFeature
    from tests.orders.factories import app_on_plan

    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(name=ORG)
    app = App.objects.create(organization=org, name=APP, product_name="Bench",
                             data_center=DataCenter.objects.order_by("sort_order").first())
    buyer = User.objects.filter(email="bench-rest@example.com").first() or User.objects.create_user(
        email="bench-rest@example.com", password="bench-password-123")
    app_on_plan(app, "premium", buyer=buyer)
    PlanFeature.objects.filter(plan=Plan.objects.get(code="premium"), feature__code="rest_rate").update(quota=None)
    for code in ("sensitive_words", "callbacks"):
        app_feature_enable(app=app, feature_code=code, actor=None)
    return app


def heavy(app, receiver_url: str):
    """10,000 sensitive words (replace) and 4 post-send rules matching one-to-one text messages."""
    from apps.callbacks.services import callback_rule_create
    from apps.sensitive_words.services import sensitive_word_settings_update, sensitive_words_add

    sensitive_word_settings_update(app=app, actor=None, enabled=True, action="replace", ignore_case=True)
    sensitive_words_add(app=app, actor=None, words=[f"badword{i:05d}" for i in range(WORDS)])
    for index in range(4):
        callback_rule_create(app=app, actor=None, name=f"post{index}", kind="post_send", url=receiver_url,
                             chat_types=["chat"], message_types=["txt"])


def call(method: str, path: str, body=None, token: str | None = None) -> dict:
    request = urllib.request.Request(f"{BASE}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
        return json.loads(response.read() or b"{}")


def start_gunicorn(log: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.rest_settings"}
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "console.wsgi", "--workers", "2", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{BASE}/bench/trivial", timeout=1).read()  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not start; see {log}")


LUA_POST = """wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
{auth}
"""


def run_wrk(name: str, path: str, *, body: dict | None = None, token: str | None = None,
            duration: str | None = None) -> dict:
    """A 2-second warm-up (each worker loads its caches, word automaton and connections), then the run."""
    if duration is None:
        run_wrk(name, path, body=body, token=token, duration="2s")
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    script = LUA_POST.format(body=json.dumps(body), auth=auth) if body is not None else auth + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    output = subprocess.run(  # noqa: S603
        ["/usr/bin/wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration or DURATION}", "--latency", "-s", handle.name,
         f"{BASE}{path}"], capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"name": name, "rps": rps, "p99_ms": p99_ms, "errors": int(non_2xx.group(1)) if non_2xx else 0}


def measure_pair(name: str, path: str, body: dict | None, token: str | None) -> tuple[dict, dict]:
    """The trivial view, then the case at once: the machine's load changes less between the two."""
    return run_wrk("trivial view", "/bench/trivial"), run_wrk(name, path, body=body, token=token)


def purge_queue():
    from console.celery import app as celery_app

    celery_app.control.purge()


def main():
    from tests.im.receiver import start_receiver, stop_receiver

    app = prepare()
    receiver, receiver_server = start_receiver()
    log = Path(tempfile.mkdtemp(prefix="bench-rest-")) / "gunicorn.log"
    server = start_gunicorn(log)
    rest = f"/rest/{ORG}/{APP}"
    try:
        token_body = {"grant_type": "client_credentials", "client_id": app.client_id,
                      "client_secret": app.client_secret}
        token = call("POST", f"{rest}/token", token_body)["access_token"]
        call("POST", f"{rest}/users", [{"username": "alice", "password": "secret-1"},
                                       {"username": "bob", "password": "secret-2"}], token)
        send_body = {"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hello bob, how are you?"}}
        cases = [("token", f"{rest}/token", token_body, None),
                 ("get-user", f"{rest}/users/alice", None, token),
                 ("send", f"{rest}/messages/users", send_body, token)]
        pairs = [measure_pair(*case) for case in cases]
        heavy(app, receiver.url())
        time.sleep(6)  # the workers' cached rule snapshots expire
        pairs.append(measure_pair("send (10,000 words, 4 post-send rules)", f"{rest}/messages/users", send_body,
                                  token))
    finally:
        server.terminate()
        server.wait(timeout=30)
        stop_receiver(receiver_server)
        purge_queue()
    lines = [f"gunicorn 2 sync workers, wrk -t2 -c{CONNECTIONS} -d{DURATION} after a 2 s warm-up; PostgreSQL + Redis; "
             f"{os.cpu_count()} CPUs shared with wrk and with other work (load average {os.getloadavg()[0]:.1f}); "
             "each case is measured right after the trivial view and compared with that run"]
    for trivial, row in pairs:
        ratio = row["rps"] / trivial["rps"]
        target = TARGETS.get(row["name"])
        verdict = ""
        if target is not None:
            ok = ratio >= target and row["p99_ms"] <= P99_MAX_MS
            verdict = (f"  target >= {target:.2f}x, p99 <= {P99_MAX_MS:.0f} ms: {'met' if ok else 'NOT met'}; "
                       f"{ratio / 0.3:.0%} of 0.3x")
        lines.append(f"{row['name']:<40} {row['rps']:>7.0f} req/s vs trivial {trivial['rps']:>6.0f} req/s "
                     f"(p99 {trivial['p99_ms']:.1f} ms)  {ratio:>5.2f}x  p99 {row['p99_ms']:>6.1f} ms  "
                     f"non-2xx {row['errors']}{verdict}")
    print("\n".join(lines))
    write_section(RESULTS, "postgresql", lines)


if __name__ == "__main__":
    main()
