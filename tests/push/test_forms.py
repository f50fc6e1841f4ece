import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import translation

from apps.push.forms import VENDOR_FORMS
from apps.push.models import Vendor
from apps.push.parsing import MAX_UPLOAD_BYTES
from tests.push import material
from tests.push.conftest import (
    KINDS,
    TEXT_VENDORS,
    apns_p8_submission,
    apns_p12_submission,
    fcm_submission,
    submission,
    upload,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def bound(vendor, data, files=None, instance=None):
    return VENDOR_FORMS[vendor](data, files or {}, instance=instance)


def test_the_registry_has_a_form_for_every_vendor_spec_lists():
    assert set(VENDOR_FORMS) == set(Vendor.values) == {
        "apns", "fcm", "huawei", "xiaomi", "oppo", "vivo", "meizu", "honor"}


@pytest.mark.parametrize(
    ("vendor", "fields", "secret"),
    [
        ("apns", {"cert_type", "certificate_file", "key_id", "team_id", "p12_password", "name", "environment",
                  "package_name"}, {"p12_password"}),
        ("fcm", {"service_account_file", "name", "channel_id", "priority", "message_type"}, set()),
        ("huawei", {"name", "client_secret", "package_name", "project_id", "category"}, {"client_secret"}),
        ("xiaomi", {"name", "app_secret", "package_name", "channel_id"}, {"app_secret"}),
        ("oppo", {"name", "master_secret", "package_name", "channel_id"}, {"master_secret"}),
        ("vivo", {"name", "app_key", "app_secret", "package_name", "category"}, {"app_key", "app_secret"}),
        ("meizu", {"name", "app_secret", "package_name"}, {"app_secret"}),
        ("honor", {"name", "client_id", "client_secret"}, {"client_secret"}),
    ],
)
def test_each_vendor_form_has_exactly_the_fields_spec_lists(vendor, fields, secret):
    form = VENDOR_FORMS[vendor]()
    assert set(form.fields) == fields
    assert set(form.secret_fields) == secret


@pytest.mark.parametrize("kind", KINDS)
def test_each_vendor_form_accepts_a_valid_submission(kind):
    vendor, data, files = submission(kind)
    form = bound(vendor, data, files)
    assert form.is_valid(), form.errors
    assert form.values.name == data["name"]
    for name in form.secret_fields:
        if data.get(name):
            assert form.values.secrets[name] == data[name]
            assert name not in form.values.options


@pytest.mark.parametrize(
    ("vendor", "field"),
    [(vendor, field) for vendor, data in TEXT_VENDORS.items() for field in data
     if field in {"name", "package_name", "client_id", "client_secret", "app_secret", "master_secret", "app_key"}
     or (vendor, field) == ("xiaomi", "channel_id")],
)
def test_each_required_field_of_a_text_vendor_is_required(vendor, field):
    data = {**TEXT_VENDORS[vendor], field: ""}
    form = bound(vendor, data)
    assert not form.is_valid()
    assert form.errors[field] == ["This field is required."]


@pytest.mark.parametrize(
    ("vendor", "field", "value", "message"),
    [
        ("xiaomi", "package_name", "not a package", "Enter an Android package name"),
        ("huawei", "package_name", "com", "Enter an Android package name"),
        ("oppo", "name", "app key", "without spaces"),
        ("meizu", "app_secret", "two words", "without spaces or line breaks"),
        ("vivo", "app_key", "x" * 257, "at most 256 characters"),
        ("honor", "client_id", "a\x00b", "Null characters are not allowed."),
        ("xiaomi", "name", "9" * 129, "at most 128 characters"),
    ],
)
def test_malformed_values_are_refused_with_a_message(vendor, field, value, message):
    form = bound(vendor, {**TEXT_VENDORS[vendor], field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"package_name": "not a bundle"}, "package_name", "Bundle ID"),
        ({"key_id": "abc"}, "key_id", "10 capital letters"),
        ({"key_id": ""}, "key_id", "needs its Key ID"),
        ({"team_id": ""}, "team_id", "needs its Team ID"),
        ({"environment": "staging"}, "environment", "Select a valid choice"),
    ],
)
def test_apns_p8_field_errors(changes, field, message):
    form = bound("apns", *apns_p8_submission(**changes))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_apns_p8_is_stored_as_its_pem_text_without_a_password():
    data, files = apns_p8_submission(p12_password="ignored-for-p8-keys")
    form = bound("apns", data, files)
    assert form.is_valid(), form.errors
    assert form.values.secrets["file"].startswith("-----BEGIN PRIVATE KEY-----")
    assert "p12_password" not in form.values.secrets
    assert form.values.options == {"cert_type": "p8", "key_id": "ABCDE12345", "team_id": "TEAM123456"}
    assert form.values.expires_at is None and form.values.file_name == "AuthKey_ABCDE12345.p8"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (material.rsa_p8(), "must be an EC P-256 key"),
        (material.p8(ec.SECP384R1()), "must be an EC P-256 key"),
        (b"hello, not a key", "This is not a .p8 key"),
        (material.p12(), "This is not a .p8 key"),
    ],
    ids=["rsa", "p384", "text", "p12"],
)
def test_a_p8_that_is_not_an_ec_p256_key_is_refused(content, message):
    data, _files = apns_p8_submission()
    form = bound("apns", data, {"certificate_file": upload("AuthKey.p8", content)})
    assert not form.is_valid()
    assert message in " ".join(form.errors["certificate_file"])


