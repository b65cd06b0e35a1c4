"""The ten-line consumer example in docs/streams.md works as written, against a real Redis."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from worker.models import Casualties, Event, Incident
from worker.stream import Publisher, make_envelope, message_id

ROOT = Path(__file__).resolve().parents[1]


DOCS = [ROOT / "docs" / "streams.md", ROOT / "README.md"]


def _example(path: Path = DOCS[0]) -> str:
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    return next(b for b in blocks if "Consumer(client, keys.incidents_stream" in b)


def test_example_is_ten_lines():
    assert len([line for line in _example().splitlines() if line.strip()]) <= 10


def test_readme_shows_the_same_example():
    assert _example(DOCS[1]) == _example(DOCS[0])


def test_example_prints_incidents_once(redis_client, keys, settings, tmp_path):
    now = datetime.now(timezone.utc)
    publisher = Publisher(redis_client, keys, settings)
    for revision, type_ in ((1, "incident.created"), (2, "incident.updated")):
        inc = Incident(incident_id="doc-1", revision=revision,
                       event=Event(article_id="a", is_incident=True, event_type="shooting",
                                   casualties=Casualties(killed=2)), first_seen=now, last_seen=now)
        publisher.publish(keys.incidents_stream, make_envelope(type_, inc.model_dump(mode="json"),
                                                               msg_id=message_id("incident", "doc-1", revision)))
    script = tmp_path / "consumer_example.py"
    script.write_text(_example(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update(REDIS_URL=settings.redis_url, NEWSWORKER_NAMESPACE=settings.namespace, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(script)], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.strip() == "doc-1 shooting", proc.stderr.read() if not line and proc.stderr else line
        deadline = time.monotonic() + 10
        last_id = redis_client.xrevrange(keys.incidents_stream, count=1)[0][0]
        while redis_client.xpending(keys.incidents_stream, "dashboard")["pending"] or \
                redis_client.xinfo_groups(keys.incidents_stream)[0]["last-delivered-id"] != last_id:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "doc-1" not in out  # the update is not printed, and nothing twice
    assert redis_client.exists(f"{keys.prefix}:handled:dashboard:" + message_id("incident", "doc-1", 1))
