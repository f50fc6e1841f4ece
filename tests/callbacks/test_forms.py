import pytest

from apps.callbacks.forms import CallbackRuleForm
from tests.callbacks.factories import PUBLIC_URL, CallbackRuleFactory
from tests.orders.factories import ProAppFactory

pytestmark = pytest.mark.django_db


def data(**changes):
    return {"name": "moderation", "kind": "pre_send", "url": PUBLIC_URL, "chat_types": ["chat", "groupchat"],
            "message_types": ["txt"], "enabled": "on", "wait_ms": "200", "on_failure": "block", **changes}


def form_for(app, rule=None, **changes):
    return CallbackRuleForm(data(**changes), app=app, rule=rule)


def test_a_complete_pre_send_rule_is_valid(org):
    form = form_for(ProAppFactory(organization=org))
    assert form.is_valid(), form.errors
    assert form.rule_fields() == {
        "name": "moderation", "kind": "pre_send", "url": PUBLIC_URL, "chat_types": ["chat", "groupchat"],
        "message_types": ["txt"], "enabled": True, "wait_ms": 200, "on_failure": "block",
    }


@pytest.mark.parametrize("url", ["ftp://93.184.216.34/x", "javascript:alert(1)", "93.184.216.34/hook", "",
                                 "file:///etc/passwd", "gopher://93.184.216.34/"])
def test_only_http_and_https_urls_are_accepted(org, url):
    form = form_for(ProAppFactory(organization=org), url=url)
    assert not form.is_valid()
    assert "url" in form.errors


def test_an_https_url_with_port_and_query_is_accepted(org):
    form = form_for(ProAppFactory(organization=org), url="https://93.184.216.34:8443/cb?token=abc")
    assert form.is_valid(), form.errors


def test_url_longer_than_1024_characters_is_refused(org):
    form = form_for(ProAppFactory(organization=org), url="https://93.184.216.34/" + "a" * 1010)
    assert not form.is_valid() and "url" in form.errors


def test_the_name_is_unique_within_the_app_but_another_app_may_reuse_it(org):
    app, other = ProAppFactory(organization=org), ProAppFactory(organization=org)
    CallbackRuleFactory(app=app, name="moderation")
    form = form_for(app)
    assert not form.is_valid()
    assert form.errors["name"] == ["This app already has a rule with this name."]
    assert form_for(other).is_valid()


def test_editing_a_rule_may_keep_its_own_name(org):
    app = ProAppFactory(organization=org)
    rule = CallbackRuleFactory(app=app, name="moderation")
    assert form_for(app, rule=rule).is_valid()


def test_names_longer_than_32_characters_are_refused(org):
    form = form_for(ProAppFactory(organization=org), name="n" * 33)
    assert not form.is_valid() and "name" in form.errors
    assert form_for(ProAppFactory(organization=org), name="n" * 32).is_valid()


@pytest.mark.parametrize(("field", "message"), [("chat_types", "Choose at least one chat type."),
                                                ("message_types", "Choose at least one message type.")])
def test_at_least_one_chat_type_and_message_type_are_required(org, field, message):
    form = form_for(ProAppFactory(organization=org), **{field: []})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_unknown_types_are_refused(org):
    form = form_for(ProAppFactory(organization=org), chat_types=["chat", "broadcast"], message_types=["sticker"])
    assert not form.is_valid()
    assert {"chat_types", "message_types"} <= set(form.errors)


def test_types_are_stored_once_each_in_catalog_order(org):
    form = form_for(ProAppFactory(organization=org), message_types=["custom", "txt", "txt", "img"])
    assert form.is_valid()
    assert form.cleaned_data["message_types"] == ["txt", "img", "custom"]


@pytest.mark.parametrize(("wait_ms", "valid"), [("49", False), ("50", True), ("200", True), ("5000", True),
                                               ("5001", False), ("", False), ("soon", False), ("-1", False)])
def test_pre_send_wait_time_is_50_to_5000_ms(org, wait_ms, valid):
    form = form_for(ProAppFactory(organization=org), wait_ms=wait_ms)
    assert form.is_valid() is valid
    if not valid:
        assert "wait_ms" in form.errors


def test_pre_send_needs_a_failure_policy(org):
    form = form_for(ProAppFactory(organization=org), on_failure="")
    assert not form.is_valid() and "on_failure" in form.errors


def test_post_send_ignores_wait_time_and_policy_and_keeps_the_defaults(org):
    form = form_for(ProAppFactory(organization=org), kind="post_send", wait_ms="99999", on_failure="explode")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["wait_ms"], form.cleaned_data["on_failure"]) == (200, "pass")


def test_an_unknown_kind_is_refused(org):
    form = form_for(ProAppFactory(organization=org), kind="mid_send")
    assert not form.is_valid() and "kind" in form.errors
