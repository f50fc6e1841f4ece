"""Liveness of the parts the console needs: the database and the Celery broker."""

from django.db import connections
from kombu import Connection

from console.celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported with its text
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"


def check_broker(timeout: float = 2.0) -> tuple[bool, str]:
    url = celery_app.conf.broker_url
    options = dict(celery_app.conf.broker_transport_options or {})
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            if conn.transport.driver_type == "redis":
                conn.default_channel.client.ping()
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"
