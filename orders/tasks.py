from celery import shared_task

from orders.services import orders_activate_due


@shared_task(name="orders.tasks.activate_due_orders")
def activate_due_orders() -> int:
    """Beat job (every ORDER_ACTIVATION_INTERVAL_SECONDS): put due provisioning orders in service."""
    return orders_activate_due()
