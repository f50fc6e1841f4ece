"""What the audit log calls the actions apps.sensitive_words records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "sensitive_words.settings_update": _("Sensitive word settings changed"),
        "sensitive_words.add": _("Sensitive words added"),
        "sensitive_words.import": _("Sensitive words imported"),
        "sensitive_words.delete": _("Sensitive words deleted"),
    },
    sentences={
        "sensitive_words.settings_update": _("Filter %(enabled)s, action %(mode)s, ignore case %(ignore_case)s"),
        "sensitive_words.add": _("Words added: %(count)s (%(skipped)s skipped as already in the list)"),
        "sensitive_words.import": _(
            "Words imported from %(filename)s: %(count)s (%(skipped)s skipped as already in the list)"
        ),
        "sensitive_words.delete": _("Words deleted: %(count)s"),
    },
    value_labels={
        "enabled": {"on": _("on"), "off": _("off")},
        "ignore_case": {"on": _("on"), "off": _("off")},
        "mode": {"block": _("block at sender"), "replace": _("replace with *** for receivers")},
    },
)
