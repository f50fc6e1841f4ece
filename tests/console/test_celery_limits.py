"""Every Celery task of the console has a soft and a hard time limit, so no task can hold a worker forever."""

import pytest

from apps.callbacks import sender
from console.celery import app as celery_app


def console_tasks():
    celery_app.loader.import_default_modules()
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


def test_the_settings_give_every_task_default_limits(settings):
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT == celery_app.conf.task_soft_time_limit == 60
    assert settings.CELERY_TASK_TIME_LIMIT == celery_app.conf.task_time_limit == 90


@pytest.mark.parametrize("name", console_tasks())
def test_each_task_has_a_soft_limit_below_its_hard_limit(name):
    task = celery_app.tasks[name]
    soft = task.soft_time_limit or celery_app.conf.task_soft_time_limit
    hard = task.time_limit or celery_app.conf.task_time_limit
    assert soft and hard and 0 < soft < hard


def test_the_known_tasks_are_all_checked():
    assert {"orders.tasks.activate_due_orders", "billing.tasks.bill_due_months",
            "callbacks.tasks.deliver_test_event"} <= set(console_tasks())


def test_a_test_event_task_outlives_its_two_bounded_attempts():
    task = celery_app.tasks["callbacks.tasks.deliver_test_event"]
    assert task.soft_time_limit > 2 * sender.TIMEOUT_SECONDS
