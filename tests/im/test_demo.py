import io

import pytest
from django.core.management import call_command

from apps.applications.models import App
from apps.ipwhitelist.selectors import ip_allowed
from apps.sensitive_words.models import SensitiveWordSettings

pytestmark = pytest.mark.django_db


def test_seed_demo_prepares_chat_prod_for_the_rest_walkthrough_and_prints_its_credentials():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    app = App.objects.get(name="chat-prod")
    printed = out.getvalue()
    assert f"CLIENT_ID={app.client_id}" in printed and f"CLIENT_SECRET={app.client_secret}" in printed
    assert ip_allowed(app=app, address="127.0.0.1")[0]
    assert not ip_allowed(app=app, address="192.0.2.1")[0]
    assert app.ip_whitelist_entries.filter(network="127.0.0.1").count() == 1
    assert SensitiveWordSettings.objects.get(app=app).action == "replace"
    assert "(base http://127.0.0.1:8000/rest/)" in printed


def test_seed_demo_prints_the_rest_base_at_the_address_the_console_runs_on(monkeypatch):
    monkeypatch.setenv("CONSOLE_ADDR", "0.0.0.0:9000")  # scripts/run --addr 0.0.0.0:9000 exports it
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "(base http://0.0.0.0:9000/rest/)" in out.getvalue()


def test_seed_demo_gives_chat_prod_im_users_groups_messages_and_30_days_of_usage():
    from apps.im.models import ImGroup, ImMessage, ImUser, UsageDay
    from apps.im.usage_selectors import app_usage_days

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    app = App.objects.get(name="chat-prod")
    assert ImUser.objects.filter(app=app).count() == 40
    assert ImGroup.objects.filter(app=app).count() == 5
    assert ImMessage.objects.filter(app=app).count() == 120
    assert UsageDay.objects.filter(app=app).count() == 30
    days = app_usage_days(app=app)
    assert all(day.calls > 0 and day.active_users > 0 for day in days)
    assert sum(day.calls_429 for day in days) > 0
    weekdays = [d.calls_2xx for d in days[:-1] if d.day.weekday() < 5]
    weekends = [d.calls_2xx for d in days[:-1] if d.day.weekday() >= 5]
    assert sum(weekends) / len(weekends) < sum(weekdays) / len(weekdays)
