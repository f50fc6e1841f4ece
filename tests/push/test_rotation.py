import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from apps.push.models import PushCertificate
from console.fields import encrypted_fields
from tests.push.factories import XIAOMI_SECRET, PushCertificateFactory

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()

pytestmark = pytest.mark.django_db


def _raw_secrets() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secrets FROM {PushCertificate._meta.db_table}")
        return dict(cursor.fetchall())


def test_push_secrets_are_an_encrypted_column_the_rotation_command_finds():
    assert (PushCertificate, ["secrets"]) in encrypted_fields()


def test_after_rotation_push_secrets_open_with_the_new_key_only(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_OLD]
    certificates = PushCertificateFactory.create_batch(3)
    before = _raw_secrets()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW, KEY_OLD]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [KEY_NEW]
    after = _raw_secrets()
    for certificate in certificates:
        assert after[certificate.pk] != before[certificate.pk]
        fresh = PushCertificate.objects.get(pk=certificate.pk)
        assert fresh.secret_values == {"app_secret": XIAOMI_SECRET}
        assert fresh.options == {"channel_id": "high_system"}
