from celery import shared_task

from apps.callbacks.delivery import callback_test_deliver
from apps.callbacks.models import CallbackRule


# Two attempts of sender.TIMEOUT_SECONDS each plus the guard's DNS lookups fit well within 20 s.
@shared_task(name="callbacks.tasks.deliver_test_event", soft_time_limit=20, time_limit=30)
def deliver_test_event(rule_id: int, delivery_id: str) -> int:
    """Send a rule's test event; returns how many attempts were made (0: the rule was deleted meanwhile)."""
    rule = CallbackRule.objects.select_related("app__organization").filter(pk=rule_id).first()
    if rule is None:
        return 0
    return len(callback_test_deliver(rule=rule, delivery_id=delivery_id))
