"""The enforcement matrix (SPEC §11): each console setting is changed through its console page, and the REST
service, called over a real socket, changes its behaviour accordingly."""

import datetime as dt
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from apps.im import appcache
from apps.im.models import ImMessage, ImUser
from orders.selectors import AddonRequest
from orders.services import order_place, orders_activate_due
from orders.tokens import checkout_token_issue
from tests.accounts.factories import MembershipFactory
from tests.conftest import confirm_identity
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console(im_app) -> Client:
    owner = MembershipFactory(organization=im_app.organization, role=Role.OWNER).user
    client = Client(headers={"accept-language": "en"})
    client.force_login(owner)
    client.owner = owner
    return client


def page(name: str, app, **kwargs) -> str:
    return reverse(name, kwargs={"org_name": app.organization.name, "app_name": app.name, **kwargs})


def enable(console, app, code: str) -> None:
    response = console.post(page("features:enable", app, code=code))
    assert response.status_code == 302


def send(admin, text: str, to=("user2",)):
    return admin.post("/messages/users", json={"from": "user1", "to": list(to), "type": "txt", "body": {"msg": text}})


def test_ip_whitelist_applies_only_when_on_and_non_empty_and_agrees_with_the_check_tool(admin, console, im_app):
    assert admin.get("/users").status_code == 200
    response = console.post(page("features:settings_ip_whitelist", im_app), {"entries": "203.0.113.0/24"})
    assert response.status_code == 302
    assert admin.get("/users").status_code == 200  # entries, but the feature is off: not applied
    enable(console, im_app, "ip_whitelist")
    refused = admin.get("/users")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden_op"
    assert refused.json()["error_description"] == "the IP address is not in the app's REST whitelist"
    assert admin.post("/token", token=None, json={"grant_type": "client_credentials"}).status_code == 403
    check = console.post(page("features:ip_whitelist_check", im_app), {"address": "127.0.0.1"})
    assert b"denied" in check.content.lower() or b"not allowed" in check.content.lower()
    console.post(page("features:settings_ip_whitelist", im_app), {"entries": "127.0.0.0/8"})
    assert admin.get("/users").status_code == 200
    check = console.post(page("features:ip_whitelist_check", im_app), {"address": "127.0.0.1"})
    assert b"127.0.0.0/8" in check.content


def test_sensitive_words_block_then_replace_ignoring_case_only_when_in_plan_and_on(admin, console, im_app):
    app_on_plan(im_app, "pro")
    console.post(page("features:sensitive_words_add", im_app), {"words": "badword"})
    assert send(admin, "a BADWORD here").status_code == 200  # in the plan, but off
    enable(console, im_app, "sensitive_words")
    console.post(page("features:settings_sensitive_words", im_app),
                 {"enabled": "on", "action": "block", "ignore_case": "on"})
    ImMessage.objects.all().delete()
    blocked = send(admin, "a BADWORD here")
    assert blocked.status_code == 403 and blocked.json()["error_description"] == "the message contains sensitive words"
    assert not ImMessage.objects.exists()
    console.post(page("features:settings_sensitive_words", im_app),
                 {"enabled": "on", "action": "replace", "ignore_case": "on"})
    replaced = send(admin, "a BADWORD here")
    assert replaced.status_code == 200
    assert ImMessage.objects.get(msg_id=replaced.json()["data"]["user2"]).body == {"msg": "a *** here"}
    console.post(page("features:settings_sensitive_words", im_app),
                 {"enabled": "on", "action": "replace", "ignore_case": ""})
    kept = send(admin, "a BADWORD here")
    assert ImMessage.objects.get(msg_id=kept.json()["data"]["user2"]).body == {"msg": "a BADWORD here"}
    console.post(page("features:settings_sensitive_words", im_app), {"action": "block"})  # filter off
    assert send(admin, "a badword here").status_code == 200


