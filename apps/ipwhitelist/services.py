"""Writes of the REST IP whitelist. Each change writes an audit entry in the same transaction."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from apps.applications.models import App
from apps.audit.services import audit_app
from apps.ipwhitelist.exceptions import DuplicateEntries, WhitelistFull
from apps.ipwhitelist.models import WhitelistEntry
from apps.ipwhitelist.networks import network_text, parse_network
from apps.plans.models import CatalogSettings
from orders.entitlements import require_feature


@transaction.atomic
def whitelist_entries_add(*, app: App, actor, entries: Sequence[str], note: str = "") -> list[WhitelistEntry]:
    """Add addresses or CIDR ranges (any spelling networks.py reads) with one shared note: all or nothing.

    Raises InvalidEntry for text that is not an entry, DuplicateEntries when a network is already on the list
    (or twice in ``entries``), WhitelistFull past ``CatalogSettings.ip_whitelist_max``. The app row is locked
    first, so two concurrent adds cannot both pass the limit; the unique constraint backs the duplicate check."""
    require_feature(app=app, code="ip_whitelist")
    App.objects.select_for_update().only("pk").get(pk=app.pk)
    networks = [parse_network(text) for text in entries]
    texts = [network_text(network) for network in networks]
    existing = set(WhitelistEntry.objects.filter(app=app).values_list("network", flat=True))
    seen: set[str] = set()
    duplicates = []
    for text in texts:
        if text in existing or text in seen:
            duplicates.append(text)
        seen.add(text)
    if duplicates:
        raise DuplicateEntries(duplicates)
    limit = CatalogSettings.load().ip_whitelist_max
    if len(existing) + len(texts) > limit:
        raise WhitelistFull(limit=limit, used=len(existing), adding=len(texts))
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    rows = [WhitelistEntry.for_network(network, app=app, note=note.strip(), created_by=created_by)
            for network in networks]
    for row in rows:
        row.full_clean(validate_constraints=False)  # uniqueness: checked above under the lock, and by the DB
    try:
        with transaction.atomic():
            WhitelistEntry.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise DuplicateEntries(texts) from exc
    if rows:
        audit_app(
            app=app,
            actor=actor,
            action="ip_whitelist.add",
            summary=f"Added {len(rows)} to the REST IP whitelist: {', '.join(texts)}"[:255],
            detail={"count": len(rows), "networks": texts, "entries": ", ".join(texts), "note": note.strip()},
        )
    return rows


@transaction.atomic
def whitelist_entry_delete(*, entry: WhitelistEntry, actor) -> bool:
    """Remove one entry. Returns False (and writes nothing) when it was already gone."""
    require_feature(app=entry.app, code="ip_whitelist")
    deleted, _by_model = WhitelistEntry.objects.filter(pk=entry.pk).delete()
    if not deleted:
        return False
    audit_app(
        app=entry.app,
        actor=actor,
        action="ip_whitelist.delete",
        summary=f"Removed {entry.network} from the REST IP whitelist",
        detail={"network": entry.network, "note": entry.note},
    )
    return True
