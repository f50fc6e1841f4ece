import pytest

from apps.applications.models import App
from apps.audit.models import AuditEntry
from apps.audit.services import model_update
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def test_unchanged_values_save_nothing_and_write_no_audit_entry(org, owner):
    app = AppFactory(organization=org, product_name="Chat")
    changed = model_update(instance=app, data={"product_name": "Chat"}, app=app, actor=owner, action="app.updated",
                           summary="never written")
    assert changed == [] and not AuditEntry.objects.exists()


def test_changed_values_are_saved_and_audited_once_with_the_old_values_at_hand(org, owner):
    app = AppFactory(organization=org, product_name="Chat", description="old")
    changed = model_update(
        instance=app, data={"product_name": "Chat", "description": "new"}, app=app, actor=owner,
        action="app.updated", summary=lambda changed, before: f"{changed} was {before['description']}",
        detail=lambda changed, _before: {"fields": changed},
    )
    assert changed == ["description"]
    assert App.objects.get(pk=app.pk).description == "new"
    entry = AuditEntry.objects.get()
    assert (entry.app, entry.actor, entry.summary, entry.detail) == (
        app, owner, "['description'] was old", {"fields": ["description"]})
