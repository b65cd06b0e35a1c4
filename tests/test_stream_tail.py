"""`newsworker tail` and `consumers` against a real Redis (through `register`, as tasks/cli.py calls it)."""

from __future__ import annotations

import argparse
import io
import json
import threading
import time
from datetime import datetime, timezone

import pytest

from tasks import cli_stream
from tests.incident_samples import publish_incident, sample_incident
from worker.stream import Publisher, make_envelope


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsworker")
    cli_stream.register(parser.add_subparsers(dest="command", required=True))
    return parser




def run_tail(settings, *argv: str) -> tuple[int, str]:
    args = _parser().parse_args(["tail", *argv])
    out = io.StringIO()
    code = cli_stream._tail(args, settings, out)
    return code, out.getvalue()


def test_tail_prints_incidents_readably(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident())
    code, out = run_tail(settings, "--from", "0", "--count", "1", "--timeout", "5")
    assert code == 0
    line = out.strip()
    for part in ("incident.created", "bombing", "Maiduguri, NG", "killed 12", "wounded 30", "Boko Haram",
                 "outlets 2", "Bomb kills 12"):
        assert part in line


def test_tail_json_type_filter_and_timeout(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("a"))
    publish_incident(publisher, keys, sample_incident("a", revision=2), "incident.updated")
    start = time.monotonic()
    code, out = run_tail(settings, "--from", "0", "--type", "incident.updated", "--json", "--timeout", "1")
    assert code == 0 and time.monotonic() - start < 5
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["type"] for r in rows] == ["incident.updated"]
    assert rows[0]["payload"]["revision"] == 2


def test_tail_follows_new_messages(redis_client, keys, settings):
    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("old"))
    timer = threading.Timer(0.3, lambda: publish_incident(publisher, keys, sample_incident("new")))
    timer.start()
    try:
        code, out = run_tail(settings, "--count", "1", "--timeout", "10", "--json")
    finally:
        timer.join()
    assert json.loads(out)["payload"]["incident_id"] == "new"


def test_tail_with_group_acknowledges_and_consumers_lists_it(redis_client, keys, settings, capsys):
    publisher = Publisher(redis_client, keys, settings)
    for i in range(3):
        publish_incident(publisher, keys, sample_incident(f"i{i}"))
    code, out = run_tail(settings, "--group", "dash", "--from", "0", "--count", "2", "--timeout", "5")
    assert code == 0 and len(out.splitlines()) == 2
    args = _parser().parse_args(["consumers", "--json"])
    assert args.func(args, settings) == 0
    report = json.loads(capsys.readouterr().out)
    incidents = next(s for s in report if s["name"] == "incidents")
    [group] = incidents["groups"]
    assert group["name"] == "dash" and group["pending"] == 0 and group["lag"] == 1
    assert group["consumers"] == []  # tail left the group cleanly
    assert not group["near_retention"]


def test_tail_from_time_and_bad_time(redis_client, keys, settings, capsys):
    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("x"))
    code, out = run_tail(settings, "--from-time", "1h", "--count", "1", "--timeout", "5")
    assert "x r1" in out
    args = _parser().parse_args(["tail", "--from-time", "yesterday-ish", "--timeout", "1"])
    assert args.func(args, settings) == 2
    assert "cannot read time" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["2026-01-02T03:04:05Z", "2026-01-02 03:04:05", "1767323045"])
def test_parse_time_forms(text):
    assert cli_stream.parse_time(text) == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_tail_dead_letters_and_alerts(redis_client, keys, settings):
    from worker.consumer import Consumer
    from worker.errors import PermanentError

    publisher = Publisher(redis_client, keys, settings)
    publish_incident(publisher, keys, sample_incident("poison"))

    def fail(message):
        raise PermanentError("cannot handle")

    Consumer(redis_client, keys.incidents_stream, "g", "c", start="0", block=0.05).run(fail, timeout=0.3)
    code, out = run_tail(settings, "--stream", "incidents:dead", "--from", "0", "--count", "1", "--timeout", "5")
    assert "poison" in out and "DEAD after 1 deliveries: PermanentError: cannot handle" in out
    alert = {"kind": "incident", "rule": "big", "reason": "escalated", "severity": "critical",
             "summary": "ESCALATED: killed rose", "fired_at": "2026-01-01T00:00:00Z"}
    publisher.publish(keys.alerts_stream, make_envelope("alert.fired", alert, msg_id="a1"))
    code, out = run_tail(settings, "--stream", "alerts", "--from", "0", "--count", "1", "--timeout", "5")
    assert "alert.fired" in out and "[big] critical: ESCALATED: killed rose" in out


def test_tail_exits_cleanly_on_ctrl_c(redis_client, keys, settings):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update(REDIS_URL=settings.redis_url, NEWSWORKER_NAMESPACE=settings.namespace, PYTHONPATH=str(root))
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from tasks.cli import main; sys.exit(main(['tail']))"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    publisher = Publisher(redis_client, keys, settings)
    stop = threading.Event()

    def keep_publishing() -> None:  # tail starts at "new messages": publish until it has seen one
        revision = 1
        while not stop.wait(0.2):
            revision += 1
            publish_incident(publisher, keys, sample_incident("live", revision=revision), "incident.updated")

    feeder = threading.Thread(target=keep_publishing, daemon=True)
    feeder.start()
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        stop.set()
        feeder.join()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "live" in line
    assert proc.returncode == 0 and "Traceback" not in err
