"""What the audit log calls the actions billing records, and how its entries read."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "billing.topup_requested": _("Top-up requested"),
        "billing.topup_recorded": _("Top-up recorded"),
        "billing.topup_confirmed": _("Top-up confirmed"),
        "billing.topup_rejected": _("Top-up rejected"),
        "billing.adjusted": _("Balance adjusted"),
    },
    sentences={
        "billing.topup_requested": _("¥%(amount)s, payment reference %(reference)s"),
        "billing.topup_recorded": _("¥%(amount)s, payment reference %(reference)s"),
        "billing.topup_confirmed": _("¥%(amount)s credited to the balance"),
        "billing.topup_rejected": _("¥%(amount)s not credited"),
        "billing.adjusted": _("¥%(amount)s"),
    },
)
