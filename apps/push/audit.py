"""What the audit log calls the actions apps.push records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions
from apps.push.models import Vendor


def _vendor_facts(facts: dict) -> dict:
    """Entries keep the vendor's code; the log names the vendor in the reader's language (小米, Xiaomi)."""
    if facts.get("vendor") in Vendor.values:
        facts["vendor_name"] = Vendor(facts["vendor"]).label
    return facts


register_actions(
    labels={
        "push.certificate_added": _("Push certificate added"),
        "push.certificate_updated": _("Push certificate changed"),
        "push.certificate_deleted": _("Push certificate deleted"),
    },
    sentences={
        "push.certificate_added": _("%(vendor_name)s certificate %(name)s added"),
        "push.certificate_updated": _("%(vendor_name)s certificate %(name)s: changed %(fields)s"),
        "push.certificate_deleted": _("%(vendor_name)s certificate %(name)s deleted"),
    },
    facts=dict.fromkeys(
        ("push.certificate_added", "push.certificate_updated", "push.certificate_deleted"), _vendor_facts
    ),
)
