"""What the audit log calls the actions apps.notifications records."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={"callbacks.rule_disabled_automatically": _("Callback rule switched off automatically")},
    sentences={
        "callbacks.rule_disabled_automatically": _(
            "Callback rule %(name)s was switched off after %(failures)s failed deliveries in a row"
        ),
    },
)
