"""The command line: bad input gives one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tasks.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=Path(__file__).resolve().parents[1])


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines and needle in lines[-1], proc.stderr


def test_missing_replay_input(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("replay", str(tmp_path / "nope.jsonl")), "no such input file")


def test_missing_extract_file(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("extract", str(tmp_path / "nope.html")), "no such file")


def test_bad_setting(tmp_path: Path) -> None:
    proc = run_cli("replay", str(tmp_path / "x"), env={"NEWSWORKER_CONCURRENCY": "many"})
    assert_one_line_error(proc, "NEWSWORKER_CONCURRENCY")


def test_unreachable_redis(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "url": "http://x.test/a", "text": "hello"}\n')
    proc = run_cli("replay", str(src), env={"REDIS_URL": "redis://127.0.0.1:1/0"})
    assert_one_line_error(proc, "cannot reach Redis")


def test_missing_feeds_file(tmp_path: Path, settings) -> None:
    proc = run_cli("run", "--feeds", str(tmp_path / "feeds.yaml"), env={"REDIS_URL": settings.redis_url})
    assert_one_line_error(proc, "feeds.yaml")


def test_unknown_command_is_a_usage_error() -> None:
    proc = run_cli("frobnicate")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_extract_prints_article_and_event(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("<html><head><title>Gunmen kill 3 in Maiduguri</title></head><body><nav>Home | World</nav>"
                    "<article><h1>Gunmen kill three in Maiduguri</h1>"
                    "<p>Gunmen opened fire on a market in Maiduguri, Nigeria, on Sunday, killing three people and "
                    "wounding five others, police said.</p><p>The attackers escaped on motorcycles before security "
                    "forces arrived, a police spokesman told reporters on Monday.</p><p>Residents said the market "
                    "had reopened only last week after months of closures because of insecurity in the area.</p>"
                    "</article><footer>Share this story</footer></body></html>")
    proc = run_cli("extract", str(page), "--url", "https://example.org/world/maiduguri", "--published", "2024-03-04")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "Maiduguri" in out["article"]["text"] and "Share this story" not in out["article"]["text"]
    assert out["event"]["is_incident"] is True
    assert out["event"]["casualties"]["killed"] == 3
