import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.audit.actions import ACTION_LABELS, SENTENCES, describe
from apps.audit.models import AuditEntry
from apps.callbacks.exceptions import CallbackRulesFull
from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.callbacks.services import (
    callback_rule_create,
    callback_rule_delete,
    callback_rule_update,
    callback_secret_rotate,
)
from apps.plans.models import CatalogSettings
from tests.callbacks.factories import PUBLIC_URL, CallbackDeliveryFactory, CallbackRuleFactory
from tests.concurrency import run_together
from tests.orders.factories import ProAppFactory

pytestmark = pytest.mark.django_db


def create(app, actor=None, **changes):
    fields = {"name": "hook", "kind": "post_send", "url": PUBLIC_URL, "chat_types": ["chat"],
              "message_types": ["txt"], **changes}
    return callback_rule_create(app=app, actor=actor, **fields)


def test_creating_a_rule_generates_a_long_random_secret_and_writes_an_audit_entry(org, owner):
    app = ProAppFactory(organization=org)
    rule, secret = create(app, owner)
    assert rule.secret == secret and len(secret) >= 43  # token_urlsafe(32): 32 random bytes
    assert create(app, owner, name="other")[1] != secret
    entry = AuditEntry.objects.filter(action="callbacks.rule_created").order_by("pk").first()
    assert (entry.app, entry.actor, entry.detail["name"]) == (app, owner, "hook")


def test_the_secret_is_encrypted_in_the_database(org):
    rule, secret = create(ProAppFactory(organization=org))
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM callbacks_callbackrule WHERE id = %s", [rule.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored and secret[-8:] not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert CallbackRule.objects.get(pk=rule.pk).secret == secret


def test_the_fifth_rule_is_refused(org):
    app = ProAppFactory(organization=org)
    for n in range(4):
        create(app, name=f"rule{n}")
    with pytest.raises(CallbackRulesFull, match="at most 4 callback rules"):
        create(app, name="rule4")
    assert app.callback_rules.count() == 4
    assert create(ProAppFactory(organization=org), name="rule4")  # the limit is per app


def test_the_limit_comes_from_the_catalog_settings(org):
    settings = CatalogSettings.load()
    settings.callback_rules_max = 1
    settings.save()
    app = ProAppFactory(organization=org)
    create(app)
    with pytest.raises(CallbackRulesFull, match="at most 1 callback rules"):
        create(app, name="second")


def test_a_duplicate_name_is_refused_by_the_service(org):
    app = ProAppFactory(organization=org)
    create(app)
    with pytest.raises(ValidationError) as refused:
        create(app)
    assert refused.value.message_dict == {"name": ["This app already has a rule with this name."]}


def test_a_private_url_is_refused_at_save(org, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError) as refused:
        create(ProAppFactory(organization=org), url="http://169.254.169.254/latest/meta-data/")
    assert "a link-local address" in refused.value.message_dict["url"][0]
    assert not CallbackRule.objects.exists() and not AuditEntry.objects.exists()


def test_update_records_the_changed_fields_and_no_change_writes_nothing(org, owner):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    rule, changed = callback_rule_update(rule=rule, actor=owner, name="renamed", enabled=False)
    assert changed and (rule.name, rule.enabled) == ("renamed", False)
    entry = AuditEntry.objects.get(action="callbacks.rule_updated")
    assert entry.detail["fields"] == ["enabled", "name"]
    _rule, changed = callback_rule_update(rule=rule, actor=owner, name="renamed")
    assert not changed and AuditEntry.objects.count() == 1


def test_changing_the_url_to_a_private_one_is_refused(org, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    with pytest.raises(ValidationError):
        callback_rule_update(rule=rule, actor=None, url="http://[::ffff:10.0.0.1]/hook")
    assert CallbackRule.objects.get(pk=rule.pk).url == PUBLIC_URL


def test_rotation_replaces_the_secret_and_is_audited(org, owner):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    old = rule.secret
    rule, secret = callback_secret_rotate(rule=rule, actor=owner)
    assert secret != old and CallbackRule.objects.get(pk=rule.pk).secret == secret
    entry = AuditEntry.objects.get(action="callbacks.secret_rotated")
    assert secret not in str(entry.detail) and secret not in entry.summary


def test_deleting_a_rule_removes_its_deliveries_and_is_audited(org, owner):
    rule = CallbackDeliveryFactory(rule__app=ProAppFactory(organization=org)).rule
    assert callback_rule_delete(rule=rule, actor=owner)
    assert not CallbackRule.objects.exists() and not CallbackDelivery.objects.exists()
    assert AuditEntry.objects.get().action == "callbacks.rule_deleted"
    assert not callback_rule_delete(rule=rule, actor=owner)


@pytest.mark.parametrize("code", ["callbacks.rule_created", "callbacks.rule_updated", "callbacks.rule_deleted",
                                  "callbacks.secret_rotated", "callbacks.test_sent"])
def test_every_audit_code_has_a_label_and_a_sentence(code):
    assert code in ACTION_LABELS and code in SENTENCES
    detail = {"name": "hook", "kind": "post_send", "url": PUBLIC_URL, "fields": ["url"], "delivery_id": "msg_1"}
    assert "hook" in describe(code, detail, "fallback")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_cannot_pass_the_limit(org):
    app = ProAppFactory(organization=org)
    for n in range(3):
        create(app, name=f"rule{n}")
    results = run_together(lambda: create(app, name="left"), lambda: create(app, name="right"))
    assert sum(isinstance(result, tuple) for result in results) == 1
    assert sum(isinstance(result, CallbackRulesFull) for result in results) == 1
    assert CallbackRule.objects.filter(app=app).count() == 4
