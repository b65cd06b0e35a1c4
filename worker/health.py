"""Heartbeats and the health verdict behind `newsworker health` (container health checks).

Workers call `beat(client, keys, name)` every `HEARTBEAT_INTERVAL` seconds (a daemon thread from
`start_heartbeat` does it). `check_health` says unhealthy when Redis cannot be reached, when no
worker has beaten for `max_heartbeat_age`, or when feeds delivered new entries but nothing has
reached the articles stream for `stall_after` seconds since (every fetched article is published
there, cleaned or rejected, so silence after a delivery means the pipeline is stuck).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from worker.keys import Keys

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 30.0
# Heartbeats older than this are dropped from the hash (a worker that is gone for good).
HEARTBEAT_FORGET = 86400.0


def beat(client: redis.Redis, keys: Keys, worker_name: str, *, now: float | None = None) -> None:
    """Record that `worker_name` is alive now."""
    client.hset(keys.heartbeats, worker_name, f"{time.time() if now is None else now:.3f}")


def heartbeats(client: redis.Redis, keys: Keys, *, now: float | None = None) -> dict[str, float]:
    """Worker name -> seconds since its last beat (forgetting workers silent for a day)."""
    now = time.time() if now is None else now
    ages: dict[str, float] = {}
    stale = []
    for name, raw in client.hgetall(keys.heartbeats).items():
        try:
            age = now - float(raw)
        except ValueError:
            stale.append(name)
            continue
        if age > HEARTBEAT_FORGET:
            stale.append(name)
        else:
            ages[name] = max(0.0, age)
    if stale:
        client.hdel(keys.heartbeats, *stale)
    return ages


class Heartbeat:
    """A daemon thread that beats now and then every `interval` s until `stop()`.

    `stop()` waits for a beat in flight, so the caller may close the client right after: closing
    it under a running beat breaks the socket mid-call (OSError/ValueError, not a RedisError).
    """

    def __init__(self, client: redis.Redis, keys: Keys, worker_name: str,
                 interval: float = HEARTBEAT_INTERVAL) -> None:
        self._client, self._keys, self._name, self._interval = client, keys, worker_name, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{worker_name}", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                beat(self._client, self._keys, self._name)
            except redis.RedisError as exc:  # Redis down: health will say so; keep trying
                log.warning("heartbeat failed: %s", exc)
            if self._stop.wait(self._interval):
                return

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


def start_heartbeat(client: redis.Redis, keys: Keys, worker_name: str,
                    interval: float = HEARTBEAT_INTERVAL) -> Heartbeat:
    """Beat now and then every `interval` s from a daemon thread; `stop()` the returned handle."""
    return Heartbeat(client, keys, worker_name, interval)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class HealthReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [c.__dict__ for c in self.checks]}


def _last_feed_delivery(client: redis.Redis, keys: Keys) -> float | None:
    """When a feed last handed on new entries (poller state in Redis; None when unknown)."""
    latest: float | None = None
    urls = list(client.hkeys(keys.feeds))
    if not urls:
        return None
    pipe = client.pipeline(transaction=False)
    for url in urls:
        pipe.hmget(keys.feed_state(url), "last_success", "last_new")
    for last_success, last_new in pipe.execute():
        try:
            if last_success and last_new and int(float(last_new)) > 0:
                latest = max(latest or 0.0, float(last_success))
        except ValueError:
            continue
    return latest


def check_health(client: redis.Redis, keys: Keys, *, max_heartbeat_age: float = 300.0,
                 stall_after: float = 900.0, now: float | None = None) -> HealthReport:
    """The worker's health verdict: Redis reachable, a recent heartbeat, the stream advancing while feeds deliver."""
    now = time.time() if now is None else now
    checks: list[Check] = []
    try:
        client.ping()
    except redis.RedisError as exc:
        return HealthReport([Check("redis", False, f"unreachable: {exc}")])
    checks.append(Check("redis", True, "reachable"))

    ages = heartbeats(client, keys, now=now)
    if not ages:
        checks.append(Check("heartbeat", False, "no worker has ever sent a heartbeat (is `newsworker run` up?)"))
    else:
        name, age = min(ages.items(), key=lambda item: item[1])
        ok = age <= max_heartbeat_age
        checks.append(Check("heartbeat", ok, f"{len(ages)} worker(s); freshest {name} {age:.0f}s ago"
                            + ("" if ok else f" (limit {max_heartbeat_age:.0f}s)")))

    delivered = _last_feed_delivery(client, keys)
    newest = client.xrevrange(keys.articles_stream, count=1)
    newest_at = int(newest[0][0].split("-")[0]) / 1000 if newest else None
    if delivered is None:
        checks.append(Check("stream", True, "no feed delivery recorded yet"))
    elif (newest_at is None or newest_at < delivered) and now - delivered > stall_after:
        last = "never" if newest_at is None else f"{now - newest_at:.0f}s ago"
        checks.append(Check("stream", False, f"feeds delivered new entries {now - delivered:.0f}s ago but the "
                                             f"articles stream has not advanced since (last entry {last})"))
    else:
        checks.append(Check("stream", True, "advancing"
                            + (f" (last article {now - newest_at:.0f}s ago)" if newest_at else "")))
    return HealthReport(checks)
