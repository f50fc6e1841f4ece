"""Any change to the catalog starts a new generation of the cached catalog (apps.plans.selectors): at once, for
the writer's own next read, and again after the commit, so a reader cannot cache the old rows meanwhile."""

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.plans.models import AddOn, AddOnTier, CatalogSettings, Feature, Plan, PlanFeature
from apps.plans.selectors import catalog_request_finished, catalog_request_started, forget_catalog


def _catalog_changed(sender, **kwargs) -> None:
    forget_catalog()
    transaction.on_commit(forget_catalog)


for model in (Plan, PlanFeature, Feature, AddOn, AddOnTier, CatalogSettings):
    post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"plans-catalog-forget-save-{model.__name__}")
    post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"plans-catalog-forget-delete-{model.__name__}")

request_started.connect(catalog_request_started, dispatch_uid="plans-catalog-request-started")
request_finished.connect(catalog_request_finished, dispatch_uid="plans-catalog-request-finished")
