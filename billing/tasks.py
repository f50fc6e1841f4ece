from celery import shared_task
from django.db import DatabaseError

from billing.services import bills_due


@shared_task(name="billing.tasks.bill_due_months", autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def bill_due_months() -> int:
    """Beat runs this daily at 00:10 business time (CELERY_BEAT_SCHEDULE); from the 5th it bills last month."""
    return bills_due()
