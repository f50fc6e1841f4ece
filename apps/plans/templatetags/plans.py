from django import template
from django.utils.translation import gettext as _

from apps.plans.selectors import Entitlements, app_entitlements, quota_rows

register = template.Library()


@register.filter
def quota_value(value) -> str:
    """A quota for people: thousands separators, None is "Unlimited"."""
    if value is None:
        return _("Unlimited")
    return f"{value:,}"


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
