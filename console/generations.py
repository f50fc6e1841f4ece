"""A value kept in the cache under a generation (issue 14): the entry holds (generation, value), and an entry
whose generation is not the current one is computed again. Forgetting one entry deletes it; forgetting every
entry of a kind sets a new generation. CONSOLE_CACHE_SECONDS bounds anything missed.

``found`` lets a caller that needs several such values read all their keys in one cache round trip (the top bar
and the arrears banner of every org page: ``console.context_processors``)."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def generational(key: str, generation_key: str, compute: Callable[[], T], *, found: dict | None = None) -> T:
    """The cached value under ``key`` if it belongs to the current generation, else ``compute()`` (stored)."""
    if found is None:
        found = cache.get_many([key, generation_key])
    generation, cached = found.get(generation_key), found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = compute()
    cache.set(key, (generation, value), settings.CONSOLE_CACHE_SECONDS)
    return value
