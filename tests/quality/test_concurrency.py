"""PostgreSQL under real concurrency: 20 people pressing "Buy now" for one app at the same moment, through the
checkout page, make exactly one order.

Covered elsewhere, not repeated here: two activation ticks at once
(tests/orders/test_concurrency.py::test_two_concurrent_activation_runs_activate_each_order_once), the same
token submitted in parallel (…::test_two_concurrent_purchases_with_the_same_token_make_one_order) and two
billing runs at once (tests/billing/test_concurrency.py::test_parallel_billing_runs_bill_each_org_and_month_once)."""


import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from orders.models import Order, OrderStatusChange
from orders.tokens import checkout_token_issue
from tests.accounts.factories import MembershipFactory
from tests.applications.factories import AppFactory
from tests.concurrency import run_together
from tests.conftest import ENGLISH

# 20 connections at once: one test at a time, in one pytest-xdist worker (XDIST_GROUPS in tests/conftest.py).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PARALLEL = 20


def test_twenty_parallel_checkouts_for_one_app_make_exactly_one_order(org):
    app = AppFactory(organization=org, name="rush")
    url = reverse("orders:checkout", kwargs={"org_name": org.name, "app_name": app.name})
    clients = []
    for index in range(PARALLEL):
        client = Client(headers=ENGLISH)
        client.force_login(MembershipFactory(organization=org, role=Role.ADMIN if index % 2 else Role.OWNER).user)
        clients.append((client, checkout_token_issue(app=app)))

    responses = run_together(*[
        (lambda client=client, token=token: client.post(url, {"plan": "pro", "agree": "on", "token": token}))
        for client, token in clients
    ])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    placed = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert (len(placed), len(refused)) == (1, PARALLEL - 1), [r.status_code for r in responses]
    assert all(b"still provisioning" in r.content for r in refused)
    order = Order.objects.get(app=app)
    assert placed[0]["Location"].endswith(f"/orders/{order.number}/")
    assert list(OrderStatusChange.objects.filter(order=order).values_list("to_status", flat=True)) == ["provisioning"]
