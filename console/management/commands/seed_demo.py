from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import demo as accounts_demo
from apps.applications import demo as applications_demo
from apps.features import demo as features_demo
from apps.im import demo as im_demo
from billing import demo as billing_demo
from orders import demo as orders_demo


class Command(BaseCommand):
    help = "Create (or refresh) a lived-in demo organization and print its logins. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            organization, users = accounts_demo.seed()
            # Each domain adds its demo rows here, in dependency order.
            applications_demo.seed(organization)
            orders_demo.seed(organization)
            features_demo.seed(organization)
            billing_demo.seed(organization)
            rest_app = im_demo.seed(organization)
        self.stdout.write(self.style.SUCCESS(f"Demo organization: {organization.name}"))
        self.stdout.write("Logins (email / password):")
        for role, email, password in accounts_demo.logins():
            self.stdout.write(f"  {role:<26} {email:<24} {password}")
        if rest_app is not None:
            # The README's REST walkthrough starts from these (the app overview shows them too).
            self.stdout.write(f"IM REST API of {rest_app.app_key} (base http://127.0.0.1:8000/rest/):")
            self.stdout.write(f"  ORG_NAME={rest_app.organization.name} APP_NAME={rest_app.name}")
            self.stdout.write(f"  CLIENT_ID={rest_app.client_id}")
            self.stdout.write(f"  CLIENT_SECRET={rest_app.client_secret}")
