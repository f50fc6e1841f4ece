"""Settings of the Celery worker the fault tests start: the test settings with a short Redis visibility
timeout, so a message whose worker was killed is handed out again in seconds instead of an hour."""

from console.settings.test import *  # noqa: F403
from console.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 3, "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
