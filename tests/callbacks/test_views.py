import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.features.models import AppFeature
from apps.plans.models import Feature
from tests.applications.factories import AppFactory
from tests.callbacks.factories import PUBLIC_URL, CallbackDeliveryFactory, CallbackRuleFactory
from tests.conftest import confirm_identity
from tests.orders.factories import ProAppFactory, app_on_plan

pytestmark = pytest.mark.django_db


def base(app):
    return f"/o/{app.organization.name}/apps/{app.name}/features/callbacks/"


def rule_url(rule, action=""):
    return f"{base(rule.app)}{rule.pk}/{action + '/' if action else ''}"


def data(**changes):
    return {"name": "moderation", "kind": "pre_send", "url": PUBLIC_URL, "chat_types": ["chat", "groupchat"],
            "message_types": ["txt", "img"], "enabled": "on", "wait_ms": "300", "on_failure": "block", **changes}


def test_the_overview_links_the_settings_page(owner_client, org):
    app = ProAppFactory(organization=org)
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="callbacks"))
    page = owner_client.get(f"/o/{org.name}/apps/{app.name}/features/").content.decode()
    assert f'href="{base(app)}"' in page


def test_empty_list_invites_to_add_a_rule_and_says_when_callbacks_are_off(owner_client, org):
    app = AppFactory(organization=org)
    app_on_plan(app, "pro")
    page = owner_client.get(base(app)).content.decode()
    assert "No callback rules yet." in page and "Add rule" in page
    assert "0 of 4 rules used" in page
    assert "Callbacks are off for this app." in page


def test_a_free_app_is_told_callbacks_need_an_upgrade_with_a_link_to_checkout(owner_client, org):
    app = AppFactory(organization=org)
    page = owner_client.get(base(app)).content.decode()
    assert "This app's plan does not include Callbacks:" in page
    assert f"/o/{org.name}/apps/{app.name}/upgrade/?feature=callbacks" in page
    assert "Callbacks are off for this app." not in page


