"""The usage roll-up (SPEC §12): the Redis counters of the metering (apps.im.metering) into ``UsageDay`` rows,
each app's registered IM users into today's row, then the organizations' sums of the days it touched (always
today and yesterday) into ``OrgUsageDay`` rows. Beat runs it every minute, with Redis or without: on the embedded
default the metering writes ``UsageDay`` itself and this run brings the organization rows up to date, so the
organization usage page is as of the last roll-up on both.

Idempotent and safe to run concurrently or after a crash: the keys are read, never deleted (they expire days
after their day's last write), and every figure is written as ``GREATEST(stored, counted)`` in one
``INSERT … ON CONFLICT … DO UPDATE`` per batch of rows, so a rerun writes the same numbers, two runs cannot
lower one another's, and a worker that dies between the read and the write loses nothing: the next run reads
the same keys again."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.applications.models import App
from apps.im import metering
from apps.im.models import OrgUsageDay, UsageDay, UserCounter
from console.timeutil import business_date

ROWS_PER_STATEMENT = 500
KEYS_PER_PIPELINE = 1000
KEY_DAYS = metering.KEY_TTL_SECONDS // 86400 + 1  # days back whose keys may still be alive
# Columns the roll-up owns, and the Redis hash field each comes from.
HASH_FIELDS = {"calls_2xx": "c2xx", "calls_4xx": "c4xx", "calls_429": "c429", "calls_5xx": "c5xx",
               "messages": "messages", "peak_calls_per_second": "peak"}
COLUMNS = (*HASH_FIELDS, "active_users", "registered_users")
# The organization rows' figures: the apps' sums (peaks and registered users are per app).
ORG_COLUMNS = ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages", "active_users")


@dataclass(frozen=True)
class RollupResult:
    rows: int  # UsageDay rows written (inserted or raised)
    keys: int  # usage hashes read from Redis
    org_rows: int = 0  # OrgUsageDay rows written


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
    """Today's registered IM users of every app that has any, kept as the day's peak: the apps' counter rows
    (exact, kept by the register and delete services), not a count over every IM user."""
    for app_id, n in UserCounter.objects.filter(registered__gt=0).values_list("app_id", "registered"):
        counts.setdefault((app_id, today), {}).__setitem__("registered_users", n)


def _greatest(column: str, model=UsageDay) -> str:
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
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


def org_usage_rollup(*, days, now: dt.datetime | None = None) -> int:
    """Sum every organization's apps over each of ``days`` into its ``OrgUsageDay`` row, in one statement
    (INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE), each figure ``GREATEST(stored, summed)``: a rerun
    writes the same numbers, and of two overlapping runs the later sums win (they only grow, as the app rows
    do). Rows are written in (organization, day) order, so concurrent runs lock them in the same order. Returns
    the rows written."""
    days = sorted(set(days))
    if not days:
        return 0
    qn = connection.ops.quote_name
    columns = ", ".join(qn(column) for column in ORG_COLUMNS)
    sums = ", ".join(f"SUM(d.{qn(column)})" for column in ORG_COLUMNS)
    sql = (
        f"INSERT INTO {qn(OrgUsageDay._meta.db_table)} (organization_id, day, {columns}, updated_at) "  # noqa: S608
        f"SELECT a.organization_id, d.day, {sums}, %s "
        f"FROM {qn(UsageDay._meta.db_table)} d INNER JOIN {qn(App._meta.db_table)} a ON d.app_id = a.id "
        f"WHERE d.day IN ({', '.join(['%s'] * len(days))}) "
        f"GROUP BY a.organization_id, d.day ORDER BY a.organization_id, d.day "
        f"ON CONFLICT (organization_id, day) DO UPDATE SET "
        f"{', '.join(_greatest(column, OrgUsageDay) for column in ORG_COLUMNS)}, updated_at = excluded.updated_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now or timezone.now(), *days])
        return cursor.rowcount


def usage_rollup(*, now: dt.datetime | None = None) -> RollupResult:
    """Copy the Redis usage counters (when Redis is configured) and today's registered IM users into UsageDay
    rows, then the organizations' sums of the days written and of today and yesterday (which the metering may
    have written itself, without Redis) into OrgUsageDay rows. Keys of apps deleted since are skipped."""
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
    days = {day for _app_id, day, *_figures in rows} | {today, today - dt.timedelta(days=1)}
    return RollupResult(rows=len(rows), keys=keys, org_rows=org_usage_rollup(days=days, now=now))
