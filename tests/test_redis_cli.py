"""The streams are plain Redis: `redis-cli` alone reads an envelope and acknowledges it in a consumer group."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from worker.models import Casualties, Event, Incident, Location
from worker.stream import Publisher, make_envelope, message_id

REDIS_CLI = "/usr/bin/redis-cli" if os.path.exists("/usr/bin/redis-cli") else shutil.which("redis-cli")


def _cli_args(url: str) -> list[str]:
    """redis-cli connection flags for a redis:// or unix:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return ["-s", parts.path]
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379)]
    if parts.path.strip("/"):
        args += ["-n", parts.path.strip("/")]
    if parts.password:
        args += ["-a", parts.password, "--no-auth-warning"]
    return args


def cli(url: str, *command: str) -> list[str]:
    out = subprocess.run([REDIS_CLI, *_cli_args(url), *command], capture_output=True, text=True, timeout=10,
                         check=True).stdout
    return out.splitlines()


@pytest.mark.skipif(REDIS_CLI is None, reason="redis-cli is not installed")
def test_redis_cli_reads_and_acknowledges_the_stream(redis_client, keys, settings):
    now = datetime.now(timezone.utc)
    incident = Incident(incident_id="cli-1", event=Event(article_id="a", is_incident=True, event_type="bombing",
                                                         location=Location(name="Kabul", country="AF"),
                                                         casualties=Casualties(killed=7)),
                        n_outlets=1, first_seen=now, last_seen=now)
    env = make_envelope("incident.created", incident.model_dump(mode="json"),
                        msg_id=message_id("incident", "cli-1", 1))
    _, entry_id = Publisher(redis_client, keys, settings).publish(keys.incidents_stream, env)
    url = settings.redis_url
    stream = keys.incidents_stream

    # Plain read: field/value lines.
    lines = cli(url, "XRANGE", stream, "-", "+")
    assert lines[0] == entry_id
    fields = dict(zip(lines[1::2], lines[2::2]))
    assert fields["type"] == "incident.created" and fields["message_id"] == env.message_id
    assert json.loads(fields["payload"])["event"]["casualties"]["killed"] == 7

    # A consumer group, read and acknowledged with redis-cli only.
    assert cli(url, "XGROUP", "CREATE", stream, "cli-readers", "0") == ["OK"]
    lines = cli(url, "XREADGROUP", "GROUP", "cli-readers", "reader-1", "COUNT", "10", "STREAMS", stream, ">")
    assert lines[0] == stream and lines[1] == entry_id
    assert redis_client.xpending(stream, "cli-readers")["pending"] == 1
    assert cli(url, "XACK", stream, "cli-readers", entry_id) == ["1"]
    assert redis_client.xpending(stream, "cli-readers")["pending"] == 0
