"""The usage roll-up (SPEC §12): the Redis counters of the metering (apps.im.metering) into ``UsageDay`` rows,
and each app's registered IM users into today's row. Beat runs it every minute.

Idempotent and safe to run concurrently or after a crash: the keys are read, never deleted (they expire days
after their day's last write), and every figure is written as ``GREATEST(stored, counted)`` in one
``INSERT … ON CONFLICT … DO UPDATE`` per batch of rows, so a rerun writes the same numbers, two runs cannot
lower one another's, and a worker that dies between the read and the write loses nothing: the next run reads
the same keys again."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from apps.applications.models import App
from apps.im import metering
from apps.im.models import ImUser, UsageDay
from console.timeutil import business_date

ROWS_PER_STATEMENT = 500
KEYS_PER_PIPELINE = 1000
KEY_DAYS = metering.KEY_TTL_SECONDS // 86400 + 1  # days back whose keys may still be alive
# Columns the roll-up owns, and the Redis hash field each comes from.
HASH_FIELDS = {"calls_2xx": "c2xx", "calls_4xx": "c4xx", "calls_429": "c429", "calls_5xx": "c5xx",
               "messages": "messages", "peak_calls_per_second": "peak"}
COLUMNS = (*HASH_FIELDS, "active_users", "registered_users")


@dataclass(frozen=True)
class RollupResult:
    rows: int  # UsageDay rows written (inserted or raised)
    keys: int  # usage hashes read from Redis


def _redis_counts(today: dt.date) -> dict[tuple[int, dt.date], dict[str, int]]:
    """The usage hashes of every app metered on the days whose keys may still be in Redis (their day's set of
    app ids says which), with their day's HyperLogLog count."""
    import redis

    days = [today + dt.timedelta(days=1 - back) for back in range(KEY_DAYS + 1)]  # tomorrow: a clock ahead
    with redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=3) as client:
        pipe = client.pipeline(transaction=False)
        for day in days:
            pipe.smembers(metering.apps_key(day))
        keys = [(day, int(app_id)) for day, members in zip(days, pipe.execute(), strict=True) for app_id in members]
        counts: dict[tuple[int, dt.date], dict[str, int]] = {}
        for start in range(0, len(keys), KEYS_PER_PIPELINE):
            chunk = keys[start:start + KEYS_PER_PIPELINE]
            pipe = client.pipeline(transaction=False)
            for day, app_id in chunk:
                pipe.hgetall(metering.usage_key(day, app_id))
                pipe.pfcount(metering.dau_key(day, app_id))
            replies = pipe.execute()
            for index, (day, app_id) in enumerate(chunk):
                fields, active = replies[2 * index], replies[2 * index + 1]
                if not fields:  # expired meanwhile
                    continue
                values = {key.decode(): int(value) for key, value in fields.items()}
                row = {column: values.get(field, 0) for column, field in HASH_FIELDS.items()}
                row["active_users"] = int(active)
                counts[(app_id, day)] = row
    return counts


def _registered_today(today: dt.date, counts: dict) -> None:
    """Today's registered IM users of every app that has any (one GROUP BY), kept as the day's peak."""
    registered = ImUser.objects.values("app_id").order_by().annotate(n=Count("pk")).values_list("app_id", "n")
    for app_id, n in registered:
        counts.setdefault((app_id, today), {}).__setitem__("registered_users", n)


def _greatest(column: str) -> str:
    qn = connection.ops.quote_name
    table = qn(UsageDay._meta.db_table)
    function = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return f"{qn(column)} = {function}({table}.{qn(column)}, excluded.{qn(column)})"


def _upsert(rows: list[tuple], now: dt.datetime) -> None:
    qn = connection.ops.quote_name
    columns = ("app_id", "day", *COLUMNS, "updated_at")
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {qn(UsageDay._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT (app_id, day) DO UPDATE SET {', '.join(_greatest(c) for c in COLUMNS)}, "
        f"updated_at = excluded.updated_at"
    )
    params = [value for row in rows for value in (*row, now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def usage_rollup(*, now: dt.datetime | None = None) -> RollupResult:
    """Copy the Redis usage counters (when Redis is configured) and today's registered IM users into UsageDay
    rows. Keys of apps deleted since are skipped."""
    now = now or timezone.now()
    today = business_date(now)
    counts = _redis_counts(today) if getattr(settings, "REDIS_URL", "") else {}
    keys = len(counts)
    _registered_today(today, counts)
    existing = set(App.objects.filter(pk__in={app_id for app_id, _day in counts}).values_list("pk", flat=True))
    # Sorted: concurrent runs lock the rows they raise in the same order (no deadlock on PostgreSQL).
    rows = sorted(
        (app_id, day, *(values.get(column, 0) for column in COLUMNS))
        for (app_id, day), values in counts.items() if app_id in existing
    )
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        _upsert(rows[start:start + ROWS_PER_STATEMENT], now)
    return RollupResult(rows=len(rows), keys=keys)
