"""Usage metering of the IM REST service (SPEC §12): REST calls by status class, messages sent, daily active
users (a password-grant token or a sent message) and the peak calls in one second, per app and business day.

Each REST call collects what it did in a ``Batch`` (``route()`` opens it; the send and token services add to
it) and flushes it once, at the end of the call:

* with ``settings.REDIS_URL``: one ``EVALSHA`` (one round trip, no database write): ``HINCRBY`` on the day's
  hash ``im:use:{day}:{app_id}``, ``PFADD`` on the day's HyperLogLog ``im:dau:{day}:{app_id}``, ``SADD`` of the
  app id to the day's set ``im:use-apps:{day}`` (so the roll-up needs no SCAN), the peak kept as
  the highest count of the app's one-second window (the rate limiter's key; for an unlimited app the script
  counts the call in it). The beat roll-up (``services.usage``) copies those keys into ``UsageDay`` rows. A
  Redis error drops the batch (logged) and leaves Redis alone for a few seconds: a REST call never fails on it.
* without it (the embedded default): the batch upserts the ``UsageDay`` row itself (increments, and
  ``ActiveUserDay`` rows for the exact daily active count). The peak is then the highest count of one
  process's in-process window (the limiter is per process there), so with several worker processes it is a
  lower bound.

Outside a REST call (the console's test message uses the send service) the batch is flushed at once.
"""

import contextvars
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.im.ratelimit import KEY_PREFIX as RATE_KEY_PREFIX
from apps.im.ratelimit import WINDOW_SECONDS, redis_counter
from console.timeutil import business_date

logger = logging.getLogger(__name__)

USAGE_KEY_PREFIX = "im:use"
DAU_KEY_PREFIX = "im:dau"
APPS_KEY_PREFIX = "im:use-apps"  # per day: the ids of the apps metered that day (the roll-up's index, no SCAN)
# Keys live this long after their day's last write: the roll-up runs every minute, so a day's final figures are
# copied many times over before its keys go, even after a long beat outage.
KEY_TTL_SECONDS = 4 * 24 * 60 * 60
STATUS_FIELDS = ("c2xx", "c4xx", "c429", "c5xx")
COUNT_IN_WINDOW = -1  # Batch.second_count: the flush counts this call in the app's one-second window

# KEYS: usage hash, DAU HyperLogLog, the app's one-second window, the day's set of app ids. ARGV: status field
# ("" for none), messages, the window's count (COUNT_IN_WINDOW: INCR the window here; 0: no peak), key TTL, the
# app id, then usernames to PFADD.
FLUSH_SCRIPT = f"""
local usage, ttl = KEYS[1], tonumber(ARGV[4])
redis.call('SADD', KEYS[4], ARGV[5])
redis.call('EXPIRE', KEYS[4], ttl)
if ARGV[1] ~= '' then redis.call('HINCRBY', usage, ARGV[1], 1) end
local messages = tonumber(ARGV[2])
if messages > 0 then redis.call('HINCRBY', usage, 'messages', messages) end
local second = tonumber(ARGV[3])
if second < 0 then
  second = redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], {WINDOW_SECONDS + 1})
end
if second > 0 and second > tonumber(redis.call('HGET', usage, 'peak') or '0') then
  redis.call('HSET', usage, 'peak', second)
end
redis.call('EXPIRE', usage, ttl)
if #ARGV > 5 then
  redis.call('PFADD', KEYS[2], unpack(ARGV, 6))
  redis.call('EXPIRE', KEYS[2], ttl)
end
return 1
"""


@dataclass
class Batch:
    """What one REST call (or one service call outside the REST service) adds to an app's usage."""

    app_id: int | None = None
    status: int | None = None  # the HTTP status of the REST call; None outside a REST call
    messages: int = 0
    usernames: set[str] = field(default_factory=set)
    second_count: int = 0  # the app's calls in this one-second window, this one included (0: not counted)

    @property
    def empty(self) -> bool:
        return self.app_id is None or (self.status is None and not self.messages and not self.usernames)


_current: contextvars.ContextVar[Batch | None] = contextvars.ContextVar("im_metering_batch", default=None)


def open_batch() -> tuple[Batch, contextvars.Token]:
    """Start collecting for a REST call; ``close_batch(token)`` ends it (the caller then flushes)."""
    batch = Batch()
    return batch, _current.set(batch)


def close_batch(token: contextvars.Token) -> None:
    _current.reset(token)


def status_field(status: int) -> str:
    if status == 429:
        return "c429"
    if status >= 500:
        return "c5xx"
    if status >= 400:
        return "c4xx"
    return "c2xx"


def _add(app_id: int, *, messages: int = 0, username: str = "") -> None:
    batch = _current.get()
    if batch is not None and batch.app_id == app_id:
        batch.messages += messages
        if username:
            batch.usernames.add(username)
        return
    single = Batch(app_id=app_id, messages=messages, usernames={username} if username else set())
    flush(single)


def messages_sent(*, app_id: int, count: int, sender: str = "") -> None:
    """``count`` messages were stored (one per receiver); ``sender`` ("" if none was named) was active."""
    _add(app_id, messages=count, username=sender.lower())


