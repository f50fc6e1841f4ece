"""What the audit log calls the actions apps.features records, and how its entries read."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.audit.actions import register_actions


def duration_words(seconds) -> str:
    """Seconds in the largest unit that shows them exactly, in the reader's language: 300 -> "5 minutes"."""
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        return str(seconds)
    for size, singular, plural in ((86400, "%(count)s day", "%(count)s days"),
                                   (3600, "%(count)s hour", "%(count)s hours"),
                                   (60, "%(count)s minute", "%(count)s minutes")):
        if seconds and seconds % size == 0:
            count = seconds // size
            return ngettext(singular, plural, count) % {"count": count}
    return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}


def _recall_facts(facts: dict) -> dict:
    after = facts.get("after")
    if isinstance(after, dict):
        facts["client"] = duration_words(after.get("client_recall_seconds"))
        facts["rest"] = duration_words(after.get("rest_recall_seconds"))
    return facts


register_actions(
    labels={
        "feature.enable": _("Feature enabled"),
        "recall.update": _("Message recall settings changed"),
    },
    sentences={
        "feature.enable": _("%(feature)s turned on"),
        "recall.update": _("Client recall %(client)s, REST recall %(rest)s"),
    },
    facts={"recall.update": _recall_facts},
)
