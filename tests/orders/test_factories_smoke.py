import pytest

from orders.entitlements import annotate_current_plan, plan_for_app
from orders.models import Order
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line


@pytest.mark.django_db
def test_an_app_without_an_in_service_plan_order_is_on_free_and_one_with_it_on_that_plan():
    free_app = AppFactory()
    pro_order = OrderFactory()
    add_addon_line(pro_order, "message_storage", quantity=10)
    assert plan_for_app(app=free_app).code == "free"
    assert plan_for_app(app=pro_order.app).code == "pro"
    assert pro_order.monthly_fee == 888 + 10 * 500
    OrderFactory(app=free_app, status=Order.Status.PROVISIONING)
    annotated = {a.pk: a.current_plan_id for a in annotate_current_plan(type(free_app).objects.all())}
    assert annotated[free_app.pk] is None
    assert annotated[pro_order.app.pk] == pro_order.plan_id
