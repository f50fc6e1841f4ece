import base64
import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.roles import Role
from apps.audit.actions import describe
from apps.audit.models import AuditEntry
from apps.features.models import AppFeature
from apps.plans.models import Feature
from apps.push.models import PushCertificate
from tests.applications.factories import AppFactory
from tests.push import material
from tests.push.conftest import (
    KINDS,
    SECRETS,
    TEXT_VENDORS,
    apns_p8_submission,
    apns_p12_submission,
    fcm_submission,
    submission,
)
from tests.push.factories import XIAOMI_SECRET, PushCertificateFactory

pytestmark = pytest.mark.django_db


def list_url(app):
    return f"/o/{app.organization.name}/apps/{app.name}/features/push/"


def new_url(app, vendor):
    return f"{list_url(app)}new/{vendor}/"


def edit_url(certificate):
    return f"{list_url(certificate.app)}{certificate.pk}/"


def delete_url(certificate):
    return f"{edit_url(certificate)}delete/"


def raw_rows() -> str:
    """Every column of every push certificate row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {PushCertificate._meta.db_table}")
        return repr(cursor.fetchall())


def post(client, url, data, files=None):
    return client.post(url, {**data, **(files or {})})


# --- list page -------------------------------------------------------------------------------------------


def test_list_shows_a_card_per_vendor_with_an_add_link(owner_client, app):
    page = owner_client.get(list_url(app)).content.decode()
    for label, vendor in [("APNs", "apns"), ("FCM", "fcm"), ("Huawei", "huawei"), ("Xiaomi", "xiaomi"),
                          ("OPPO", "oppo"), ("VIVO", "vivo"), ("Meizu", "meizu"), ("Honor", "honor")]:
        assert f'id="push-{vendor}"' in page
        assert f"Add {label} certificate" in page
        assert f'href="{new_url(app, vendor)}"' in page
        assert f"No {label} certificate yet." in page


def test_list_shows_name_environment_bundle_expiry_and_updated(owner_client, app, owner):
    PushCertificateFactory(app=app, name="2882303761517", updated_by=owner)
    PushCertificateFactory(app=app, vendor="apns", name="apns-prod", environment="production",
                           package_name="com.example.ios", expires_at=timezone.now() + dt.timedelta(days=200),
                           options={"cert_type": "p12"})
    page = owner_client.get(list_url(app)).content.decode()
    assert "2882303761517" in page and "owner@acme.test" in page
    assert "apns-prod" in page and "Production" in page and "com.example.ios" in page
    assert (timezone.localtime(timezone.now() + dt.timedelta(days=200))).strftime("%Y-%m-%d") in page
    assert "No Xiaomi certificate yet." not in page and "No APNs certificate yet." not in page
    assert 'data-confirm="Delete the APNs certificate apns-prod?' in page


def test_list_page_and_nav_link_from_the_feature_overview(owner_client, app):
    assert list_url(app) in owner_client.get(f"/o/acme/apps/{app.name}/features/").content.decode()


def test_page_says_when_push_is_off_and_not_when_on(owner_client, app):
    assert "Push is off for this app." in owner_client.get(list_url(app)).content.decode()
    AppFeature.objects.create(app=app, feature=Feature.objects.get(code="push"))
    assert "Push is off for this app." not in owner_client.get(list_url(app)).content.decode()


@pytest.mark.parametrize(("days", "badge"), [(-3, "Expired"), (12, "Expires in 12 days")])
def test_expired_and_soon_expiring_certificates_carry_a_warning(owner_client, app, days, badge):
    certificate = PushCertificateFactory(
        app=app, vendor="apns", name="old", environment="production", package_name="com.example.ios",
        options={"cert_type": "p12"}, expires_at=timezone.now() + dt.timedelta(days=days, hours=1),
        file_uploaded_at=timezone.now(), secret_values={"file": "x", "p12_password": "pw"})
    page = owner_client.get(list_url(app)).content.decode()
    assert badge in page and "1 needs attention" in page
    detail = owner_client.get(edit_url(certificate)).content.decode()
    assert badge in detail
    assert ("This certificate expired on" if days < 0 else "Upload a renewed one before then.") in detail


def test_a_certificate_far_from_expiry_has_no_warning(owner_client, app):
    PushCertificateFactory(app=app, vendor="apns", name="fresh", environment="production",
                           package_name="com.example.ios", expires_at=timezone.now() + dt.timedelta(days=90))
    page = owner_client.get(list_url(app)).content.decode()
    assert "Expires in" not in page and "Expired" not in page and "needs attention" not in page


def queries_of(client, url) -> int:
    client.get(url)  # warm-up (current org, caches): count a later one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_certificates(owner_client, app, member_factory):
    PushCertificateFactory(app=app, updated_by=member_factory(Role.DEVELOPER))
    one = queries_of(owner_client, list_url(app))
    for vendor in ["apns", "fcm", "huawei", "oppo", "vivo", "meizu", "honor", "xiaomi", "xiaomi"]:
        PushCertificateFactory(app=app, vendor=vendor, updated_by=member_factory(Role.DEVELOPER),
                               expires_at=timezone.now() + dt.timedelta(days=5))
    assert PushCertificate.objects.filter(app=app).count() == 10
    assert queries_of(owner_client, list_url(app)) == one


# --- adding ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_adding_a_certificate_of_each_vendor_stores_it_and_audits(owner_client, app, owner, kind):
    vendor, data, files = submission(kind)
    response = post(owner_client, new_url(app, vendor), data, files)
    assert response.status_code == 302, response.content.decode()[:3000]
    certificate = PushCertificate.objects.get(app=app, vendor=vendor)
    assert certificate.name == data["name"]
    assert (certificate.created_by, certificate.updated_by) == (owner, owner)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.app, entry.actor) == ("push.certificate_added", app, owner)
    assert entry.detail["vendor"] == vendor and entry.detail["name"] == data["name"]


@pytest.mark.parametrize("vendor", TEXT_VENDORS)
def test_text_secrets_are_encrypted_in_the_database(owner_client, app, vendor):
    post(owner_client, new_url(app, vendor), TEXT_VENDORS[vendor])
    stored = raw_rows()
    assert TEXT_VENDORS[vendor]["name"] in stored  # the row is there, readable where it is not secret
    for secret in SECRETS[vendor]:
        assert secret not in stored
        assert secret[-8:] not in stored
    assert sorted(PushCertificate.objects.get(app=app).secret_values.values()) == sorted(SECRETS[vendor])


def test_uploaded_files_and_passwords_are_encrypted_in_the_database(owner_client, app):
    p12 = material.p12()
    data, files = apns_p12_submission(p12=p12)
    post(owner_client, new_url(app, "apns"), data, files)
    p8_data, p8_files = apns_p8_submission()
    p8 = p8_files["certificate_file"].read()
    p8_files["certificate_file"].seek(0)
    post(owner_client, new_url(app, "apns"), p8_data, p8_files)
    post(owner_client, new_url(app, "fcm"), *fcm_submission())
    assert PushCertificate.objects.count() == 3
    stored = raw_rows()
    pem_body = material.rsa_pem().splitlines()[1]
    for plaintext in [material.P12_PASSWORD, base64.b64encode(p12).decode()[:40], p8.decode().splitlines()[1],
                      pem_body, "BEGIN PRIVATE KEY", "service_account"]:
        assert plaintext not in stored
    read_back = {c.vendor + c.options.get("cert_type", ""): c.secret_values for c in PushCertificate.objects.all()}
    assert base64.b64decode(read_back["apnsp12"]["file"]) == p12
    assert read_back["apnsp8"]["file"] == p8.decode()
    assert json.loads(read_back["fcm"]["file"])["private_key"] == material.rsa_pem()


@pytest.mark.parametrize("vendor", TEXT_VENDORS)
def test_secrets_are_never_shown_back_in_full(owner_client, app, vendor):
    post(owner_client, new_url(app, vendor), TEXT_VENDORS[vendor])
    certificate = PushCertificate.objects.get(app=app)
    pages = owner_client.get(list_url(app)).content.decode() + owner_client.get(edit_url(certificate)).content.decode()
    for secret in SECRETS[vendor]:
        assert secret not in pages
        assert f"••••{secret[-4:]}" in pages


def test_uploaded_files_are_shown_as_a_mask_with_upload_and_expiry_dates(owner_client, app):
    expires = dt.datetime(2027, 5, 17, 3, 0, tzinfo=dt.UTC)
    post(owner_client, new_url(app, "apns"), *apns_p12_submission(p12=material.p12(expires=expires)))
    certificate = PushCertificate.objects.get()
    page = owner_client.get(edit_url(certificate)).content.decode()
    today = timezone.localdate().isoformat()
    assert f"•••• (uploaded {today}, expires 2027-05-17)" in page
    assert material.P12_PASSWORD not in page
    assert certificate.secret_values["file"][:40] not in page
    assert "2027-05-17" in owner_client.get(list_url(app)).content.decode()


def test_a_form_error_keeps_what_was_typed_but_not_the_secrets(owner_client, app):
    data = {**TEXT_VENDORS["xiaomi"], "package_name": "not a package"}
    response = post(owner_client, new_url(app, "xiaomi"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in page
    assert 'value="2882303761517"' in page and 'value="not a package"' in page and 'value="high_system"' in page
    assert TEXT_VENDORS["xiaomi"]["app_secret"] not in page
    assert not PushCertificate.objects.exists() and not AuditEntry.objects.exists()


def test_an_oversized_upload_is_a_form_error_on_the_page(owner_client, app):
    data, _files = fcm_submission()
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.json", b"{" + b" " * (64 * 1024) + b"}")
    response = owner_client.post(new_url(app, "fcm"), {**data, "service_account_file": big})
    assert response.status_code == 200
    assert "The file is larger than 64 KB." in response.content.decode()
    assert not PushCertificate.objects.exists()


def test_a_wrong_p12_password_is_shown_on_the_page(owner_client, app):
    response = post(owner_client, new_url(app, "apns"), *apns_p12_submission(p12_password="wrong-one"))
    assert "The password does not open this .p12 certificate." in response.content.decode()
    assert not PushCertificate.objects.exists()


def test_an_unknown_vendor_is_404(owner_client, app):
    assert owner_client.get(new_url(app, "nokia")).status_code == 404
    assert owner_client.post(new_url(app, "nokia"), TEXT_VENDORS["xiaomi"]).status_code == 404


# --- duplicates -------------------------------------------------------------------------------------------


def test_a_second_certificate_with_the_same_vendor_and_name_is_refused(owner_client, app):
    post(owner_client, new_url(app, "xiaomi"), TEXT_VENDORS["xiaomi"])
    response = post(owner_client, new_url(app, "xiaomi"), TEXT_VENDORS["xiaomi"])
    assert response.status_code == 200
    assert "This app already has a Xiaomi certificate named 2882303761517." in response.content.decode()
    assert PushCertificate.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_the_same_name_is_fine_for_another_vendor_or_another_app(owner_client, app, org):
    other = AppFactory(organization=org, name="other")
    post(owner_client, new_url(app, "xiaomi"), TEXT_VENDORS["xiaomi"])
    post(owner_client, new_url(other, "xiaomi"), TEXT_VENDORS["xiaomi"])
    post(owner_client, new_url(app, "meizu"), {**TEXT_VENDORS["meizu"], "name": "2882303761517"})
    assert PushCertificate.objects.filter(name="2882303761517").count() == 3


def test_renaming_onto_an_existing_name_is_refused(owner_client, app):
    PushCertificateFactory(app=app, name="first")
    second = PushCertificateFactory(app=app, name="second")
    response = post(owner_client, edit_url(second), {**TEXT_VENDORS["xiaomi"], "name": "first", "app_secret": ""})
    assert "already has a Xiaomi certificate named first" in response.content.decode()
    second.refresh_from_db()
    assert second.name == "second"


def test_the_database_refuses_a_duplicate_too(app):
    from django.db import IntegrityError, transaction

    PushCertificateFactory(app=app, name="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        PushCertificate.objects.create(app=app, vendor="xiaomi", name="dup")


# --- editing ----------------------------------------------------------------------------------------------


def test_a_blank_secret_on_edit_keeps_the_stored_one(owner_client, app, owner):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    response = post(owner_client, edit_url(certificate), {**TEXT_VENDORS["xiaomi"], "app_secret": "",
                                                          "channel_id": "low_system"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.secret_values == {"app_secret": XIAOMI_SECRET}
    assert certificate.options == {"channel_id": "low_system"}
    assert certificate.updated_by == owner
    entry = AuditEntry.objects.get()
    assert entry.detail["fields"] == ["channel_id"]


def test_a_typed_secret_on_edit_replaces_the_stored_one_and_the_log_names_it_only(owner_client, app):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    new_secret = "xiaomi-NewAppSecret-44556677"
    post(owner_client, edit_url(certificate), {**TEXT_VENDORS["xiaomi"], "app_secret": new_secret})
    certificate.refresh_from_db()
    assert certificate.secret_values == {"app_secret": new_secret}
    entry = AuditEntry.objects.get()
    assert entry.detail["fields"] == ["app_secret"]
    assert new_secret not in json.dumps(entry.detail) and XIAOMI_SECRET not in json.dumps(entry.detail)
    assert new_secret not in entry.summary
    assert describe(entry.action, entry.detail, entry.summary) == (
        "Xiaomi certificate 2882303761517: changed app_secret")


def test_saving_unchanged_values_writes_nothing(owner_client, app):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    response = owner_client.post(edit_url(certificate), {**TEXT_VENDORS["xiaomi"], "app_secret": ""}, follow=True)
    assert "Nothing changed." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_editing_a_p12_without_a_new_file_keeps_file_and_expiry(owner_client, app):
    expires = dt.datetime(2027, 1, 2, tzinfo=dt.UTC)
    post(owner_client, new_url(app, "apns"), *apns_p12_submission(p12=material.p12(expires=expires)))
    certificate = PushCertificate.objects.get()
    stored_file = certificate.secret_values["file"]
    data, _files = apns_p12_submission(p12_password="", environment="production")
    assert post(owner_client, edit_url(certificate), data).status_code == 302
    certificate.refresh_from_db()
    assert certificate.environment == "production"
    assert certificate.secret_values == {"file": stored_file, "p12_password": material.P12_PASSWORD}
    assert certificate.expires_at == expires
    assert AuditEntry.objects.filter(action="push.certificate_updated").get().detail["fields"] == ["environment"]


def test_a_new_password_for_the_stored_p12_is_checked_against_it(owner_client, app):
    post(owner_client, new_url(app, "apns"), *apns_p12_submission())
    certificate = PushCertificate.objects.get()
    data, _files = apns_p12_submission(p12_password="not-the-password")
    response = post(owner_client, edit_url(certificate), data)
    assert "The password does not open this .p12 certificate." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.secret_values["p12_password"] == material.P12_PASSWORD


def test_uploading_a_renewed_p12_replaces_file_and_expiry(owner_client, app):
    post(owner_client, new_url(app, "apns"), *apns_p12_submission(
        p12=material.p12(expires=timezone.now() + dt.timedelta(days=5))))
    certificate = PushCertificate.objects.get()
    renewed = dt.datetime(2028, 6, 1, tzinfo=dt.UTC)
    post(owner_client, edit_url(certificate), *apns_p12_submission(p12=material.p12(expires=renewed),
                                                                   p12_password=""))
    certificate.refresh_from_db()
    assert certificate.expires_at == renewed
    assert AuditEntry.objects.filter(action="push.certificate_updated").get().detail["fields"] == ["file"]


def test_switching_apns_from_p12_to_p8_needs_the_p8_file(owner_client, app):
    post(owner_client, new_url(app, "apns"), *apns_p12_submission())
    certificate = PushCertificate.objects.get()
    data, _files = apns_p8_submission(name="apns-cert", environment="development")
    response = post(owner_client, edit_url(certificate), data)
    assert "Upload the .p8 key." in response.content.decode()
    data, files = apns_p8_submission(name="apns-cert", environment="development")
    assert post(owner_client, edit_url(certificate), data, files).status_code == 302
    certificate.refresh_from_db()
    assert certificate.options["cert_type"] == "p8" and certificate.expires_at is None
    assert set(certificate.secret_values) == {"file"}


def test_editing_fcm_without_a_new_file_keeps_the_service_account(owner_client, app):
    post(owner_client, new_url(app, "fcm"), *fcm_submission())
    certificate = PushCertificate.objects.get()
    data, _files = fcm_submission(message_type="data")
    assert post(owner_client, edit_url(certificate), data).status_code == 302
    certificate.refresh_from_db()
    assert certificate.options["message_type"] == "data"
    assert certificate.options["project_id"] == "chat-demo-2026"
    assert json.loads(certificate.secret_values["file"])["type"] == "service_account"


# --- deleting and the audit log ------------------------------------------------------------------------


def test_deleting_removes_the_certificate_and_audits_without_secrets(owner_client, app, owner):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    response = owner_client.post(delete_url(certificate), follow=True)
    assert "Xiaomi certificate 2882303761517 deleted." in response.content.decode()
    assert not PushCertificate.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.detail["name"]) == ("push.certificate_deleted", owner, "2882303761517")
    assert XIAOMI_SECRET not in json.dumps(entry.detail) + entry.summary


def test_deleting_twice_says_it_is_already_gone(owner_client, app):
    certificate = PushCertificateFactory(app=app)
    owner_client.post(delete_url(certificate))
    response = owner_client.post(delete_url(certificate), follow=True)
    assert "That certificate was already deleted." in response.content.decode()
    assert AuditEntry.objects.count() == 1


def test_delete_needs_post(owner_client, app):
    certificate = PushCertificateFactory(app=app)
    assert owner_client.get(delete_url(certificate)).status_code == 405
    assert PushCertificate.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_no_audit_detail_holds_a_secret(owner_client, app, kind):
    vendor, data, files = submission(kind)
    post(owner_client, new_url(app, vendor), data, files)
    certificate = PushCertificate.objects.get()
    owner_client.post(delete_url(certificate))
    logged = json.dumps([entry.detail for entry in AuditEntry.objects.all()])
    logged += " ".join(AuditEntry.objects.values_list("summary", flat=True))
    for value in certificate.secret_values.values():
        assert value not in logged
        assert value[-12:] not in logged


def test_audit_log_reads_the_push_entries(owner_client, app):
    post(owner_client, new_url(app, "xiaomi"), TEXT_VENDORS["xiaomi"])
    page = owner_client.get("/o/acme/audit/").content.decode()
    assert "Push certificate added" in page
    assert "Xiaomi certificate 2882303761517 added" in page


# --- access ------------------------------------------------------------------------------------------------


def every_route(certificate):
    app = certificate.app
    return [("GET", list_url(app)), ("GET", new_url(app, "xiaomi")), ("POST", new_url(app, "xiaomi")),
            ("GET", edit_url(certificate)), ("POST", edit_url(certificate)), ("POST", delete_url(certificate))]


def test_another_orgs_certificates_are_404_on_every_route(owner_client, other_org):
    certificate = PushCertificateFactory(app=AppFactory(organization=other_org, name="theirs"))
    for method, url in every_route(certificate):
        response = owner_client.get(url) if method == "GET" else owner_client.post(url, TEXT_VENDORS["xiaomi"])
        assert response.status_code == 404, (method, url)
    assert PushCertificate.objects.count() == 1 and not AuditEntry.objects.exists()


def test_a_certificate_of_another_app_is_404_through_this_app(owner_client, app, org):
    theirs = PushCertificateFactory(app=AppFactory(organization=org, name="sibling"))
    assert owner_client.get(f"{list_url(app)}{theirs.pk}/").status_code == 404
    owner_client.post(f"{list_url(app)}{theirs.pk}/delete/")
    assert PushCertificate.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("role", [Role.FINANCE])
def test_a_read_only_role_gets_403_on_every_change(member_client, app, role):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    client = member_client(role)
    assert client.get(new_url(app, "xiaomi")).status_code == 403
    assert client.post(new_url(app, "xiaomi"), {**TEXT_VENDORS["xiaomi"], "name": "new"}).status_code == 403
    assert client.post(edit_url(certificate), {**TEXT_VENDORS["xiaomi"], "channel_id": "x"}).status_code == 403
    assert client.post(delete_url(certificate)).status_code == 403
    assert PushCertificate.objects.count() == 1 and not AuditEntry.objects.exists()
    certificate.refresh_from_db()
    assert certificate.options == {"channel_id": "high_system"}


def test_a_read_only_role_sees_the_certificates_without_forms(member_client, app):
    certificate = PushCertificateFactory(app=app, name="2882303761517")
    client = member_client(Role.FINANCE)
    page = client.get(list_url(app)).content.decode()
    assert "Read-only" in page and "2882303761517" in page
    assert "Add Xiaomi certificate" not in page and "/delete/" not in page
    detail = client.get(edit_url(certificate)).content.decode()
    assert "Read-only" in detail and 'enctype="multipart/form-data"' not in detail
    assert f"••••{XIAOMI_SECRET[-4:]}" in detail and XIAOMI_SECRET not in detail


def test_a_developer_may_add_and_edit(member_client, app):
    client = member_client(Role.DEVELOPER)
    assert client.post(new_url(app, "xiaomi"), TEXT_VENDORS["xiaomi"]).status_code == 302
    certificate = PushCertificate.objects.get()
    assert client.post(edit_url(certificate), {**TEXT_VENDORS["xiaomi"], "app_secret": ""}).status_code == 302
