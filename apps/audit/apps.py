from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self) -> None:
        # Each app's audit.py registers the names and sentences of the actions it records.
        autodiscover_modules("audit")
