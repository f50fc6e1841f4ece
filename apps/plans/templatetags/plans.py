from django import template
from django.utils.translation import gettext as _

from apps.plans.entitlements import Entitlements, Quota, quota_rows

register = template.Library()


@register.filter
def quota_value(value) -> str:
    """A quota for people: thousands separators, None is "Unlimited"."""
    if isinstance(value, Quota):
        value = value.value
    if value is None:
        return _("Unlimited")
    return f"{value:,}"


@register.inclusion_tag("plans/_entitlements_card.html", takes_context=True)
def entitlements_card(context, app, entitlements: Entitlements):
    """The app's plan, its add-ons in service and each quota's effective value (SPEC §5, §6). The page passes
    ``entitlements`` (orders.entitlements.app_entitlements): the catalog does not read orders."""
    ent = entitlements
    return {
        "app": app,
        "entitlements": ent,
        "quota_rows": quota_rows(ent),
        "addon_lines": ent.addon_lines,
        "request": context.get("request"),
    }
