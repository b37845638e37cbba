"""Redis as an accelerator, never a dependency.

``FailSoftRedisCache`` is Django's RedisCache with three changes (settings.CACHES uses it when REDIS_URL is
set):

- every socket operation is bounded by short timeouts and redis-py's own retries are off, so a slow or
  dead Redis costs a request at most one short timeout;
- any Redis error turns the call into a miss (``get`` returns the default, ``set`` does nothing in Redis)
  and opens a circuit breaker: for ``retry_seconds`` no request waits on Redis at all, and the cache calls
  go to a small per-process local-memory cache instead, so each app process still serves its own
  recently rendered pages; then one call tries Redis again, and caching resumes by itself when it answers;
- it logs one warning when Redis goes away, at most one more a minute while it stays away, and one line
  when it comes back.

The page cache's keys carry the content version, so an entry kept in local memory during an outage is never
served after an edit. ``delete()`` during an outage only reaches local memory; the site only deletes keys
it also versions, so a stale Redis entry is never read after Redis returns.

``cache_health()`` is what /healthz reports: "ok" or "degraded".
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Redis on the same private network answers in well under a millisecond; 200 ms means it is in trouble.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
WARN_EVERY_SECONDS = 60


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("retry_seconds", 5))
        local_entries = int(options.pop("local_max_entries", 1000))
        options = {**DEFAULT_OPTIONS, **options}
        # redis-py 6+ retries a failed command three times with exponential back-off by default; we
        # would rather answer the visitor now from local memory.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self.local = LocMemCache(
            f"fail-soft-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300), "MAX_ENTRIES": local_entries}
        )
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the failure that opened the breaker
        self._retry_at = 0.0
        self._warned_at = -WARN_EVERY_SECONDS
        self._failures = 0

    # -- the breaker --------------------------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _should_try_redis(self) -> bool:
        if self._down_since is None:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._retry_at:
                return False
            self._retry_at = now + self.retry_seconds  # this caller probes; the others keep going around
            return True

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures += 1
            first = self._down_since is None
            if first:
                self._down_since = now
            self._retry_at = now + self.retry_seconds
            if first or now - self._warned_at >= WARN_EVERY_SECONDS:
                self._warned_at = now
                logger.warning(
                    "cache: Redis unavailable (%s: %s); serving from local memory, retrying every %gs "
                    "(%d failed calls so far)",
                    type(error).__name__,
                    error,
                    self.retry_seconds,
                    self._failures,
                )

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            logger.warning(
                "cache: Redis is back after %.0fs; caching in Redis again",
                time.monotonic() - self._down_since,
            )
            self._down_since = None
            self._failures = 0

    def _call(self, name: str, *args, **kwargs):
        if self._should_try_redis():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self._failed(error)
            else:
                self._succeeded()
                return result
        return getattr(self.local, name)(*args, **kwargs)

    def health(self) -> str:
        """ "ok" when Redis answers a PING now, "degraded" otherwise (never waits past the socket timeout)."""
        if not self._should_try_redis():
            return "degraded"
        try:
            self._cache.get_client(write=True).ping()
        except (RedisError, OSError) as error:
            self._failed(error)
            return "degraded"
        self._succeeded()
        return "ok"

    # -- Django's cache API ---------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version) or []

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        self.local.clear()
        return self._call("clear")


def cache_health(alias: str = "default") -> str:
    """ "ok" or "degraded" for /healthz; a cache without a remote part (local memory) is always "ok"."""
    backend = caches[alias]
    health = getattr(backend, "health", None)
    return health() if health else "ok"