def test_a_p12_opens_with_its_password_and_its_expiry_is_read():
    expires = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    form = bound("apns", *apns_p12_submission(p12=material.p12(expires=expires)))
    assert form.is_valid(), form.errors
    assert form.values.expires_at == expires
    assert form.values.secrets["p12_password"] == material.P12_PASSWORD
    assert form.values.options == {"cert_type": "p12"}


def test_a_p12_with_the_wrong_password_says_so_on_the_password_field():
    form = bound("apns", *apns_p12_submission(p12_password="not-the-password"))
    assert not form.is_valid()
    assert form.errors["p12_password"] == [
        "The password does not open this .p12 certificate. Check the export password."]
    assert "certificate_file" not in form.errors


def test_a_p12_without_a_password_opens_with_none():
    form = bound("apns", *apns_p12_submission(password=""))
    assert form.is_valid(), form.errors


def test_a_file_that_is_not_a_p12_is_refused_as_such():
    data, _files = apns_p12_submission()
    form = bound("apns", data, {"certificate_file": upload("push.p12", material.p8())})
    assert not form.is_valid()
    assert "This is not a .p12 certificate." in form.errors["certificate_file"][0]


def test_apns_needs_a_file():
    data, _files = apns_p12_submission()
    form = bound("apns", data, {})
    assert not form.is_valid()
    assert form.errors["certificate_file"] == ["This field is required."]


class DeclaredLarge:
    """An upload whose declared size is over the limit; reading it fails the test."""

    name = "huge.p12"
    size = MAX_UPLOAD_BYTES + 1

    def read(self, *args):
        raise AssertionError("the upload was read although its size was known to be too large")


def test_an_upload_over_64_kb_is_refused_before_it_is_read():
    from apps.push.parsing import read_upload

    with pytest.raises(Exception, match="larger than 64 KB"):
        read_upload(DeclaredLarge())


@pytest.mark.parametrize("vendor", ["apns", "fcm"])
def test_an_upload_over_64_kb_is_a_form_error(vendor):
    data, files = apns_p12_submission() if vendor == "apns" else fcm_submission()
    field = next(iter(files))
    form = bound(vendor, data, {field: upload("big.bin", b"0" * (MAX_UPLOAD_BYTES + 1))})
    assert not form.is_valid()
    assert form.errors[field] == ["The file is larger than 64 KB."]


def test_an_upload_of_exactly_64_kb_is_read():
    data, _files = fcm_submission()
    form = bound("fcm", data, {"service_account_file": upload("a.json", b" " * MAX_UPLOAD_BYTES)})
    assert not form.is_valid()
    assert "not JSON" in form.errors["service_account_file"][0]


def test_fcm_keeps_what_it_read_from_the_service_account_file():
    form = bound("fcm", *fcm_submission())
    assert form.is_valid(), form.errors
    assert form.values.options == {"channel_id": "messages", "priority": "high", "message_type": "both",
                                   "project_id": "chat-demo-2026",
                                   "client_email": "firebase-adminsdk@chat-demo-2026.iam.gserviceaccount.com"}
    assert '"private_key"' in form.values.secrets["file"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "This file is not JSON."),
        (b"\xff\xfe\x00", "This file is not JSON."),
        (b"[1, 2]", "not a service account key"),
        (material.service_account(project_id=None), "lacks: project_id"),
        (material.service_account(private_key=None, client_email=None), "lacks: private_key, client_email"),
        (material.service_account(type="authorized_user"), '"type" is "authorized_user", not "service_account"'),
        (material.service_account(private_key="-----BEGIN PRIVATE KEY-----\nAAAA\n"), "not a PEM private key"),
        (material.service_account(client_email="firebase"), "not an email address"),
        (material.service_account(project_id=42), "lacks: project_id"),
    ],
    ids=["not-json", "not-utf8", "array", "no-project", "two-missing", "wrong-type", "bad-key", "bad-email",
         "number"],
)
def test_a_bad_service_account_file_is_refused_with_the_reason(content, message):
    data, _files = fcm_submission()
    form = bound("fcm", data, {"service_account_file": upload("sa.json", content)})
    assert not form.is_valid()
    assert message in form.errors["service_account_file"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": "sender-1"}, "name"), ({"message_type": "sms"}, "message_type"), ({"priority": "urgent"}, "priority")],
)
def test_fcm_field_errors(changes, field):
    form = bound("fcm", *fcm_submission(**changes))
    assert not form.is_valid()
    assert field in form.errors
