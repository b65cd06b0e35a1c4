"""Publishing is idempotent: a retried publish never adds the same message twice."""

from __future__ import annotations

import time

from worker.stream import Publisher, decode_entry, make_envelope, message_id


def test_retried_publish_adds_once(redis_client, keys, settings) -> None:
    pub = Publisher(redis_client, keys, settings)
    msg = make_envelope("incident.created", {"incident_id": "i1"}, msg_id=message_id("incident", "i1", 1))
    first = pub.publish(keys.incidents_stream, msg)
    again = pub.publish(keys.incidents_stream, msg)
    assert first[0] is True and again == (False, first[1])
    assert redis_client.xlen(keys.incidents_stream) == 1
    (entry_id, fields), = redis_client.xrange(keys.incidents_stream)
    assert decode_entry(fields).payload == {"incident_id": "i1"}


def test_concurrent_publishers_add_once(redis_client, keys, settings) -> None:
    """Two workers racing on the same message: the Lua check-and-add lets exactly one through."""
    from concurrent.futures import ThreadPoolExecutor

    from worker.redis_conn import connect

    msg = make_envelope("incident.updated", {"n": 2}, msg_id=message_id("incident", "i2", 2))
    pubs = [Publisher(connect(settings.redis_url), keys, settings) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda p: p.publish(keys.incidents_stream, msg), pubs))
    assert sum(added for added, _ in results) == 1
    assert len({entry for _, entry in results}) == 1
    assert redis_client.xlen(keys.incidents_stream) == 1


def test_message_ids_are_deterministic() -> None:
    assert message_id("incident", "abc", 3) == message_id("incident", "abc", 3)
    assert message_id("incident", "abc", 3) != message_id("incident", "abc", 4)


def test_retention_trims_entries_older_than_the_horizon(redis_client, keys, settings) -> None:
    old_ms = int(time.time() * 1000) - int((settings.stream_retention_days + 1) * 86400 * 1000)
    for i in range(1000):  # approximate (~) trimming drops whole radix-tree nodes, so write many
        redis_client.xadd(keys.incidents_stream, {"old": i}, id=f"{old_ms + i}-0")
    pub = Publisher(redis_client, keys, settings)
    added, entry_id = pub.publish(keys.incidents_stream, make_envelope("incident.created", {}, msg_id=message_id("x", 1)))
    remaining = redis_client.xlen(keys.incidents_stream)
    assert added and remaining <= 101, f"{remaining} entries left; MINID trimming did not run"
    assert redis_client.xrange(keys.incidents_stream, min=entry_id, max=entry_id)
