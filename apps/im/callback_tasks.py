"""The Celery task of post-send callbacks (listed in CELERY_IMPORTS so the worker registers it)."""

from celery import shared_task

from apps.callbacks.models import CallbackRule
from apps.im.postsend import message_from_data, postsend_deliver


@shared_task(name="im.callback_tasks.deliver_postsend")
def deliver_postsend(rule_ids: list[int], message: dict) -> int:
    """Deliver one stored message to each still-enabled rule; returns how many attempts were made."""
    outgoing = message_from_data(message)
    rules = CallbackRule.objects.filter(pk__in=rule_ids, enabled=True).select_related("app__organization")
    return sum(len(postsend_deliver(rule=rule, message=outgoing)) for rule in rules.order_by("created_at", "id"))
