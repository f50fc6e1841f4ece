"""Cached values derived from the ledger are forgotten when it changes (at once, and again after the commit, so
a reader cannot cache the old value again from a transaction that has not committed yet)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from billing.models import LedgerEntry
from billing.selectors import forget_org_arrears


@receiver([post_save, post_delete], sender=LedgerEntry, dispatch_uid="billing-ledger-forget-arrears")
def _ledger_changed(sender, instance: LedgerEntry, **kwargs) -> None:
    organization_id = instance.organization_id
    forget_org_arrears(organization_id=organization_id)
    transaction.on_commit(lambda: forget_org_arrears(organization_id=organization_id))