def test_creating_a_rule_shows_its_secret_once_and_masked_afterwards(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    response = owner_client.post(f"{base(app)}new/", data())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rule = CallbackRule.objects.get(app=app)
    page = response.content.decode()
    assert "Callback rule moderation created." in page and "Copy the secret now" in page
    assert rule.secret in page
    assert (rule.kind, rule.wait_ms, rule.on_failure, rule.chat_types) == ("pre_send", 300, "block",
                                                                             ["chat", "groupchat"])
    for url in (base(app), rule_url(rule)):
        later = owner_client.get(url).content.decode()
        assert rule.secret not in later
        assert f"••••••••{rule.secret[-4:]}" in later
    assert AuditEntry.objects.get().action == "callbacks.rule_created"
    assert f'action="{rule_url(rule)}"' in page  # the settings form on the one-time page edits, not re-creates


def test_a_private_url_is_a_form_error_that_keeps_the_input(owner_client, org, settings):
    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = False
    app = ProAppFactory(organization=org)
    response = owner_client.post(f"{base(app)}new/", data(url="http://127.0.0.1:8000/hook", name="keep-me"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "127.0.0.1 resolves to 127.0.0.1, a loopback address." in page
    assert 'value="keep-me"' in page and 'value="http://127.0.0.1:8000/hook"' in page
    assert not CallbackRule.objects.exists()


def test_a_duplicate_name_is_a_form_error(owner_client, org):
    app = ProAppFactory(organization=org)
    CallbackRuleFactory(app=app, name="moderation")
    page = owner_client.post(f"{base(app)}new/", data()).content.decode()
    assert "This app already has a rule with this name." in page
    assert app.callback_rules.count() == 1


def test_the_fifth_rule_is_refused_with_a_message(owner_client, org):
    app = ProAppFactory(organization=org)
    for n in range(4):
        CallbackRuleFactory(app=app, name=f"r{n}")
    page = owner_client.get(base(app)).content.decode()
    assert "4 of 4 rules used" in page and "Delete one to add another." in page
    response = owner_client.post(f"{base(app)}new/", data())
    assert "An app may have at most 4 callback rules." in response.content.decode()
    assert app.callback_rules.count() == 4


def test_editing_saves_and_post_send_resets_the_pre_send_settings(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org), kind="pre_send", wait_ms=900, on_failure="block")
    response = owner_client.post(rule_url(rule), data(name="archive", kind="post_send", wait_ms="", enabled=""),
                                 follow=True)
    assert "Callback rule archive saved." in response.content.decode()
    rule.refresh_from_db()
    assert (rule.name, rule.kind, rule.wait_ms, rule.on_failure, rule.enabled) == (
        "archive", "post_send", 200, "pass", False)


def test_rotating_without_a_recent_check_asks_to_confirm_and_keeps_the_secret(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    response = owner_client.post(rule_url(rule, "rotate-secret"), headers={"referer": rule_url(rule)})
    assert response["Location"].startswith("/accounts/confirm/?next=")
    assert CallbackRule.objects.get(pk=rule.pk).secret == rule.secret
    assert not AuditEntry.objects.exists()


def test_rotating_shows_the_new_secret_once(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    old = rule.secret
    confirm_identity(owner_client)
    response = owner_client.post(rule_url(rule, "rotate-secret"))
    rule.refresh_from_db()
    page = response.content.decode()
    assert rule.secret != old and rule.secret in page and old not in page
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.get().action == "callbacks.secret_rotated"
    assert rule.secret not in owner_client.get(rule_url(rule)).content.decode()


def test_the_rotate_and_delete_buttons_ask_for_confirmation(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    page = owner_client.get(rule_url(rule)).content.decode()
    assert page.count("data-confirm=") == 2


def test_send_test_event_hands_the_task_to_the_broker(owner_client, org, memory_broker):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    response = owner_client.post(rule_url(rule, "test"), follow=True)
    assert memory_broker() == 1
    assert "Test event queued." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"{rule.pk}/#deliveries")
    entry = AuditEntry.objects.get()
    assert entry.action == "callbacks.test_sent" and entry.detail["delivery_id"].startswith("msg_")


def test_a_second_test_event_within_ten_seconds_is_refused_then_allowed_again(owner_client, org, memory_broker):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    with time_machine.travel("2026-11-26 10:00:00 +0800", tick=False) as traveller:
        owner_client.post(rule_url(rule, "test"))
        response = owner_client.post(rule_url(rule, "test"), follow=True)
        assert memory_broker() == 1
        assert "Wait 10 seconds and try again." in response.content.decode()
        traveller.shift(10)
        response = owner_client.post(rule_url(rule, "test"), follow=True)
        assert memory_broker() == 2
        assert "Test event queued." in response.content.decode()
    assert AuditEntry.objects.filter(action="callbacks.test_sent").count() == 2


def test_a_test_event_while_the_broker_is_down_is_reported_not_queued_and_leaves_no_trace(
    owner_client, org, broker_down
):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    started = time.monotonic()
    response = owner_client.post(rule_url(rule, "test"), follow=True)
    assert time.monotonic() - started < 8
    page = response.content.decode()
    assert "The test event could not be queued: the task queue is unreachable." in page
    assert "Test event queued." not in page
    assert not AuditEntry.objects.filter(action="callbacks.test_sent").exists()
    rule.refresh_from_db()
    assert rule.test_queued_at is None  # the slot is given back: the next click may try at once


def test_after_the_broker_comes_back_the_next_click_queues(owner_client, org, broker_down, monkeypatch):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    owner_client.post(rule_url(rule, "test"))
    from tests.callbacks.conftest import _point_broker_at

    _point_broker_at(monkeypatch, "memory://", {})
    response = owner_client.post(rule_url(rule, "test"), follow=True)
    assert "Test event queued." in response.content.decode()
    assert AuditEntry.objects.filter(action="callbacks.test_sent").count() == 1


def test_deleting_a_rule(owner_client, org):
    rule = CallbackDeliveryFactory(rule__app=ProAppFactory(organization=org)).rule
    response = owner_client.post(rule_url(rule, "delete"), follow=True)
    assert f"Callback rule {rule.name} deleted." in response.content.decode()
    assert not CallbackRule.objects.exists() and not CallbackDelivery.objects.exists()


def test_the_pages_show_the_last_20_deliveries_with_status_and_excerpt(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    for n in range(25):
        CallbackDeliveryFactory(rule=rule, delivery_id=f"msg_{n:02d}")
    CallbackDeliveryFactory(rule=rule, delivery_id="msg_failed", status_code=None, ok=False,
                            error="Timed out after 5 s", response_excerpt="")
    for url in (base(rule.app), rule_url(rule)):
        page = owner_client.get(url).content.decode()
        assert "Timed out after 5 s" in page and "200 OK" in page and "{&quot;valid&quot;:true}" in page
        assert page.count('class="d-block mono cb-delivery-id"') == 20


def test_finance_sees_rules_read_only_without_forms_or_secrets(member_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    finance = member_client(Role.FINANCE)
    for url in (base(rule.app), rule_url(rule)):
        page = finance.get(url).content.decode()
        assert "Read-only" in page
        assert "Send test event</button>" not in page and "Rotate secret" not in page and "Add rule" not in page
        assert rule.secret not in page
    assert "<fieldset disabled>" in finance.get(rule_url(rule)).content.decode()
    assert finance.get(f"{base(rule.app)}new/").status_code == 403


def test_wrong_role_gets_403_on_every_post_and_nothing_changes(member_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    finance = member_client(Role.FINANCE)
    secret = rule.secret
    for url in (f"{base(rule.app)}new/", rule_url(rule), rule_url(rule, "delete"), rule_url(rule, "rotate-secret"),
                rule_url(rule, "test")):
        assert finance.post(url, data(name="hijack")).status_code == 403, url
    rule.refresh_from_db()
    assert (rule.name, rule.secret, CallbackRule.objects.count()) == (rule.name, secret, 1)
    assert not AuditEntry.objects.exists()


def test_developer_may_add_rules(member_client, org):
    app = ProAppFactory(organization=org)
    assert member_client(Role.DEVELOPER).post(f"{base(app)}new/", data()).status_code == 200
    assert app.callback_rules.count() == 1


def test_another_orgs_rules_are_404_on_every_route(owner_client, other_org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=other_org))
    for url in (base(rule.app), f"{base(rule.app)}new/", rule_url(rule)):
        assert owner_client.get(url).status_code == 404, url
    for url in (f"{base(rule.app)}new/", rule_url(rule), rule_url(rule, "delete"), rule_url(rule, "rotate-secret"),
                rule_url(rule, "test")):
        assert owner_client.post(url, data()).status_code == 404, url
    assert CallbackRule.objects.get().secret == rule.secret and not AuditEntry.objects.exists()


def test_a_rule_of_another_app_in_the_same_org_is_404(owner_client, org):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    other_app = ProAppFactory(organization=org)
    assert owner_client.get(f"{base(other_app)}{rule.pk}/").status_code == 404
    assert owner_client.post(f"{base(other_app)}{rule.pk}/delete/").status_code == 404
    assert CallbackRule.objects.exists()


def _queries(client, url) -> int:
    client.get(url)  # warm-up (the app's cached entitlements): count a later one
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_query_counts_do_not_grow_with_rules_or_deliveries(owner_client, org):
    one, four = ProAppFactory(organization=org), ProAppFactory(organization=org)
    first = CallbackDeliveryFactory(rule__app=one).rule
    rules = [CallbackRuleFactory(app=four) for _n in range(4)]
    for rule in rules:
        CallbackDeliveryFactory.create_batch(30, rule=rule)
    owner_client.get(base(one))  # warm the session and catalog
    assert _queries(owner_client, base(one)) == _queries(owner_client, base(four))
    assert _queries(owner_client, rule_url(first)) == _queries(owner_client, rule_url(rules[0]))


def test_the_delivery_log_polls_while_a_test_event_is_queued_and_stops_once_it_is_logged(
    owner_client, org, django_capture_on_commit_callbacks
):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    assert 'hx-trigger="every 3s"' not in owner_client.get(rule_url(rule)).content.decode()
    with time_machine.travel("2026-11-26 10:00:00 +0800", tick=False) as traveller:
        with django_capture_on_commit_callbacks():
            page = owner_client.post(rule_url(rule, "test"), follow=True).content.decode()
        assert 'id="deliveries" hx-get="' + rule_url(rule) + '" hx-trigger="every 3s"' in page
        assert "waiting for its delivery" in page
        traveller.shift(2)
        CallbackDeliveryFactory(rule=rule, delivery_id="msg_test")
        page = owner_client.get(rule_url(rule)).content.decode()
        assert 'hx-trigger="every 3s"' not in page and "msg_test" in page


def test_a_test_event_never_delivered_stops_the_polling_after_two_minutes(
    owner_client, org, django_capture_on_commit_callbacks
):
    rule = CallbackRuleFactory(app=ProAppFactory(organization=org))
    with time_machine.travel("2026-11-26 10:00:00 +0800", tick=False) as traveller:
        with django_capture_on_commit_callbacks():
            owner_client.post(rule_url(rule, "test"))
        traveller.shift(121)
        assert 'hx-trigger="every 3s"' not in owner_client.get(rule_url(rule)).content.decode()
