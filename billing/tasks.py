from celery import shared_task
from django.db import DatabaseError

from billing.services import bills_due


# Billing every organization may take minutes; each month is one transaction, so a stop between two
# months loses nothing and the next run continues.
@shared_task(name="billing.tasks.bill_due_months", autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3,
             soft_time_limit=900, time_limit=960)
def bill_due_months() -> int:
    """Beat runs this daily at 00:10 business time (CELERY_BEAT_SCHEDULE); from the 5th it bills last month."""
    return bills_due()
