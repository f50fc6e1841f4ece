import datetime as dt

import pytest
from django.utils import timezone

from console.celery import app as celery_app
from console.heartbeat import heartbeat_record


@pytest.fixture(autouse=True)
def _beat_alive(db):
    heartbeat_record()


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, monkeypatch):
    # Nothing listens on port 1: the broker is unreachable. Celery reads CELERY_BROKER_URL from the
    # environment before its configuration, so both are pointed there.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 1})
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["detail"]


def _broker_down(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 1})


@pytest.mark.django_db
def test_the_public_answer_is_only_the_status(client, monkeypatch, settings):
    settings.TRUSTED_PROXIES = []
    assert client.get("/healthz", REMOTE_ADDR="203.0.113.9").json() == {"status": "ok"}
    _broker_down(monkeypatch)
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert b"127.0.0.1" not in response.content and b":1" not in response.content


@pytest.mark.django_db
def test_behind_a_trusted_proxy_on_this_machine_the_public_gets_no_detail(client, monkeypatch, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    _broker_down(monkeypatch)
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 503 and response.json() == {"status": "error"}


@pytest.mark.django_db
def test_staff_see_the_detail_from_anywhere(client, monkeypatch, settings):
    from tests.accounts.factories import UserFactory

    settings.TRUSTED_PROXIES = []
    client.force_login(UserFactory(is_staff=True))
    _broker_down(monkeypatch)
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.9").json()
    assert body["status"] == "error" and body["broker"]["ok"] is False and body["broker"]["detail"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_last_beat_tick_is_older_than_two_intervals(client, settings):
    settings.BEAT_HEARTBEAT_SECONDS = 30
    heartbeat_record(now=timezone.now() - dt.timedelta(seconds=55))
    assert client.get("/healthz").status_code == 200
    heartbeat_record(now=timezone.now() - dt.timedelta(seconds=61))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"]["ok"] is False and "last beat tick" in response.json()["beat"]["detail"]
    assert response.json()["database"]["ok"] is True and response.json()["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_answers_503_when_beat_never_ticked(client):
    from console.models import BeatHeartbeat

    BeatHeartbeat.objects.all().delete()
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503 and response.json() == {"status": "error"}


@pytest.mark.django_db
def test_the_heartbeat_task_records_the_tick_and_is_on_the_beat_schedule(settings):
    from console.models import BeatHeartbeat
    from console.tasks import beat_heartbeat

    BeatHeartbeat.objects.all().delete()
    beat_heartbeat.apply()
    assert (timezone.now() - BeatHeartbeat.objects.get().ticked_at).total_seconds() < 5
    schedule = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert schedule["task"] == beat_heartbeat.name and schedule["schedule"] == settings.BEAT_HEARTBEAT_SECONDS
