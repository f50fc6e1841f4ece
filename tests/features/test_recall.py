import pytest

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.features.forms import RecallSettingsForm, split_seconds
from apps.features.models import AppFeature, RecallSettings
from apps.plans.models import Feature
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def url(app):
    return f"/o/{app.organization.name}/apps/{app.name}/features/recall/"


def data(client_value=5, client_unit="minutes", rest_value=1, rest_unit="days"):
    return {"client_recall_value": client_value, "client_recall_unit": client_unit,
            "rest_recall_value": rest_value, "rest_recall_unit": rest_unit}


def test_new_app_shows_the_two_minute_default(owner_client, org):
    page = owner_client.get(url(AppFactory(organization=org))).content.decode()
    assert 'id="id_client_recall_value" value="2"' in page
    assert '<option value="minutes" selected>' in page
    assert "Client recall time" in page and "REST recall time" in page


def test_saving_stores_seconds_and_writes_an_audit_entry(owner_client, org, owner):
    app = AppFactory(organization=org)
    response = owner_client.post(url(app), data(), follow=True)
    assert "Message recall settings saved." in response.content.decode()
    settings = RecallSettings.objects.get(app=app)
    assert (settings.client_recall_seconds, settings.rest_recall_seconds) == (300, 86400)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.app, entry.actor) == ("recall.update", app, owner)
    assert entry.detail["after"] == {"client_recall_seconds": 300, "rest_recall_seconds": 86400}


def test_saved_values_are_shown_in_their_largest_exact_unit(owner_client, org):
    app = AppFactory(organization=org)
    owner_client.post(url(app), data(client_value=90, client_unit="minutes", rest_value=7, rest_unit="days"))
    page = owner_client.get(url(app)).content.decode()
    assert 'id="id_client_recall_value" value="90"' in page
    assert 'id="id_rest_recall_value" value="7"' in page


def test_saving_the_same_values_writes_no_audit_entry(owner_client, org):
    app = AppFactory(organization=org)
    owner_client.post(url(app), data())
    response = owner_client.post(url(app), data(), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "unit"), [(8, "days"), (169, "hours"), (10081, "minutes"), (0, "minutes"), (-1, "hours")]
)
def test_times_outside_one_minute_to_seven_days_are_refused(owner_client, org, value, unit):
    app = AppFactory(organization=org)
    response = owner_client.post(url(app), data(rest_value=value, rest_unit=unit))
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not RecallSettings.objects.exists() and not AuditEntry.objects.exists()


def test_exactly_seven_days_and_one_minute_are_accepted(owner_client, org):
    app = AppFactory(organization=org)
    owner_client.post(url(app), data(client_value=1, client_unit="minutes", rest_value=168, rest_unit="hours"))
    settings = RecallSettings.objects.get(app=app)
    assert (settings.client_recall_seconds, settings.rest_recall_seconds) == (60, 604800)


def test_form_error_names_the_range():
    form = RecallSettingsForm(data(client_value=8, client_unit="days"))
    assert not form.is_valid()
    assert form.errors["client_recall_value"] == ["Choose a time from 1 minute to 7 days."]


def test_garbage_input_is_a_form_error(owner_client, org):
    app = AppFactory(organization=org)
    response = owner_client.post(url(app), data(client_value="soon", client_unit="weeks"))
    assert response.status_code == 200
    assert not RecallSettings.objects.exists()


def test_split_seconds_picks_the_largest_exact_unit():
    assert split_seconds(120) == (2, "minutes")
    assert split_seconds(7200) == (2, "hours")
    assert split_seconds(604800) == (7, "days")


def test_page_says_when_recall_is_off_and_not_when_on(owner_client, org):
    app = AppFactory(organization=org)
    assert "Message recall is off for this app." in owner_client.get(url(app)).content.decode()
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="recall"))
    assert "Message recall is off for this app." not in owner_client.get(url(app)).content.decode()


def test_finance_sees_the_settings_read_only_and_may_not_save(member_client, org):
    app = AppFactory(organization=org)
    finance = member_client(Role.FINANCE)
    page = finance.get(url(app)).content.decode()
    assert "Read-only" in page and "disabled" in page
    assert finance.post(url(app), data()).status_code == 403
    assert not RecallSettings.objects.exists()


def test_developer_may_save(member_client, org):
    app = AppFactory(organization=org)
    assert member_client(Role.DEVELOPER).post(url(app), data()).status_code == 302
    assert RecallSettings.objects.filter(app=app).exists()


def test_another_orgs_app_is_404(owner_client, other_org):
    app = AppFactory(organization=other_org)
    assert owner_client.get(url(app)).status_code == 404
    assert owner_client.post(url(app), data()).status_code == 404
    assert not RecallSettings.objects.exists()


def test_a_method_the_page_does_not_take_is_405_and_another_orgs_page_stays_404(owner_client, org, other_org):
    app = AppFactory(organization=org)
    assert owner_client.put(url(app), data()).status_code == 405
    assert owner_client.delete(url(AppFactory(organization=other_org))).status_code == 404
    assert not RecallSettings.objects.exists()
