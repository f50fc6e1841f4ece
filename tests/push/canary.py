"""A canary planter for tests/quality/test_canary_secrets.py: PushCertificate.secrets holds every push secret,
key and uploaded file, and none may reach a database dump in plaintext."""

from dataclasses import replace

from apps.push.forms import VENDOR_FORMS
from apps.push.models import PushCertificate
from apps.push.services import push_certificate_create, push_certificate_update
from tests.accounts.factories import MembershipFactory, OrganizationFactory
from tests.applications.factories import AppFactory
from tests.push.conftest import apns_p12_submission


def plant_push_certificate_secrets(canary) -> list:
    """(read back through the ORM, canary) pairs: a text secret set on create and replaced on edit, and a .p12
    file's password."""
    owner = MembershipFactory(organization=OrganizationFactory(name="canary-push")).user
    app = AppFactory(organization=owner.memberships.get().organization, name="canary-push")
    created_secret = canary("push-created")
    form = VENDOR_FORMS["xiaomi"]({"name": "2882303761517", "app_secret": created_secret,
                                  "package_name": "com.example.chat", "channel_id": "high_system"})
    assert form.is_valid(), form.errors
    created = push_certificate_create(app=app, actor=owner, vendor="xiaomi", values=form.values)
    edited = push_certificate_create(app=app, actor=owner, vendor="xiaomi",
                                     values=replace(form.values, name="2882303761518"))
    edited_secret = canary("push-edited")
    form = VENDOR_FORMS["xiaomi"]({"name": "2882303761518", "app_secret": edited_secret,
                                  "package_name": "com.example.chat", "channel_id": "high_system"}, instance=edited)
    assert form.is_valid(), form.errors
    push_certificate_update(certificate=edited, actor=owner, values=form.values)
    password = canary("push-p12")
    data, files = apns_p12_submission(password=password, p12_password=password)
    form = VENDOR_FORMS["apns"](data, files)
    assert form.is_valid(), form.errors
    p12 = push_certificate_create(app=app, actor=owner, vendor="apns", values=form.values)
    return [
        (lambda pk=created.pk: PushCertificate.objects.get(pk=pk).secret_values["app_secret"], created_secret),
        (lambda pk=edited.pk: PushCertificate.objects.get(pk=pk).secret_values["app_secret"], edited_secret),
        (lambda pk=p12.pk: PushCertificate.objects.get(pk=pk).secret_values["p12_password"], password),
    ]
