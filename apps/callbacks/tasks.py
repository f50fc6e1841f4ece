from celery import shared_task

from apps.callbacks.delivery import callback_test_deliver
from apps.callbacks.models import CallbackRule


@shared_task(name="callbacks.tasks.deliver_test_event")
def deliver_test_event(rule_id: int, delivery_id: str) -> int:
    """Send a rule's test event; returns how many attempts were made (0: the rule was deleted meanwhile)."""
    rule = CallbackRule.objects.select_related("app__organization").filter(pk=rule_id).first()
    if rule is None:
        return 0
    return len(callback_test_deliver(rule=rule, delivery_id=delivery_id))
