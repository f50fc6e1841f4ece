import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError

from billing.exceptions import BillingError
from billing.services import bills_generate


class Command(BaseCommand):
    help = "Bill every organization for a month that has ended (YYYY-MM) now. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the month to bill, e.g. 2026-02")

    def handle(self, *args, month: str, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError("Give the month as YYYY-MM, e.g. 2026-02.")
        first = dt.date(int(match[1]), int(match[2]), 1)
        try:
            billed = bills_generate(month=first)
        except BillingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Billed {billed} organization(s) for {first:%Y-%m}."))
