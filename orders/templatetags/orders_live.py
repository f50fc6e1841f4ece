"""Orders shown on pages of lower layers (the app overview) without those apps importing orders."""

from django import template

from apps.accounts.roles import Action
from orders import selectors

register = template.Library()


@register.inclusion_tag("orders/_in_flight.html", takes_context=True)
def orders_in_flight(context, app):
    membership = context.get("current_membership")
    return {
        "app": app,
        "orders": selectors.orders_in_flight(app=app),
        "request": context["request"],
        "can_see_orders": membership is not None and membership.may(Action.VIEW_BILLING),
    }
