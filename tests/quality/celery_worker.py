"""A real Celery worker (optionally with embedded beat) as a subprocess, sharing the test database.

Used by the browser journey (orders go in service through beat) and the fault tests (a broker that goes away,
a worker killed mid-task). Mirrors tests/orders/test_worker.py, which keeps its own copy."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection


def tests_database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(var_dir: Path, broker_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "console.settings.test",
        "DATABASE_URL": tests_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "ORDER_ACTIVATION_INTERVAL_SECONDS": "1",
        "ORDER_PROVISIONING_SECONDS": "2",
        "CONSOLE_VAR_DIR": str(var_dir),
        **extra,
    }


def start_worker(var_dir: Path, broker_url: str, *, beat: bool = True, **extra: str) -> subprocess.Popen:
    var_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "celery", "-A", "console", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if beat:
        command += ["--beat", "--schedule", str(var_dir / "beat-schedule")]
    return subprocess.Popen(  # noqa: S603 - fixed argv
        command, env=worker_environment(var_dir, broker_url, **extra), cwd=settings.BASE_DIR,
        stdout=(var_dir / "worker.log").open("a"), stderr=subprocess.STDOUT, text=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def worker_log(var_dir: Path) -> str:
    path = var_dir / "worker.log"
    return path.read_text()[-4000:] if path.exists() else ""


@contextlib.contextmanager
def running_worker(var_dir: Path, broker_url: str | None = None, **options) -> Iterator[subprocess.Popen]:
    worker = start_worker(var_dir, broker_url or settings.CELERY_BROKER_URL, **options)
    try:
        yield worker
    finally:
        stop_worker(worker)


def wait_until(condition: Callable[[], bool], *, timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
