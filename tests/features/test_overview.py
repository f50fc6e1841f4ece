import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.roles import Role
from apps.features.models import AppFeature
from apps.features.selectors import State, feature_overview
from apps.plans.models import Feature, Plan
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line

pytestmark = pytest.mark.django_db


def url(app):
    return f"/o/{app.organization.name}/apps/{app.name}/features/"


def states(app):
    return {row.feature.code: row.state for row in feature_overview(app=app).switches}


def on_plan(app, code):
    return OrderFactory(app=app, plan=Plan.objects.get(code=code))


def test_free_app_sees_sensitive_words_and_callbacks_as_upgrade(org):
    app = AppFactory(organization=org)
    assert states(app) == {
        "recall": State.ENABLE, "push": State.ENABLE, "ip_whitelist": State.ENABLE,
        "sensitive_words": State.UPGRADE, "callbacks": State.UPGRADE,
    }


@pytest.mark.parametrize("plan", ["pro", "flagship", "premium"])
def test_paid_app_sees_every_switch_as_enable_for_free(org, plan):
    app = AppFactory(organization=org)
    on_plan(app, plan)
    assert set(states(app).values()) == {State.ENABLE}


def test_enabled_feature_shows_as_on(org):
    app = AppFactory(organization=org)
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="recall"))
    assert states(app)["recall"] == State.ON


def test_enabled_feature_no_longer_in_the_plan_shows_upgrade(org):
    app = AppFactory(organization=org)
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="callbacks"))
    assert states(app)["callbacks"] == State.UPGRADE


def test_quota_rows_carry_effective_values_and_actions(org):
    app = AppFactory(organization=org)
    order = on_plan(app, "premium")
    add_addon_line(order, "message_storage", quantity=10)
    rows = {row.feature.code: row for row in feature_overview(app=app).quotas}
    assert rows["message_storage"].value == 480 and rows["message_storage"].plan_value == 180
    assert rows["user_groups"].value is None
    assert not rows["user_groups"].addons_available and not rows["user_groups"].upgrade_available
    # Premium already has the highest members tier: nothing to buy.
    assert not rows["group_members"].addons_available
    assert rows["rest_rate"].addons_available


def test_free_quota_offers_upgrade_and_addons(org):
    rows = {row.feature.code: row for row in feature_overview(app=AppFactory(organization=org)).quotas}
    assert rows["group_members"].upgrade_available and rows["group_members"].addons_available
    assert not rows["rest_rate"].upgrade_available  # every plan has 100 calls/s


def test_page_shows_states_and_actions_to_an_owner(owner_client, org):
    app = AppFactory(organization=org)
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="push"))
    page = owner_client.get(url(app)).content.decode()
    assert "Feature overview" in page
    assert page.count("Enable for free") == 2  # recall and IP whitelist
    assert page.count(">Upgrade<") >= 2
    assert f"/o/acme/apps/{app.name}/features/recall/enable/" in page
    assert "Free" in page


@pytest.mark.parametrize(
    ("code", "path"),
    [("recall", "recall"), ("push", "push"), ("callbacks", "callbacks"), ("sensitive_words", "sensitive_words"),
     ("ip_whitelist", "ip_whitelist")],
)
def test_every_switch_that_is_on_links_to_its_settings_page(owner_client, org, code, path):
    app = AppFactory(organization=org)
    on_plan(app, "pro")
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code=code))
    page = owner_client.get(url(app)).content.decode()
    assert f'href="/o/acme/apps/{app.name}/features/{path}/">Settings<' in page
    assert owner_client.get(f"/o/acme/apps/{app.name}/features/{path}/").status_code == 200


def test_quotas_are_shown_with_effective_values(owner_client, org):
    app = AppFactory(organization=org)
    order = on_plan(app, "flagship")
    add_addon_line(order, "group_members", tier_value=8000)
    page = owner_client.get(url(app)).content.decode()
    assert "<strong>8,000</strong> members" in page
    assert "Unlimited" in page


