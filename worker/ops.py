"""The worker's own health as events on the ops stream: feed failures, network outage, dead letters, lag, heartbeats.

Producers (the poller, the pipeline, consumers) call the `report_*` functions; each publishes an
`ops.*` envelope whose message id is deterministic per incident of trouble (one feed's failure
streak, one outage, one growth step of a dead-letter stream), so repeating a report adds
nothing. `OpsWatcher.check()` looks at Redis state periodically (run by `newsworker alerts`)
and reports what no single producer can see: dead-letter growth, consumer lag near the
retention horizon, missing heartbeats, feeds failing N polls in a row.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import redis

from config.settings import Settings
from worker.consumer import entry_time, groups_info
from worker.health import heartbeats
from worker.keys import Keys
from worker.models import OpsEvent, Severity
from worker.stream import STREAM_NAMES, Publisher, make_envelope, message_id, stream_key

log = logging.getLogger(__name__)

# A group whose oldest unread entry is older than this fraction of the retention is warned about.
RETENTION_WARN_FRACTION = 0.8


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def group_report(client: redis.Redis, keys: Keys, settings: Settings) -> list[dict[str, Any]]:
    """Every documented stream with its length, dead letters and consumer groups (pending, lag, retention risk)."""
    retention_s = settings.stream_retention_days * 86400
    now = time.time()
    report = []
    for name in STREAM_NAMES:
        key = stream_key(keys, name)
        length = int(client.xlen(key))
        dead = int(client.xlen(keys.dead_letter_stream(key)))
        last_entry = client.xrevrange(key, count=1)
        groups = []
        for info in groups_info(client, key):
            oldest = info.oldest_unacked_id
            oldest_at = entry_time(oldest) if oldest else None
            near = bool(oldest_at and now - oldest_at.timestamp() > retention_s * RETENTION_WARN_FRACTION)
            groups.append({
                "name": info.name, "pending": info.pending, "lag": info.lag, "lag_exact": info.lag_exact,
                "last_delivered_id": info.last_delivered_id, "oldest_unread_at": _iso(oldest_at),
                "near_retention": near, "consumers": info.consumers,
            })
        report.append({
            "name": name, "key": key, "length": length, "dead_letters": dead,
            "last_entry_at": _iso(entry_time(last_entry[0][0])) if last_entry else None, "groups": groups,
        })
    return report


# -- configuration ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpsConfig:
    """Thresholds of the ops checks (the `ops:` section of config/alerts.yaml)."""

    feed_failures: int = 3
    network_min_feeds: int = 2
    network_window: float = 900.0
    lag_entries: int = 1000
    retention_warn_fraction: float = RETENTION_WARN_FRACTION
    heartbeat_minutes: float = 5.0
    check_interval: float = 30.0
    webhooks: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> "OpsConfig":
        allowed = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} (allowed: {sorted(allowed)})")
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name == "webhooks":
                values[name] = tuple(str(w) for w in (value if isinstance(value, list) else [value]) if w)
            elif name in ("feed_failures", "network_min_feeds", "lag_entries"):
                values[name] = int(value)
                if values[name] < 1:
                    raise ValueError(f"{name} must be at least 1")
            else:
                values[name] = float(value)
                if values[name] <= 0:
                    raise ValueError(f"{name} must be greater than 0")
        if values.get("retention_warn_fraction", 0.5) >= 1:
            raise ValueError("retention_warn_fraction must be below 1")
        return cls(**values)


# -- publishing ops events -------------------------------------------------------------------------
class OpsReporter:
    """Publishes ops events; a condition fires once per episode and is resolved once."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.client = client
        self.keys = keys
        self.publisher = Publisher(client, keys, settings)

    def _publish(self, event: OpsEvent, *id_parts: Any) -> bool:
        type_ = f"ops.{event.kind}"
        envelope = make_envelope(type_, event.model_dump(mode="json"),  # type: ignore[arg-type]
                                 msg_id=message_id(type_, event.subject, *id_parts))
        added, _ = self.publisher.publish(self.keys.ops_stream, envelope)
        if added:
            log.warning("ops %s %s: %s", event.kind, event.state, event.summary)
        return added

    def fire(self, kind: str, subject: str, summary: str, *, severity: Severity = "warning",
             details: dict[str, Any] | None = None) -> bool:
        """Report a condition; only the first report of an episode publishes (later ones re-publish the same id)."""
        field_name = f"firing|{kind}|{subject}"
        self.client.hsetnx(self.keys.ops_state, field_name, f"{time.time():.3f}")
        episode = self.client.hget(self.keys.ops_state, field_name)
        event = OpsEvent(kind=kind, state="firing", severity=severity, subject=subject, summary=summary,
                         details=details or {}, observed_at=datetime.now(timezone.utc))
        return self._publish(event, episode, "firing")

    def resolve(self, kind: str, subject: str, summary: str, *, details: dict[str, Any] | None = None) -> bool:
        """Report that a firing condition is over (nothing when it was not firing)."""
        field_name = f"firing|{kind}|{subject}"
        episode = self.client.hget(self.keys.ops_state, field_name)
        if episode is None:
            return False
        event = OpsEvent(kind=kind, state="resolved", severity="info", subject=subject, summary=summary,
                         details=details or {}, observed_at=datetime.now(timezone.utc))
        added = self._publish(event, episode, "resolved")
        self.client.hdel(self.keys.ops_state, field_name)
        return added

    def firing(self, kind: str) -> dict[str, float]:
        """Subjects of `kind` currently firing, with the time they started."""
        prefix = f"firing|{kind}|"
        return {k[len(prefix):]: float(v) for k, v in self.client.hgetall(self.keys.ops_state).items()
                if k.startswith(prefix)}

    def once(self, kind: str, subject: str, summary: str, *id_parts: Any, severity: Severity = "warning",
             details: dict[str, Any] | None = None) -> bool:
        """A one-off event (no episode), deduplicated by `id_parts`."""
        event = OpsEvent(kind=kind, state="firing", severity=severity, subject=subject, summary=summary,
                         details=details or {}, observed_at=datetime.now(timezone.utc))
        return self._publish(event, *id_parts)

    def webhook_failure(self, webhook: str, alert_message_id: str, attempts: int, error: str, *,
                        hook_url: str = "") -> bool:
        """A webhook could not be reached after its retries."""
        return self.once("webhook_failure", webhook,
                         f"webhook {webhook} failed after {attempts} attempt(s): {error}", alert_message_id,
                         details={"webhook": webhook, "url": hook_url, "attempts": attempts, "error": error,
                                  "alert_message_id": alert_message_id})


