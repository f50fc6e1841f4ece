from decimal import Decimal

from django.db.models import Sum

from billing.models import LedgerEntry
from console.money import ZERO


def org_balance(*, organization) -> Decimal:
    """The balance is the sum of the ledger; nothing else stores it."""
    total = LedgerEntry.objects.filter(organization=organization).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def org_in_arrears(*, organization) -> bool:
    return org_balance(organization=organization) < 0
