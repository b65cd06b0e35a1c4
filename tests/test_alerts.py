"""Alert rules on a real Redis: once per rule and incident, again only on escalation; ops alerts and checks."""

from __future__ import annotations

import time

import pytest
import yaml

from tests.incident_samples import publish_incident, sample_incident
from worker.alerts import AlertConfig, AlertConfigError, AlertService, Facts, Rule
from worker.health import beat
from worker.models import (
    Alert,
)
from worker.ops import (
    OpsConfig,
    OpsReporter,
    OpsWatcher,
    report_feed_failure,
    report_feed_ok,
)
from worker.stream import Publisher, decode_entry, make_envelope, message_id

RULES = """
rules:
  - name: big
    severity: critical
    match: {killed_at_least: 10, country: [NG, ML]}
    escalate: {killed: [25, 50], claim: true}
  - name: elsewhere
    match: {country: FR}
"""


def _alerts(redis_client, keys) -> list[Alert]:
    return [Alert.model_validate(decode_entry(f).payload) for _, f in redis_client.xrange(keys.alerts_stream)]


def _service(redis_client, keys, settings, text: str = RULES, **kw) -> AlertService:
    config = AlertConfig.parse(yaml.safe_load(text))
    return AlertService(redis_client, keys, settings, config, start="0", block=0.05, watch=False, **kw)


