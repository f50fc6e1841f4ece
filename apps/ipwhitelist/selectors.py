"""Reads of the REST IP whitelist, each a fixed number of queries whatever the list holds."""

from django.db.models import QuerySet

from apps.ipwhitelist.models import WhitelistEntry
from apps.ipwhitelist.networks import Address, parse_address, sort_key
from apps.plans.selectors import catalog_settings


def whitelist_entries(*, app) -> QuerySet[WhitelistEntry]:
    """The app's entries, IPv4 before IPv6, then by first address, a wider range before the narrower ones
    inside it; with who added each. One query."""
    return (
        WhitelistEntry.objects.filter(app=app)
        .select_related("created_by")
        .order_by("version", "range_start", "prefix_length")
    )


def whitelist_limit() -> int:
    """The limit as the page shows it (the cached catalog; the service enforces it on the row itself)."""
    return catalog_settings().ip_whitelist_max


def ip_allowed(*, app, address: str | Address) -> tuple[bool, WhitelistEntry | None]:
    """May ``address`` call the app's REST API? (allowed, the entry that matched).

    An empty list allows every address: (True, None). Otherwise the most specific matching entry (the longest
    prefix) is returned, or (False, None). Raises InvalidEntry for text that is not a single address.
    At most two queries."""
    if isinstance(address, str):
        address = parse_address(address)
    elif address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    key = sort_key(int(address))
    entries = WhitelistEntry.objects.filter(app=app)
    match = (
        entries.filter(version=address.version, range_start__lte=key, range_end__gte=key)
        .select_related("created_by")
        .order_by("-prefix_length")
        .first()
    )
    if match is not None:
        return True, match
    return not entries.exists(), None
