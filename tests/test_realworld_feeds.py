"""The 98 captured real feeds (../shared/data/feeds/realworld) through the poller, served locally.

Every feed must come through `Poller.poll` without an exception escaping, and the entries the
poller finds must be the ones plain feedparser 6.0.14 finds (the recorded baseline, and a
plain `feedparser.parse` of the same bytes run here for titles and links).
"""

from __future__ import annotations

import io
import json
from urllib.parse import urljoin
from pathlib import Path

import feedparser
import pytest
import redis
from conftest import shared_data
from test_http_support import LocalServer, Reply

from config.settings import Settings
from worker.feeds import feed_config
from worker.http import HttpClient
from worker.keys import Keys
from worker.poller import Poller
from worker.urls import canonicalize_url

CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".rdf": "application/rdf+xml",
                 ".xml": "application/xml", ".json": "application/json"}


def _feed_path(root: Path, item: dict[str, object]) -> Path:
    return root / str(item["source"]) / "feeds" / str(item["file"])


def test_real_feeds_through_the_poller(redis_client: redis.Redis, keys: Keys, settings: Settings) -> None:
    root = shared_data("feeds", "realworld")
    baseline = json.loads((root / "feedparser_baseline.json").read_text())
    assert len(baseline) == 98
    server = LocalServer().start()
    http = HttpClient(settings)
    poller = Poller(redis_client, keys, settings, http)
    mismatches: list[str] = []
    try:
        for index, item in enumerate(baseline):
            path = _feed_path(root, item)
            body = path.read_bytes()
            route = f"/{item['source']}/{item['file']}"
            server.routes[route] = Reply(200, body, {"Content-Type": CONTENT_TYPES.get(path.suffix, "text/xml")})
            url = server.url(route)
            poller.registry.add(feed_config(url))
            try:
                result = poller.poll(url)
            except Exception as exc:  # the assertion below names the feed
                mismatches.append(f"{route}: exception escaped: {type(exc).__name__}: {exc}")
                continue
            plain = feedparser.parse(io.BytesIO(body))
            expected = int(item["n_entries"])  # type: ignore[arg-type]
            if len(plain.entries) != expected:
                mismatches.append(f"{route}: plain feedparser here found {len(plain.entries)}, baseline {expected}")
            if expected == 0:
                # feedparser finds nothing: the poller must record a failure with a reason, not crash
                state = poller.registry.state(url)
                if result.n_entries != 0 or not (state.reason or state.parse_warning):
                    mismatches.append(f"{route}: expected no entries and a recorded reason, got {result}")
                continue
            if result.n_entries != expected:
                mismatches.append(f"{route}: poller parsed {result.n_entries} entries, feedparser {expected}")
                continue
            keys_seen = {e.entry_key for e in result.new_entries}
            if len(result.new_entries) != len(keys_seen):
                mismatches.append(f"{route}: duplicate keys handed on")
            titles = [(e.get("title") or "").strip() or None for e in plain.entries]
            links = [canonicalize_url(urljoin(url, e["link"])) if e.get("link") else None for e in plain.entries]
            parsed_titles = {e.entry_key: e.title for e in result.new_entries}
            parsed_links = {e.entry_key: e.url for e in result.new_entries}
            if set(parsed_titles.values()) - set(titles):
                mismatches.append(f"{route}: titles differ from feedparser's")
            if {u for u in parsed_links.values() if u} - {u for u in links if u}:
                mismatches.append(f"{route}: links differ from feedparser's")
            # A second poll of the same bytes hands on nothing: all entries are known (a sample, for time).
            # The remembered body hash is dropped first so the entries really go through the seen-set.
            redis_client.hdel(keys.feed_state(url), "body_hash")
            again = poller.poll(url) if index % 4 == 0 else None
            if again is not None and again.new_entries:
                mismatches.append(f"{route}: {len(again.new_entries)} entries handed on twice")
    finally:
        server.stop()
        http.close()
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("content_type", ["text/html", "text/plain; charset=us-ascii", ""])
def test_real_feeds_survive_wrong_content_types(redis_client: redis.Redis, keys: Keys, settings: Settings,
                                                content_type: str) -> None:
    """Servers lie about content types; the entry count must not depend on it (a sample of feeds)."""
    root = shared_data("feeds", "realworld")
    baseline = json.loads((root / "feedparser_baseline.json").read_text())[::9]
    server = LocalServer().start()
    http = HttpClient(settings)
    poller = Poller(redis_client, keys, settings, http)
    try:
        for item in baseline:
            route = f"/{item['source']}/{item['file']}"
            headers = {"Content-Type": content_type} if content_type else {}
            server.routes[route] = Reply(200, _feed_path(root, item).read_bytes(), headers)
            url = server.url(route)
            poller.registry.add(feed_config(url))
            assert poller.poll(url).n_entries == item["n_entries"], route
    finally:
        server.stop()
        http.close()
