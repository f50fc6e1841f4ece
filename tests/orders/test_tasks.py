import datetime as dt

import pytest
from django.conf import settings

from console.celery import app as celery_app
from orders.models import Order
from orders.tasks import activate_due_orders


def test_activation_task_is_registered_and_scheduled_by_beat():
    celery_app.loader.import_default_modules()
    assert "orders.tasks.activate_due_orders" in celery_app.tasks
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "orders.tasks.activate_due_orders")
    assert entry["schedule"] == settings.ORDER_ACTIVATION_INTERVAL_SECONDS == 15.0


@pytest.mark.django_db
def test_activation_task_puts_due_orders_in_service(app, buy):
    order = buy(app, "pro", now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    assert activate_due_orders.apply().get() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.IN_SERVICE
