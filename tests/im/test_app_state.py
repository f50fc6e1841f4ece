"""The per-process cache of the REST path's per-app values: no query when warm, dropped when the app's plan,
add-ons or feature switches change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.features.services import app_feature_enable
from apps.im import app_state, gate
from apps.plans.models import PlanFeature
from tests.applications.factories import AppFactory
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    app_state.forget_all()
    yield
    app_state.forget_all()


def fresh(app):
    """A new instance, as the next request would load it (the per-request memo starts empty)."""
    return type(app).objects.get(pk=app.pk)


def test_a_warm_cache_answers_without_a_query():
    app = AppFactory()
    gate.quota(app=fresh(app), code="rest_rate")
    gate.feature_applies(app=fresh(app), code="callbacks")
    again = fresh(app)
    with CaptureQueriesContext(connection) as queries:
        gate.quota(app=again, code="rest_rate")
        gate.feature_applies(app=again, code="callbacks")
    assert len(queries) == 0


def test_an_upgrade_takes_effect_on_the_next_call():
    app = AppFactory()
    assert gate.quota(app=fresh(app), code="group_members") == PlanFeature.objects.get(
        plan__code="free", feature__code="group_members").quota
    app_on_plan(app, "premium")
    assert gate.quota(app=fresh(app), code="group_members") == PlanFeature.objects.get(
        plan__code="premium", feature__code="group_members").quota


def test_switching_a_feature_on_takes_effect_on_the_next_call():
    app = AppFactory()
    app_on_plan(app, "pro")
    assert not gate.feature_applies(app=fresh(app), code="callbacks")
    app_feature_enable(app=app, feature_code="callbacks", actor=None)
    assert gate.feature_applies(app=fresh(app), code="callbacks")


def test_a_catalog_edit_drops_every_entry():
    app = AppFactory()
    gate.quota(app=fresh(app), code="rest_rate")
    row = PlanFeature.objects.get(plan__code="free", feature__code="rest_rate")
    row.quota = 7
    row.save()
    assert gate.quota(app=fresh(app), code="rest_rate") == 7


def test_entries_expire_after_the_ttl():
    loads = []
    app_state.cached(1, "x", lambda: loads.append(1) or "a", now=100.0)
    app_state.cached(1, "x", lambda: loads.append(1) or "b", now=100.0 + app_state.TTL_SECONDS - 0.1)
    assert len(loads) == 1
    assert app_state.cached(1, "x", lambda: loads.append(1) or "c", now=100.0 + app_state.TTL_SECONDS) == "c"
