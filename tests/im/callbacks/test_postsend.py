"""Post-send callbacks: queued on commit, delivered by the Celery task to a real receiver, logged, retried."""

import hashlib
import json

import pytest

from apps.callbacks.models import CallbackDelivery
from apps.callbacks.selectors import callback_rule_for_page
from apps.im.callback_tasks import deliver_postsend
from apps.im.postsend import message_data, schedule_postsend
from console.celery import app as celery_app
from tests.im.callbacks.conftest import make_rule, message
from tests.im.receiver import Answer

pytestmark = pytest.mark.django_db


def run_queued(callbacks, monkeypatch):
    """Run the on-commit callbacks with the task executed in this process (what the worker would do)."""
    queued = []
    monkeypatch.setattr(deliver_postsend, "apply_async", lambda args, **options: queued.append(args))
    for callback in callbacks:
        callback()
    for args in queued:
        deliver_postsend(*args)
    return queued


def test_a_stored_message_is_delivered_after_commit_in_easemobs_post_send_shape(
    app, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    rule = make_rule(app, receiver, kind="post_send")
    sent = message(ext={"k": 1})
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_postsend(app=app, message=sent)
        assert receiver.received == []  # nothing before the commit
    assert len(run_queued(callbacks, monkeypatch)) == 1
    payload = json.loads(receiver.received[0].body)
    assert payload["eventType"] == "chat" and payload["msg_id"] == sent.msg_id
    assert payload["payload"] == {"bodies": [{"type": "txt", "msg": "hello"}], "ext": {"k": 1}, "from": "alice",
                                  "to": "bob", "type": "chat"}
    expected = hashlib.md5(f"{payload['callId']}{rule.secret}{payload['timestamp']}".encode()).hexdigest()  # noqa: S324
    assert payload["security"] == expected
    row = CallbackDelivery.objects.get(rule=rule)
    assert (row.event, row.attempt, row.status_code, row.ok) == ("chat", 1, 200, True)
    assert receiver.received[0].headers["webhook-id"] == row.delivery_id


def test_a_failed_delivery_is_retried_once_and_both_attempts_are_in_the_rule_log(
    app, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    rule = make_rule(app, receiver, kind="post_send")
    receiver.answer(Answer(status=503, body=b"busy"), Answer())
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_postsend(app=app, message=message())
    run_queued(callbacks, monkeypatch)
    rows = list(CallbackDelivery.objects.filter(rule=rule).order_by("attempt"))
    assert [(r.attempt, r.status_code, r.ok) for r in rows] == [(1, 503, False), (2, 200, True)]
    assert rows[0].delivery_id == rows[1].delivery_id
    assert receiver.received[0].body == receiver.received[1].body
    shown = callback_rule_for_page(app=app, pk=rule.pk).recent_deliveries
    assert {d.pk for d in shown} == {r.pk for r in rows}


def test_two_failures_leave_two_failed_rows_and_stop(app, receiver, django_capture_on_commit_callbacks, monkeypatch):
    rule = make_rule(app, receiver, kind="post_send")
    receiver.answer(Answer(status=500, body=b"down"))
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_postsend(app=app, message=message())
    run_queued(callbacks, monkeypatch)
    assert list(CallbackDelivery.objects.filter(rule=rule).values_list("attempt", "ok")) in (
        [(2, False), (1, False)], [(1, False), (2, False)])
    assert len(receiver.received) == 2


def test_only_matching_enabled_post_send_rules_are_queued(app, receiver, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    hit = make_rule(app, receiver, kind="post_send", path="/hit")
    make_rule(app, receiver, kind="post_send", chat_types=["groupchat"], path="/group")
    make_rule(app, receiver, kind="post_send", enabled=False, path="/off")
    make_rule(app, receiver, kind="pre_send", path="/pre")
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_postsend(app=app, message=message())
    queued = run_queued(callbacks, monkeypatch)
    assert [args[0] for args in queued] == [[hit.pk]]
    assert [r.path for r in receiver.received] == ["/hit"]


def test_no_matching_rule_queues_nothing(app, receiver, django_capture_on_commit_callbacks):
    make_rule(app, receiver, kind="post_send", message_types=["custom"])
    with django_capture_on_commit_callbacks() as callbacks:
        schedule_postsend(app=app, message=message())
    assert callbacks == []


def test_a_rule_disabled_before_the_worker_runs_is_skipped(app, receiver):
    rule = make_rule(app, receiver, kind="post_send")
    rule.enabled = False
    rule.save()
    assert deliver_postsend([rule.pk], message_data(message())) == 0
    assert receiver.received == []


def test_the_task_is_registered_for_the_worker():
    assert "apps.im.callback_tasks" in celery_app.conf.imports  # the worker imports it at start
    celery_app.loader.import_default_modules()
    assert "im.callback_tasks.deliver_postsend" in celery_app.tasks
