"""The consumer helper against a real Redis: ack on success, retries, dead letters, reclaim after SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from worker.consumer import Consumer, HandledSet, Message, groups_info
from worker.errors import PermanentError
from worker.stream import Publisher, make_envelope, message_id

ROOT = Path(__file__).resolve().parents[1]


def _publish(redis_client, keys, settings, n: int, stream: str | None = None) -> list[str]:
    publisher = Publisher(redis_client, keys, settings)
    stream = stream or keys.ops_stream
    ids = []
    for i in range(n):
        env = make_envelope("ops.heartbeat", {"n": i}, msg_id=message_id("ops.heartbeat", "test", i))
        added, entry_id = publisher.publish(stream, env)
        assert added
        ids.append(entry_id)
    return ids


def test_acknowledges_after_handler_succeeds(redis_client, keys, settings):
    _publish(redis_client, keys, settings, 3)
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.2)
    seen: list[int] = []
    assert consumer.run(lambda m: seen.append(m.payload["n"]), max_messages=3, timeout=5) == 3
    assert seen == [0, 1, 2]
    assert redis_client.xpending(keys.ops_stream, "g")["pending"] == 0
    [info] = groups_info(redis_client, keys.ops_stream)
    assert info.lag == 0 and info.pending == 0


def test_failed_handler_is_retried_then_succeeds(redis_client, keys, settings):
    _publish(redis_client, keys, settings, 2)
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.2, retry_delay=0.05,
                        max_deliveries=3)
    attempts: dict[int, int] = {}

    def flaky(message: Message) -> None:
        n = message.payload["n"]
        attempts[n] = attempts.get(n, 0) + 1
        if n == 0 and attempts[n] < 2:
            raise RuntimeError("transient")

    assert consumer.run(flaky, max_messages=2, timeout=5) == 2
    assert attempts == {0: 2, 1: 1}
    assert redis_client.xlen(keys.dead_letter_stream(keys.ops_stream)) == 0
    assert redis_client.xpending(keys.ops_stream, "g")["pending"] == 0


def test_poison_message_is_dead_lettered_after_n_tries_and_nothing_else_is_lost(redis_client, keys, settings):
    _publish(redis_client, keys, settings, 5)
    redis_client.xadd(keys.ops_stream, {"garbage": "not an envelope"})  # undecodable: dead-lettered at once
    letters = []
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.1, retry_delay=0.01,
                        max_deliveries=3, on_dead_letter=letters.append)
    attempts: dict[int, int] = {}
    handled: list[int] = []

    def handler(message: Message) -> None:
        n = message.payload["n"]
        attempts[n] = attempts.get(n, 0) + 1
        if n == 2:
            raise ValueError("poison payload")
        handled.append(n)

    consumer.run(handler, max_messages=6, timeout=10)
    assert sorted(handled) == [0, 1, 3, 4]
    assert attempts[2] == 3
    dead = redis_client.xrange(keys.dead_letter_stream(keys.ops_stream))
    assert len(dead) == 2
    poison = next(f for _, f in dead if f.get("type") == "ops.heartbeat")
    assert poison["dl_error"] == "ValueError: poison payload"
    assert poison["dl_deliveries"] == "3"
    assert '"n":2' in poison["payload"]
    garbage = next(f for _, f in dead if "garbage" in f)
    assert garbage["dl_error"].startswith("undecodable entry")
    assert {letter.error for letter in letters} == {poison["dl_error"], garbage["dl_error"]}
    assert redis_client.xpending(keys.ops_stream, "g")["pending"] == 0


def test_permanent_error_is_dead_lettered_without_retry(redis_client, keys, settings):
    _publish(redis_client, keys, settings, 1)
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.1, max_deliveries=5)
    calls = []

    def handler(message: Message) -> None:
        calls.append(message.entry_id)
        raise PermanentError("cannot ever work")

    consumer.run(handler, max_messages=1, timeout=5)
    assert len(calls) == 1
    assert redis_client.xlen(keys.dead_letter_stream(keys.ops_stream)) == 1


_VICTIM = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from worker.redis_conn import connect
    from worker.consumer import Consumer
    url, stream, marker = sys.argv[1:4]
    client = connect(url)
    def handler(message):
        Path(marker).write_text(message.entry_id)
        time.sleep(600)  # killed here, mid-handler
    Consumer(client, stream, "workers", "victim", start="0", batch=10).run(handler, timeout=60)
""")


