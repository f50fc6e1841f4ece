import pytest

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.features.exceptions import UnknownFeature
from apps.features.models import AppFeature
from apps.features.services import app_feature_enable
from apps.plans.models import Plan
from orders.entitlements import FeatureNotInPlan
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def enable_url(app, code):
    return f"/o/{app.organization.name}/apps/{app.name}/features/{code}/enable/"


def test_enabling_turns_the_feature_on_and_writes_one_audit_entry(org, owner):
    app = AppFactory(organization=org)
    row, changed = app_feature_enable(app=app, feature_code="recall", actor=owner)
    assert changed and row.enabled and row.enabled_by == owner
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.app, entry.actor, entry.detail) == ("feature.enable", app, owner, {"feature": "recall"})


def test_enabling_twice_is_idempotent(org, owner):
    app = AppFactory(organization=org)
    app_feature_enable(app=app, feature_code="push", actor=owner)
    _row, changed = app_feature_enable(app=app, feature_code="push", actor=owner)
    assert not changed
    assert AppFeature.objects.filter(app=app).count() == 1
    assert AuditEntry.objects.count() == 1


def test_enabling_a_switched_off_row_turns_it_back_on(org, owner):
    app = AppFactory(organization=org)
    row, _ = app_feature_enable(app=app, feature_code="push", actor=owner)
    AppFeature.objects.filter(pk=row.pk).update(enabled=False)
    row, changed = app_feature_enable(app=app, feature_code="push", actor=owner)
    assert changed and row.enabled
    assert AuditEntry.objects.count() == 2


def test_feature_not_in_the_plan_is_refused(org, owner):
    app = AppFactory(organization=org)
    with pytest.raises(FeatureNotInPlan):
        app_feature_enable(app=app, feature_code="callbacks", actor=owner)
    assert not AppFeature.objects.exists() and not AuditEntry.objects.exists()


def test_pro_app_may_enable_callbacks(org, owner):
    app = AppFactory(organization=org)
    OrderFactory(app=app, plan=Plan.objects.get(code="pro"))
    _row, changed = app_feature_enable(app=app, feature_code="callbacks", actor=owner)
    assert changed


def test_quota_or_unknown_features_cannot_be_enabled(org, owner):
    app = AppFactory(organization=org)
    for code in ["group_members", "nonsense"]:
        with pytest.raises(UnknownFeature):
            app_feature_enable(app=app, feature_code=code, actor=owner)


def test_post_enables_and_redirects_with_a_message(owner_client, org):
    app = AppFactory(organization=org)
    response = owner_client.post(enable_url(app, "recall"), follow=True)
    assert response.redirect_chain[-1][0] == f"/o/acme/apps/{app.name}/features/"
    assert "Message recall is on." in response.content.decode()
    assert AppFeature.objects.filter(app=app, feature__code="recall", enabled=True).exists()


def test_second_post_says_already_on(owner_client, org):
    app = AppFactory(organization=org)
    owner_client.post(enable_url(app, "recall"))
    response = owner_client.post(enable_url(app, "recall"), follow=True)
    assert "Message recall was already on." in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_post_for_a_feature_not_in_the_plan_shows_a_clear_message(owner_client, org):
    app = AppFactory(organization=org)
    response = owner_client.post(enable_url(app, "sensitive_words"), follow=True)
    page = response.content.decode()
    assert "This app&#x27;s plan does not include Sensitive words. Upgrade the app to use it." in page
    assert not AppFeature.objects.exists()


def test_unknown_feature_is_404(owner_client, org):
    app = AppFactory(organization=org)
    assert owner_client.post(enable_url(app, "teleport")).status_code == 404


def test_get_is_not_allowed(owner_client, org):
    app = AppFactory(organization=org)
    assert owner_client.get(enable_url(app, "recall")).status_code == 405
    assert not AppFeature.objects.exists()


def test_finance_post_is_403(member_client, org):
    app = AppFactory(organization=org)
    assert member_client(Role.FINANCE).post(enable_url(app, "recall")).status_code == 403
    assert not AppFeature.objects.exists()


def test_developer_may_enable(member_client, org):
    app = AppFactory(organization=org)
    assert member_client(Role.DEVELOPER).post(enable_url(app, "recall")).status_code == 302
    assert AppFeature.objects.filter(app=app).count() == 1


def test_another_orgs_app_is_404(owner_client, other_org):
    app = AppFactory(organization=other_org)
    assert owner_client.post(enable_url(app, "recall")).status_code == 404
    assert not AppFeature.objects.exists()
