from celery import shared_task

from apps.im.services.retention import messages_purge


@shared_task
def purge_expired_messages() -> int:
    return messages_purge()
