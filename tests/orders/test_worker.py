"""A real Celery worker with embedded beat on Redis puts an order in service (CI's PostgreSQL + Redis pass)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from orders.models import Order

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_worker_with_beat_puts_a_placed_order_in_service(app, buy, tmp_path: Path):
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "console.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "ORDER_ACTIVATION_INTERVAL_SECONDS": "1",
        "ORDER_PROVISIONING_SECONDS": "2",
        "CONSOLE_VAR_DIR": str(tmp_path),
    }
    order = buy(app, "pro")
    assert order.status == Order.Status.PROVISIONING
    worker = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "celery", "-A", "console", "worker", "--beat", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--schedule", str(tmp_path / "beat-schedule")],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            order.refresh_from_db()
            if order.status == Order.Status.IN_SERVICE or worker.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert order.status == Order.Status.IN_SERVICE, output[-3000:]
    assert order.history.filter(to_status=Order.Status.IN_SERVICE).count() == 1
