"""The push planter (tests/push/canary.py) against a full database dump, as the quality wall runs it."""

import pytest

from tests.push.canary import plant_push_certificate_secrets
from tests.quality.test_canary_secrets import canary, database_dump

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_push_secret_appears_in_a_database_dump():
    planted = plant_push_certificate_secrets(canary)
    dump = database_dump()
    assert "canary-push" in dump
    for read_back, secret in planted:
        assert read_back() == secret
        assert secret not in dump
        assert secret.split("-")[-1] not in dump
