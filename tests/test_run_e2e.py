"""`newsworker run` with no REDIS_URL: embedded Redis, embedded beat, polling, clean SIGTERM shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tasks.demo import SampleSite
from worker.keys import Keys

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_run_polls_feeds_and_shuts_down_cleanly() -> None:
    data_dir = Path(f"/tmp/nwrun-{os.getpid()}")  # short: unix socket paths are limited to ~100 bytes
    namespace = "nwtest-run"
    with SampleSite() as site:
        feeds = data_dir / "feeds.yaml"
        data_dir.mkdir(parents=True, exist_ok=True)
        feeds.write_text("feeds:\n" + "".join(f"  - url: {u}\n    name: sample {i}\n"
                                              for i, u in enumerate(site.feed_urls)))
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL" and not k.startswith("NEWSWORKER_")}
        env.update({"NEWSWORKER_DATA_DIR": str(data_dir), "NEWSWORKER_NAMESPACE": namespace,
                    "NEWSWORKER_ALLOW_PRIVATE_ADDRESSES": "1", "NEWSWORKER_HOST_MIN_DELAY": "0"})
        proc = subprocess.Popen([sys.executable, "-m", "tasks.cli", "run", "--feeds", str(feeds), "--concurrency", "2"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            client = None
            deadline = time.monotonic() + 180
            processed = 0
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(1)
                try:
                    client = client or redis.Redis(unix_socket_path=str(data_dir / "redis.sock"), decode_responses=True)
                    processed = int(client.hget(Keys(namespace).counters, "documents_processed") or 0)
                except redis.RedisError:
                    client = None
                if processed >= len(site.pages):
                    break
            assert processed >= len(site.pages), f"only {processed} articles processed"
            assert client is not None and client.xlen(Keys(namespace).incidents_stream) >= 3
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    assert not (data_dir / "redis.sock").exists() or not _alive(data_dir / "redis.sock"), \
        "the embedded redis-server must stop with the process that started it"


def _alive(sock: Path) -> bool:
    try:
        return bool(redis.Redis(unix_socket_path=str(sock)).ping())
    except redis.RedisError:
        return False