def report_feed_failure(client: redis.Redis, keys: Keys, settings: Settings, feed_url: str, *,
                        consecutive_failures: int, error: str, threshold: int = 3) -> bool:
    """For the poller: a feed failed again; fires once when `consecutive_failures` reaches `threshold`."""
    if consecutive_failures < threshold:
        return False
    return OpsReporter(client, keys, settings).fire(
        "feed_failure", feed_url, f"feed {feed_url} failed {consecutive_failures} polls in a row: {error}",
        details={"feed_url": feed_url, "consecutive_failures": consecutive_failures, "error": error})


def report_feed_ok(client: redis.Redis, keys: Keys, settings: Settings, feed_url: str) -> bool:
    """For the poller: a feed polled fine; resolves its failure alert if one was firing."""
    return OpsReporter(client, keys, settings).resolve("feed_failure", feed_url, f"feed {feed_url} recovered")


def report_network(client: redis.Redis, keys: Keys, settings: Settings, *, down: bool, detail: str = "") -> bool:
    """For the poller: the worker cannot reach the network at all (down=True), or can again."""
    reporter = OpsReporter(client, keys, settings)
    if down:
        return reporter.fire("network", "worker", f"worker cannot reach the network: {detail}".rstrip(": "),
                             severity="critical", details={"detail": detail})
    return reporter.resolve("network", "worker", "network reachable again")


# -- watching Redis state --------------------------------------------------------------------------
_NETWORKISH = re.compile(r"connect|timeout|timed out|dns|resolv|unreachable|refused|network|name or service|"
                         r"temporary failure|no route", re.I)


def read_feed_states(client: redis.Redis, keys: Keys) -> dict[str, dict[str, str]]:
    """Feed URL -> its state hash as the poller keeps it (worker/feeds.py FeedState)."""
    urls = list(client.hkeys(keys.feeds))
    pipe = client.pipeline(transaction=False)
    for url in urls:
        pipe.hgetall(keys.feed_state(url))
    return dict(zip(urls, pipe.execute()))


