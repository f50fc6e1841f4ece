from django.db.models import OuterRef, QuerySet, Subquery

from apps.plans.models import Plan


def free_plan() -> Plan:
    return Plan.objects.get(code=Plan.Code.FREE)


def in_service_plan_orders():
    from orders.models import Order

    return Order.objects.filter(status=Order.Status.IN_SERVICE, plan__isnull=False)


def plan_for_app(*, app) -> Plan:
    """The plan of the app's in-service plan order; an app without one is on Free (Free has no order)."""
    order = in_service_plan_orders().filter(app=app).select_related("plan").first()
    return order.plan if order else free_plan()


def annotate_current_plan(apps_qs: QuerySet) -> QuerySet:
    """Adds ``current_plan_id`` (None = Free) to an App queryset in the same query."""
    current = in_service_plan_orders().filter(app=OuterRef("pk")).values("plan_id")[:1]
    return apps_qs.annotate(current_plan_id=Subquery(current))
