"""Beat liveness: the beat schedule fires ``console.tasks.beat_heartbeat`` every BEAT_HEARTBEAT_SECONDS and
the task stores the time; /healthz fails when the last tick is older than two intervals (a dead beat, or no
worker left to run what beat sends: either way provisioning orders would wait)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from console.models import BeatHeartbeat

HEARTBEAT_ROW = 1


def heartbeat_record(*, now: dt.datetime | None = None) -> None:
    BeatHeartbeat.objects.update_or_create(pk=HEARTBEAT_ROW, defaults={"ticked_at": now or timezone.now()})


def check_beat(*, now: dt.datetime | None = None) -> tuple[bool, str]:
    """(ok, detail): ok while the last tick is at most two intervals old."""
    interval = float(settings.BEAT_HEARTBEAT_SECONDS)
    try:
        ticked_at = BeatHeartbeat.objects.filter(pk=HEARTBEAT_ROW).values_list("ticked_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001 - the database check reports the database itself
        return False, f"{type(exc).__name__}: {exc}"
    if ticked_at is None:
        return False, "no beat tick recorded yet"
    age = ((now or timezone.now()) - ticked_at).total_seconds()
    if age > 2 * interval:
        return False, f"last beat tick {age:.0f} s ago (interval {interval:g} s)"
    return True, f"last beat tick {age:.0f} s ago"