def test_sensitive_words_left_on_but_not_in_the_plan_are_not_applied(admin, im_app):
    from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings
    from tests.im.helpers import enable_feature

    # A Free app with rows that only a paid plan could have made (as after a downgrade).
    enable_feature(im_app, "sensitive_words")
    SensitiveWordSettings.objects.create(app=im_app, enabled=True, action="block", revision=1)
    SensitiveWord.objects.create(app=im_app, word="badword", key="badword")
    assert send(admin, "a badword here").status_code == 200


def test_recall_window_follows_the_rest_recall_time(admin, console, im_app):
    enable(console, im_app, "recall")
    response = console.post(page("features:settings_recall", im_app), {
        "client_recall_value": "2", "client_recall_unit": "minutes",
        "rest_recall_value": "1", "rest_recall_unit": "minutes"})
    assert response.status_code == 302
    msg_id = send(admin, "hello").json()["data"]["user2"]
    recall = {"msg_id": msg_id, "to": "user2", "chat_type": "chat", "from": "user1"}
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)):
        late = admin.post("/messages/msg_recall", json=recall)
    assert late.status_code == 403 and late.json()["error_description"] == "exceed recall time limit"
    console.post(page("features:settings_recall", im_app), {
        "client_recall_value": "2", "client_recall_unit": "minutes",
        "rest_recall_value": "5", "rest_recall_unit": "minutes"})
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)):
        assert admin.post("/messages/msg_recall", json=recall).status_code == 200


def test_registration_mode_open_lets_clients_register_without_a_token(rest, console, im_app):
    user = {"username": "selfmade", "password": "pw"}
    refused = rest.post("/users", token=None, json=user)
    assert refused.status_code == 401
    assert refused.json()["error_description"] == "registration is not open, please contact the app admin"
    response = console.post(page("im_console:settings", im_app), {
        "token_ttl_value": "60", "token_ttl_unit": "days", "registration_mode": "open"})
    assert response.status_code == 302
    assert rest.post("/users", token=None, json=user).status_code == 200
    assert ImUser.objects.filter(app=im_app, username="selfmade").exists()


def test_token_validity_follows_the_console_setting(rest, console, im_app):
    console.post(page("im_console:settings", im_app), {
        "token_ttl_value": "2", "token_ttl_unit": "hours", "registration_mode": "authorized"})
    response = rest.post("/token", json={"grant_type": "client_credentials", "client_id": im_app.client_id,
                                         "client_secret": im_app.client_secret})
    assert response.json()["expires_in"] == 7200
    token = response.json()["access_token"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2, seconds=5)):
        assert rest.get("/users", token=token).status_code == 401


def test_rotating_the_client_secret_revokes_earlier_app_tokens(admin, console, im_app):
    old_token = admin.token
    assert admin.get("/users").status_code == 200
    confirm_identity(console)  # rotating is a protected operation (a fresh password check)
    response = console.post(page("applications:secret_rotate", im_app), {"confirm": "on"})
    assert response.status_code == 302 and "/accounts/confirm/" not in response["Location"]
    assert admin.get("/users").status_code == 401
    im_app.refresh_from_db()
    assert admin.post("/token", token=None, json={"grant_type": "client_credentials", "client_id": im_app.client_id,
                                                  "client_secret": "x"}).status_code == 400
    new = admin.login()
    assert new.token != old_token and admin.get("/users").status_code == 200


def test_free_plan_registered_user_cap(admin, im_app):
    for start in range(0, 100, 50):
        admin.register(*[f"u{i}" for i in range(start, start + 50)])
    refused = admin.post("/users", json={"username": "u100", "password": "pw"})
    assert refused.status_code == 429 and refused.json()["error"] == "resource_limited"
    assert ImUser.objects.filter(app=im_app).count() == 100
    app_on_plan(im_app, "pro")
    assert admin.post("/users", json={"username": "u100", "password": "pw"}).status_code == 200


