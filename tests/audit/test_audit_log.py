import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.applications.services import app_secret_rotate
from apps.audit.services import audit_record
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def audit_url(org):
    return reverse("audit:audit_list", kwargs={"org_name": org.name})


def test_the_audit_log_lists_the_orgs_entries_with_who_app_and_action(owner_client, owner, org, other_org):
    app = AppFactory(organization=org, name="chat-prod")
    app_secret_rotate(app=app, actor=owner)
    audit_record(organization=other_org, actor=None, action="app.created", summary="Their secret thing")
    html = owner_client.get(audit_url(org)).content.decode()
    assert "Client Secret rotated" in html
    assert "owner@acme.test" in html
    assert "chat-prod" in html
    assert "Their secret thing" not in html


def test_the_audit_log_filters_by_app(owner_client, owner, org):
    chat, game = AppFactory(organization=org, name="chat"), AppFactory(organization=org, name="game")
    audit_record(organization=org, actor=owner, app=chat, action="x", summary="about chat")
    audit_record(organization=org, actor=owner, app=game, action="x", summary="about game")
    html = owner_client.get(audit_url(org), {"app": "chat"}).content.decode()
    assert "about chat" in html and "about game" not in html


def test_filtering_by_an_app_of_another_org_shows_nothing(owner_client, org, other_org):
    theirs = AppFactory(organization=other_org, name="theirs")
    audit_record(organization=other_org, actor=None, app=theirs, action="x", summary="their entry")
    html = owner_client.get(audit_url(org), {"app": "theirs"}).content.decode()
    assert "their entry" not in html
    assert "No audit entries yet." in html


def test_an_unknown_action_is_shown_by_its_code(owner_client, org):
    audit_record(organization=org, actor=None, action="callbacks.rule_added", summary="Added rule")
    html = owner_client.get(audit_url(org)).content.decode()
    assert "callbacks.rule_added" in html and "System" in html


def test_the_audit_log_pages_by_fifty(owner_client, org):
    for i in range(55):
        audit_record(organization=org, actor=None, action="x", summary=f"entry {i}")
    assert len(owner_client.get(audit_url(org)).context["page"].object_list) == 50
    assert len(owner_client.get(audit_url(org), {"page": 2}).context["page"].object_list) == 5


def test_finance_may_read_the_audit_log(member_client, org):
    assert member_client(Role.FINANCE).get(audit_url(org)).status_code == 200


def test_another_org_gets_404(other_org_client, org):
    assert other_org_client.get(audit_url(org)).status_code == 404


def _queries(client, org) -> int:
    client.get(audit_url(org))  # warm-up (current org, caches): count a later one
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(audit_url(org)).status_code == 200
    return len(ctx.captured_queries)


def test_the_audit_log_query_count_does_not_grow_with_entries(owner_client, owner, org):
    audit_record(organization=org, actor=owner, app=AppFactory(organization=org), action="x")
    one = _queries(owner_client, org)
    for _ in range(29):
        audit_record(organization=org, actor=owner, app=AppFactory(organization=org), action="x")
    assert _queries(owner_client, org) == one


def test_every_action_the_code_records_has_a_readable_name():
    """The log shows a name, not a code, for each action a service writes (codes found in the source)."""
    import re
    from pathlib import Path

    from apps.audit.actions import ACTION_LABELS

    root = Path(__file__).resolve().parents[2]
    recorded = set()
    for folder in ("apps", "orders", "billing", "console"):
        for path in (root / folder).rglob("*.py"):
            recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    assert len(recorded) >= 15
    assert recorded - set(ACTION_LABELS) == set()


def test_order_actions_read_as_words_in_the_log(owner_client, org):
    audit_record(organization=org, actor=None, action="order.in_service", summary="Order 1 in service")
    html = owner_client.get(audit_url(org)).content.decode()
    assert "Order in service" in html
    assert "order.in_service" not in html


def test_entries_read_in_the_readers_language(owner_client, owner, org):
    from apps.accounts import services as accounts

    accounts.invitation_create(actor=org.memberships.get(user=owner), email="new@acme.test", role=Role.FINANCE,
                                site_url="http://testserver")
    english = owner_client.get(audit_url(org)).content.decode()
    assert "new@acme.test invited as Finance" in english
    chinese = owner_client.get(audit_url(org), headers={"accept-language": "zh-hans"}).content.decode()
    assert "邀请成员" in chinese and "new@acme.test" in chinese and "财务" in chinese
    assert "invited as" not in chinese


def test_money_in_an_entry_is_formatted_and_a_short_detail_falls_back_to_the_stored_summary(owner_client, org):
    audit_record(organization=org, actor=None, action="billing.topup_confirmed", summary="old words",
                 detail={"topup_request": 1, "amount": "20000.00"})
    audit_record(organization=org, actor=None, action="order.in_service", summary="Written before sentences")
    html = owner_client.get(audit_url(org)).content.decode()
    assert "¥20,000.00 credited to the balance" in html
    assert "old words" not in html
    assert "Written before sentences" in html