def test_pro_app_page_offers_enable_for_free_for_callbacks(owner_client, org):
    app = AppFactory(organization=org)
    on_plan(app, "pro")
    page = owner_client.get(url(app)).content.decode()
    assert "/features/callbacks/enable/" in page
    assert "/features/sensitive_words/enable/" in page


def test_finance_sees_the_overview_read_only(member_client, org):
    app = AppFactory(organization=org)
    response = member_client(Role.FINANCE).get(url(app))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Read-only" in page
    assert "/enable/" not in page
    assert "Enable for free" in page and "disabled" in page


def test_developer_may_enable_but_sees_upgrade_as_text(member_client, org):
    app = AppFactory(organization=org)
    page = member_client(Role.DEVELOPER).get(url(app)).content.decode()
    assert "/features/recall/enable/" in page
    assert "An owner or admin can upgrade the plan." in page


def test_another_orgs_app_is_404(owner_client, other_org):
    app = AppFactory(organization=other_org)
    assert owner_client.get(url(app)).status_code == 404


def test_other_org_member_gets_404(other_org_client, org):
    assert other_org_client.get(url(AppFactory(organization=org))).status_code == 404


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(url(AppFactory(organization=org)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_query_count_does_not_grow_with_addons_or_enabled_features(owner_client, org):
    small = AppFactory(organization=org)
    on_plan(small, "pro")
    big = AppFactory(organization=org)
    order = on_plan(big, "pro")
    for code in ["recall", "push", "ip_whitelist", "callbacks", "sensitive_words"]:
        AppFeature.objects.create(app=big, feature=Feature.objects.get(code=code))
    for _ in range(30):
        add_addon_line(order, "rest_rate", quantity=1)
    owner_client.get(url(small))  # warm-up (current org, caches): count a later one
    owner_client.get(url(big))
    with CaptureQueriesContext(connection) as one:
        owner_client.get(url(small))
    with CaptureQueriesContext(connection) as many:
        owner_client.get(url(big))
    assert len(many) == len(one)


def test_upgrade_and_addons_link_to_the_checkout_for_a_buyer(owner_client, org):
    app = AppFactory(organization=org)
    page = owner_client.get(url(app)).content.decode()
    checkout = f"/o/acme/apps/{app.name}/upgrade/"
    assert f'href="{checkout}?feature=callbacks">Upgrade<' in page
    assert f'href="{checkout}?feature=message_storage#addons">Add-ons<' in page


def test_finance_gets_no_purchase_links(member_client, org):
    app = AppFactory(organization=org)
    page = member_client(Role.FINANCE).get(url(app)).content.decode()
    assert "/upgrade/?feature=" not in page


def test_catalog_names_and_units_with_markup_are_shown_as_text(owner_client, org):
    # The rows are built by template tags (issue 14): a name or unit typed in the admin is escaped like before.
    Feature.objects.filter(code="push").update(name_en='Push <i>"now"</i>')
    Feature.objects.filter(code="group_members").update(name_en="Members <b>", unit_en="<u>people</u>")
    app = AppFactory(organization=org)
    on_plan(app, "pro")
    page = owner_client.get(url(app)).content.decode()
    assert '<th scope="row">Push &lt;i&gt;&quot;now&quot;&lt;/i&gt;</th>' in page
    assert '<th scope="row">Members &lt;b&gt;</th>' in page
    assert "&lt;u&gt;people&lt;/u&gt;" in page and "<u>" not in page and "<b>" not in page


def test_the_rows_speak_chinese(owner_client, org):
    app = AppFactory(organization=org)
    page = owner_client.get(url(app), headers={"accept-language": "zh-hans"}).content.decode()
    assert '<span class="badge feature-badge-upgrade">当前版本不支持</span>' in page  # sensitive words on Free
    assert '<span class="badge feature-badge-off">已包含，未开启</span>' in page
    assert '<button type="submit" class="btn btn-sm btn-primary">免费开通</button>' in page
