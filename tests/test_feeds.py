"""Feed list (YAML, OPML), parsing feed bytes (including hostile XML), and the Redis registry."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
import redis
from test_http_support import LocalServer, Reply, rss, server  # noqa: F401

from config.settings import CONFIG_DIR, Settings
from worker.errors import BadInput
from worker.feeds import FeedConfig, FeedRegistry, feed_config, load_feed_list, parse_duration, parse_feed, parse_opml
from worker.keys import Keys

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"


# --- feed list -----------------------------------------------------------------------------

def test_default_feed_list_loads() -> None:
    feeds = load_feed_list(CONFIG_DIR / "feeds.yaml")
    assert len(feeds) >= 30
    assert all(f.url.startswith("https://") or f.url.startswith("http://") for f in feeds)
    assert len({f.url for f in feeds}) == len(feeds)
    assert all(f.name for f in feeds)


def test_feed_list_forms(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("- https://a.example.org/rss\n"
                    "- {url: 'HTTPS://B.example.org:443/feed?utm_source=x', name: B, interval: 15m, tags: 'x, y'}\n"
                    "- https://a.example.org/rss\n")
    feeds = load_feed_list(path)
    assert feeds == [FeedConfig("https://a.example.org/rss"),
                     FeedConfig("https://b.example.org/feed", "B", 900.0, ("x", "y"))]


@pytest.mark.parametrize("content, message", [
    ("feeds: [\n  - url: x\n", "invalid YAML"),
    ("feeds: {url: x}", "expected a list"),
    ("- name: no url\n", "needs a 'url'"),
    ("- {url: 'ftp://x.example/feed'}\n", "not allowed"),
    ("- {url: 'https://x.example/feed', colour: red}\n", "unknown key"),
])
def test_feed_list_errors_are_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(content)
    with pytest.raises(BadInput) as info:
        load_feed_list(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_feed_list_missing_file_and_bad_interval(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not found"):
        load_feed_list(tmp_path / "nope.yaml")
    with pytest.raises(BadInput, match="feed #2.*interval"):
        load_feed_list(FEEDS / "broken_feeds.yaml")


def test_parse_duration() -> None:
    assert parse_duration(90) == 90
    assert parse_duration("2h") == 7200
    assert parse_duration("1.5m") == 90
    for bad in ("soon", "-5", 0, True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_opml_import() -> None:
    feeds = {f.url: f for f in parse_opml((FEEDS / "subscriptions.opml").read_bytes())}
    assert set(feeds) == {"https://wire.example.org/world.rss", "https://other.example.net/feed",
                          "http://sahel.example.com/rss.xml"}
    assert feeds["https://wire.example.org/world.rss"].name == "Example Wire"
    assert feeds["https://wire.example.org/world.rss"].tags == ("Wires",)
    assert feeds["https://other.example.net/feed"].tags == ("Wires", "breaking", "agency")
    assert feeds["http://sahel.example.com/rss.xml"].tags == ("Regional", "Sahel")


@pytest.mark.parametrize("body", [b"", b"not xml", b"<html><body>hi</body></html>",
                                  b'<!DOCTYPE opml [<!ENTITY x "y">]><opml><body/></opml>', b"<opml></opml>"])
def test_opml_bad_input(body: bytes) -> None:
    with pytest.raises(BadInput):
        parse_opml(body)


# --- parsing -------------------------------------------------------------------------------

def test_parse_atom_keys_links_dates_tags() -> None:
    parsed = parse_feed((FEEDS / "busy_atom.xml").read_bytes(), feed_url="https://frontline.example.org/atom.xml",
                        headers={"Content-Type": "application/atom+xml"})
    assert parsed.version == "atom10" and not parsed.bozo
    first, second = parsed.entries[:2]
    assert first.entry_key == "urn:example:frontline:101"
    assert first.url == "https://frontline.example.org/news/101"  # tracking params and fragment gone
    assert second.url == "https://frontline.example.org/news/100"  # relative link resolved
    assert first.published is not None and first.published.isoformat() == "2026-03-01T12:00:00+00:00"
    assert first.tags == ["security"]
    assert first.summary == "Gunmen attacked a checkpoint."


def test_parse_latin1_rss_with_schedule_hints_and_missing_link() -> None:
    parsed = parse_feed((FEEDS / "quiet_rss_latin1.xml").read_bytes(), feed_url="https://gazette.example.com/rss",
                        headers={"content-type": "text/xml"})  # no charset: the XML declaration decides
    assert parsed.entries[0].title == "Tension à la frontière"
    assert parsed.ttl_seconds == 7200
    assert parsed.update_period_seconds == 43200
    no_link = parsed.entries[1]
    assert no_link.url == "" and no_link.entry_key.startswith("sha1:")
    again = parse_feed((FEEDS / "quiet_rss_latin1.xml").read_bytes(), feed_url="https://gazette.example.com/rss",
                       headers={})
    assert again.entries[1].entry_key == no_link.entry_key  # stable without guid or link


def test_schedule_hints_that_are_not_decimal_numbers_are_ignored() -> None:
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
           'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title>'
           '<ttl>\u00b2</ttl><sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>\u00b3</sy:updateFrequency>'
           '<item><title>A</title><link>https://t.example/a</link></item></channel></rss>').encode()
    parsed = parse_feed(rss, feed_url="https://t.example/rss", headers={"content-type": "text/xml"})
    assert parsed.ttl_seconds is None  # "²" is a digit int() refuses
    assert parsed.update_period_seconds == 86400  # frequency unreadable: once per period


def test_parse_json_feed() -> None:
    parsed = parse_feed((FEEDS / "feed.json").read_bytes(), feed_url="https://json.example.org/feed.json",
                        headers={"content-type": "application/feed+json"})
    assert [e.entry_key for e in parsed.entries] == ["j-2", "j-1"]
    assert parsed.entries[0].url == "https://json.example.org/2"
    assert parsed.entries[1].url == "https://json.example.org/1"
    assert parsed.entries[1].published is not None and parsed.entries[1].published.hour == 8


def test_an_entrys_full_text_is_kept_beside_its_summary() -> None:
    story = "<p>Gunmen stormed a checkpoint in Hayatabad overnight, killing two police officers.</p><p>More.</p>"
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
            '<item><guid>r1</guid><title>Checkpoint attacked</title><link>https://t.example/1</link>'
            f'<description>Gunmen stormed a checkpoint.</description><content:encoded><![CDATA[{story}]]>'
            '</content:encoded></item>'
            '<item><guid>r2</guid><title>Teaser only</title><link>https://t.example/2</link>'
            '<description>Just a teaser.</description></item></channel></rss>').encode()
    full, teaser = parse_feed(body, feed_url="https://t.example/rss", headers={"content-type": "text/xml"}).entries
    assert full.summary == "Gunmen stormed a checkpoint."
    assert full.content is not None and "killing two police officers" in full.content and "<p>" in full.content
    assert teaser.summary == "Just a teaser." and teaser.content is None

    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
            '<entry><id>a1</id><title>Checkpoint attacked</title><link href="https://t.example/a1"/>'
            '<updated>2026-03-01T12:00:00Z</updated><summary>Short.</summary>'
            f'<content type="html">{story.replace("<", "&lt;")}</content></entry>'
            '<entry><id>a2</id><title>Content alone</title><link href="https://t.example/a2"/>'
            '<updated>2026-03-01T12:00:00Z</updated><content type="text">Only a body.</content></entry></feed>').encode()
    both, alone = parse_feed(atom, feed_url="https://t.example/atom", headers={}).entries
    assert both.summary == "Short." and "killing two police officers" in (both.content or "")
    assert alone.content is None and alone.summary == "Only a body."  # one copy of the same text, not two

    parsed = parse_feed((FEEDS / "feed.json").read_bytes(), feed_url="https://json.example.org/feed.json",
                        headers={"content-type": "application/feed+json"})
    assert parsed.entries[0].summary == "Two." and parsed.entries[0].content is None


@pytest.mark.parametrize("body, expect_entries", [
    (b"", 0),
    (b"   \n", 0),
    (b"<html><head><title>Not a feed</title></head><body><p>Hello</p></body></html>", 0),
    (b"\n\n  junk before " + rss([{"guid": "j1", "link": "https://x.example/1", "title": "T"}]), 1),
    (rss([{"guid": "t1", "link": "https://x.example/1", "title": "T"}])[:-40], 1),  # truncated
    (rss([{"guid": "u1", "link": "https://x.example/1", "title": "caf&eacute; &nbsp; &bogus;"}]), 1),
    ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><item><guid>c1</guid>"
     "<title>Ça brûle</title></item></channel></rss>".encode("cp1252"), 1),  # declared utf-8, is cp1252
    (b"\xff\xfe\x00junk\x00\x81", 0),
    (b"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [1, null, {\"id\": 5}]}", 1),
    (b"/etc/hostname", 0),  # feedparser would open() a bytes path; we never let it
])
def test_broken_input_is_parsed_as_well_as_possible(body: bytes, expect_entries: int) -> None:
    parsed = parse_feed(body, feed_url="https://x.example/feed", headers={"content-type": "text/html"})
    assert len(parsed.entries) == expect_entries
    if expect_entries == 0:
        assert parsed.warnings or not parsed.looks_like_feed


def test_wrong_declared_charset_still_reads_text() -> None:
    body = rss([{"guid": "w1", "title": "Угроза взрыва"}])
    parsed = parse_feed(body, feed_url="https://x.example/feed", headers={"content-type": "text/xml; charset=bogus"})
    assert parsed.entries[0].title == "Угроза взрыва"


def test_billion_laughs_is_not_expanded() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    parsed = parse_feed((FEEDS / "billion_laughs.xml").read_bytes(), feed_url="https://laughs.example.org/feed",
                        headers={})
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB: < 100 MB growth
    assert len(parsed.entries) == 1
    assert len(parsed.entries[0].title or "") < 100  # "&lol9;" left as is, not 3 GB of "lol"


def test_quadratic_blowup_is_bounded() -> None:
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"A" * 20000}">]><rss version="2.0"><channel>'
            f'<item><guid>q</guid><description>{"&a;" * 20000}</description></item></channel></rss>').encode()
    started = time.monotonic()
    parsed = parse_feed(body, feed_url="https://q.example.org/feed", headers={})
    assert time.monotonic() - started < 2
    assert len(parsed.entries[0].summary or "") <= 20_000


def test_external_entities_are_never_fetched(server: LocalServer, tmp_path: Path) -> None:  # noqa: F811
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    server.routes["*"] = Reply(200, b"REMOTE-ENTITY")
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">'
            f'<!ENTITY web SYSTEM "{server.url("/dtd")}"><!ENTITY % pe SYSTEM "{server.url("/pe")}"> %pe;]>\n'
            f'<rss version="2.0"><channel><title>&file;&web;</title><item><guid>x1</guid><title>&file;</title>'
            f'<description>&web;</description></item></channel></rss>').encode()
    external_dtd = (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">'
                    f'<rss version="2.0"><channel><item><guid>x2</guid></item></channel></rss>').encode()
    for doc in (body, external_dtd):
        parsed = parse_feed(doc, feed_url="https://x.example/feed", headers={})
        dumped = repr(parsed)
        assert "TOP-SECRET" not in dumped and "REMOTE-ENTITY" not in dumped
    assert server.requests == []


# --- registry ------------------------------------------------------------------------------

def test_registry_add_list_remove_and_due(redis_client: redis.Redis, keys: Keys, settings: Settings) -> None:
    registry = FeedRegistry(redis_client, keys, settings)
    a = feed_config("https://a.example.org/rss", "A", "10m", ["x"])
    b = feed_config("https://b.example.org/rss")
    assert registry.add(a, now=100.0) and registry.add(b, now=200.0)
    assert not registry.add(feed_config("https://a.example.org/rss", "A2"), now=300.0)  # update, keeps schedule
    assert [f.name for f in registry.list()] == ["A2", None]
    assert registry.due(now=150.0) == ["https://a.example.org/rss"]
    assert registry.claim_due(now=250.0, lease=60) == ["https://a.example.org/rss", "https://b.example.org/rss"]
    assert registry.claim_due(now=250.0, lease=60) == []  # claimed: not handed out twice
    assert set(registry.claim_due(now=400.0, lease=60)) == {a.url, b.url}  # lease over: due again
    assert registry.resolve("HTTPS://A.example.org:443/rss") == a.url
    assert registry.remove("https://a.example.org/rss")
    assert not registry.remove("https://a.example.org/rss")
    assert [f.url for f in registry.list()] == [b.url]
    assert registry.due(now=10**10) == [b.url]


def test_registry_is_shared_between_clients(redis_client: redis.Redis, keys: Keys, settings: Settings) -> None:
    FeedRegistry(redis_client, keys, settings).add(feed_config("https://shared.example.org/rss"))
    other = redis.Redis.from_url(settings.redis_url or "", decode_responses=True)
    assert [f.url for f in FeedRegistry(other, keys, settings).list()] == ["https://shared.example.org/rss"]
    other.close()


def test_mangled_feeds_never_raise() -> None:
    """Truncations, flipped bytes and spliced junk of every fixture: parsed or rejected, never a crash."""
    import random

    rng = random.Random(20261121)
    sources = [p.read_bytes() for p in sorted(FEEDS.iterdir()) if p.suffix in (".xml", ".json")]
    sources.append(rss([{"guid": f"m{i}", "link": f"https://m.example/{i}", "title": "Ünïcödé &amp; more"}
                        for i in range(5)]))
    for _ in range(300):
        body = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            action = rng.random()
            pos = rng.randrange(len(body) or 1)
            if action < 0.3:
                del body[pos:]
            elif action < 0.6 and body:
                body[pos % len(body)] = rng.randrange(256)
            else:
                body[pos:pos] = rng.choice([b"<", b"&", b"]]>", b"\x00", b"<!ENTITY x 'y'>", b"\xff\xfe", b"<item>"])
        parsed = parse_feed(bytes(body), feed_url="https://m.example/feed", headers={"content-type": "text/xml"})
        assert all(e.entry_key for e in parsed.entries)


def test_a_body_that_is_a_local_path_is_not_opened(tmp_path: Path) -> None:
    """feedparser.parse(bytes) first tries the bytes as a file name; parse_feed never lets it."""
    import feedparser

    local = tmp_path / "local.xml"
    local.write_bytes(rss([{"guid": "secret", "title": "LOCAL FILE CONTENT"}]))
    assert feedparser.parse(str(local).encode()).entries  # the hazard, shown on plain feedparser
    parsed = parse_feed(str(local).encode(), feed_url="https://evil.example/feed", headers={})
    assert parsed.entries == [] and "LOCAL FILE" not in repr(parsed)
