"""Shared setup of the pre-send / post-send tests: a Pro app with callbacks on, a receiver, a message."""

import itertools
import time

import pytest

from apps.features.services import app_feature_enable
from apps.im import app_state
from apps.im.types import OutgoingMessage
from tests.applications.factories import AppFactory
from tests.callbacks.factories import CallbackRuleFactory
from tests.im.receiver import start_receiver, stop_receiver
from tests.orders.factories import app_on_plan

_ids = itertools.count(1)


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    stop_receiver(server)


@pytest.fixture(autouse=True)
def fresh_snapshots(settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    app_state.forget_all()
    yield
    app_state.forget_all()


@pytest.fixture
def app():
    app = AppFactory()
    app_on_plan(app, "pro")
    app_feature_enable(app=app, feature_code="callbacks", actor=None)
    return app


def make_rule(app, receiver, *, kind="pre_send", path="/hook", **fields):
    defaults = {"chat_types": ["chat", "groupchat"], "message_types": ["txt", "custom"]}
    return CallbackRuleFactory(app=app, kind=kind, url=receiver.url(path), **{**defaults, **fields})


def message(**fields) -> OutgoingMessage:
    values = {"msg_id": f"{1_300_000_000_000 + next(_ids)}", "from_user": "alice", "to": ("bob",),
              "chat_type": "chat", "msg_type": "txt", "body": {"msg": "hello"}, "ext": None,
              "timestamp_ms": int(time.time() * 1000)}
    return OutgoingMessage(**{**values, **fields})
