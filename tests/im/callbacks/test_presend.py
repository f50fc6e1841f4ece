"""Pre-send callbacks against a real receiver on 127.0.0.1: block, pass, timeouts, failure policies."""

import hashlib
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.callbacks.services import callback_rule_update
from apps.im.presend import REASON_DENIED, REASON_FAILED, Verdict, presend_verdict
from tests.applications.factories import AppFactory
from tests.im.callbacks.conftest import make_rule, message
from tests.im.receiver import Answer
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db


def test_valid_true_lets_the_message_through_and_the_request_is_easemobs_pre_send(app, receiver):
    rule = make_rule(app, receiver)
    sent = message(ext={"k": "v"})
    assert presend_verdict(app=app, message=sent).allowed
    request = receiver.received[0]
    payload = json.loads(request.body)
    assert payload["callId"].startswith(f"{app.app_key}_")
    assert (payload["from"], payload["to"], payload["msg_id"], payload["chat_type"]) == ("alice", "bob",
                                                                                            sent.msg_id, "chat")
    assert payload["timestamp"] == sent.timestamp_ms
    assert payload["payload"] == {"msg": "hello", "type": "txt", "ext": {"k": "v"}}
    expected = hashlib.md5(f"{payload['callId']}{rule.secret}{payload['timestamp']}".encode()).hexdigest()  # noqa: S324
    assert payload["security"] == expected
    assert request.headers["webhook-signature"].startswith("v1,") and request.headers["webhook-id"]


def test_a_group_message_carries_its_group_id(app, receiver):
    make_rule(app, receiver)
    presend_verdict(app=app, message=message(chat_type="groupchat", to=("g1",), group_id="g1"))
    payload = json.loads(receiver.received[0].body)
    assert payload["group_id"] == "g1" and payload["chat_type"] == "groupchat"


def test_valid_false_blocks_with_the_answers_code(app, receiver):
    make_rule(app, receiver)
    receiver.answer(Answer(body=b'{"valid":false,"code":"no ads"}'))
    verdict = presend_verdict(app=app, message=message())
    assert (verdict.allowed, verdict.reason) == (False, "no ads")


def test_valid_false_without_code_blocks_with_easemobs_text(app, receiver):
    make_rule(app, receiver)
    receiver.answer(Answer(body=b'{"valid":false}'))
    assert presend_verdict(app=app, message=message()) == Verdict(False, REASON_DENIED)


@pytest.mark.parametrize("answer", [
    Answer(status=500, body=b'{"valid":false}'),
    Answer(body=b"not json"),
    Answer(body=b'{"valid":"no"}'),
    Answer(body=b"[false]"),
])
def test_a_failure_applies_the_rule_policy(app, receiver, answer):
    passing = make_rule(app, receiver, on_failure="pass")
    receiver.answer(answer)
    assert presend_verdict(app=app, message=message()).allowed
    callback_rule_update(rule=passing, actor=None, on_failure="block")
    verdict = presend_verdict(app=app, message=message())
    assert (verdict.allowed, verdict.reason) == (False, REASON_FAILED)


def test_a_server_that_does_not_answer_is_cut_at_the_wait_time(app, receiver):
    make_rule(app, receiver, wait_ms=300, on_failure="block")
    receiver.answer(Answer(delay=3.0))
    started = time.monotonic()
    verdict = presend_verdict(app=app, message=message())
    assert time.monotonic() - started < 1.0
    assert (verdict.allowed, verdict.reason) == (False, REASON_FAILED)


def test_a_server_sending_one_byte_a_second_is_cut_at_the_wait_time(app, receiver):
    make_rule(app, receiver, wait_ms=1500, on_failure="pass")
    receiver.answer(Answer(body=b'{"valid":false,"code":"too late to count"}', trickle="body"))
    started = time.monotonic()
    verdict = presend_verdict(app=app, message=message())
    assert time.monotonic() - started < 2.2
    assert verdict.allowed  # the failure policy, not the (never completed) answer


def test_an_unreachable_server_applies_the_policy(app, receiver):
    rule = make_rule(app, receiver, on_failure="block")
    rule.url = "http://127.0.0.1:1/hook"
    rule.save()
    assert not presend_verdict(app=app, message=message()).allowed


def test_a_refused_target_applies_the_policy(app, receiver, settings):
    make_rule(app, receiver, on_failure="block")
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    assert not presend_verdict(app=app, message=message()).allowed
    assert receiver.received == []


def test_only_rules_matching_chat_and_message_type_are_asked(app, receiver):
    make_rule(app, receiver, chat_types=["groupchat"], path="/group")
    make_rule(app, receiver, message_types=["custom"], path="/custom")
    make_rule(app, receiver, kind="post_send", path="/post")
    make_rule(app, receiver, enabled=False, path="/off")
    make_rule(app, receiver, chat_types=["chat"], message_types=["txt"], path="/hit")
    assert presend_verdict(app=app, message=message()).allowed
    assert [r.path for r in receiver.received] == ["/hit"]


def test_the_first_blocking_rule_ends_the_check(app, receiver):
    make_rule(app, receiver, path="/first")
    make_rule(app, receiver, path="/second")
    receiver.answer(Answer(body=b'{"valid":false}'))
    assert not presend_verdict(app=app, message=message()).allowed
    assert [r.path for r in receiver.received] == ["/first"]


def test_callbacks_off_or_not_in_the_plan_ask_nobody(receiver):
    off = AppFactory()
    app_on_plan(off, "pro")  # in the plan, never switched on
    make_rule(off, receiver)
    free = AppFactory()  # Free: callbacks are not in the plan
    make_rule(free, receiver)
    receiver.answer(Answer(body=b'{"valid":false}'))
    assert presend_verdict(app=off, message=message()).allowed
    assert presend_verdict(app=free, message=message()).allowed
    assert receiver.received == []


def test_a_send_without_matching_rules_costs_no_query_once_cached(app, receiver):
    presend_verdict(app=app, message=message())
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert presend_verdict(app=app, message=message()).allowed
    assert len(queries) == 0


def test_a_rule_change_takes_effect_at_once(app, receiver):
    assert presend_verdict(app=app, message=message()).allowed  # cached: no rule
    rule = make_rule(app, receiver)
    receiver.answer(Answer(body=b'{"valid":false}'))
    assert not presend_verdict(app=app, message=message()).allowed
    callback_rule_update(rule=rule, actor=None, enabled=False)
    assert presend_verdict(app=app, message=message()).allowed
    assert len(receiver.received) == 1


def test_a_server_dribbling_its_status_line_and_headers_is_cut_at_the_wait_time(app, receiver):
    make_rule(app, receiver, wait_ms=2500, on_failure="block")
    receiver.answer(Answer(body=b'{"valid":true}', trickle="all"))
    started = time.monotonic()
    verdict = presend_verdict(app=app, message=message())
    assert 2.4 < time.monotonic() - started < 3.2
    assert (verdict.allowed, verdict.reason) == (False, REASON_FAILED)