def test_consumer_killed_mid_handler_has_its_entries_reclaimed(redis_client, keys, settings, tmp_path):
    ids = _publish(redis_client, keys, settings, 3)
    marker = tmp_path / "started"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", _VICTIM, settings.redis_url, keys.ops_stream, str(marker)],
                            env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, "victim consumer exited early"
            assert time.monotonic() < deadline, "victim never started handling"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    pending = redis_client.xpending_range(keys.ops_stream, "workers", "-", "+", 10)
    assert {p["consumer"] for p in pending} == {"victim"} and len(pending) == 3

    survivor = Consumer(redis_client, keys.ops_stream, "workers", "survivor", claim_idle=0.3, block=0.1)
    got: list[Message] = []
    assert survivor.run(got.append, max_messages=3, timeout=10) == 3
    assert [m.entry_id for m in got] == ids
    assert got[0].deliveries == 2  # once to the victim, once to the survivor
    assert redis_client.xpending(keys.ops_stream, "workers")["pending"] == 0


def test_handled_set_drops_redelivered_message_ids(redis_client, keys):
    handled = HandledSet(redis_client, f"{keys.prefix}:handled:test")
    assert not handled.seen("m1")
    handled.mark("m1")
    assert handled.seen("m1") and not handled.seen("m2")


def test_group_from_time_skips_older_entries(redis_client, keys, settings):
    from worker.consumer import id_from_time
    _publish(redis_client, keys, settings, 2)
    time.sleep(0.01)
    cut = time.time()
    time.sleep(0.01)
    publisher = Publisher(redis_client, keys, settings)
    publisher.publish(keys.ops_stream, make_envelope("ops.heartbeat", {"n": 9}, msg_id="late"))
    consumer = Consumer(redis_client, keys.ops_stream, "late", "c", start=id_from_time(cut), block=0.1)
    seen: list[int] = []
    consumer.run(lambda m: seen.append(m.payload["n"]), timeout=0.5)
    assert seen == [9]


@pytest.mark.parametrize("bad", [0, -1])
def test_max_deliveries_must_be_positive(redis_client, keys, bad):
    with pytest.raises(ValueError):
        Consumer(redis_client, keys.ops_stream, "g", max_deliveries=bad)


def test_unknown_message_type_from_a_newer_version_is_skipped(redis_client, keys, settings):
    redis_client.xadd(keys.ops_stream, {"message_id": "m", "type": "ops.something_new", "schema_version": "1.1",
                                        "occurred_at": "2026-01-01T00:00:00Z", "produced_at": "2026-01-01T00:00:00Z",
                                        "payload": "{}"})
    _publish(redis_client, keys, settings, 1)
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.1)
    seen: list[str] = []
    consumer.run(lambda m: seen.append(m.type), max_messages=2, timeout=5)
    assert seen == ["ops.heartbeat"] and consumer.skipped == 1
    assert redis_client.xlen(keys.dead_letter_stream(keys.ops_stream)) == 0
    assert redis_client.xpending(keys.ops_stream, "g")["pending"] == 0


def test_group_deleted_under_a_running_consumer_is_recreated(redis_client, keys, settings):
    _publish(redis_client, keys, settings, 1)
    consumer = Consumer(redis_client, keys.ops_stream, "g", "c1", start="0", block=0.05)
    assert consumer.run(lambda m: None, max_messages=1, timeout=5) == 1
    redis_client.delete(keys.ops_stream)
    assert consumer.poll(lambda m: None, block=0.05) == 0  # NOGROUP: noted, not raised
    redis_client.xadd(keys.ops_stream, {"message_id": "x", "type": "ops.lag", "schema_version": "1.0",
                                        "occurred_at": "2026-01-01T00:00:00Z",
                                        "produced_at": "2026-01-01T00:00:00Z", "payload": "{}"})
    assert consumer.run(lambda m: None, max_messages=1, timeout=5) == 1
