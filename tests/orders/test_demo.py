import pytest

from apps.accounts import demo as accounts_demo
from apps.applications import demo as applications_demo
from orders import demo as orders_demo
from orders.entitlements import app_entitlements
from orders.models import Order

S = Order.Status


@pytest.mark.django_db
def test_demo_orders_cover_every_state_and_the_upgrade_chain_and_are_idempotent():
    organization, _users = accounts_demo.seed()
    applications_demo.seed(organization)
    orders_demo.seed(organization)
    orders = Order.objects.filter(organization=organization)
    assert {o.status for o in orders} == {S.PROVISIONING, S.IN_SERVICE, S.COMPLETED}
    prod = organization.apps.get(name="chat-prod")
    pro, flagship = prod.orders.order_by("created_at")
    assert (pro.plan.code, pro.status, flagship.plan.code, flagship.status) == ("pro", S.COMPLETED, "flagship",
                                                                                 S.IN_SERVICE)
    assert pro.charge_end_date == flagship.purchase_date
    assert app_entitlements(app=prod).quota("group_members").value == 5000
    staging = organization.apps.get(name="chat-staging")
    assert app_entitlements(app=staging).quota("message_storage").value == 7 + 300
    purchase_dates = sorted(o.purchase_date for o in orders)
    assert (purchase_dates[-1] - purchase_dates[0]).days >= 60
    orders_demo.seed(organization)
    assert Order.objects.filter(organization=organization).count() == orders.count() == 5
