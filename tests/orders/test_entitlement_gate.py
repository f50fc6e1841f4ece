"""The one entitlement gate: every write of a plan-gated feature is refused on a plan without it (403 on the
page, nothing written) and allowed on a plan with it, whether it comes through a service or a POST route."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEntry
from apps.callbacks import services as callbacks
from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.plans.entitlements import Quota
from apps.sensitive_words import services as words
from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings
from orders.entitlements import FeatureNotInPlan, QuotaExceeded, app_entitlements, require_feature, require_quota
from tests.applications.factories import AppFactory
from tests.callbacks.factories import PUBLIC_URL, CallbackRuleFactory
from tests.conftest import confirm_identity
from tests.orders.factories import ProAppFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(owner_client):
    """Re-authenticated: rotating a callback secret is a protected operation (tests/accounts/test_reauth.py)."""
    return confirm_identity(owner_client)

GATED = ("callbacks", "sensitive_words")


def snapshot() -> tuple:
    """Everything a gated write could leave behind."""
    return (
        AuditEntry.objects.count(),
        list(CallbackRule.objects.values_list("pk", "name", "secret_rotated_at", "test_queued_at").order_by("pk")),
        CallbackDelivery.objects.count(),
        list(SensitiveWord.objects.values_list("pk", "word").order_by("pk")),
        list(SensitiveWordSettings.objects.values_list("enabled", "action", "ignore_case", "revision")),
    )


def _rule(app):
    return CallbackRuleFactory(app=app, name="existing")


def _word(app):
    return SensitiveWord.objects.create(app=app, word="spam", key="spam")


# (name, feature, setup(app) -> object, service call(app, obj, actor))
SERVICE_WRITES: list[tuple[str, str, Callable, Callable]] = [
    ("callback_rule_create", "callbacks", lambda app: None,
     lambda app, obj, actor: callbacks.callback_rule_create(
         app=app, actor=actor, name="hook", kind="post_send", url=PUBLIC_URL, chat_types=["chat"],
         message_types=["txt"])),
    ("callback_rule_update", "callbacks", _rule,
     lambda app, rule, actor: callbacks.callback_rule_update(rule=rule, actor=actor, name="renamed")),
    ("callback_rule_delete", "callbacks", _rule,
     lambda app, rule, actor: callbacks.callback_rule_delete(rule=rule, actor=actor)),
    ("callback_secret_rotate", "callbacks", _rule,
     lambda app, rule, actor: callbacks.callback_secret_rotate(rule=rule, actor=actor)),
    ("callback_test_send", "callbacks", _rule,
     lambda app, rule, actor: callbacks.callback_test_send(rule=rule, actor=actor)),
    ("sensitive_word_settings_update", "sensitive_words", lambda app: None,
     lambda app, obj, actor: words.sensitive_word_settings_update(
         app=app, actor=actor, enabled=True, action="replace", ignore_case=False)),
    ("sensitive_words_add", "sensitive_words", lambda app: None,
     lambda app, obj, actor: words.sensitive_words_add(app=app, actor=actor, words=["spam", "ham"])),
    ("sensitive_words_import", "sensitive_words", lambda app: None,
     lambda app, obj, actor: words.sensitive_words_import(app=app, actor=actor, words=["spam"], filename="w.txt")),
    ("sensitive_words_delete", "sensitive_words", _word,
     lambda app, word, actor: words.sensitive_words_delete(app=app, actor=actor, word_ids=[word.pk])),
]


@pytest.mark.parametrize(("name", "feature", "setup", "call"), SERVICE_WRITES, ids=[w[0] for w in SERVICE_WRITES])
def test_every_gated_write_service_is_refused_on_free_and_writes_nothing(name, feature, setup, call, org, owner):
    app = AppFactory(organization=org)
    obj = setup(app)
    before = snapshot()
    with pytest.raises(FeatureNotInPlan) as error:
        call(app, obj, owner)
    assert error.value.feature_code == feature and error.value.http_status == 403
    assert snapshot() == before


@pytest.mark.parametrize(("name", "feature", "setup", "call"), SERVICE_WRITES, ids=[w[0] for w in SERVICE_WRITES])
def test_every_gated_write_service_works_on_pro(
    name, feature, setup, call, org, owner, django_capture_on_commit_callbacks
):
    app = ProAppFactory(organization=org)
    obj = setup(app)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=False):
        call(app, obj, owner)
    assert snapshot() != before


def _upload():
    return SimpleUploadedFile("words.txt", b"spam\nham\n", content_type="text/plain")


def _cb(app) -> str:
    return f"/o/{app.organization.name}/apps/{app.name}/features/callbacks/"


def _sw(app) -> str:
    return f"/o/{app.organization.name}/apps/{app.name}/features/sensitive_words/"


RULE_FORM = {"name": "hook", "kind": "post_send", "url": PUBLIC_URL, "chat_types": ["chat"],
             "message_types": ["txt"], "enabled": "on", "wait_ms": "200", "on_failure": "pass"}

# (name, setup(app) -> object, (app, obj) -> (url, data))
POST_ROUTES: list[tuple[str, Callable, Callable]] = [
    ("callback_rule_new", lambda app: None, lambda app, obj: (f"{_cb(app)}new/", RULE_FORM)),
    ("callback_rule_edit", _rule, lambda app, rule: (f"{_cb(app)}{rule.pk}/", {**RULE_FORM, "name": "renamed"})),
    ("callback_rule_delete", _rule, lambda app, rule: (f"{_cb(app)}{rule.pk}/delete/", {})),
    ("callback_secret_rotate", _rule, lambda app, rule: (f"{_cb(app)}{rule.pk}/rotate-secret/", {})),
    ("callback_rule_test", _rule, lambda app, rule: (f"{_cb(app)}{rule.pk}/test/", {})),
    ("settings_sensitive_words", lambda app: None,
     lambda app, obj: (_sw(app), {"enabled": "on", "action": "replace"})),
    ("sensitive_words_add", lambda app: None, lambda app, obj: (f"{_sw(app)}add/", {"words": "spam\nham"})),
    ("sensitive_words_import", lambda app: None, lambda app, obj: (f"{_sw(app)}import/", {"file": _upload()})),
    ("sensitive_words_delete", _word, lambda app, word: (f"{_sw(app)}delete/", {"words": [str(word.pk)]})),
]


@pytest.mark.parametrize(("name", "setup", "route"), POST_ROUTES, ids=[r[0] for r in POST_ROUTES])
def test_every_gated_post_route_answers_403_on_free_with_the_upgrade_way_and_writes_nothing(
    name, setup, route, owner_client, org
):
    app = AppFactory(organization=org)
    url, data = route(app, setup(app))
    before = snapshot()
    response = owner_client.post(url, data)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This app&#x27;s plan does not include" in page
    assert f"/o/{org.name}/apps/{app.name}/upgrade/?feature=" in page
    assert snapshot() == before


@pytest.mark.parametrize(("name", "setup", "route"), POST_ROUTES, ids=[r[0] for r in POST_ROUTES])
def test_every_gated_post_route_works_on_pro(name, setup, route, owner_client, org, django_capture_on_commit_callbacks):
    app = ProAppFactory(organization=org)
    url, data = route(app, setup(app))
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(url, data)
    assert response.status_code in (200, 302)
    assert snapshot() != before


@pytest.mark.parametrize("feature", GATED)
def test_require_feature_follows_the_plan(feature, org):
    free, pro = AppFactory(organization=org), ProAppFactory(organization=org)
    with pytest.raises(FeatureNotInPlan):
        require_feature(app=free, code=feature)
    assert require_feature(app=pro, code=feature).plan.code == "pro"


def test_require_quota_counts_against_the_effective_value(org):
    app = AppFactory(organization=org)  # Free: 100 members per group
    assert require_quota(app=app, code="group_members", used=99).value == 100
    with pytest.raises(QuotaExceeded) as error:
        require_quota(app=app, code="group_members", used=100)
    assert error.value.http_status == 429 and error.value.code == "resource_limited"
    flagship = ProAppFactory(organization=org, in_service_plan="flagship")  # groups per user: unlimited
    assert require_quota(app=flagship, code="user_groups", used=10**9).unlimited


def test_unlimited_is_compared_in_the_quota_type():
    unlimited, hundred = Quota(None), Quota(100)
    assert unlimited.exceeds(hundred) and not hundred.exceeds(unlimited) and not unlimited.exceeds(unlimited)
    assert Quota(300).exceeds(hundred) and not hundred.exceeds(Quota(100))
    assert hundred.raised_to(500) == Quota(500) and hundred.raised_to(50) == hundred
    assert unlimited.raised_to(500) == unlimited and unlimited.plus(30) == unlimited
    assert hundred.plus(30) == Quota(130)
    assert hundred.allows(100) and not hundred.allows(101) and unlimited.allows(10**12)


def test_the_gate_reads_what_is_in_service(org):
    app = ProAppFactory(organization=org)
    ent = app_entitlements(app=app)
    assert ent.plan.code == "pro" and ent.includes("callbacks") and ent.quota("user_groups") == Quota(600)