def user_active(*, app_id: int, username: str) -> None:
    """An IM user got a token with the password grant."""
    _add(app_id, username=username.lower())


def flush(batch: Batch, *, now: datetime | None = None) -> None:
    """Write the batch (to Redis, or the database on the embedded default). Never raises: usage is not worth
    failing a REST call or a console action for."""
    if batch.empty:
        return
    now = now or timezone.now()
    url = getattr(settings, "REDIS_URL", "")
    try:
        if url:
            _flush_redis(url, batch, now)
        else:
            _flush_database(batch, now)
    except Exception:
        logger.exception("Usage metering: the usage of app %s was not recorded", batch.app_id)


def usage_key(day, app_id: int) -> str:
    return f"{USAGE_KEY_PREFIX}:{day.isoformat()}:{app_id}"


def dau_key(day, app_id: int) -> str:
    return f"{DAU_KEY_PREFIX}:{day.isoformat()}:{app_id}"


def apps_key(day) -> str:
    return f"{APPS_KEY_PREFIX}:{day.isoformat()}"


class _Script:
    """The flush script, registered once per client (redis-py sends EVALSHA and loads it on NOSCRIPT)."""

    def __init__(self):
        self._scripts: dict[int, object] = {}

    def __call__(self, client):
        script = self._scripts.get(id(client))
        if script is None:
            script = client.register_script(FLUSH_SCRIPT)
            self._scripts[id(client)] = script
        return script


_script = _Script()


def _flush_redis(url: str, batch: Batch, now: datetime) -> None:
    import redis

    wall = time.time()
    if not redis_counter.available(wall):
        logger.debug("Usage metering: Redis backing off; usage of app %s dropped", batch.app_id)
        return
    day = business_date(now)
    window_key = f"{RATE_KEY_PREFIX}:{batch.app_id}:{int(wall // WINDOW_SECONDS)}"
    second = batch.second_count
    args = [status_field(batch.status) if batch.status is not None else "", batch.messages,
            0 if batch.status is None else second, KEY_TTL_SECONDS, batch.app_id, *sorted(batch.usernames)]
    client = redis_counter.client(url)
    try:
        _script(client)(keys=[usage_key(day, batch.app_id), dau_key(day, batch.app_id), window_key, apps_key(day)],
                        args=args, client=client)
    except redis.RedisError as exc:
        redis_counter.mark_down(wall, exc, what="Usage metering")


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def _flush_database(batch: Batch, now: datetime) -> None:
    """Upsert the day's row: increments, the peak as a maximum, and the daily active users counted from
    ``ActiveUserDay`` after this call's users were inserted. Each statement commits on its own (autocommit), so
    the last of two concurrent calls counts both users; inside a caller's transaction a savepoint keeps a
    failure here from breaking it."""
    from apps.im.models import ActiveUserDay, UsageDay

    day = business_date(now)
    if connection.in_atomic_block:
        with transaction.atomic():
            _write_database(batch, day, now, ActiveUserDay, UsageDay)
    else:
        _write_database(batch, day, now, ActiveUserDay, UsageDay)


def _write_database(batch: Batch, day, now: datetime, ActiveUserDay, UsageDay) -> None:  # noqa: N803
    if batch.usernames:
        ActiveUserDay.objects.bulk_create(
            [ActiveUserDay(app_id=batch.app_id, day=day, username=name) for name in sorted(batch.usernames)],
            ignore_conflicts=True,
        )
    counts = dict.fromkeys(STATUS_FIELDS, 0)
    if batch.status is not None:
        counts[status_field(batch.status)] = 1
    qn = connection.ops.quote_name
    table, users_table = qn(UsageDay._meta.db_table), qn(ActiveUserDay._meta.db_table)
    active = "0"
    if batch.usernames:
        active = f"(SELECT COUNT(*) FROM {users_table} WHERE app_id = %s AND day = %s)"  # noqa: S608
    increments = ", ".join(f"{qn(column)} = {table}.{qn(column)} + excluded.{qn(column)}"
                           for column in ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages"))
    sql = (
        f"INSERT INTO {table} (app_id, day, calls_2xx, calls_4xx, calls_429, calls_5xx, messages, "  # noqa: S608
        f"active_users, peak_calls_per_second, registered_users, updated_at) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s, {active}, %s, 0, %s) "
        f"ON CONFLICT (app_id, day) DO UPDATE SET {increments}, "
        f"active_users = {_greatest(f'{table}.active_users', 'excluded.active_users')}, "
        f"peak_calls_per_second = "
        f"{_greatest(f'{table}.peak_calls_per_second', 'excluded.peak_calls_per_second')}, "
        f"updated_at = excluded.updated_at"
    )
    params = [batch.app_id, day, counts["c2xx"], counts["c4xx"], counts["c429"], counts["c5xx"], batch.messages]
    if batch.usernames:
        params += [batch.app_id, day]
    params += [max(batch.second_count, 0) if batch.status is not None else 0, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
