from celery import shared_task

from apps.im.services.retention import messages_purge
from apps.im.services.usage import usage_rollup


@shared_task
def purge_expired_messages() -> int:
    return messages_purge()


# Every minute: a run that overruns is cut before the next one starts (the next reads the same keys again).
@shared_task(soft_time_limit=45, time_limit=55)
def rollup_usage() -> int:
    return usage_rollup().rows
