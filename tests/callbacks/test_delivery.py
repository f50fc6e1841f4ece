"""Test deliveries against a real HTTP server on 127.0.0.1 (private targets allowed through settings)."""

import base64
import hashlib
import hmac
import ipaddress
import json
import socket

import pytest

from apps.callbacks.delivery import callback_test_deliver
from apps.callbacks.guard import Target
from apps.callbacks.models import CallbackDelivery
from apps.callbacks.sender import post_json
from apps.callbacks.tasks import deliver_test_event
from tests.callbacks.factories import CallbackDeliveryFactory, CallbackRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(callback_server, private_targets):
    return CallbackRuleFactory(url=callback_server.url("/easemob/hook?tenant=1"), chat_types=["groupchat"],
                               message_types=["txt"])


def test_a_200_answer_is_one_successful_attempt_with_its_excerpt(rule, callback_server):
    rows = callback_test_deliver(rule=rule, delivery_id="msg_one")
    assert len(rows) == 1 and len(callback_server.received) == 1
    row = CallbackDelivery.objects.get()
    assert (row.rule, row.attempt, row.status_code, row.ok, row.error) == (rule, 1, 200, True, "")
    assert row.response_excerpt == '{"valid":true}'
    assert row.address == "127.0.0.1" and row.latency_ms is not None and row.latency_ms < 5000
    assert callback_server.received[0].path == "/easemob/hook?tenant=1"


def test_the_standard_webhooks_signature_verifies_with_the_secret(rule, callback_server):
    callback_test_deliver(rule=rule, delivery_id="msg_sig")
    request = callback_server.received[0]
    message_id, timestamp = request.headers["webhook-id"], request.headers["webhook-timestamp"]
    assert message_id == "msg_sig"
    expected = hmac.new(rule.secret.encode(), f"{message_id}.{timestamp}.".encode() + request.body,
                        hashlib.sha256).digest()
    version, signature = request.headers["webhook-signature"].split(",", 1)
    assert version == "v1"
    assert hmac.compare_digest(base64.b64decode(signature), expected)
    wrong = hmac.new(b"another-secret", f"{message_id}.{timestamp}.".encode() + request.body, hashlib.sha256)
    assert not hmac.compare_digest(base64.b64decode(signature), wrong.digest())


def test_the_easemob_security_field_verifies_with_the_secret(rule, callback_server):
    callback_test_deliver(rule=rule)
    payload = json.loads(callback_server.received[0].body)
    expected = hashlib.md5(f"{payload['callId']}{rule.secret}{payload['timestamp']}".encode()).hexdigest()  # noqa: S324
    assert payload["security"] == expected
    assert payload["chat_type"] == "groupchat" and payload["payload"]["bodies"][0]["type"] == "txt"
    assert payload["callId"].startswith(rule.app.app_key)
    for key in ("eventType", "from", "to", "msg_id", "timestamp", "payload"):
        assert key in payload
    assert callback_server.received[0].headers["content-type"].startswith("application/json")


def test_a_non_200_answer_is_retried_once(rule, callback_server):
    callback_server.answer((500, b"boom", {}, 0.0))
    rows = callback_test_deliver(rule=rule, delivery_id="msg_retry")
    assert [(row.attempt, row.status_code, row.ok) for row in rows] == [(1, 500, False), (2, 500, False)]
    assert len(callback_server.received) == 2
    assert {request.headers["webhook-id"] for request in callback_server.received} == {"msg_retry"}


def test_the_retry_can_succeed(rule, callback_server):
    callback_server.answer((503, b"busy", {}, 0.0), (200, b"ok", {}, 0.0))
    rows = callback_test_deliver(rule=rule)
    assert [(row.attempt, row.status_code, row.ok) for row in rows] == [(1, 503, False), (2, 200, True)]


def test_a_redirect_is_not_followed_and_counts_as_a_failure(rule, callback_server):
    callback_server.answer((302, b"", {"Location": callback_server.url("/elsewhere")}, 0.0))
    rows = callback_test_deliver(rule=rule)
    assert [row.status_code for row in rows] == [302, 302]
    assert not any(row.ok for row in rows)
    assert rows[0].error.startswith("Redirect not followed")
    assert [request.path for request in callback_server.received] == ["/easemob/hook?tenant=1"] * 2


def test_a_slow_server_times_out_within_the_deadline(rule, callback_server):
    callback_server.answer((200, b"late", {}, 1.5))
    rows = callback_test_deliver(rule=rule, timeout=0.4)
    assert len(rows) == 2
    for row in rows:
        assert row.status_code is None and not row.ok
        assert row.error == "Timed out after 0.4 s"
        assert row.latency_ms < 1200


def test_a_connection_error_is_retried_once_and_recorded(private_targets):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    rule = CallbackRuleFactory(url=f"http://127.0.0.1:{port}/hook")
    rows = callback_test_deliver(rule=rule)
    assert [row.attempt for row in rows] == [1, 2]
    assert all(row.error.startswith("Connection failed") and row.status_code is None for row in rows)


def test_the_guard_runs_again_at_send_and_the_refusal_is_recorded(callback_server, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    rule = CallbackRuleFactory(url=callback_server.url())
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    rows = callback_test_deliver(rule=rule)
    assert len(rows) == 1 and callback_server.received == []
    assert rows[0].error.startswith("Refused by the SSRF guard: 127.0.0.1 resolves to 127.0.0.1, a loopback address")
    assert not rows[0].ok and rows[0].status_code is None


def test_the_response_excerpt_is_short_decoded_safely_and_without_nul(rule, callback_server):
    callback_server.answer((200, b"\x00\xff\xfe" + "数据".encode() + b"x" * 3000, {}, 0.0))
    row = callback_test_deliver(rule=rule)[0]
    assert len(row.response_excerpt) == 500
    assert "\x00" not in row.response_excerpt
    assert row.response_excerpt.startswith("\ufffd\ufffd数据x")


def test_the_connection_goes_to_the_validated_address_with_the_host_name_in_the_host_header(callback_server):
    target = Target(scheme="http", host="hooks.example.test", port=callback_server.port, path="/pinned",
                    address=ipaddress.ip_address("127.0.0.1"))
    answer = post_json(target, body=b"{}", headers={})
    assert answer.ok
    assert callback_server.received[0].headers["host"] == f"hooks.example.test:{callback_server.port}"


def test_the_task_loads_the_rule_and_delivers(rule, callback_server):
    assert deliver_test_event(rule.pk, "msg_task") == 1
    assert CallbackDelivery.objects.get().delivery_id == "msg_task"


def test_the_task_does_nothing_for_a_deleted_rule(rule, callback_server):
    pk = rule.pk
    rule.delete()
    assert deliver_test_event(pk, "msg_gone") == 0
    assert callback_server.received == []


def test_the_log_keeps_the_newest_100_attempts_of_a_rule(rule, callback_server):
    CallbackDeliveryFactory.create_batch(120, rule=rule)
    callback_test_deliver(rule=rule, delivery_id="msg_newest")
    assert rule.deliveries.count() == 100
    assert rule.deliveries.order_by("-attempted_at", "-id").first().delivery_id == "msg_newest"
