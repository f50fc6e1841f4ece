"""The Send test event button through a real Celery worker on Redis (CI's PostgreSQL + Redis pass)."""

from pathlib import Path

import pytest

from apps.callbacks.models import CallbackDelivery
from tests.callbacks.factories import CallbackRuleFactory
from tests.orders.factories import ProAppFactory
from tests.quality.celery_worker import running_worker, wait_until, worker_log

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_send_test_event_is_delivered_by_the_worker(owner_client, org, callback_server, private_targets,
                                                     tmp_path: Path):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org), url=callback_server.url())
    with running_worker(tmp_path, beat=False, CALLBACKS_ALLOW_PRIVATE_TARGETS="true"):
        response = owner_client.post(
            f"/o/{org.name}/apps/{rule.app.name}/features/callbacks/{rule.pk}/test/", follow=True
        )
        assert "Test event queued." in response.content.decode()
        delivered = wait_until(lambda: CallbackDelivery.objects.filter(rule=rule).exists(), timeout=30)
        log = worker_log(tmp_path)
    assert delivered, log
    row = CallbackDelivery.objects.get(rule=rule)
    assert (row.attempt, row.status_code, row.ok) == (1, 200, True)
    assert len(callback_server.received) == 1
    assert callback_server.received[0].headers["webhook-id"] == row.delivery_id
