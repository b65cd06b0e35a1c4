"""Prometheus metrics, aggregated in Redis so every worker process counts into the same numbers.

Why Redis and not prometheus-client's multiprocess mode: Celery's prefork children come and go
(max-tasks-per-child, crashes), workers may run on several hosts, and multiprocess mode needs
an environment variable set before the first import plus a shared directory wiped at start.
Instead each process adds to one Redis hash (`Keys.metrics`, one pipelined round trip per stage
exit) and the exporter (`serve`, in the `newsworker run` main process or any other) turns that
hash, plus live stream/consumer/feed state, into Prometheus metrics at scrape time. Counters
therefore survive worker restarts and reset only when Redis loses its data.

The pipeline's API:

    with metrics.stage("article") as st:   # counts in; out when the block ends without error
        article = clean(doc)                 # an exception counts under errors{stage,error}
        if not article.ok:
            st.reject(article.rejected)      # counts rejected{stage,reason} instead of out
"""

from __future__ import annotations

import logging
import math
import time
from contextlib import contextmanager
from typing import Any, Iterator

import redis
from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from config.settings import Settings
from worker.keys import Keys

log = logging.getLogger(__name__)

# Stage latency buckets in seconds: spaCy and trafilatura run in tens to hundreds of ms, fetches up to the deadline.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_SEP = "|"


def reason_label(reason: str) -> str:
    """A bounded label from a rejection reason: the part before ':' ('too_short: 12 words' -> 'too_short')."""
    head = reason.split(":", 1)[0].strip().lower().replace(" ", "_")
    return head[:60] or "unknown"


class StageTimer:
    """Handle of one item passing a stage: `reject(reason)` marks it rejected instead of passed on."""

    def __init__(self) -> None:
        self.rejected_reason: str | None = None

    def reject(self, reason: str) -> None:
        self.rejected_reason = reason


