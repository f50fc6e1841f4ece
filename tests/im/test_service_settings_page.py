"""The IM service settings page (console): token validity and registration mode, audited; the app overview
shows the sandbox REST base and links to it."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.im.models import ServiceSettings
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(org):
    return AppFactory(organization=org, name="chat")


def url(app) -> str:
    return reverse("im_console:settings", kwargs={"org_name": app.organization.name, "app_name": app.name})


def test_page_shows_the_defaults_and_the_rest_base(owner_client, app):
    response = owner_client.get(url(app))
    assert response.status_code == 200
    assert response.context["form"].initial == {"token_ttl_value": 60, "token_ttl_unit": "days",
                                                "registration_mode": "authorized"}
    assert b"http://testserver/rest/acme/chat/" in response.content


def test_saving_changes_the_settings_and_writes_an_audit_entry(owner_client, app):
    response = owner_client.post(url(app), {"token_ttl_value": "12", "token_ttl_unit": "hours",
                                            "registration_mode": "open"}, follow=True)
    assert b"IM service settings saved." in response.content
    settings = ServiceSettings.objects.get(app=app)
    assert (settings.token_ttl_seconds, settings.registration_mode) == (12 * 3600, "open")
    entry = AuditEntry.objects.get(action="im.settings_update")
    assert entry.app_id == app.pk and entry.detail == {"token_ttl_seconds": 43200, "registration": "open"}


@pytest.mark.parametrize(("value", "unit"), [("366", "days"), ("0", "hours"), ("x", "days")])
def test_validity_out_of_range_is_a_form_error(owner_client, app, value, unit):
    response = owner_client.post(url(app), {"token_ttl_value": value, "token_ttl_unit": unit,
                                            "registration_mode": "open"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ServiceSettings.objects.exists()


def test_a_role_that_may_not_change_apps_reads_but_cannot_save(member_client, app):
    client = member_client(Role.FINANCE)
    assert client.get(url(app)).status_code in (200, 403)
    response = client.post(url(app), {"token_ttl_value": "1", "token_ttl_unit": "days", "registration_mode": "open"})
    assert response.status_code == 403
    assert not ServiceSettings.objects.exists()


def test_another_org_gets_404(other_org_client, app):
    assert other_org_client.get(url(app)).status_code == 404


def test_app_overview_shows_the_rest_base_next_to_the_rest_host_and_links_the_settings(owner_client, app):
    response = owner_client.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    assert b"http://testserver/rest/" in response.content
    assert app.data_center.rest_host.encode() in response.content
    assert url(app).encode() in response.content
