"""How audit entries read: a name per action code and a sentence per entry, both in the reader's language.

Entries keep their facts in ``detail`` (codes, numbers, emails); the sentence is built from them when the log
is shown, so the same entry reads in Chinese or English. An entry whose detail lacks what its sentence needs
(written before the sentence existed) shows the summary stored with it.
"""

import contextlib
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.plans.models import Feature
from console.i18n import pick

ACTION_LABELS = {
    "app.created": _("App created"),
    "app.updated": _("App details changed"),
    "app.secret_revealed": _("Client Secret revealed"),
    "app.secret_rotated": _("Client Secret rotated"),
    "organization.created": _("Organization created"),
    "member.invited": _("Member invited"),
    "member.invitation_revoked": _("Invitation revoked"),
    "member.joined": _("Member joined"),
    "member.removed": _("Member removed"),
    "member.role_changed": _("Member role changed"),
    "organization.two_factor_required": _("Two-factor sign-in required"),
    "organization.two_factor_optional": _("Two-factor sign-in made optional"),
    "feature.enable": _("Feature enabled"),
    "recall.update": _("Message recall settings changed"),
    "sensitive_words.settings_update": _("Sensitive word settings changed"),
    "sensitive_words.add": _("Sensitive words added"),
    "sensitive_words.import": _("Sensitive words imported"),
    "sensitive_words.delete": _("Sensitive words deleted"),
    "ip_whitelist.add": _("IP whitelist entries added"),
    "ip_whitelist.delete": _("IP whitelist entry removed"),
    "push.certificate_added": _("Push certificate added"),
    "push.certificate_updated": _("Push certificate changed"),
    "push.certificate_deleted": _("Push certificate deleted"),
    "callbacks.rule_created": _("Callback rule created"),
    "callbacks.rule_updated": _("Callback rule changed"),
    "callbacks.rule_deleted": _("Callback rule deleted"),
    "callbacks.secret_rotated": _("Callback secret rotated"),
    "callbacks.test_sent": _("Callback test event sent"),
    "order.place": _("Order placed"),
    "order.in_service": _("Order in service"),
    "billing.topup_requested": _("Top-up requested"),
    "billing.topup_recorded": _("Top-up recorded"),
    "billing.topup_confirmed": _("Top-up confirmed"),
    "billing.topup_rejected": _("Top-up rejected"),
    "billing.adjusted": _("Balance adjusted"),
}

SENTENCES = {
    "app.created": _("AppKey %(app_key)s, data center %(data_center)s"),
    "app.updated": _("Changed: %(fields)s"),
    "app.secret_revealed": _("The Client Secret was shown after the password was re-entered"),
    "app.secret_rotated": _("A new Client Secret replaced the old one"),
    "organization.created": _("Organization %(org)s created"),
    "feature.enable": _("%(feature)s turned on"),
    "member.invited": _("%(email)s invited as %(role)s"),
    "member.invitation_revoked": _("The invitation of %(email)s was revoked"),
    "member.joined": _("%(email)s joined as %(role)s"),
    "member.removed": _("%(email)s (%(role)s) removed"),
    "member.role_changed": _("%(email)s: %(from)s → %(to)s"),
    "recall.update": _("Client recall %(client)s s, REST recall %(rest)s s"),
    "sensitive_words.settings_update": _("Filter %(enabled)s, action %(mode)s, ignore case %(ignore_case)s"),
    "sensitive_words.add": _("Words added: %(count)s (%(skipped)s skipped as already in the list)"),
    "sensitive_words.import": _(
        "Words imported from %(filename)s: %(count)s (%(skipped)s skipped as already in the list)"
    ),
    "sensitive_words.delete": _("Words deleted: %(count)s"),
    "ip_whitelist.add": _("Added %(count)s to the REST IP whitelist: %(entries)s"),
    "ip_whitelist.delete": _("%(network)s removed from the REST IP whitelist"),
    "push.certificate_added": _("%(vendor_name)s certificate %(name)s added"),
    "push.certificate_updated": _("%(vendor_name)s certificate %(name)s: changed %(fields)s"),
    "push.certificate_deleted": _("%(vendor_name)s certificate %(name)s deleted"),
    "callbacks.rule_created": _("Callback rule %(name)s (%(kind)s) calls %(url)s"),
    "callbacks.rule_updated": _("Callback rule %(name)s: changed %(fields)s"),
    "callbacks.rule_deleted": _("Callback rule %(name)s (%(url)s) deleted"),
    "callbacks.secret_rotated": _("A new secret replaced the old one of callback rule %(name)s"),
    "callbacks.test_sent": _("Test event %(delivery_id)s queued for callback rule %(name)s"),
    "order.place": _("Order %(number)s: %(items)s"),
    "order.in_service": _("Order %(number)s is in service"),
    "billing.topup_requested": _("¥%(amount)s, payment reference %(reference)s"),
    "billing.topup_recorded": _("¥%(amount)s, payment reference %(reference)s"),
    "billing.topup_confirmed": _("¥%(amount)s credited to the balance"),
    "billing.topup_rejected": _("¥%(amount)s not credited"),
    "billing.adjusted": _("¥%(amount)s"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# Codes that some details carry (key -> code -> words), shown in the reader's language.
VALUE_LABELS = {
    "enabled": {"on": _("on"), "off": _("off")},
    "ignore_case": {"on": _("on"), "off": _("off")},
    "mode": {"block": _("block at sender"), "replace": _("replace with *** for receivers")},
    "kind": {"pre_send": _("pre-send"), "post_send": _("post-send")},
}


def _facts(detail: dict) -> dict:
    facts = dict(detail)
    for key, labels in VALUE_LABELS.items():
        if isinstance(facts.get(key), str) and facts[key] in labels:
            facts[key] = labels[facts[key]]
    for key in ("role", "from", "to"):
        if facts.get(key) in Role.values:
            facts[key] = Role(facts[key]).label
    if isinstance(facts.get("fields"), list):
        facts["fields"] = ", ".join(str(field) for field in facts["fields"])
    if facts.get("feature") in Feature.Code.values:
        facts["feature"] = Feature.Code(facts["feature"]).label
    if "items_zh" in facts:
        facts["items"] = pick(facts["items_zh"], facts.get("items", ""))
    if isinstance(facts.get("after"), dict):
        facts["client"] = facts["after"].get("client_recall_seconds")
        facts["rest"] = facts["after"].get("rest_recall_seconds")
    if "amount" in facts:
        with contextlib.suppress(InvalidOperation, ValueError):
            facts["amount"] = number_format(Decimal(str(facts["amount"])), 2, force_grouping=True)
    return facts


def describe(action: str, detail: dict | None, summary: str) -> str:
    """The entry as a sentence in the active language; the stored summary when the detail falls short."""
    sentence = SENTENCES.get(action)
    if sentence is None or not isinstance(detail, dict):
        return summary
    try:
        return str(sentence) % _facts(detail)
    except (KeyError, TypeError, ValueError):
        return summary