def test_an_order_entry_names_its_items_in_the_readers_language(owner_client, owner, org):
    from orders.services import order_place
    from orders.tokens import checkout_token_issue

    app = AppFactory(organization=org, name="chat")
    order_place(app=app, buyer=owner, plan_code="pro", addons=[], token=checkout_token_issue(app=app))
    english = owner_client.get(audit_url(org)).content.decode()
    chinese = owner_client.get(audit_url(org), headers={"accept-language": "zh-hans"}).content.decode()
    assert ": Pro</td>" in english
    assert "：专业版</td>" in chinese


def test_a_feature_turned_on_reads_in_the_readers_language(owner_client, org):
    audit_record(organization=org, actor=None, action="feature.enable", summary="Enabled Push",
                 detail={"feature": "push"})
    assert "Push turned on" in owner_client.get(audit_url(org)).content.decode()
    chinese = owner_client.get(audit_url(org), headers={"accept-language": "zh-hans"}).content.decode()
    assert "消息推送" in chinese and "Enabled Push" not in chinese


def test_recall_durations_and_push_vendors_read_in_the_readers_language_and_units(owner_client, org):
    app = AppFactory(organization=org)
    audit_record(organization=org, actor=None, app=app, action="recall.update", summary="Recall 300 s / 86400 s",
                 detail={"after": {"client_recall_seconds": 300, "rest_recall_seconds": 86400}})
    audit_record(organization=org, actor=None, app=app, action="push.certificate_added", summary="Xiaomi cert",
                 detail={"vendor": "xiaomi", "vendor_name": "Xiaomi", "name": "mi-prod"})
    english = owner_client.get(audit_url(org)).content.decode()
    assert "Client recall 5 minutes, REST recall 1 day" in english
    assert "Xiaomi certificate mi-prod added" in english
    chinese = owner_client.get(audit_url(org), headers={"accept-language": "zh-hans"}).content.decode()
    assert "5 分钟" in chinese and "1 天" in chinese and "300" not in chinese and "86400" not in chinese
    assert "小米" in chinese and "Xiaomi" not in chinese


def _billing_facts(org, other_org, owner):
    app = AppFactory(organization=org, name="chat-prod")
    audit_record(organization=org, actor=owner, app=app, action="order.place",
                 summary="Order 202611300001: Pro plan", detail={"number": "202611300001"})
    audit_record(organization=org, actor=None, app=app, action="order.in_service",
                 summary="Order 202611300001 in service", detail={"number": "202611300001"})
    audit_record(organization=org, actor=owner, action="billing.topup_requested",
                 summary="Top-up requested: 8888.00 (PAYREF-7731)", detail={"amount": "8888.00",
                                                                             "reference": "PAYREF-7731"})
    audit_record(organization=org, actor=owner, action="billing.topup_recorded",
                 summary="Top-up recorded: 500.00 (BANK-42)", detail={"amount": "500.00", "reference": "BANK-42"})
    audit_record(organization=org, actor=owner, app=app, action="app.secret_rotated", summary="Secret rotated")
    audit_record(organization=other_org, actor=None, action="billing.adjusted", summary="Their adjustment")


@pytest.mark.parametrize("role", [Role.DEVELOPER])
def test_a_developer_does_not_read_billing_facts_in_the_audit_log(role, member_client, owner, org, other_org):
    _billing_facts(org, other_org, owner)
    response = member_client(role).get(audit_url(org))
    html = response.content.decode()
    assert "Client Secret rotated" in html
    for fact in ("202611300001", "8888", "PAYREF-7731", "BANK-42", "500.00", "Their adjustment"):
        assert fact not in html
    assert [entry.action for entry in response.context["page"]] == ["app.secret_rotated"]


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.FINANCE])
def test_owner_admin_and_finance_read_billing_facts(role, member_client, owner, org, other_org):
    _billing_facts(org, other_org, owner)
    response = member_client(role).get(audit_url(org))
    actions = {entry.action for entry in response.context["page"]}
    assert {"order.place", "order.in_service", "billing.topup_requested", "billing.topup_recorded"} <= actions
    assert "Their adjustment" not in response.content.decode()


def test_the_audit_selector_applies_the_reader_rule(owner, org, other_org):
    from apps.audit.selectors import audit_list

    _billing_facts(org, other_org, owner)
    assert set(audit_list(organization=org, reader_role=Role.DEVELOPER).values_list("action", flat=True)) == {
        "app.secret_rotated"}
    assert audit_list(organization=org, reader_role=Role.FINANCE).count() == 5
