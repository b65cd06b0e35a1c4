"""`newsworker feeds ...` end to end (real Redis, local HTTP server), and the beat schedule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
import redis
from test_http_support import LocalServer, Reply, rss, server  # noqa: F401

from config.settings import Settings
from worker.http import HttpClient
from worker.keys import Keys
from worker.poller import Poller

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def cli(settings: Settings, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `newsworker ARGS` in process against the test Redis and namespace; returns (code, out, err)."""
    from tasks.cli import main

    monkeypatch.setenv("REDIS_URL", settings.redis_url or "")
    monkeypatch.setenv("NEWSWORKER_NAMESPACE", settings.namespace)
    monkeypatch.setenv("NEWSWORKER_ALLOW_PRIVATE_ADDRESSES", "1")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_add_list_status_remove(cli: Cli, server: LocalServer, settings: Settings, redis_client: redis.Redis,
                                keys: Keys) -> None:
    server.routes["/ok"] = Reply(200, rss([{"guid": "a", "link": "https://n.test/a"}]), {"ETag": '"e"'})
    server.routes["/broken"] = Reply(500)
    server.routes["/gone"] = Reply(410)
    for path in ("/ok", "/broken", "/gone"):
        code, out, _ = cli("feeds", "add", server.url(path), "--name", path.strip("/"), "--tag", "t")
        assert code == 0 and "added" in out
    code, out, _ = cli("feeds", "list")
    assert code == 0 and "3 feeds" in out and server.url("/ok") in out
    poller = Poller(redis_client, keys, settings, HttpClient(settings))
    for path in ("/ok", "/broken", "/gone"):
        poller.poll(server.url(path))
    code, out, _ = cli("feeds", "status")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:-1]}
    assert "LAST POLL" in out and "NEXT POLL" in out and "FAILS" in out and "REASON" in out
    assert " 200 " in lines["ok"] and "new" in lines["ok"]
    assert " 500 " in lines["broken"] and "http_500" in lines["broken"] and " 1 " in lines["broken"]
    assert "STOPPED" in lines["gone"] and "410" in lines["gone"]
    code, out, _ = cli("feeds", "status", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["broken"]["consecutive_failures"] == 1 and rows["broken"]["last_status"] == 500
    assert rows["ok"]["last_poll"] and rows["ok"]["next_poll"] and rows["ok"]["etag"] == '"e"'
    assert rows["gone"]["stopped"] and rows["gone"]["next_poll"] is None
    code, out, _ = cli("feeds", "add", server.url("/gone"))  # re-adding restarts a stopped feed
    assert not poller.registry.state(server.url("/gone")).stopped
    code, out, _ = cli("feeds", "remove", server.url("/broken"))
    assert code == 0
    code, _, err = cli("feeds", "remove", server.url("/broken"))
    assert code == 1 and "not registered" in err and len(err.strip().splitlines()) == 1
    poller.http.close()


def test_import_opml_and_bad_files(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("feeds", "import", str(FEEDS / "subscriptions.opml"))
    assert code == 0 and "3 new" in out
    code, out, _ = cli("feeds", "import", str(FEEDS / "subscriptions.opml"))
    assert "0 new, 3 already known" in out
    bad = tmp_path / "bad.opml"
    bad.write_text("<html>nope")
    for path in (str(bad), str(tmp_path / "missing.opml"), str(FEEDS / "broken_feeds.yaml")):
        code, _, err = cli("feeds", "import", path)
        assert code == 1 and len(err.strip().splitlines()) == 1, err


def test_check_prints_what_the_poller_sees(cli: Cli, server: LocalServer) -> None:
    server.routes["/old"] = Reply(301, headers={"Location": "/feed"})
    server.routes["/feed"] = Reply(200, b"junk" + rss([{"guid": "k1", "link": "https://n.test/1?utm_source=x",
                                                         "title": "One"}], extra_channel="<ttl>90</ttl>"),
                                   {"Cache-Control": "max-age=60", "ETag": '"z"'})
    code, out, _ = cli("feeds", "check", server.url("/old"))
    assert code == 0
    assert "HTTP 200" in out and "redirect 301" in out and "moved permanently" in out
    assert "k1" in out and "https://n.test/1" in out and "warning:" in out and "next poll in" in out
    code, out, _ = cli("feeds", "check", server.url("/old"), "--json")
    report = json.loads(out)
    assert report["ok"] and report["redirects"] == [[301, server.url("/feed")]]
    assert report["entries"][0] == {"key": "k1", "url": "https://n.test/1", "title": "One", "published": None}
    assert report["next_poll_seconds"] == 5400 and report["warnings"]


def test_check_on_a_web_page_suggests_its_feeds(cli: Cli, server: LocalServer) -> None:
    server.routes["/"] = Reply(200, b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
                                    b'<link rel="alternate stylesheet" href="/x.css"></head><body>News</body></html>',
                               {"Content-Type": "text/html"})
    code, out, _ = cli("feeds", "check", server.url("/"))
    assert code == 1 and "not_a_feed" in out and f"advertises a feed: {server.url('/rss.xml')}" in out


def test_check_reports_refusals(cli: Cli, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.routes["/x"] = Reply(200, rss([]))
    monkeypatch.setenv("NEWSWORKER_ALLOW_PRIVATE_ADDRESSES", "0")
    code, out, _ = cli("feeds", "check", server.url("/x"))
    assert code == 1 and "private_address" in out
    code, out, _ = cli("feeds", "check", "ftp://example.org/feed", "--json")
    assert code == 1 and "not allowed" in json.loads(out)["error"]
    assert server.requests == []


def test_beat_schedule_entries_expire(settings: Settings) -> None:
    from tasks.polling import POLL_TICK, beat_schedule

    schedule = beat_schedule(settings)
    assert schedule
    for entry in schedule.values():
        assert entry["task"] == "newsworker.poll_due_feeds"
        assert 0 < entry["options"]["expires"] <= 2 * POLL_TICK
