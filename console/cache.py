"""Django's Redis cache with one redis client per connection pool (issue 14).

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and with redis-py 5+
building one (its table of response callbacks) cost more CPU than the call itself: a console page makes 4–11
cache calls (session, arrears banner, alert count, catalog, entitlements). A ``redis.Redis`` is safe to share
between threads (each command takes a connection from the pool), so one per pool serves every call."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
