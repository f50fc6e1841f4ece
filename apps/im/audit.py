"""What the audit log calls the actions apps.im records (the IM service settings and the console's IM users
page), and how its entries read. Entries name the IM user, never a password or a token."""

from django.utils.translation import gettext_lazy as _

from apps.audit.actions import register_actions

register_actions(
    labels={
        "im.settings_update": _("IM service settings changed"),
        "im.user_created": _("IM user created"),
        "im.user_banned": _("IM user banned"),
        "im.user_unbanned": _("IM user unbanned"),
        "im.user_logged_out": _("IM user logged out"),
        "im.user_password_reset": _("IM user password reset"),
        "im.user_deleted": _("IM user deleted"),
        "im.user_token_issued": _("IM user token issued"),
        "im.test_message_sent": _("Test message sent"),
        "im.group_member_removed": _("IM group member removed"),
        "im.group_deleted": _("IM group deleted"),
    },
    sentences={
        "im.settings_update": _("Token validity %(token_ttl_seconds)s s, user registration %(registration)s"),
        "im.user_created": _("IM user %(username)s created"),
        "im.user_banned": _("IM user %(username)s banned"),
        "im.user_unbanned": _("IM user %(username)s unbanned"),
        "im.user_logged_out": _("IM user %(username)s logged out of every device"),
        "im.user_password_reset": _("The password of IM user %(username)s was reset"),
        "im.user_deleted": _("IM user %(username)s deleted"),
        "im.user_token_issued": _("A user token valid for %(expires_in)s s was issued to IM user %(username)s"),
        "im.test_message_sent": _("Test message from IM user %(username)s to %(receiver)s (%(chat_type)s)"),
        "im.group_member_removed": _("IM user %(username)s removed from group %(group_id)s"),
        "im.group_deleted": _("IM group %(name)s (%(group_id)s) deleted"),
    },
    value_labels={"registration": {"authorized": _("authorized"), "open": _("open")}},
)
