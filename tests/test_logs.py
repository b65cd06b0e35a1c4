"""One log line per processed article; JSON lines on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_json_log_lines_carry_the_article_outcome(tmp_path: Path, settings, redis_client) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "url": "https://x.example.com/a", "text": "Too short."}) + "\n")
    env = {**os.environ, "REDIS_URL": settings.redis_url, "NEWSWORKER_LOG_JSON": "1"}
    proc = subprocess.run([sys.executable, "-m", "tasks.cli", "replay", str(src), "--namespace", settings.namespace,
                           "--workers", "1", "--out", str(tmp_path / "out.jsonl")],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    (line,) = [r for r in records if r.get("article_id") == "a1"]
    assert line["outcome"] == "rejected" and line["url"] == "https://x.example.com/a" and line["level"] == "info"
