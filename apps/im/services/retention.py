from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from apps.applications.models import App
from apps.im import gate
from apps.im.models import ImMessage

MESSAGE_STORAGE = "message_storage"


def messages_purge(*, now=None) -> int:
    """Delete messages older than their app's message-storage days (plan + storage add-on units). Apps are
    grouped by their number of days: one DELETE per distinct value. Returns how many messages were deleted."""
    now = now or timezone.now()
    by_days: dict[int, list[int]] = defaultdict(list)
    app_ids = ImMessage.objects.values_list("app_id", flat=True).distinct()
    for app in App.objects.filter(pk__in=app_ids):
        days = gate.quota(app=app, code=MESSAGE_STORAGE)
        if days is not None:
            by_days[days].append(app.pk)
    deleted = 0
    for days, ids in by_days.items():
        count, _ = ImMessage.objects.filter(app_id__in=ids, sent_at__lt=now - timedelta(days=days)).delete()
        deleted += count
    return deleted
