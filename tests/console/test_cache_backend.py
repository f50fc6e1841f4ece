"""The console's Redis cache backend shares one redis client per connection pool (issue 14) and still reads and
writes like Django's: values, many keys, timeouts, deletes, counters."""

import os

import pytest
import redis

from console.cache import SharedClientRedisCache
from tests.conftest import redis_url_for_tests

REDIS_URL = redis_url_for_tests(3)


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip("no Redis server")
    backend = SharedClientRedisCache(REDIS_URL, {"KEY_PREFIX": "console-cache-backend-test"})
    yield backend
    backend.clear()


@pytest.mark.redis
def test_one_client_serves_every_call_and_the_cache_answers_as_djangos(cache):
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.set("a", {"plan": "pro", "quota": 100}, 30)
    cache.set_many({"b": 1, "c": [1, 2]}, None)
    assert cache.get("a") == {"plan": "pro", "quota": 100}
    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": {"plan": "pro", "quota": 100}, "b": 1, "c": [1, 2]}
    assert cache.add("b", 2) is False and cache.add("d", 2) is True
    assert cache.incr("b") == 2
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"
    assert 0 < client.ttl(cache.make_and_validate_key("d")) <= 300
