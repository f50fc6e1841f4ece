"""The per-app REST calls/s limit (SPEC §11): a fixed one-second window per app.

With ``settings.REDIS_URL`` the window is a Redis counter shared by every worker: one pipelined
``INCR`` + ``EXPIRE`` (one round trip). Without Redis (the embedded default) it is an in-process counter under a
lock, so each process enforces the limit on its own. Nothing is written to the database. The window's count
is also the usage metering's peak calls/s (apps.im.metering). If Redis cannot be
reached the in-process limiter decides, so an outage slows nothing down and still limits each worker.

A fixed window admits at most ``limit`` calls in each wall-clock second; across a window boundary a burst may
see up to ``2 × limit`` within one second (the "± one window" of the issue). ``Retry-After`` is the time to the
next window, rounded up to whole seconds: always 1.
"""

import logging
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 1
KEY_PREFIX = "im:rate"
REDIS_TIMEOUT_SECONDS = 0.25
# After a Redis error, the in-process limiter decides for this long before Redis is tried again.
REDIS_BACKOFF_SECONDS = 5.0


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int  # whole seconds; 0 when allowed
    count: int = 0  # calls counted in the current window, this one included


def _retry_after(now: float) -> int:
    window_end = (math.floor(now / WINDOW_SECONDS) + 1) * WINDOW_SECONDS
    return max(1, math.ceil(window_end - now))


class LocalLimiter:
    """Counters per app for the current window, in this process, thread-safe."""

    MAX_APPS = 10_000  # stale windows are dropped beyond this many entries

    def __init__(self):
        self._lock = threading.Lock()
        self._windows: dict[int, tuple[int, int]] = {}  # app_id -> (window number, count)

    def hit(self, app_id: int, now: float) -> int:
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            current, count = self._windows.get(app_id, (window, 0))
            count = count + 1 if current == window else 1
            self._windows[app_id] = (window, count)
            if len(self._windows) > self.MAX_APPS:
                self._windows = {key: value for key, value in self._windows.items() if value[0] == window}
            return count

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


local_limiter = LocalLimiter()


class _RedisCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._clients: dict[str, object] = {}
        self._down_until = 0.0

    def client(self, url: str):
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                import redis

                client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                              socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
                self._clients[url] = client
            return client

    def available(self, now: float) -> bool:
        """False while backing off after an error (the limiter and the usage metering share it)."""
        return now >= self._down_until

    def mark_down(self, now: float, exc: Exception, *, what: str) -> None:
        self._down_until = now + REDIS_BACKOFF_SECONDS
        logger.warning("%s: Redis unavailable (%s); not asked again for %.0f s", what, exc, REDIS_BACKOFF_SECONDS)

    def hit(self, url: str, app_id: int, now: float) -> int | None:
        """The window's count after this call, or None when Redis is unavailable."""
        if not self.available(now):
            return None
        import redis

        window = int(now // WINDOW_SECONDS)
        key = f"{KEY_PREFIX}:{app_id}:{window}"
        try:
            pipe = self.client(url).pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS + 1)
            count, _expiry_set = pipe.execute()
        except redis.RedisError as exc:
            self.mark_down(now, exc, what="Rate limit (in-process limiter meanwhile)")
            return None
        return int(count)


redis_counter = _RedisCounter()


def check_rate(*, app_id: int, limit: int | None, now: float | None = None) -> RateDecision:
    """Count this call against the app's window. ``limit`` is calls per second (None: unlimited; 0: none).

    An unlimited app's calls are counted too, for the usage metering's peak calls/s: in process here without
    Redis; with Redis the metering flush at the end of the call counts them (``count`` 0 here), which saves a
    round trip."""
    now = time.time() if now is None else now
    url = getattr(settings, "REDIS_URL", "")
    if limit is None:
        return RateDecision(allowed=True, retry_after=0, count=0 if url else local_limiter.hit(app_id, now))
    count = None
    if url:
        count = redis_counter.hit(url, app_id, now)
    if count is None:
        count = local_limiter.hit(app_id, now)
    if count <= limit:
        return RateDecision(allowed=True, retry_after=0, count=count)
    return RateDecision(allowed=False, retry_after=_retry_after(now), count=count)
