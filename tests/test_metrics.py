"""Metrics counted from several processes into Redis and exposed in Prometheus text format."""

from __future__ import annotations

import multiprocessing
import urllib.request

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from config.settings import Settings
from worker.health import beat
from worker.keys import Keys
from worker.metrics import Metrics, NullMetrics, reason_label, registry_for, serve
from worker.redis_conn import connect


def _samples(redis_client, keys, settings) -> dict[tuple[str, tuple], float]:
    text = generate_latest(registry_for(redis_client, keys, settings)).decode()
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _child(url: str, prefix: str) -> None:
    metrics = Metrics(connect(url), Keys(prefix))
    for _ in range(5):
        with metrics.stage("article"):
            pass


def test_stage_counts_rejections_errors_and_latency(redis_client, keys, settings):
    metrics = Metrics(redis_client, keys)
    with metrics.stage("article"):
        pass
    with metrics.stage("article") as st:
        st.reject("too_short: 12 words")
    with pytest.raises(RuntimeError):
        with metrics.stage("event"):
            raise RuntimeError("boom")
    metrics.rejected("fetch", "robots: disallowed")
    s = _samples(redis_client, keys, settings)
    assert s[("newsworker_stage_items_in_total", (("stage", "article"),))] == 2
    assert s[("newsworker_stage_items_out_total", (("stage", "article"),))] == 1
    assert s[("newsworker_stage_rejected_total", (("reason", "too_short"), ("stage", "article")))] == 1
    assert s[("newsworker_stage_rejected_total", (("reason", "robots"), ("stage", "fetch")))] == 1
    assert s[("newsworker_stage_errors_total", (("error", "runtimeerror"), ("stage", "event")))] == 1
    assert s[("newsworker_stage_latency_seconds_count", (("stage", "article"),))] == 2
    assert s[("newsworker_stage_latency_seconds_bucket", (("le", "+Inf"), ("stage", "article")))] == 2
    assert s[("newsworker_stage_latency_seconds_bucket", (("le", "0.005"), ("stage", "article")))] == 2


def test_counts_from_several_processes_add_up(redis_client, keys, settings):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_child, args=(settings.redis_url, keys.prefix)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    s = _samples(redis_client, keys, settings)
    assert s[("newsworker_stage_items_in_total", (("stage", "article"),))] == 10


def test_stream_lag_feeds_and_heartbeats_are_exported(redis_client, keys, settings):
    redis_client.xgroup_create(keys.incidents_stream, "dash", id="0", mkstream=True)
    redis_client.xadd(keys.incidents_stream, {"x": "1"})
    redis_client.hset(keys.feeds, "http://f/rss", "{}")
    redis_client.hset(keys.feed_state("http://f/rss"), mapping={"last_poll": "1", "consecutive_failures": "0"})
    beat(redis_client, keys, "w1")
    s = _samples(redis_client, keys, settings)
    assert s[("newsworker_stream_length", (("stream", "incidents"),))] == 1
    assert s[("newsworker_consumer_lag", (("group", "dash"), ("stream", "incidents")))] == 1
    assert s[("newsworker_feeds", (("state", "healthy"),))] == 1
    assert s[("newsworker_redis_up", ())] == 1
    assert ("newsworker_heartbeat_age_seconds", (("worker", "w1"),)) in s


def test_http_endpoint_serves_metrics(redis_client, keys, settings):
    Metrics(redis_client, keys).count("fetch")
    server = serve(0, redis_client, keys, settings, addr="127.0.0.1")
    try:
        port = server.server_address[1]
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert 'newsworker_stage_items_in_total{stage="fetch"} 1.0' in body


def test_null_metrics_and_labels():
    with NullMetrics().stage("x") as st:
        st.reject("y")
    assert reason_label("Too Short: 3 words") == "too_short"
    assert reason_label("") == "unknown"