class Metrics:
    """Counts items in/out/rejected per stage and observes stage latency, into Redis (never raises)."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.key = keys.metrics

    def _apply(self, ops: list[tuple[str, float]]) -> None:
        try:
            pipe = self.client.pipeline(transaction=False)
            for field, amount in ops:
                if float(amount).is_integer():
                    pipe.hincrby(self.key, field, int(amount))
                else:
                    pipe.hincrbyfloat(self.key, field, amount)
            pipe.execute()
        except redis.RedisError as exc:  # metrics must never break processing
            log.debug("metrics not recorded: %s", exc)

    @contextmanager
    def stage(self, name: str) -> Iterator[StageTimer]:
        """Count an item into stage `name`, then out, rejected or errored, and its latency."""
        timer = StageTimer()
        started = time.perf_counter()
        error: str | None = None
        try:
            yield timer
        except Exception as exc:
            error = getattr(exc, "reason", None) or type(exc).__name__
            raise
        finally:
            elapsed = time.perf_counter() - started
            ops: list[tuple[str, float]] = [(f"in{_SEP}{name}", 1)]
            if error is not None:
                ops.append((f"error{_SEP}{name}{_SEP}{reason_label(str(error))}", 1))
            elif timer.rejected_reason is not None:
                ops.append((f"rejected{_SEP}{name}{_SEP}{reason_label(timer.rejected_reason)}", 1))
            else:
                ops.append((f"out{_SEP}{name}", 1))
            ops += self._latency_ops(name, elapsed)
            self._apply(ops)

    def observe(self, stage: str, seconds: float) -> None:
        """Record a latency measured elsewhere."""
        self._apply(self._latency_ops(stage, seconds))

    @staticmethod
    def _latency_ops(stage: str, seconds: float) -> list[tuple[str, float]]:
        bucket = next((b for b in BUCKETS if seconds <= b), math.inf)
        return [(f"lat_bucket{_SEP}{stage}{_SEP}{bucket}", 1), (f"lat_count{_SEP}{stage}", 1),
                (f"lat_sum{_SEP}{stage}", round(seconds, 6) or 1e-6)]

    def rejected(self, stage: str, reason: str) -> None:
        """Count one rejection at `stage` outside a `stage()` block."""
        self._apply([(f"rejected{_SEP}{stage}{_SEP}{reason_label(reason)}", 1)])

    def count(self, stage: str, direction: str = "in", n: int = 1) -> None:
        """Count items in or out of a stage without timing (direction: in or out)."""
        if direction not in ("in", "out"):
            raise ValueError("direction is 'in' or 'out'")
        self._apply([(f"{direction}{_SEP}{stage}", n)])


class NullMetrics(Metrics):
    """Metrics that record nothing (tools and tests that do not want counting)."""

    def __init__(self) -> None:  # noqa: D107 - no client
        pass

    def _apply(self, ops: list[tuple[str, float]]) -> None:
        return None


class RedisCollector(Collector):
    """Builds every newsworker metric at scrape time from Redis."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, feed_failure_threshold: int = 3) -> None:
        self.client = client
        self.keys = keys
        self.settings = settings
        self.feed_failure_threshold = feed_failure_threshold

    def collect(self) -> Iterator[Any]:
        try:
            yield from self._collect()
        except redis.RedisError as exc:
            log.warning("metrics scrape: Redis unavailable: %s", exc)
            up = GaugeMetricFamily("newsworker_redis_up", "1 when Redis answered the scrape")
            up.add_metric([], 0)
            yield up

    def _collect(self) -> Iterator[Any]:
        from worker.consumer import groups_info  # deferred: avoid an import cycle through ops
        from worker.health import heartbeats
        from worker.ops import feeds_by_health
        from worker.stream import STREAM_NAMES, stream_key

        raw = self.client.hgetall(self.keys.metrics)
        up = GaugeMetricFamily("newsworker_redis_up", "1 when Redis answered the scrape")
        up.add_metric([], 1)
        yield up
        items_in = CounterMetricFamily("newsworker_stage_items_in", "Items entering a stage", labels=["stage"])
        items_out = CounterMetricFamily("newsworker_stage_items_out", "Items passed on by a stage", labels=["stage"])
        rejected = CounterMetricFamily("newsworker_stage_rejected", "Items rejected by a stage, by reason",
                                       labels=["stage", "reason"])
        errors = CounterMetricFamily("newsworker_stage_errors", "Items whose stage raised, by error",
                                     labels=["stage", "error"])
        buckets: dict[str, dict[float, float]] = {}
        sums: dict[str, float] = {}
        for field, value in raw.items():
            parts = field.split(_SEP)
            number = float(value)
            if parts[0] == "in" and len(parts) == 2:
                items_in.add_metric([parts[1]], number)
            elif parts[0] == "out" and len(parts) == 2:
                items_out.add_metric([parts[1]], number)
            elif parts[0] == "rejected" and len(parts) == 3:
                rejected.add_metric(parts[1:], number)
            elif parts[0] == "error" and len(parts) == 3:
                errors.add_metric(parts[1:], number)
            elif parts[0] == "lat_bucket" and len(parts) == 3:
                buckets.setdefault(parts[1], {})[float(parts[2])] = number
            elif parts[0] == "lat_sum" and len(parts) == 2:
                sums[parts[1]] = number
        yield from (items_in, items_out, rejected, errors)
        latency = HistogramMetricFamily("newsworker_stage_latency_seconds", "Time an item spends in a stage",
                                        labels=["stage"])
        for stage, counts in sorted(buckets.items()):
            cumulative = 0.0
            rows = []
            for bound in (*BUCKETS, math.inf):
                cumulative += counts.get(bound, 0.0)
                rows.append(("+Inf" if bound == math.inf else repr(bound), cumulative))
            latency.add_metric([stage], rows, sum_value=sums.get(stage, 0.0))
        yield latency

        processed = CounterMetricFamily("newsworker_documents_processed", "Documents through the pipeline")
        processed.add_metric([], float(self.client.hget(self.keys.counters, "documents_processed") or 0))
        yield processed

        length = GaugeMetricFamily("newsworker_stream_length", "Entries in a stream", labels=["stream"])
        dead = GaugeMetricFamily("newsworker_stream_dead_letters", "Entries in a stream's dead-letter stream",
                                 labels=["stream"])
        lag = GaugeMetricFamily("newsworker_consumer_lag", "Entries not yet delivered to a consumer group",
                                labels=["stream", "group"])
        pending = GaugeMetricFamily("newsworker_consumer_pending", "Entries delivered but not acknowledged",
                                    labels=["stream", "group"])
        for name in STREAM_NAMES:
            key = stream_key(self.keys, name)
            length.add_metric([name], float(self.client.xlen(key)))
            dead.add_metric([name], float(self.client.xlen(self.keys.dead_letter_stream(key))))
            for info in groups_info(self.client, key, lag_cap=100_000):
                lag.add_metric([name, info.name], float(info.lag))
                pending.add_metric([name, info.name], float(info.pending))
        yield from (length, dead, lag, pending)

        feeds = GaugeMetricFamily("newsworker_feeds", "Feeds by health state", labels=["state"])
        counts = feeds_by_health(self.client, self.keys, self.feed_failure_threshold)
        for state in ("healthy", "degraded", "failing", "stopped", "pending"):
            feeds.add_metric([state], float(counts.get(state, 0)))
        yield feeds

        beats = GaugeMetricFamily("newsworker_heartbeat_age_seconds", "Seconds since a worker's last heartbeat",
                                  labels=["worker"])
        for worker_name, age in sorted(heartbeats(self.client, self.keys).items()):
            beats.add_metric([worker_name], age)
        yield beats


def registry_for(client: redis.Redis, keys: Keys, settings: Settings) -> CollectorRegistry:
    """A registry holding only the newsworker collector (what `serve` exposes)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector(client, keys, settings))
    return registry


def serve(port: int, client: redis.Redis, keys: Keys, settings: Settings, addr: str = "0.0.0.0") -> Any:
    """Serve /metrics on `port` from a daemon thread; returns the HTTP server (call .shutdown() to stop)."""
    server, _thread = start_http_server(port, addr=addr, registry=registry_for(client, keys, settings))
    log.info("serving Prometheus metrics on %s:%d", addr, port)
    return server
