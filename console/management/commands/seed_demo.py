from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from apps.accounts import demo as accounts_demo
from apps.im import demo as im_demo


def demo_seeds() -> list:
    """Every app's demo seed (its AppConfig's ``demo_seed``), dependencies first (``demo_step``)."""
    configs = [config for config in apps.get_app_configs() if getattr(config, "demo_seed", None)]
    return [import_string(config.demo_seed) for config in sorted(configs, key=lambda config: config.demo_step)]


class Command(BaseCommand):
    help = "Create (or refresh) a lived-in demo organization and print its logins. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            organization, users = accounts_demo.seed()
            for seed in demo_seeds():
                seed(organization)
            rest_app = organization.apps.filter(name=im_demo.WALKTHROUGH_APP).select_related("organization").first()
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
