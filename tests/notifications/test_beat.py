from django.conf import settings
from django.utils.module_loading import import_string


def test_beat_runs_every_alert_check_and_the_mailer():
    tasks = {entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if name.startswith("alerts-")}
    assert tasks == {f"apps.notifications.tasks.{name}" for name in (
        "check_balances", "check_push_certificates", "check_callbacks", "check_quotas", "email_alerts")}
    for task in tasks:
        assert import_string(task).name == task