def _num(raw: str | None, default: float = 0.0) -> float:
    try:
        return float(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def feed_health(state: dict[str, str], failure_threshold: int) -> str:
    """healthy, degraded (failing, below the threshold), failing, stopped, or pending (never polled)."""
    if state.get("stopped") == "1":
        return "stopped"
    if not state.get("last_poll"):
        return "pending"
    failures = int(_num(state.get("consecutive_failures")))
    if failures == 0:
        return "healthy"
    return "failing" if failures >= failure_threshold else "degraded"


def feeds_by_health(client: redis.Redis, keys: Keys, failure_threshold: int = 3) -> Counter[str]:
    """How many feeds are in each health state."""
    return Counter(feed_health(s, failure_threshold) for s in read_feed_states(client, keys).values())


class OpsWatcher:
    """Periodic checks of Redis state that no single producer can make (run by `newsworker alerts`)."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, config: OpsConfig,
                 reporter: OpsReporter | None = None) -> None:
        self.client = client
        self.keys = keys
        self.settings = settings
        self.config = config
        self.reporter = reporter or OpsReporter(client, keys, settings)
        self._next_check = 0.0

    def maybe_check(self) -> int:
        """Run `check` when `check_interval` has passed since the last one."""
        if time.monotonic() < self._next_check:
            return 0
        self._next_check = time.monotonic() + self.config.check_interval
        try:
            return self.check()
        except redis.RedisError as exc:
            log.warning("ops checks failed: %s", exc)
            return 0

    def check(self, now: float | None = None) -> int:
        """Run every check once; return how many ops events were published."""
        now = time.time() if now is None else now
        return (self.check_feeds(now) + self.check_dead_letters() + self.check_lag(now)
                + self.check_heartbeats(now))

    def check_feeds(self, now: float) -> int:
        states = read_feed_states(self.client, self.keys)
        published = 0
        recent_failures: list[bool] = []
        for url, state in states.items():
            failures = int(_num(state.get("consecutive_failures")))
            if state.get("stopped") != "1" and failures >= self.config.feed_failures:
                published += self.reporter.fire(
                    "feed_failure", url,
                    f"feed {url} failed {failures} polls in a row: {state.get('reason') or 'unknown error'}",
                    details={"feed_url": url, "consecutive_failures": failures, "reason": state.get("reason")})
            elif failures == 0:
                published += self.reporter.resolve("feed_failure", url, f"feed {url} recovered")
            if now - _num(state.get("last_poll")) <= self.config.network_window:
                outage = state.get("last_outcome") == "outage"
                recent_failures.append(outage or (failures > 0 and bool(_NETWORKISH.search(state.get("reason") or ""))))
        heuristic = len(recent_failures) >= self.config.network_min_feeds and all(recent_failures)
        if self._outage_suspected(now) or heuristic:
            published += self.reporter.fire(
                "network", "worker", "fetches to every host failed at network level lately: the worker cannot "
                                     "reach the network", severity="critical",
                details={"recent_feed_polls": len(recent_failures)})
        elif recent_failures and not all(recent_failures):
            published += self.reporter.resolve("network", "worker", "network reachable again")
        return published

    def _outage_suspected(self, now: float) -> bool:
        """The poller's own verdict from recent fetch outcomes across hosts (worker/poller.py NetworkHealth)."""
        try:
            from worker.poller import NetworkHealth  # deferred: the poller pulls in the HTTP stack
        except ImportError:  # pragma: no cover - the poller is part of the package
            return False
        try:
            return bool(NetworkHealth(self.client, self.keys).outage_suspected(now))
        except (ValueError, redis.RedisError):
            return False

    def check_dead_letters(self) -> int:
        published = 0
        for name in STREAM_NAMES:
            dead = self.keys.dead_letter_stream(stream_key(self.keys, name))
            length = int(self.client.xlen(dead))
            field_name = f"dead_len|{dead}"
            seen = int(self.client.hget(self.keys.ops_state, field_name) or 0)
            if length > seen:
                last = self.client.xrevrange(dead, count=1)
                error = last[0][1].get("dl_error", "") if last else ""
                published += self.reporter.once(
                    "dead_letter", dead, f"{length - seen} new dead letter(s) on {dead} ({length} in all); "
                                         f"latest: {error[:200]}", length,
                    details={"stream": dead, "length": length, "new": length - seen, "latest_error": error})
            if length != seen:
                self.client.hset(self.keys.ops_state, field_name, length)
        return published

    def check_lag(self, now: float) -> int:
        published = 0
        retention_s = self.settings.stream_retention_days * 86400
        for name in STREAM_NAMES:
            stream = stream_key(self.keys, name)
            for info in groups_info(self.client, stream, lag_cap=self.config.lag_entries * 10):
                subject = f"{info.name}@{stream}"
                if info.lag >= self.config.lag_entries:
                    published += self.reporter.fire(
                        "lag", subject, f"consumer group {info.name} of {stream} is {info.lag} entries behind",
                        details={"group": info.name, "stream": stream, "lag": info.lag, "pending": info.pending})
                else:
                    published += self.reporter.resolve("lag", subject, f"consumer group {info.name} caught up")
                oldest = info.oldest_unacked_id
                age = now - entry_time(oldest).timestamp() if oldest else 0.0
                subject_r = subject + "|retention"
                if oldest and age > retention_s * self.config.retention_warn_fraction:
                    published += self.reporter.fire(
                        "lag", subject_r,
                        f"consumer group {info.name} of {stream} has unread entries {age / 3600:.1f} h old, near "
                        f"the {retention_s / 3600:.0f} h retention: they will be trimmed unread",
                        severity="critical", details={"group": info.name, "stream": stream, "oldest_age_s": age,
                                                      "retention_s": retention_s})
                else:
                    published += self.reporter.resolve("lag", subject_r, f"consumer group {info.name} is "
                                                                         "clear of the retention horizon")
        return published

    def check_heartbeats(self, now: float) -> int:
        ages = heartbeats(self.client, self.keys, now=now)
        limit = self.config.heartbeat_minutes * 60
        if not ages or min(ages.values()) > limit:
            what = "no worker has ever sent a heartbeat" if not ages else \
                f"no heartbeat from any worker for {min(ages.values()) / 60:.0f} min"
            return int(self.reporter.fire("heartbeat", "workers", what, severity="critical",
                                          details={"workers": ages}))
        return int(self.reporter.resolve("heartbeat", "workers", f"{len(ages)} worker(s) beating again"))
