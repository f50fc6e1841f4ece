"""What the audit log calls the actions apps.callbacks records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "callbacks.rule_created": _("Callback rule created"),
        "callbacks.rule_updated": _("Callback rule changed"),
        "callbacks.rule_deleted": _("Callback rule deleted"),
        "callbacks.secret_rotated": _("Callback secret rotated"),
        "callbacks.test_sent": _("Callback test event sent"),
    },
    sentences={
        "callbacks.rule_created": _("Callback rule %(name)s (%(kind)s) calls %(url)s"),
        "callbacks.rule_updated": _("Callback rule %(name)s: changed %(fields)s"),
        "callbacks.rule_deleted": _("Callback rule %(name)s (%(url)s) deleted"),
        "callbacks.secret_rotated": _("A new secret replaced the old one of callback rule %(name)s"),
        "callbacks.test_sent": _("Test event %(delivery_id)s queued for callback rule %(name)s"),
    },
    value_labels={"kind": {"pre_send": _("pre-send"), "post_send": _("post-send")}},
)