def test_incident_alerts_once_then_again_only_on_escalation(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    service = _service(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("inc", killed=12, outlets=1))
    service.drain()
    assert [(a.rule, a.reason) for a in _alerts(redis_client, keys)] == [("big", "new")]

    # A repeat report: another outlet, same toll, no claim -> nothing new.
    publish_incident(publisher, keys, sample_incident("inc", killed=12, revision=2, outlets=2), "incident.updated")
    service.drain()
    assert len(_alerts(redis_client, keys)) == 1

    # The toll crosses the next step: alert again, saying so.
    publish_incident(publisher, keys, sample_incident("inc", killed=30, revision=3, outlets=3), "incident.updated")
    service.drain()
    alerts = _alerts(redis_client, keys)
    assert [(a.rule, a.reason) for a in alerts] == [("big", "new"), ("big", "escalated")]
    assert alerts[1].escalation == ["killed rose from 12 to 30 (crossed 25)"]
    assert alerts[1].summary.startswith("ESCALATED: killed rose from 12 to 30")
    assert alerts[1].incident is not None and alerts[1].incident.revision == 3

    # Toll goes down again (a correction) and back up within the same step: no alert.
    publish_incident(publisher, keys, sample_incident("inc", killed=20, revision=4), "incident.updated")
    publish_incident(publisher, keys, sample_incident("inc", killed=31, revision=5), "incident.updated")
    service.drain()
    assert len(_alerts(redis_client, keys)) == 2

    # A claim of responsibility appears: escalation.
    publish_incident(publisher, keys, sample_incident("inc", killed=31, revision=6, claim="claimed"),
                     "incident.updated")
    service.drain()
    alerts = _alerts(redis_client, keys)
    assert len(alerts) == 3
    assert alerts[2].escalation == ["responsibility claimed by Boko Haram"]
    assert redis_client.xpending(keys.incidents_stream, "alerts")["pending"] == 0
    service.close()


def test_redelivery_and_a_second_service_do_not_alert_twice(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("dup", killed=12))
    first = _service(redis_client, keys, settings)
    first.drain()
    # Same message handled again (as after a crash before XACK), and by a service in another group.
    [(entry_id, fields)] = redis_client.xrange(keys.incidents_stream)
    from worker.consumer import Message
    first.handle_incident(Message(keys.incidents_stream, entry_id, fields))
    other = _service(redis_client, keys, settings, group="alerts-b")
    other.drain()
    assert len(_alerts(redis_client, keys)) == 1
    first.close()
    other.close()


def test_merged_incident_carries_its_alert_state(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    service = _service(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("a", killed=12))
    service.drain()
    env = make_envelope("incident.merged", {"incident_id": "a", "merged_into": "b"},
                        msg_id=message_id("incident.merged", "a", "b"))
    publisher.publish(keys.incidents_stream, env)
    publish_incident(publisher, keys, sample_incident("b", killed=12, revision=2), "incident.updated")
    service.drain()
    assert len(_alerts(redis_client, keys)) == 1
    service.close()


def _facts(**over):
    inc = sample_incident(killed=over.pop("killed", 12), claim=over.pop("claim", "unknown"),
                          outlets=over.pop("outlets", 2)).model_dump(mode="json")
    return Facts.of(inc)


@pytest.mark.parametrize("match,expected", [
    ({"event_type": ["bombing", "shooting"]}, True),
    ({"event_type": "kidnapping"}, False),
    ({"country": "ng"}, True),
    ({"bbox": [13.0, 11.0, 14.0, 12.0]}, True),
    ({"bbox": [0.0, 0.0, 1.0, 1.0]}, False),
    ({"perpetrator": "boko"}, True),
    ({"perpetrator": ["ISWAP"]}, False),
    ({"killed_at_least": 12}, True),
    ({"killed_at_least": 13}, False),
    ({"wounded_at_least": 30}, True),
    ({"victims_at_least": 43}, False),
    ({"outlets_at_least": 2}, True),
    ({"outlets_at_least": 3}, False),
    ({"keywords": ["market"]}, True),
    ({"keywords": ["mark"]}, False),
    ({"tactic": ["car_bomb", "suicide_attack"]}, True),
    ({"tactic": "drive_by"}, False),
    ({"without_tactic": ["accidental"]}, True),
    ({"without_tactic": "explosive"}, False),
])
def test_rule_conditions(match, expected):
    assert Rule.from_config({"name": "r", "match": match}, 0).matches(_facts()) is expected


@pytest.mark.parametrize("text,error", [
    ("rules: [{name: x, match: {killed: 3}}]", "unknown match keys"),
    ("rules: [{match: {}}]", "needs a name"),
    ("rules: [{name: x, webhooks: [nope]}]", "unknown webhooks"),
    ("rules: [{name: x, match: {bbox: [1, 2]}}]", "bbox"),
    ("rules: [{name: x, match: {killed_at_least: many}}]", "whole number"),
    ("rules: [{name: x, match: {without_tactic: [acidental]}}]", "unknown tactic acidental"),
    ("ops: {lag_entries: 0}", "at least 1"),
    ("nonsense: 1", "unknown top-level"),
    ("webhooks: [{name: w, url: 'ftp://x'}]", "http or https"),
])
def test_bad_config_is_one_clear_error(text, error):
    with pytest.raises(AlertConfigError, match=error):
        AlertConfig.parse(yaml.safe_load(text))


def test_shipped_config_is_valid(settings):
    config = AlertConfig.load(settings.alerts_file)
    assert config.rules and isinstance(config.ops, OpsConfig)


def test_ops_events_are_forwarded_as_alerts_once(redis_client, keys, settings):
    # The poller's API: below the threshold nothing, at it one event, after it no repeats, then resolved.
    assert not report_feed_failure(redis_client, keys, settings, "http://f/rss", consecutive_failures=2,
                                   error="HTTP 500", threshold=3)
    assert report_feed_failure(redis_client, keys, settings, "http://f/rss", consecutive_failures=3,
                               error="HTTP 500", threshold=3)
    assert not report_feed_failure(redis_client, keys, settings, "http://f/rss", consecutive_failures=4,
                                   error="HTTP 500", threshold=3)
    assert report_feed_ok(redis_client, keys, settings, "http://f/rss")
    assert not report_feed_ok(redis_client, keys, settings, "http://f/rss")
    service = _service(redis_client, keys, settings)
    service.drain()
    alerts = _alerts(redis_client, keys)
    assert [(a.kind, a.rule, a.ops.state) for a in alerts] == [("ops", "ops.feed_failure", "firing"),
                                                               ("ops", "ops.feed_failure", "resolved")]
    assert alerts[1].summary.startswith("RESOLVED: ")
    service.close()


def test_watcher_reports_failing_feeds_network_dead_letters_lag_and_heartbeats(redis_client, keys, settings):
    now = time.time()
    for i in range(2):
        url = f"http://feed{i}.example/rss"
        redis_client.hset(keys.feeds, url, "{}")
        redis_client.hset(keys.feed_state(url), mapping={"url": url, "last_poll": now - 10,
                                                         "consecutive_failures": 4,
                                                         "reason": "connect error: network unreachable"})
    redis_client.xadd(keys.dead_letter_stream(keys.incidents_stream), {"dl_error": "ValueError: boom"})
    redis_client.xgroup_create(keys.articles_stream, "slow", id="0", mkstream=True)
    for _ in range(3):
        redis_client.xadd(keys.articles_stream, {"x": "1"})
    config = OpsConfig(feed_failures=3, lag_entries=2)
    watcher = OpsWatcher(redis_client, keys, settings, config)
    assert watcher.check(now) == 2 + 1 + 1 + 1 + 1  # 2 feeds, network, dead letters, lag, no heartbeat
    kinds = sorted(decode_entry(f).type for _, f in redis_client.xrange(keys.ops_stream))
    assert kinds == ["ops.dead_letter", "ops.feed_failure", "ops.feed_failure", "ops.heartbeat", "ops.lag",
                     "ops.network"]
    assert watcher.check(now) == 0  # still firing: nothing new
    beat(redis_client, keys, "w1")
    redis_client.xadd(keys.dead_letter_stream(keys.incidents_stream), {"dl_error": "again"})
    assert watcher.check(now) == 2  # heartbeat resolved, dead letters grew
    reporter = OpsReporter(redis_client, keys, settings)
    assert set(reporter.firing("feed_failure")) == {"http://feed0.example/rss", "http://feed1.example/rss"}


def test_lag_near_retention_horizon_warns(redis_client, keys, settings):
    old_ms = int((time.time() - settings.stream_retention_days * 86400 * 0.9) * 1000)
    redis_client.xadd(keys.incidents_stream, {"x": "old"}, id=f"{old_ms}-0")
    redis_client.xgroup_create(keys.incidents_stream, "laggard", id="0")
    beat(redis_client, keys, "w1")
    watcher = OpsWatcher(redis_client, keys, settings, OpsConfig(lag_entries=100))
    assert watcher.check() == 1
    [(_, fields)] = redis_client.xrange(keys.ops_stream)
    event = decode_entry(fields)
    assert event.type == "ops.lag" and event.payload["severity"] == "critical"
    assert "retention" in event.payload["summary"]


def test_network_outage_from_the_pollers_verdict_fires_and_resolves(redis_client, keys, settings):
    from worker.poller import OUTAGE_MIN_HOSTS, NetworkHealth

    health = NetworkHealth(redis_client, keys)
    now = time.time()
    for i in range(OUTAGE_MIN_HOSTS):
        health.record(f"host{i}.example", False, now)
    beat(redis_client, keys, "w1")
    watcher = OpsWatcher(redis_client, keys, settings, OpsConfig())
    assert watcher.check(now) == 1
    [(_, fields)] = redis_client.xrange(keys.ops_stream)
    assert decode_entry(fields).type == "ops.network"
    # Fetches work again and a feed polls fine: resolved once.
    health.record("host0.example", True, now + 1)
    redis_client.hset(keys.feeds, "http://f/rss", "{}")
    redis_client.hset(keys.feed_state("http://f/rss"), mapping={"last_poll": now + 1, "consecutive_failures": 0})
    assert watcher.check(now + 2) == 1
    assert watcher.check(now + 3) == 0
    last = decode_entry(redis_client.xrevrange(keys.ops_stream, count=1)[0][1])
    assert last.type == "ops.network" and last.payload["state"] == "resolved"


def test_alerts_command_runs_as_a_consumer_group(redis_client, keys, settings, tmp_path, capsys):
    import argparse

    from tasks import cli_stream

    parser = argparse.ArgumentParser()
    cli_stream.register(parser.add_subparsers(dest="command"))
    publish_incident(Publisher(redis_client, keys, settings), keys, sample_incident("cli", killed=12, outlets=2))
    args = parser.parse_args(["alerts", "--from", "0", "--timeout", "1.5", "--no-ops"])
    assert args.func(args, settings) == 0
    rules = {a.rule for a in _alerts(redis_client, keys)}
    assert rules == {"mass-casualty", "confirmed-attack"}  # the shipped config/alerts.yaml
    assert redis_client.xinfo_groups(keys.incidents_stream)[0]["name"] == "alerts"
    bad = tmp_path / "alerts.yaml"
    bad.write_text("rules: [{name: x, match: {colour: red}}]")
    args = parser.parse_args(["alerts", "--config", str(bad), "--check"])
    assert args.func(args, settings) == 2
    assert "unknown match keys ['colour']" in capsys.readouterr().err
