from celery import shared_task

from apps.notifications import checks, services


@shared_task
def check_balances() -> int:
    return checks.check_balances().upserted


@shared_task
def check_push_certificates() -> int:
    return checks.check_push_certificates().upserted


@shared_task
def check_callbacks() -> int:
    return checks.check_callbacks().upserted


@shared_task
def check_quotas() -> int:
    return checks.check_quotas().upserted


@shared_task
def email_alerts() -> int:
    return services.email_alerts()
