"""A Redis cache that degrades instead of failing when Redis is unreachable.

Django's RedisCache raises on every call while Redis is down, so everything that touches the cache answers 500:
the login (django-allauth's rate limiter keeps its counters in the cache) and, with cached sessions, every page.
This backend catches the connection error, logs a warning once per outage and serves the call from this process's
memory instead, so the rate limiter still limits (per process) and cached pages are still cached. For the next
RETRY_AFTER seconds it does not try Redis at all, so a dead Redis costs one short connect timeout per process,
not one per call.

What is written to the memory fallback during an outage is not copied to Redis afterwards, and a delete during an
outage does not reach Redis: cache only what may be stale for its timeout (sessions live in the database).
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

# Per process and Redis location: until when Redis is skipped (Django makes one cache object per thread).
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def _fallback(name):
    def method(self, *args, **kwargs):
        location = self._location
        if time.monotonic() < _down_until.get(location, 0.0):
            return getattr(self._memory, name)(*args, **kwargs)
        try:
            result = getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            with _lock:
                was_up = location not in _down_until
                _down_until[location] = time.monotonic() + RETRY_AFTER
            if was_up:
                logger.warning("Redis cache unreachable, using this process's memory meanwhile: %s", error)
            return getattr(self._memory, name)(*args, **kwargs)
        if location in _down_until:
            with _lock:
                if _down_until.pop(location, None) is not None:
                    logger.info("Redis cache reachable again")
        return result

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    """RedisCache that behaves like a per-process memory cache while Redis is unreachable.

    Set short socket timeouts in OPTIONS (socket_connect_timeout, socket_timeout) so an unreachable host
    costs milliseconds; they are passed to redis-py's connection pool.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        memory_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._memory = LocMemCache(f"redis-fallback:{self._location}", memory_params)

    add = _fallback("add")
    get = _fallback("get")
    set = _fallback("set")
    touch = _fallback("touch")
    delete = _fallback("delete")
    get_many = _fallback("get_many")
    has_key = _fallback("has_key")
    incr = _fallback("incr")
    set_many = _fallback("set_many")
    delete_many = _fallback("delete_many")
    clear = _fallback("clear")
