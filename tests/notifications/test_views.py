import pytest
from django.core import mail

from apps.accounts.roles import Role
from apps.notifications.models import Alert, EmailPreference, Kind, Severity, State
from apps.notifications.services import Found, email_alerts, record_check
from tests.applications.factories import AppFactory
from tests.notifications.factories import AlertFactory, low_balance_alert

pytestmark = pytest.mark.django_db


def test_the_bell_counts_open_alerts_and_the_list_links_to_the_fixing_page(org, owner_client):
    app = AppFactory(organization=org)
    alert = AlertFactory(app=app)
    AlertFactory(app=app, state=State.RESOLVED)
    low_balance_alert(org)

    page = owner_client.get(f"/o/{org.name}/apps/").content.decode()
    assert 'id="alert-count">2</span>' in page

    listing = owner_client.get(f"/o/{org.name}/alerts/").content.decode()
    assert f"/o/{org.name}/apps/{app.name}/features/push/" in listing
    assert "Push certificate ios-prod of app" in listing and "covers about 6 days" in listing
    assert f'id="alert-{alert.pk}"' in listing


def test_the_list_filters_by_app_severity_and_state_and_refuses_bad_filters(org, owner_client):
    app, other = AppFactory(organization=org), AppFactory(organization=org)
    mine, theirs = AlertFactory(app=app), AlertFactory(app=other, severity="critical")
    resolved = AlertFactory(app=app, state=State.RESOLVED)
    url = f"/o/{org.name}/alerts/"
    by_app = owner_client.get(url, {"app": app.pk, "state": ""}).content.decode()
    assert f'id="alert-{mine.pk}"' in by_app and f'id="alert-{resolved.pk}"' in by_app
    assert f'id="alert-{theirs.pk}"' not in by_app
    critical = owner_client.get(url, {"severity": "critical"}).content.decode()
    assert f'id="alert-{theirs.pk}"' in critical and f'id="alert-{mine.pk}"' not in critical
    assert owner_client.get(url, {"severity": "loud"}).status_code == 400
    assert owner_client.get(url, {"app": "x"}).status_code == 400


def test_developers_do_not_see_billing_alerts(org, member_client):
    low = low_balance_alert(org)
    client = member_client(Role.DEVELOPER)
    assert f'id="alert-{low.pk}"' not in client.get(f"/o/{org.name}/alerts/").content.decode()
    assert client.post(f"/o/{org.name}/alerts/{low.pk}/dismiss/").status_code == 404


def test_dismiss_hides_the_alert_and_another_orgs_alert_answers_404(org, owner_client, other_org):
    alert = AlertFactory(app=AppFactory(organization=org))
    foreign = AlertFactory(app=AppFactory(organization=other_org))
    assert owner_client.post(f"/o/{org.name}/alerts/{foreign.pk}/dismiss/").status_code == 404
    assert owner_client.post(f"/o/{org.name}/alerts/{alert.pk}/dismiss/").status_code == 302
    alert.refresh_from_db()
    assert alert.state == State.DISMISSED
    assert owner_client.get(f"/o/{org.name}/alerts/{alert.pk}/dismiss/").status_code == 405


def test_push_page_and_account_center_show_their_alert_in_place(org, owner_client):
    app = AppFactory(organization=org)
    AlertFactory(app=app)
    low_balance_alert(org)
    push = owner_client.get(f"/o/{org.name}/apps/{app.name}/features/push/").content.decode()
    assert "related-alert" in push and "ios-prod" in push
    account = owner_client.get(f"/o/{org.name}/billing/").content.decode()
    assert "related-alert" in account and "covers about 6 days" in account


def test_emails_go_to_the_roles_that_care_once_a_day_unless_turned_off(org, owner, member_factory, settings):
    settings.CONSOLE_SITE_URL = "https://console.example.com"
    finance = member_factory(Role.FINANCE)
    developer = member_factory(Role.DEVELOPER)
    app_alert = AlertFactory(app=AppFactory(organization=org))
    low_balance_alert(org)

    assert email_alerts() == 2
    # Emails speak the site's language (zh-hans): no member language is stored.
    by_subject = {m.subject: m for m in mail.outbox}
    billing_mail = next(m for s, m in by_subject.items() if "余额不足" in s)
    app_mail = next(m for s, m in by_subject.items() if "推送证书到期" in s)
    assert sorted(billing_mail.to) == sorted([owner.email, finance.email])
    assert sorted(app_mail.to) == sorted([owner.email, developer.email])
    assert f"https://console.example.com/o/{org.name}/apps/{app_alert.app.name}/features/push/" in app_mail.body

    assert email_alerts() == 0  # at most one email per alert per day
    Alert.objects.update(last_emailed_at=None)
    EmailPreference.objects.create(user=developer, kind=Kind.PUSH_CERT_EXPIRY, email=False)
    mail.outbox.clear()
    email_alerts()
    app_mail = next(m for m in mail.outbox if "推送证书到期" in m.subject)
    assert app_mail.to == [owner.email]


def test_the_preference_page_turns_email_per_kind_off(org, owner, owner_client):
    url = f"/o/{org.name}/alerts/email/"
    assert owner_client.get(url).status_code == 200
    data = {kind: "on" for kind in Kind.values if kind != Kind.QUOTA}
    assert owner_client.post(url, data).status_code == 302
    assert list(EmailPreference.objects.filter(user=owner, email=False).values_list("kind", flat=True)) == [
        Kind.QUOTA]



def test_the_bell_is_cached_but_a_check_run_or_a_dismissal_refreshes_it(org, owner_client):
    url = f"/o/{org.name}/apps/"
    assert 'id="alert-count"' not in owner_client.get(url).content.decode()  # 0 is now cached
    record_check(kinds=[Kind.ARREARS], found=[Found(kind=Kind.ARREARS, organization_id=org.pk,
                                                    severity=Severity.CRITICAL, facts={"balance": "-1.00"})])
    assert 'id="alert-count">1</span>' in owner_client.get(url).content.decode()
    alert = Alert.objects.get()
    owner_client.post(f"/o/{org.name}/alerts/{alert.pk}/dismiss/")
    assert 'id="alert-count"' not in owner_client.get(url).content.decode()


def test_the_account_center_shows_arrears_before_low_balance(org, owner_client):
    low_balance_alert(org)
    AlertFactory(app=None, organization=org, kind=Kind.ARREARS, subject="", severity=Severity.CRITICAL,
                 facts={"balance": "-5.00"}, url_name="billing:account", url_kwargs={})
    page = owner_client.get(f"/o/{org.name}/billing/").content.decode()
    assert page.index("is in arrears") < page.index("covers about 6 days")
