"""Faults, on a Redis this test starts itself on a free port (never the machine's own):

- Redis stops: every page still answers 200, /healthz answers 503 within 5 s, a checkout still records the
  order (checkout enqueues nothing; beat scans the database), and once Redis is back a worker with beat puts
  that order in service.
- A worker is SIGKILLed in the middle of the activation job: the message was not acknowledged (acks_late), so
  another worker gets it again and applies the outcome exactly once (one history row per transition).
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.plans.models import Plan
from console.celery import app as celery_app
from console.heartbeat import heartbeat_record
from orders.models import Order, OrderStatusChange
from orders.tasks import activate_due_orders
from orders.tokens import checkout_token_issue
from tests.accounts.factories import MembershipFactory
from tests.applications.factories import AppFactory
from tests.conftest import ENGLISH
from tests.orders.factories import OrderFactory
from tests.quality.celery_worker import running_worker, start_worker, stop_worker, wait_until, worker_log

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Order.Status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A throw-away redis-server on a free port, without persistence."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        assert wait_until(lambda: self._pings(client), timeout=10), "redis-server did not start"

    @staticmethod
    def _pings(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(monkeypatch):
    server = OwnRedis(free_port())
    server.start()
    # Celery reads CELERY_BROKER_URL from the environment before its configuration: point both at it.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    monkeypatch.setitem(celery_app.conf, "broker_url", server.url)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options",
                        {"socket_connect_timeout": 1, "socket_timeout": 2, "visibility_timeout": 3})
    yield server
    server.stop()


@pytest.fixture
def shop(org):
    app = AppFactory(organization=org, name="shop")
    client = Client(headers=ENGLISH)
    client.force_login(MembershipFactory(organization=org, role=Role.OWNER).user)
    return app, client


def test_with_redis_down_pages_answer_healthz_fails_fast_and_checkout_still_records_the_order(
    own_redis, shop, tmp_path
):
    app, client = shop
    heartbeat_record()  # beat is not running here: its tick is recorded by hand
    assert client.get("/healthz").status_code == 200
    own_redis.stop()

    started = time.monotonic()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert time.monotonic() - started < 5
    assert health.json()["broker"]["ok"] is False and health.json()["database"]["ok"] is True
    pages = [
        reverse("applications:app_list", kwargs={"org_name": app.organization.name}),
        reverse("applications:app_detail", kwargs={"org_name": app.organization.name, "app_name": app.name}),
        reverse("orders:checkout", kwargs={"org_name": app.organization.name, "app_name": app.name}),
        reverse("orders:order_list", kwargs={"org_name": app.organization.name}),
        reverse("billing:account", kwargs={"org_name": app.organization.name}),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page

    response = client.post(pages[2], {"plan": "pro", "agree": "on", "token": checkout_token_issue(app=app)})
    assert response.status_code == 302
    order = Order.objects.get(app=app)
    assert order.status == S.PROVISIONING

    own_redis.start()
    heartbeat_record()
    assert client.get("/healthz").status_code == 200
    with running_worker(tmp_path / "worker", own_redis.url):
        went_in_service = wait_until(
            lambda: Order.objects.filter(pk=order.pk, status=S.IN_SERVICE).exists(), timeout=30
        )
    assert went_in_service, worker_log(tmp_path / "worker")
    assert OrderStatusChange.objects.filter(order=order).count() == 2


def blocked_on_a_row_lock() -> bool:
    """Someone waits for a lock (pg_locks is live; pg_stat_activity would be a snapshot inside a transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_worker_killed_mid_activation_is_redelivered_and_applies_it_once(own_redis, org, tmp_path: Path):
    app = AppFactory(organization=org, name="crash")
    past = timezone.now() - timezone.timedelta(hours=1)
    pro = OrderFactory(app=app, plan=Plan.objects.get(code="pro"), created_at=past - timezone.timedelta(days=3))
    flagship = OrderFactory(app=app, plan=Plan.objects.get(code="flagship"), status=S.PROVISIONING, created_at=past)
    settings_module = {"DJANGO_SETTINGS_MODULE": "tests.quality.worker_settings"}

    first = start_worker(tmp_path / "first", own_redis.url, beat=False, **settings_module)
    try:
        with transaction.atomic():
            # Hold the Pro order: the activation job locks Flagship, then waits here for Pro.
            Order.objects.select_for_update().get(pk=pro.pk)
            with celery_app.connection_for_write(own_redis.url) as broker:
                activate_due_orders.apply_async(connection=broker)
            assert wait_until(blocked_on_a_row_lock, timeout=30), worker_log(tmp_path / "first")
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
    finally:
        stop_worker(first)
    # The killed worker's transaction never committed.
    assert Order.objects.get(pk=flagship.pk).status == S.PROVISIONING
    assert "activate_due_orders" in worker_log(tmp_path / "first")

    with running_worker(tmp_path / "second", own_redis.url, beat=False, **settings_module):
        redelivered = wait_until(
            lambda: Order.objects.filter(pk=flagship.pk, status=S.IN_SERVICE).exists(), timeout=40
        )
        log = worker_log(tmp_path / "second")
    assert redelivered, log
    assert "activate_due_orders" in log
    pro.refresh_from_db()
    assert pro.status == S.COMPLETED
    transitions = list(OrderStatusChange.objects.filter(order__app=app).exclude(from_status="")
                       .values_list("order_id", "from_status", "to_status"))
    assert sorted(transitions) == sorted([(flagship.pk, S.PROVISIONING, S.IN_SERVICE),
                                          (pro.pk, S.IN_SERVICE, S.COMPLETED)])
