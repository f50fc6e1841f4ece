import pytest
from django.test import Client

from tests.conftest import ENGLISH
from tests.quality.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def signed_in():
    """signed_in(user or None, **client options) -> a Client reading English, logged in unless user is None."""

    def make(user, **options) -> Client:
        client = Client(headers=ENGLISH, **options)
        if user is not None:
            client.force_login(user)
        return client

    return make
