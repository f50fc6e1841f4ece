import pytest
from django.utils import translation

from orders.services import order_place
from orders.tokens import checkout_token_issue
from tests.applications.factories import AppFactory


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English (views get it from the clients' Accept-Language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def app(org):
    return AppFactory(organization=org, name="chat")


@pytest.fixture
def buy(owner):
    """buy(app, plan_code="", addons=(), buyer=None, token=None, now=None) -> Order, through order_place."""

    def place(app, plan_code="", addons=(), *, buyer=None, token=None, now=None):
        return order_place(
            app=app, buyer=buyer or owner, plan_code=plan_code, addons=list(addons),
            token=token or checkout_token_issue(app=app), now=now,
        )

    return place
