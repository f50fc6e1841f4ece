import pytest
from django.test import Client

from tests.conftest import ENGLISH, confirm_identity
from tests.quality.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def signed_in():
    """signed_in(user or None, **client options) -> a Client reading English, logged in unless user is None.

    Signed-in clients have re-authenticated just now, so protected operations (apps.accounts.reauth) are walked
    through to the operation itself; tests/accounts/test_reauth.py covers the re-authentication."""

    def make(user, **options) -> Client:
        client = Client(headers=ENGLISH, **options)
        if user is not None:
            client.force_login(user)
            confirm_identity(client)
        return client

    return make
