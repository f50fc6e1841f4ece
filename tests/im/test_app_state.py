"""The per-process cache of the callback snapshot: no query when warm, dropped when the app's plan, feature
switches, rules or the catalog change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.features.services import app_feature_enable
from apps.im import app_state
from apps.im.callback_rules import callback_snapshot
from apps.plans.models import PlanFeature
from tests.applications.factories import AppFactory
from tests.callbacks.factories import CallbackRuleFactory
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    app_state.forget_all()
    yield
    app_state.forget_all()


def fresh(app):
    """A new instance, as the next request would load it (nothing memoised on it)."""
    return type(app).objects.get(pk=app.pk)


def test_a_warm_snapshot_answers_without_a_query():
    app = AppFactory()
    callback_snapshot(app=fresh(app))
    again = fresh(app)
    with CaptureQueriesContext(connection) as queries:
        callback_snapshot(app=again)
    assert len(queries) == 0


def test_switching_callbacks_on_and_adding_a_rule_take_effect_on_the_next_call():
    app = AppFactory()
    app_on_plan(app, "pro")
    assert not callback_snapshot(app=fresh(app)).active
    app_feature_enable(app=app, feature_code="callbacks", actor=None)
    assert callback_snapshot(app=fresh(app)).active
    assert callback_snapshot(app=fresh(app)).post_send == ()
    rule = CallbackRuleFactory(app=app)
    assert [r.id for r in callback_snapshot(app=fresh(app)).post_send] == [rule.pk]


def test_an_upgrade_takes_effect_on_the_next_call():
    app = AppFactory()
    assert not callback_snapshot(app=fresh(app)).active  # Free: callbacks are not in the plan
    app_on_plan(app, "pro")
    app_feature_enable(app=app, feature_code="callbacks", actor=None)
    assert callback_snapshot(app=fresh(app)).active


def test_a_catalog_edit_drops_every_entry():
    app = AppFactory()
    app_on_plan(app, "pro")
    app_feature_enable(app=app, feature_code="callbacks", actor=None)
    assert callback_snapshot(app=fresh(app)).active
    row = PlanFeature.objects.get(plan__code="pro", feature__code="callbacks")
    row.included = False
    row.save()
    assert not callback_snapshot(app=fresh(app)).active


def test_entries_expire_after_the_ttl():
    loads = []
    app_state.cached(1, "x", lambda: loads.append(1) or "a", now=100.0)
    app_state.cached(1, "x", lambda: loads.append(1) or "b", now=100.0 + app_state.TTL_SECONDS - 0.1)
    assert len(loads) == 1
    assert app_state.cached(1, "x", lambda: loads.append(1) or "c", now=100.0 + app_state.TTL_SECONDS) == "c"
