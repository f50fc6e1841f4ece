"""Demo: a few REST whitelist entries on chat-prod. Idempotent: a whitelist is left as it is."""

from apps.applications.demo import demo_app_and_owner
from apps.ipwhitelist.services import whitelist_entries_add

DEMO_WHITELIST = [("10.8.0.0/16", "Office VPN"), ("203.0.113.10", "Beijing app servers"),
                  ("2001:db8:5::/48", "Shanghai IPv6 cluster")]


def seed(organization) -> None:
    found = demo_app_and_owner(organization)
    if found is None:
        return
    app, owner = found
    if not app.ip_whitelist_entries.exists():
        for network, note in DEMO_WHITELIST:
            whitelist_entries_add(app=app, actor=owner, entries=[network], note=note)