def test_group_caps_rise_when_the_tier_add_on_goes_in_service(admin, console, im_app):
    app_on_plan(im_app, "pro")  # 300 members per group
    admin.register("owner1")
    group = {"groupname": "big", "public": True, "owner": "owner1", "maxusers": 500}
    assert admin.post("/chatgroups", json=group).status_code == 403
    order = order_place(app=im_app, buyer=console.owner, plan_code=None,
                        addons=[AddonRequest(code="group_members", tier_value=500)],
                        token=checkout_token_issue(app=im_app))
    assert admin.post("/chatgroups", json=group).status_code == 403  # provisioning: not yet
    assert orders_activate_due(now=order.activate_after + dt.timedelta(seconds=1)) == 1
    # The set-based activation sends no model signal: the REST service's cached entitlements (apps/im/appcache.py)
    # see the order within their TTL.
    time.sleep(appcache.TTL_SECONDS + 0.2)
    assert admin.post("/chatgroups", json=group).status_code == 200


def test_groups_per_user_cap(admin, im_app):
    admin.register("owner1", "joiner")
    from apps.im.models import ImGroup, ImGroupMember

    owner = ImUser.objects.get(app=im_app, username="owner1")
    joiner = ImUser.objects.get(app=im_app, username="joiner")
    groups = ImGroup.objects.bulk_create(  # with the member counts and the group count the services keep
        [ImGroup(app=im_app, group_id=str(10**14 + i), name=f"g{i}", maxusers=10, owner=owner,
                 member_count=int(i < 100)) for i in range(101)]
    )
    ImGroupMember.objects.bulk_create([ImGroupMember(group=g, user=joiner) for g in groups[:100]])
    ImUser.objects.filter(pk=joiner.pk).update(group_count=100)
    refused = admin.post(f"/chatgroups/{groups[100].group_id}/users/joiner")
    assert refused.status_code == 403 and "too many groups" in refused.json()["error_description"]


def test_calls_beyond_the_rest_rate_answer_429_with_retry_after(admin):
    from apps.plans.models import PlanFeature

    row = PlanFeature.objects.get(plan__code="free", feature__code="rest_rate")
    row.quota = 3
    row.save()  # as the admin does: the REST service drops its cached entitlements at once
    statuses = [admin.get("/users") for _ in range(10)]
    refused = [response for response in statuses if response.status_code == 429]
    assert len(refused) >= 4
    assert refused[0].json()["error"] == "reach_limit" and refused[0].headers["Retry-After"] == "1"
    assert all(response.status_code in (200, 429) for response in statuses)


@pytest.fixture
def receiver(settings):
    from apps.im import callback_rules
    from tests.im.receiver import start_receiver, stop_receiver

    settings.CALLBACKS_ALLOW_PRIVATE_TARGETS = True
    callback_rules.forget_all()
    receiver, server = start_receiver()
    yield receiver
    stop_receiver(server)
    callback_rules.forget_all()


def test_a_pre_send_rule_answering_valid_false_blocks_the_rest_send(admin, console, im_app, receiver):
    from tests.callbacks.factories import CallbackRuleFactory
    from tests.im.receiver import Answer

    app_on_plan(im_app, "pro")
    CallbackRuleFactory(app=im_app, kind="pre_send", url=receiver.url(), chat_types=["chat"], message_types=["txt"])
    assert send(admin, "hello").status_code == 200  # callbacks off: the rule is not asked
    assert receiver.received == []
    enable(console, im_app, "callbacks")
    receiver.answer(Answer(body=b'{"valid":false,"code":"no ads"}'))
    ImMessage.objects.all().delete()
    blocked = send(admin, "buy now")
    assert blocked.status_code == 403 and "no ads" in blocked.json()["error_description"]
    assert not ImMessage.objects.exists()
    assert b"buy now" in receiver.received[-1].body
    receiver.answer(Answer(body=b'{"valid":true}'))
    assert send(admin, "hello again").status_code == 200
    assert ImMessage.objects.count() == 1
