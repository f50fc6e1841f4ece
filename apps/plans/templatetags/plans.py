from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from apps.plans.entitlements import Entitlements, Quota, quota_rows
from orders.entitlements import app_entitlements

register = template.Library()


@register.filter
def quota_value(value) -> str:
    """A quota for people: thousands separators, None is "Unlimited"."""
    if isinstance(value, Quota):
        value = value.value
    if value is None:
        return _("Unlimited")
    return f"{value:,}"


@register.filter
def price(value, places: int = 2) -> str:
    """A CNY amount with thousands separators in both languages: 2888 -> "2,888.00" (places=0: "2,888")."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if int(places) == 0 and amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


@register.inclusion_tag("plans/_entitlements_card.html", takes_context=True)
def entitlements_card(context, app, entitlements: Entitlements | None = None):
    """The app's plan, its add-ons in service and each quota's effective value (SPEC §5, §6)."""
    ent = entitlements or app_entitlements(app=app)
    return {
        "app": app,
        "entitlements": ent,
        "quota_rows": quota_rows(ent),
        "addon_lines": ent.addon_lines,
        "request": context.get("request"),
    }
