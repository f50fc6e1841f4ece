from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from apps.accounts import demo as accounts_demo


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
        self.stdout.write(self.style.SUCCESS(f"Demo organization: {organization.name}"))
        self.stdout.write("Logins (email / password):")
        for role, email, password in accounts_demo.logins():
            self.stdout.write(f"  {role:<26} {email:<24} {password}")
        for config in apps.get_app_configs():  # lines an app wants printed (e.g. the REST walkthrough's keys)
            if getattr(config, "demo_notes", None):
                for line in import_string(config.demo_notes)(organization):
                    self.stdout.write(line)
