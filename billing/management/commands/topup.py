from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Organization
from billing.exceptions import BillingError
from billing.selectors import org_balance
from billing.services import ledger_topup


class Command(BaseCommand):
    help = "Credit an organization's balance with a top-up received outside the console (operations)."

    def add_arguments(self, parser):
        parser.add_argument("org", help="OrgName")
        parser.add_argument("amount", help="CNY, e.g. 20000 or 1999.50")
        parser.add_argument("--reference", required=True, help="payment reference, e.g. the bank transfer id")

    def handle(self, *args, org: str, amount: str, reference: str, **options):
        organization = Organization.objects.filter(name=org).first()
        if organization is None:
            raise CommandError(f"No organization named {org!r}.")
        try:
            value = Decimal(amount)
        except InvalidOperation as error:
            raise CommandError(f"Not an amount: {amount!r}.") from error
        if not value.is_finite():
            raise CommandError(f"Not an amount: {amount!r}.")
        try:
            entry = ledger_topup(organization=organization, amount=value, reference=reference.strip())
        except (BillingError, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        balance = org_balance(organization=organization)
        self.stdout.write(self.style.SUCCESS(f"Credited {entry.amount} to {org}; balance {balance}."))
