"""The per-app calls/s limit: the in-process limiter and the Redis window (marked redis, Redis db 6 in dev)."""

import threading
import time

import pytest

from apps.im import ratelimit
from apps.im.ratelimit import check_rate, local_limiter


@pytest.fixture(autouse=True)
def fresh_limiter(settings):
    settings.REDIS_URL = ""
    local_limiter.clear()
    yield
    local_limiter.clear()


def test_calls_up_to_the_limit_pass_and_the_next_is_refused_with_retry_after():
    now = 1_000_000.25
    decisions = [check_rate(app_id=1, limit=3, now=now) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 1 and isinstance(decisions[-1].retry_after, int)
    assert decisions[0].retry_after == 0


def test_a_new_second_opens_a_new_window():
    for _ in range(2):
        check_rate(app_id=1, limit=2, now=500.1)
    assert not check_rate(app_id=1, limit=2, now=500.9).allowed
    assert check_rate(app_id=1, limit=2, now=501.0).allowed


def test_apps_are_counted_apart():
    assert check_rate(app_id=1, limit=1, now=10.0).allowed
    assert not check_rate(app_id=1, limit=1, now=10.0).allowed
    assert check_rate(app_id=2, limit=1, now=10.0).allowed


def test_unlimited_is_never_refused_and_zero_refuses_everything():
    assert all(check_rate(app_id=1, limit=None, now=10.0).allowed for _ in range(100))
    assert not check_rate(app_id=3, limit=0, now=10.0).allowed


def test_the_in_process_limiter_is_exact_under_threads():
    allowed = []
    barrier = threading.Barrier(20)

    def call():
        barrier.wait()
        allowed.extend(check_rate(app_id=7, limit=50, now=42.5).allowed for _ in range(10))

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 50 and len(allowed) == 200


def test_an_unreachable_redis_falls_back_to_the_in_process_limiter(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(ratelimit.redis_counter, "_down_until", 0.0)
    decisions = [check_rate(app_id=9, limit=2, now=100.5) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert ratelimit.redis_counter._down_until > 100.5  # Redis is not asked again for a while




@pytest.mark.redis
def test_redis_window_refuses_beyond_the_limit_and_expires(redis_url):
    now = float(int(time.time())) + 0.5
    decisions = [check_rate(app_id=11, limit=3, now=now) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert decisions[-1].retry_after == 1
    key = f"{ratelimit.KEY_PREFIX}:11:{int(now)}"
    assert int(redis_url.get(key)) == 5
    assert 0 < redis_url.ttl(key) <= 2
    assert not local_limiter._windows  # Redis decided, not the in-process counter


@pytest.mark.redis
def test_redis_window_is_shared_by_every_caller(redis_url):
    """Two processes sharing Redis see one counter: simulated by clearing the in-process limiter between calls
    and by a second client incrementing the same key."""
    now = float(int(time.time())) + 0.5
    redis_url.incr(f"{ratelimit.KEY_PREFIX}:12:{int(now)}", 2)  # another worker's two calls
    assert check_rate(app_id=12, limit=3, now=now).allowed
    assert not check_rate(app_id=12, limit=3, now=now).allowed
