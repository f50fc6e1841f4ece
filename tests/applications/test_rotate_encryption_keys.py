import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from apps.applications.models import App
from console import crypto
from console.fields import encrypted_fields
from tests.applications.factories import AppFactory

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

pytestmark = pytest.mark.django_db


def _raw_secrets() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, client_secret FROM applications_app")
        return dict(cursor.fetchall())


def test_the_command_finds_the_client_secret_field():
    assert (App, ["client_secret"]) in encrypted_fields()


def test_after_rotation_only_the_new_key_is_needed(settings, org, other_org):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    apps = AppFactory.create_batch(5, organization=org) + AppFactory.create_batch(2, organization=other_org)
    plaintexts = {app.pk: app.client_secret for app in apps}
    before = _raw_secrets()

    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, KEY_B]
    call_command("rotate_encryption_keys", "--batch-size", "2", stdout=io.StringIO())

    after = _raw_secrets()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert {pk: crypto.decrypt(token) for pk, token in after.items()} == plaintexts
    assert {pk: App.objects.get(pk=pk).client_secret for pk in plaintexts} == plaintexts
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    for pk, token in after.items():
        assert token != before[pk]
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)


def test_rotation_leaves_other_columns_alone(settings, org):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    app = AppFactory(organization=org, product_name="Keep me")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, KEY_B]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    fresh = App.objects.get(pk=app.pk)
    assert (fresh.product_name, fresh.client_id, fresh.name) == ("Keep me", app.client_id, app.name)
