"""Demo data for the README's REST walkthrough on chat-prod (runs after the features demo): this computer
(127.0.0.1) is on the REST IP whitelist, so curl works until the walkthrough removes it; the sensitive word
filter replaces words with *** (the walkthrough shows a replaced message). Idempotent."""

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.im.gate import feature_applies
from apps.ipwhitelist.services import whitelist_entries_add
from apps.sensitive_words.models import SensitiveWordSettings
from apps.sensitive_words.services import sensitive_word_settings_update

WALKTHROUGH_APP = "chat-prod"
LOCAL_ADDRESS = "127.0.0.1"


def notes(organization) -> list[str]:
    """What seed_demo prints for the README's REST walkthrough: chat-prod's REST base and credentials."""
    app = organization.apps.filter(name=WALKTHROUGH_APP).select_related("organization").first()
    if app is None:
        return []
    return [
        f"IM REST API of {app.app_key} (base http://127.0.0.1:8000/rest/):",
        f"  ORG_NAME={app.organization.name} APP_NAME={app.name}",
        f"  CLIENT_ID={app.client_id}",
        f"  CLIENT_SECRET={app.client_secret}",
    ]


def seed(organization):
    """Prepare chat-prod for the walkthrough; returns it (None when the demo org has no chat-prod)."""
    app = organization.apps.filter(name=WALKTHROUGH_APP).select_related("organization").first()
    if app is None:
        return None
    owner = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user").first().user
    if feature_applies(app=app, code="ip_whitelist") and not app.ip_whitelist_entries.filter(
        network=LOCAL_ADDRESS
    ).exists():
        whitelist_entries_add(app=app, actor=owner, entries=[LOCAL_ADDRESS], note="This computer (REST walkthrough)")
    if not SensitiveWordSettings.objects.filter(app=app, action=SensitiveWordSettings.Action.REPLACE).exists():
        sensitive_word_settings_update(app=app, actor=owner, enabled=True,
                                       action=SensitiveWordSettings.Action.REPLACE, ignore_case=True)
    return app
