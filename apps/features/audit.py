"""What the audit log calls the actions apps.features records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions


def _recall_facts(facts: dict) -> dict:
    after = facts.get("after")
    if isinstance(after, dict):
        facts["client"] = after.get("client_recall_seconds")
        facts["rest"] = after.get("rest_recall_seconds")
    return facts


register_actions(
    labels={
        "feature.enable": _("Feature enabled"),
        "recall.update": _("Message recall settings changed"),
    },
    sentences={
        "feature.enable": _("%(feature)s turned on"),
        "recall.update": _("Client recall %(client)s s, REST recall %(rest)s s"),
    },
    facts={"recall.update": _recall_facts},
)
