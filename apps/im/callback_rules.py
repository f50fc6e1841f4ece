"""The callback rules that apply to an app's messages, cached per process so a send costs no query.

A snapshot holds whether callbacks apply at all (the feature is in the app's plan AND switched on) and the
app's enabled rules as plain values; apps/im/app_state.py keeps it and drops it when a rule, the app's feature
switches or its orders change.
"""

from dataclasses import dataclass

from apps.callbacks.models import CallbackRule
from apps.im import app_state, gate

FEATURE_CODE = "callbacks"


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    kind: str
    url: str
    chat_types: frozenset
    message_types: frozenset
    wait_ms: int
    on_failure: str
    secret: str

    def matches(self, *, chat_type: str, msg_type: str) -> bool:
        return chat_type in self.chat_types and msg_type in self.message_types


@dataclass(frozen=True)
class Snapshot:
    active: bool
    app_key: str
    pre_send: tuple[RuleView, ...]
    post_send: tuple[RuleView, ...]

    def matching(self, kind: str, *, chat_type: str, msg_type: str) -> list[RuleView]:
        if not self.active:
            return []
        rules = self.pre_send if kind == CallbackRule.Kind.PRE_SEND else self.post_send
        return [rule for rule in rules if rule.matches(chat_type=chat_type, msg_type=msg_type)]


def _load(app) -> Snapshot:
    active = gate.feature_applies(app=app, code=FEATURE_CODE)
    pre, post = [], []
    if active:
        for rule in CallbackRule.objects.filter(app_id=app.pk, enabled=True).order_by("created_at", "id"):
            view = RuleView(id=rule.pk, name=rule.name, kind=rule.kind, url=rule.url,
                            chat_types=frozenset(rule.chat_types), message_types=frozenset(rule.message_types),
                            wait_ms=rule.wait_ms, on_failure=rule.on_failure, secret=rule.secret)
            (pre if rule.kind == CallbackRule.Kind.PRE_SEND else post).append(view)
    return Snapshot(active=active, app_key=app.app_key, pre_send=tuple(pre), post_send=tuple(post))


def callback_snapshot(*, app) -> Snapshot:
    return app_state.cached(app.pk, "callback_snapshot", lambda: _load(app))


def forget_all() -> None:
    app_state.forget_all()
