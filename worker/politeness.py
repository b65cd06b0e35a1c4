"""Per-host politeness shared by every worker: a Redis semaphore plus a minimum gap per host.

One Lua script does the check and the take atomically, on Redis' own clock, so workers on
different machines agree: at most `max_in_flight` requests to a host at once (slots expire,
so a killed worker cannot hold one forever) and request starts at least `min_delay` apart.
"""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import redis

from worker.errors import TransientError
from worker.keys import Keys

log = logging.getLogger(__name__)

# acquire(slots zset key, next-allowed key, token, max_in_flight, min_delay, slot_ttl) -> 'ok' or the
# seconds to wait, as text (Lua numbers returned to Redis are truncated to integers). Shared with
# the poller's one-round-trip "begin poll" script, hence a function in a string.
ACQUIRE_FN = """
local function acquire_slot(slots, nextkey, token, max_in_flight, min_delay, ttl)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
  local nxt = tonumber(redis.call('GET', nextkey) or '0')
  if nxt > now then return tostring(nxt - now) end
  local busy = redis.call('ZCARD', slots)
  if busy >= tonumber(max_in_flight) then
    local first = redis.call('ZRANGE', slots, 0, 0, 'WITHSCORES')
    local wait = 0.05
    if first[2] then wait = math.min(0.25, math.max(0.01, tonumber(first[2]) - now)) end
    return tostring(wait)
  end
  ttl = tonumber(ttl)
  redis.call('ZADD', slots, now + ttl, token)
  redis.call('PEXPIRE', slots, math.ceil(ttl * 1000) + 1000)
  local delay = tonumber(min_delay)
  if delay > 0 then
    redis.call('SET', nextkey, tostring(now + delay), 'PX', math.ceil(delay * 1000) + 1000)
  end
  return 'ok'
end
"""

# KEYS[1] slots zset (token -> expiry), KEYS[2] next-allowed time; ARGV: token, max, delay, ttl.
_ACQUIRE_LUA = ACQUIRE_FN + "return acquire_slot(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])"


class HostBusy(TransientError):
    """The host's politeness budget is used up right now; `wait` seconds is a good retry delay."""

    reason = "host_busy"

    def __init__(self, message: str, *, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


class HostLimiter:
    """At most `max_in_flight` requests per host across all workers, starts `min_delay` apart."""

    def __init__(self, client: redis.Redis, keys: Keys, *, max_in_flight: int, min_delay: float,
                 slot_ttl: float) -> None:
        self.client = client
        self.keys = keys
        self.max_in_flight = max_in_flight
        self.min_delay = min_delay
        self.slot_ttl = slot_ttl
        self._acquire = client.register_script(_ACQUIRE_LUA)

    def try_acquire(self, host: str, *, min_delay: float | None = None) -> tuple[str | None, float]:
        """(token, 0) when a slot was taken, else (None, seconds to wait)."""
        token = uuid.uuid4().hex
        delay = self.min_delay if min_delay is None else max(self.min_delay, min_delay)
        answer = self._acquire(keys=[self.keys.host_slots(host), self.keys.host_next(host)],
                               args=[token, self.max_in_flight, delay, self.slot_ttl])
        if answer == "ok":
            return token, 0.0
        return None, float(answer)

    def acquire(self, host: str, *, max_wait: float, min_delay: float | None = None) -> str:
        """Wait (at most `max_wait` s) for a slot; raise HostBusy when none came free."""
        give_up = time.monotonic() + max_wait
        while True:
            token, wait = self.try_acquire(host, min_delay=min_delay)
            if token is not None:
                return token
            left = give_up - time.monotonic()
            if left <= 0 or wait > left:
                raise HostBusy(f"{host}: politeness limit (next slot in {wait:.1f}s)", wait=max(wait, 0.05))
            time.sleep(max(0.005, min(wait, left, 0.5)))

    def release(self, host: str, token: str) -> None:
        """Give the slot back (the min-delay gap still applies to the next request)."""
        try:
            self.client.zrem(self.keys.host_slots(host), token)
        except redis.RedisError as exc:  # the slot expires on its own; do not fail the fetch for this
            log.warning("could not release host slot for %s: %s", host, exc)

    @contextmanager
    def slot(self, host: str, *, max_wait: float, min_delay: float | None = None) -> Iterator[None]:
        token = self.acquire(host, max_wait=max_wait, min_delay=min_delay)
        try:
            yield
        finally:
            self.release(host, token)
