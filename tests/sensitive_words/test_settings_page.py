import pytest

from apps.accounts.roles import Role
from apps.audit.actions import ACTION_LABELS, describe
from apps.audit.models import AuditEntry
from apps.features.models import AppFeature
from apps.plans.models import Feature
from apps.sensitive_words.models import SensitiveWord, SensitiveWordSettings
from tests.applications.factories import AppFactory
from tests.orders.factories import ProAppFactory, app_on_plan
from tests.sensitive_words.helpers import make_words, page_url

pytestmark = pytest.mark.django_db


def settings_data(enabled=True, action="block", ignore_case=True):
    data = {"action": action}
    if enabled:
        data["enabled"] = "on"
    if ignore_case:
        data["ignore_case"] = "on"
    return data


def test_new_app_shows_the_defaults_and_an_empty_list(owner_client, org):
    page = owner_client.get(page_url(ProAppFactory(organization=org))).content.decode()
    assert 'name="enabled" id="id_enabled" aria-describedby="sw-enabled-help" checked' in page
    assert 'value="block" id="id_action_0" checked' in page
    assert 'name="ignore_case" id="id_ignore_case" aria-describedby="sw-case-help" checked' in page
    assert "0 of 10,000 words" in page
    assert "No words yet." in page
    assert not SensitiveWordSettings.objects.exists()


def test_saving_the_settings_stores_them_and_writes_an_audit_entry(owner_client, org, owner):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app), settings_data(enabled=False, action="replace"), follow=True)
    assert "Sensitive word settings saved." in response.content.decode()
    settings = SensitiveWordSettings.objects.get(app=app)
    assert (settings.enabled, settings.action, settings.ignore_case) == (False, "replace", True)
    assert settings.updated_by == owner
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.app, entry.actor) == ("sensitive_words.settings_update", app, owner)
    assert entry.detail["before"] == {"enabled": True, "action": "block", "ignore_case": True}
    assert entry.detail["after"] == {"enabled": False, "action": "replace", "ignore_case": True}
    assert describe(entry.action, entry.detail, entry.summary) == (
        "Filter off, action replace with *** for receivers, ignore case on")


def test_saving_the_same_settings_writes_no_audit_entry(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app), settings_data(action="replace"))
    response = owner_client.post(page_url(app), settings_data(action="replace"), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_an_unknown_action_is_a_form_error(owner_client, org):
    app = ProAppFactory(organization=org)
    response = owner_client.post(page_url(app), settings_data(action="shout"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_saved_settings_show_on_the_page(owner_client, org):
    app = ProAppFactory(organization=org)
    owner_client.post(page_url(app), settings_data(enabled=False, action="replace", ignore_case=False))
    page = owner_client.get(page_url(app)).content.decode()
    assert 'value="replace" id="id_action_1" checked' in page
    assert 'aria-describedby="sw-enabled-help" checked' not in page
    assert 'aria-describedby="sw-case-help" checked' not in page
    assert "Not filtering" in page


def test_page_says_when_the_feature_is_off_and_not_when_on(owner_client, org):
    app = AppFactory(organization=org)
    app_on_plan(app, "pro")
    assert "Sensitive words is off for this app." in owner_client.get(page_url(app)).content.decode()
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="sensitive_words"))
    page = owner_client.get(page_url(app)).content.decode()
    assert "Sensitive words is off for this app." not in page
    assert "Filtering" in page


def test_finance_sees_the_page_read_only(member_client, org):
    app = ProAppFactory(organization=org)
    make_words(app, 3)
    page = member_client(Role.FINANCE).get(page_url(app)).content.decode()
    assert "Read-only" in page and "<fieldset disabled>" in page
    assert "word00002" in page
    assert "Add words" not in page and "Delete selected" not in page and 'name="words"' not in page
    assert "Test a message" in page


@pytest.mark.parametrize(("suffix", "data"), [
    ("", settings_data()),
    ("add/", {"words": "spam"}),
    ("import/", {}),
    ("delete/", {"words": "1"}),
])
def test_finance_may_not_change_anything(member_client, org, suffix, data):
    app = ProAppFactory(organization=org)
    words = make_words(app, 1)
    data = {**data, "words": str(words[0].pk)} if suffix == "delete/" else data
    assert member_client(Role.FINANCE).post(page_url(app, suffix), data).status_code == 403
    assert SensitiveWord.objects.count() == 1
    assert not SensitiveWordSettings.objects.exists() and not AuditEntry.objects.exists()


def test_developer_may_change_the_settings_and_the_list(member_client, org):
    app = ProAppFactory(organization=org)
    developer = member_client(Role.DEVELOPER)
    assert developer.post(page_url(app), settings_data(action="replace")).status_code == 302
    assert developer.post(page_url(app, "add/"), {"words": "spam"}).status_code == 302
    assert SensitiveWord.objects.filter(app=app, word="spam").exists()


@pytest.mark.parametrize(("method", "suffix"), [
    ("get", ""), ("post", ""), ("post", "add/"), ("post", "import/"), ("post", "delete/"), ("post", "test/"),
])
def test_another_orgs_app_is_404_on_every_route(owner_client, other_org, method, suffix):
    app = ProAppFactory(organization=other_org)
    words = make_words(app, 1, prefix="secret")
    data = {"enabled": "on", "action": "replace", "words": str(words[0].pk), "message": "secret00000"}
    response = getattr(owner_client, method)(page_url(app, suffix), data if method == "post" else {})
    assert response.status_code == 404
    assert b"secret00000" not in response.content
    assert SensitiveWord.objects.count() == 1 and not SensitiveWordSettings.objects.exists()


def test_every_audit_code_has_a_label():
    for code in ("settings_update", "add", "import", "delete"):
        assert f"sensitive_words.{code}" in ACTION_LABELS
