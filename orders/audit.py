"""What the audit log calls the actions orders records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions
from console.i18n import pick


def _order_items(facts: dict) -> dict:
    if "items_zh" in facts:
        facts["items"] = pick(facts["items_zh"], facts.get("items", ""))
    return facts


register_actions(
    labels={
        "order.place": _("Order placed"),
        "order.in_service": _("Order in service"),
    },
    sentences={
        "order.place": _("Order %(number)s: %(items)s"),
        "order.in_service": _("Order %(number)s is in service"),
    },
    facts={"order.place": _order_items},
)
