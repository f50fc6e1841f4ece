import pytest

from tests.applications.factories import AppFactory


@pytest.fixture
def app(org):
    return AppFactory(organization=org, name="chat")
