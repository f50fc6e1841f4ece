
import pytest
from django.db import connection

from apps.applications.exceptions import AppFieldImmutable, AppLimitReached, AppNameTaken
from apps.applications.models import App, DataCenter
from apps.applications.selectors import app_by_credentials
from apps.applications.services import app_create, app_secret_reveal, app_secret_rotate, app_update
from apps.audit.models import AuditEntry
from apps.plans.models import CatalogSettings
from orders.entitlements import plan_for_app
from tests.accounts.factories import OrganizationFactory
from tests.applications.factories import AppFactory
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db


def _create(org, name="chat-prod", data_center=None, actor=None):
    return app_create(
        organization=org,
        actor=actor,
        name=name,
        product_name="Chat",
        description="",
        data_center=data_center or DataCenter.objects.get(code="sgp1"),
    )


def test_a_new_app_has_the_appkey_orgname_hash_appname_and_starts_on_free(org, owner):
    app = _create(org, actor=owner)
    assert app.app_key == "acme#chat-prod"
    assert app.data_center.rest_host == "a1-sgp.easemob.com"
    assert plan_for_app(app=app).code == "free"
    entry = AuditEntry.objects.get(organization=org, action="app.created")
    assert entry.app == app and entry.actor == owner


def test_the_same_appname_twice_in_one_org_is_refused(org):
    _create(org)
    with pytest.raises(AppNameTaken):
        _create(org)
    assert App.objects.filter(organization=org).count() == 1


def test_the_same_appname_in_two_orgs_is_fine(org, other_org):
    _create(org)
    other = _create(other_org)
    assert other.app_key == "globex#chat-prod"


def test_the_app_limit_of_the_catalog_is_enforced_with_a_clear_message(org):
    catalog = CatalogSettings.load()
    catalog.app_limit = 2
    catalog.save()
    _create(org, "one")
    _create(org, "two")
    with pytest.raises(AppLimitReached) as excinfo:
        _create(org, "three")
    assert "already has 2 apps" in str(excinfo.value.message)
    assert App.objects.filter(organization=org).count() == 2


def test_the_default_limit_is_ten_apps_per_org_and_other_orgs_do_not_count(org, other_org):
    AppFactory.create_batch(10, organization=other_org)
    AppFactory.create_batch(9, organization=org)
    _create(org, "tenth")
    with pytest.raises(AppLimitReached):
        _create(org, "eleventh")


def test_a_data_center_closed_for_new_apps_is_refused(org):
    closed = DataCenter.objects.get(code="fra2")
    closed.is_active = False
    closed.save()
    with pytest.raises(Exception, match="not open"):
        _create(org, data_center=closed)
    assert not App.objects.exists()


def test_the_product_name_and_description_can_change(org, owner):
    app = AppFactory(organization=org, name="chat")
    app_update(app=app, actor=owner, product_name="Chat 2", description="Second")
    app.refresh_from_db()
    assert (app.product_name, app.description) == ("Chat 2", "Second")
    assert AuditEntry.objects.filter(app=app, action="app.updated").exists()


@pytest.mark.parametrize("field", ["name", "data_center"])
def test_the_service_refuses_to_change_appname_or_data_center(org, owner, field):
    app = AppFactory(organization=org, name="chat", data_center=DataCenter.objects.get(code="bj1"))
    new_value = {"name": "renamed", "data_center": DataCenter.objects.get(code="usva1")}[field]
    with pytest.raises(AppFieldImmutable):
        app_update(app=app, actor=owner, product_name="Changed", **{field: new_value})
    app.refresh_from_db()
    assert (app.name, app.data_center.code, app.product_name) == ("chat", "bj1", "Chat")


def test_the_client_secret_is_encrypted_in_the_database(org):
    app = AppFactory(organization=org)
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_secret FROM applications_app WHERE id = %s", [app.pk])
        (raw,) = cursor.fetchone()
    assert app.client_secret not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert App.objects.get(pk=app.pk).client_secret == app.client_secret


def test_rotating_the_secret_invalidates_the_old_one_and_keeps_the_client_id(org, owner):
    app = AppFactory(organization=org)
    old_secret, client_id = app.client_secret, app.client_id
    assert app_by_credentials(client_id=client_id, client_secret=old_secret) == app
    rotated = app_secret_rotate(app=app, actor=owner)
    assert rotated.client_id == client_id
    assert rotated.client_secret != old_secret
    assert app_by_credentials(client_id=client_id, client_secret=old_secret) is None
    assert app_by_credentials(client_id=client_id, client_secret=rotated.client_secret) == app
    assert AuditEntry.objects.filter(app=app, action="app.secret_rotated", actor=owner).exists()


def test_revealing_the_secret_leaves_an_audit_entry(org, owner):
    app = AppFactory(organization=org)
    assert app_secret_reveal(app=app, actor=owner) == app.client_secret
    assert AuditEntry.objects.filter(app=app, action="app.secret_revealed", actor=owner).count() == 1


def test_credentials_of_another_app_do_not_match(org, other_org):
    mine, theirs = AppFactory(organization=org), AppFactory(organization=other_org)
    assert app_by_credentials(client_id=mine.client_id, client_secret=theirs.client_secret) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_cannot_exceed_the_app_limit():
    org = OrganizationFactory(name="race")
    catalog = CatalogSettings.load()
    catalog.app_limit = 3
    catalog.save()
    AppFactory.create_batch(2, organization=org)
    results = run_together(*[lambda index=index: _create(org, f"racer-{index}") for index in range(6)])
    outcomes = ["limit" if isinstance(r, AppLimitReached) else r if isinstance(r, Exception) else "created"
                for r in results]
    assert outcomes.count("created") == 1
    assert App.objects.filter(organization=org).count() == 3
