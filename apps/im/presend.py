"""Pre-send callbacks (SPEC §11): before a message is stored, every enabled pre-send rule of the app whose chat
types and message types match it is asked, in the rules' order, synchronously.

The request is Easemob's pre-send callback (``callback_presending.md``): ``callId`` (``{appkey}_{uuid}``),
``timestamp``, ``chat_type``, ``group_id`` (group messages), ``from``, ``to``, ``msg_id``, ``payload`` (the body as
sent, with its ``type``, and ``ext`` when there is one) and ``security`` = MD5(callId + secret + timestamp); it is
also signed with the Standard Webhooks headers, exactly like the console's test events.

An answer of HTTP 200 with a JSON object whose ``valid`` is ``true`` lets the message through; ``valid: false``
blocks it (the answer's ``code`` is the reason when it gives one, as on Easemob). Anything else (a timeout, a
connection error, another status, a body that is not such an object, a URL the SSRF guard refuses) is a
failure: the rule's on-failure policy decides (deliver or block). The whole call (address check, connect,
request, headers, body) is bounded by the rule's wait time. The first rule that blocks ends the check.

Nothing is written to the database on this path: outcomes are logged only.
"""

import json
import logging
import uuid
from dataclasses import dataclass

from apps.callbacks import sender
from apps.callbacks.models import CallbackRule
from apps.im.callback_rules import RuleView, callback_snapshot
from apps.im.types import OutgoingMessage

logger = logging.getLogger(__name__)

# Easemob's texts for the sender's client.
REASON_DENIED = "custom logic denied"
REASON_FAILED = "custom internal error"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """One rule's answer: ``valid`` True/False, or None when the call failed (``error`` says why)."""

    valid: bool | None
    code: str = ""
    error: str = ""


def presend_payload(*, app_key: str, message: OutgoingMessage, call_id: str | None = None) -> dict:
    """Easemob's pre-send request body, without ``security``."""
    call_id = call_id or f"{app_key}_{uuid.uuid4()}"
    payload = {**message.body, "type": message.msg_type}
    if message.ext:
        payload["ext"] = message.ext
    body = {
        "callId": call_id,
        "timestamp": message.timestamp_ms,
        "chat_type": message.chat_type,
        "from": message.from_user,
        "to": ",".join(message.to),
        "msg_id": message.msg_id,
        "payload": payload,
    }
    if message.chat_type == "groupchat":
        body["group_id"] = message.group_id or (message.to[0] if message.to else "")
    return body


def parse_answer(answer: sender.Delivery) -> Outcome:
    if answer.error or answer.status is None:
        return Outcome(valid=None, error=answer.error or "no answer")
    if answer.status != 200:
        return Outcome(valid=None, error=f"HTTP {answer.status}")
    try:
        data = json.loads(answer.excerpt)
    except ValueError:
        return Outcome(valid=None, error="the answer is not JSON")
    if not isinstance(data, dict) or not isinstance(data.get("valid"), bool):
        return Outcome(valid=None, error='the answer has no boolean "valid"')
    code = data.get("code")
    return Outcome(valid=data["valid"], code=code if isinstance(code, str) else "")


def ask_rule(*, rule: RuleView, app_key: str, message: OutgoingMessage) -> Outcome:
    """Call one rule within its wait time (the SSRF guard's lookup included)."""
    call_id = f"{app_key}_{uuid.uuid4()}"
    payload = presend_payload(app_key=app_key, message=message, call_id=call_id)
    payload["security"] = sender.easemob_security(call_id=call_id, secret=rule.secret,
                                                  timestamp=message.timestamp_ms)
    body, headers = sender.signed_request(payload=payload, secret=rule.secret, message_id=call_id,
                                          timestamp=message.timestamp_ms // 1000)
    return parse_answer(sender.deliver(rule.url, body, headers, rule.wait_ms / 1000))


def presend_verdict(*, app, message: OutgoingMessage) -> Verdict:
    """Whether the message may be stored and delivered. Cheap when no rule matches: no query, no I/O."""
    snapshot = callback_snapshot(app=app)
    rules = snapshot.matching(CallbackRule.Kind.PRE_SEND, chat_type=message.chat_type, msg_type=message.msg_type)
    for rule in rules:
        outcome = ask_rule(rule=rule, app_key=snapshot.app_key, message=message)
        if outcome.valid is True:
            continue
        if outcome.valid is False:
            logger.info("Pre-send rule %s blocked message %s", rule.id, message.msg_id)
            return Verdict(allowed=False, reason=outcome.code or REASON_DENIED)
        logger.warning("Pre-send rule %s failed for message %s: %s (on failure: %s)", rule.id, message.msg_id,
                       outcome.error, rule.on_failure)
        if rule.on_failure == CallbackRule.OnFailure.BLOCK:
            return Verdict(allowed=False, reason=REASON_FAILED)
    return Verdict(allowed=True)
