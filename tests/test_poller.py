"""The poller against local HTTP servers and the real Redis: every behaviour the issue names."""

from __future__ import annotations

import random
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
import redis
from test_http_support import LocalServer, Reply, loopback_alias_available, rss, server  # noqa: F401

from config.settings import Settings
from worker.errors import PermanentError, TransientError
from worker.feeds import feed_config
from worker.http import HttpClient
from worker.keys import Keys
from worker.models import FeedEntry
from worker.poller import (OUTAGE_MIN_HOSTS, Poller, activity_gap, backoff_interval, cache_hint_seconds,
                           choose_interval)


@pytest.fixture()
def poller(redis_client: redis.Redis, keys: Keys, settings: Settings) -> Poller:
    http = HttpClient(settings)
    yield Poller(redis_client, keys, settings, http)
    http.close()


def register(poller: Poller, url: str, **kwargs: object) -> str:
    cfg = feed_config(url, **kwargs)  # type: ignore[arg-type]
    poller.registry.add(cfg)
    return cfg.url


ITEMS = [{"guid": f"g{i}", "link": f"https://news.test/a/{i}", "title": f"Item {i}"} for i in range(3)]


# --- conditional GET -----------------------------------------------------------------------

def test_304_path_and_validators_round_trip(poller: Poller, server: LocalServer) -> None:
    body = rss(ITEMS)
    last_modified = "Sun, 01 Mar 2026 10:00:00 GMT"

    def feed(seen):  # type: ignore[no-untyped-def]
        if seen.headers.get("if-none-match") == '"v1"' and seen.headers.get("if-modified-since") == last_modified:
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, body, {"ETag": '"v1"', "Last-Modified": last_modified,
                                 "Content-Type": "application/rss+xml"})

    server.routes["/feed"] = feed
    url = register(poller, server.url("/feed"))
    first = poller.poll(url)
    assert first.outcome == "new" and first.http_status == 200 and len(first.new_entries) == 3
    state = poller.registry.state(url)
    assert state.etag == '"v1"' and state.last_modified == last_modified
    second = poller.poll(url)
    assert second.outcome == "not_modified" and second.http_status == 304 and second.new_entries == []
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == last_modified
    state = poller.registry.state(url)
    assert state.last_status == 304 and state.consecutive_failures == 0 and state.unchanged_polls == 1
    assert state.next_poll and state.next_poll > time.time()


def test_new_etag_replaces_old_and_missing_validators_are_cleared(poller: Poller, server: LocalServer) -> None:
    replies = iter([Reply(200, rss(ITEMS[:1]), {"ETag": '"a"'}), Reply(200, rss(ITEMS[:2]), {"ETag": '"b"'}),
                    Reply(200, rss(ITEMS))])
    server.routes["/feed"] = lambda seen: next(replies)
    url = register(poller, server.url("/feed"))
    poller.poll(url)
    poller.poll(url)
    assert server.requests[-1].headers["if-none-match"] == '"a"'
    assert poller.registry.state(url).etag == '"b"'
    third = poller.poll(url)
    assert [e.entry_key for e in third.new_entries] == ["https://news.test/g2"] or len(third.new_entries) == 1
    assert poller.registry.state(url).etag is None


def test_same_bytes_without_validators_are_not_parsed_again(poller: Poller, server: LocalServer) -> None:
    server.routes["/feed"] = Reply(200, rss(ITEMS))  # no ETag, no Last-Modified
    url = register(poller, server.url("/feed"))
    assert poller.poll(url).outcome == "new"
    second = poller.poll(url)
    assert second.outcome == "unchanged" and second.n_entries == 3 and second.new_entries == []
    assert poller.registry.state(url).unchanged_polls == 1


# --- entries -------------------------------------------------------------------------------

def test_duplicate_guids_are_never_handed_on_twice(poller: Poller, server: LocalServer) -> None:
    bodies = iter([
        rss(ITEMS),
        # re-lists two old items (one with a changed title and tracking junk on the link), adds one,
        # and repeats the new one's guid inside the same document
        rss([{"guid": "g3", "link": "https://news.test/a/3", "title": "New"},
             {"guid": "g3", "link": "https://news.test/a/3", "title": "New again"},
             {"guid": "g0", "link": "https://news.test/a/0?utm_source=rss", "title": "Item 0 (updated)"},
             ITEMS[1]]),
        rss(ITEMS),
    ])
    server.routes["/feed"] = lambda seen: Reply(200, next(bodies))
    url = register(poller, server.url("/feed"))
    assert len(poller.poll(url).new_entries) == 3
    second = poller.poll(url)
    assert [e.title for e in second.new_entries] == ["New"]
    assert second.new_entries[0].url == "https://news.test/a/3"
    assert poller.poll(url).new_entries == []


def test_entries_without_guid_are_keyed_by_canonical_link(poller: Poller, server: LocalServer) -> None:
    bodies = iter([rss([{"link": "https://news.test/x?utm_medium=feed", "title": "X"}]),
                   rss([{"link": "HTTPS://NEWS.test:443/x#top", "title": "X, edited"}])])
    server.routes["/feed"] = lambda seen: Reply(200, next(bodies))
    url = register(poller, server.url("/feed"))
    first = poller.poll(url).new_entries
    assert first[0].entry_key == "https://news.test/x"
    assert poller.poll(url).new_entries == []


# --- failures, Retry-After, backoff --------------------------------------------------------

def test_retry_after_seconds_and_http_date(poller: Poller, server: LocalServer) -> None:
    server.routes["/a"] = Reply(429, headers={"Retry-After": "600"})
    later = datetime.now(timezone.utc) + timedelta(hours=2)
    server.routes["/b"] = Reply(503, headers={"Retry-After": format_datetime(later, usegmt=True)})
    server.routes["/c"] = Reply(429, headers={"Retry-After": str(10**7)})  # absurd: capped, never abandoned
    a, b, c = (register(poller, server.url(p)) for p in ("/a", "/b", "/c"))
    now = time.time()
    result = poller.poll(a)
    assert result.outcome == "rate_limited" and result.http_status == 429
    assert result.next_poll == pytest.approx(now + 600, abs=3)
    assert poller.poll(b).next_poll == pytest.approx(now + 7200, abs=5)
    assert poller.poll(c).next_poll == pytest.approx(now + poller.settings.poll_max_interval, abs=3)
    state = poller.registry.state(a)
    assert state.consecutive_failures == 1 and "429" in (state.reason or "")


def test_backoff_grows_with_jitter_up_to_the_cap_and_feed_stays_in_rotation(
        redis_client: redis.Redis, keys: Keys, settings: Settings, server: LocalServer) -> None:
    settings = settings.with_overrides(poll_min_interval=60.0, poll_max_interval=1000.0)
    poller = Poller(redis_client, keys, settings, HttpClient(settings))
    server.routes["/feed"] = Reply(500, b"oops")
    url = register(poller, server.url("/feed"))
    delays = []
    for attempt in range(1, 9):
        now = time.time()
        result = poller.poll(url)
        assert result.outcome == "failed"
        delay = (result.next_poll or 0) - now
        ceiling = min(60 * 2 ** (attempt - 1), 1000)
        assert ceiling / 2 - 1 <= delay <= ceiling + 1, (attempt, delay)
        delays.append(delay)
    assert delays[-1] <= 1000 + 1 and delays[-1] >= 500 - 1
    assert delays[4] > delays[0] * 4
    state = poller.registry.state(url)
    assert state.consecutive_failures == 8 and not state.stopped and "http_500" in (state.reason or "")
    assert redis_client.zscore(keys.feeds_due, url) is not None  # still scheduled
    # success resets the count
    server.routes["/feed"] = Reply(200, rss(ITEMS))
    assert poller.poll(url).outcome == "new"
    assert poller.registry.state(url).consecutive_failures == 0
    poller.http.close()


def test_backoff_interval_distribution(settings: Settings) -> None:
    s = settings.with_overrides(poll_min_interval=10.0, poll_max_interval=300.0)
    rng = random.Random(1)
    for failures in range(1, 12):
        ceiling = min(10 * 2 ** (failures - 1), 300)
        values = [backoff_interval(s, failures, rng) for _ in range(50)]
        assert all(max(10, ceiling / 2) <= v <= ceiling for v in values)
        if ceiling > 20:
            assert len({round(v, 3) for v in values}) > 10  # jittered


def test_not_a_feed_is_a_counted_failure_with_a_reason(poller: Poller, server: LocalServer) -> None:
    server.routes["/feed"] = Reply(200, b"<html><body><h1>Welcome</h1></body></html>",
                                   {"Content-Type": "text/html"})
    url = register(poller, server.url("/feed"))
    result = poller.poll(url)
    assert result.outcome == "failed"
    state = poller.registry.state(url)
    assert state.consecutive_failures == 1 and state.reason and "not a feed" in state.reason


def test_broken_but_readable_feed_records_the_warning(poller: Poller, server: LocalServer) -> None:
    server.routes["/feed"] = Reply(200, b"   junk\n" + rss(ITEMS), {"Content-Type": "text/html"})
    url = register(poller, server.url("/feed"))
    result = poller.poll(url)
    assert result.outcome == "new" and len(result.new_entries) == 3
    assert poller.registry.state(url).parse_warning


# --- redirects and 410 -----------------------------------------------------------------------

def test_301_updates_the_stored_url_and_keeps_seen_entries(poller: Poller, server: LocalServer) -> None:
    server.routes["/new"] = Reply(200, rss(ITEMS))
    server.routes["/old"] = Reply(200, rss(ITEMS))
    old = register(poller, server.url("/old"), name="Moving feed")
    assert len(poller.poll(old).new_entries) == 3
    server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    result = poller.poll(old)
    new = server.url("/new")
    assert result.moved_to == new
    assert result.new_entries == []  # same items at the new address: nothing re-ingested
    assert [f.url for f in poller.registry.list()] == [new]
    assert poller.registry.get(new).name == "Moving feed"  # type: ignore[union-attr]
    assert poller.registry.state(new).moved_from == old
    assert poller.poll(new).outcome in ("unchanged", "not_modified")


def test_302_does_not_update_the_stored_url(poller: Poller, server: LocalServer) -> None:
    server.routes["/tmp"] = Reply(302, headers={"Location": "/elsewhere"})
    server.routes["/elsewhere"] = Reply(200, rss(ITEMS))
    url = register(poller, server.url("/tmp"))
    assert poller.poll(url).moved_to is None
    assert [f.url for f in poller.registry.list()] == [url]


def test_410_stops_the_feed_and_says_so(poller: Poller, server: LocalServer, keys: Keys,
                                        redis_client: redis.Redis) -> None:
    server.routes["/gone"] = Reply(410)
    url = register(poller, server.url("/gone"))
    result = poller.poll(url)
    assert result.outcome == "gone"
    state = poller.registry.state(url)
    assert state.stopped and "410" in (state.reason or "")
    assert redis_client.zscore(keys.feeds_due, url) is None
    assert poller.poll(url).outcome == "stopped"
    assert len(server.requests) == 1
    assert [f.url for f in poller.registry.list()] == [url]  # still listed, with its reason


# --- overlapping polls ---------------------------------------------------------------------

def test_overlapping_polls_of_one_feed_are_harmless(redis_client: redis.Redis, keys: Keys, settings: Settings,
                                                    server: LocalServer) -> None:
    server.routes["/feed"] = Reply(200, rss(ITEMS), delay=0.8)
    # two "workers": separate Redis connections and HTTP clients
    pollers = [Poller(redis.Redis.from_url(settings.redis_url or "", decode_responses=True), keys, settings,
                      HttpClient(settings)) for _ in range(2)]
    url = register(pollers[0], server.url("/feed"))
    results = []
    threads = [threading.Thread(target=lambda p=p: results.append(p.poll(url))) for p in pollers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.outcome for r in results) == ["locked", "new"]
    assert sum(len(r.new_entries) for r in results) == 3
    assert len(server.requests) == 1
    assert redis_client.get(keys.feed_lock(url)) is None  # released
    for p in pollers:
        p.http.close()


def test_lock_expires_if_a_poller_dies(poller: Poller, server: LocalServer, redis_client: redis.Redis,
                                       keys: Keys) -> None:
    server.routes["/feed"] = Reply(200, rss(ITEMS))
    url = register(poller, server.url("/feed"))
    redis_client.set(keys.feed_lock(url), "dead-worker", ex=1)
    assert poller.poll(url).outcome == "locked"
    time.sleep(1.1)
    assert poller.poll(url).outcome == "new"


# --- politeness and robots -----------------------------------------------------------------

def _entry(url: str, feed: str = "https://news.test/feed") -> FeedEntry:
    return FeedEntry(feed_url=feed, entry_key=url, url=url, title="T",
                     published=datetime(2026, 3, 1, tzinfo=timezone.utc))


def test_per_host_limit_is_shared_by_all_workers(redis_client: redis.Redis, keys: Keys, settings: Settings,
                                                 server: LocalServer) -> None:
    settings = settings.with_overrides(host_max_in_flight=2, host_min_delay=0.0)
    server.routes["*"] = Reply(200, b"<html><body><p>page</p></body></html>", {"Content-Type": "text/html"},
                               delay=0.3)
    workers = [Poller(redis.Redis.from_url(settings.redis_url or "", decode_responses=True), keys, settings,
                      HttpClient(settings)) for _ in range(3)]
    errors: list[BaseException] = []

    def fetch(p: Poller, i: int) -> None:
        try:
            p.fetch_article(_entry(server.url(f"/article/{i}")))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch, args=(workers[i % 3], i)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pages = [r for r in server.requests if r.path.startswith("/article/")]
    assert len(pages) == 8
    assert server.max_in_flight <= 2  # robots.txt included
    overlapping = max(sum(1 for o in pages if o.started < p.finished and p.started < o.finished) for p in pages)
    assert overlapping <= 2
    for w in workers:
        w.http.close()


def test_min_delay_between_requests_to_one_host(redis_client: redis.Redis, keys: Keys, settings: Settings,
                                                server: LocalServer) -> None:
    settings = settings.with_overrides(host_max_in_flight=4, host_min_delay=0.25)
    server.routes["*"] = Reply(200, b"<html><p>x</p></html>", {"Content-Type": "text/html"})
    poller = Poller(redis_client, keys, settings, HttpClient(settings))
    for i in range(4):
        poller.fetch_article(_entry(server.url(f"/p/{i}")))
    starts = [r.started for r in server.requests if r.path.startswith("/p/")]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= 0.22, gaps
    poller.http.close()


def test_robots_txt_is_obeyed_and_cached(poller: Poller, server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n\nUser-agent: newsworker\n"
                                              b"Disallow: /private/\nDisallow: /nw-only/\n")
    server.routes["*"] = Reply(200, "<html><head><title>x</title></head><body>Grüße</body></html>".encode("utf-8"),
                               {"Content-Type": "text/html; charset=utf-8"})
    with pytest.raises(PermanentError) as info:
        poller.fetch_article(_entry(server.url("/private/1")))
    assert info.value.reason == "robots_disallowed"
    with pytest.raises(PermanentError):
        poller.fetch_article(_entry(server.url("/nw-only/2")))
    doc = poller.fetch_article(_entry(server.url("/public/1?utm_source=rss")))
    assert doc.html and "Grüße" in doc.html
    assert doc.url == server.url("/public/1")
    assert doc.published_source == "feed" and doc.feed_url == "https://news.test/feed"
    assert doc.headers["content-type"].startswith("text/html")
    assert len(server.hits("/robots.txt")) == 1  # cached per host
    assert not server.hits("/private/1")


def test_robots_missing_or_failing(poller: Poller, server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(404)
    server.routes["*"] = Reply(200, b"<html>ok</html>", {"Content-Type": "text/html"})
    assert poller.fetch_article(_entry(server.url("/a"))).html == "<html>ok</html>"
    other = LocalServer().start()
    try:
        other.routes["/robots.txt"] = Reply(500)
        with pytest.raises(TransientError) as info:
            poller.fetch_article(_entry(other.url("/a")))
        assert info.value.reason == "robots_unavailable"
        assert not other.hits("/a")
    finally:
        other.stop()


def test_feeds_ignore_robots_txt(poller: Poller, server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /\n")
    server.routes["/feed"] = Reply(200, rss(ITEMS))
    url = register(poller, server.url("/feed"))
    assert poller.poll(url).outcome == "new"


def test_fetch_article_failures_have_reasons(poller: Poller, server: LocalServer) -> None:
    server.routes["/doc.pdf"] = Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    server.routes["/missing"] = Reply(404)
    with pytest.raises(PermanentError) as info:
        poller.fetch_article(_entry(server.url("/doc.pdf")))
    assert info.value.reason == "not_html"
    with pytest.raises(PermanentError) as info:
        poller.fetch_article(_entry(server.url("/missing")))
    assert info.value.reason == "http_404"
    with pytest.raises(PermanentError) as info:
        poller.fetch_article({"feed_url": "https://x.test/f", "entry_key": "k", "url": ""})
    assert info.value.reason == "no_link"
    with pytest.raises(PermanentError) as info:
        poller.fetch_article({"nonsense": True})
    assert info.value.reason == "bad_input"


def test_an_article_on_a_private_address_is_refused_for_good(redis_client: redis.Redis, keys: Keys,
                                                              settings: Settings, server: LocalServer) -> None:
    # a hostile feed linking to the metadata service or the LAN: not "robots.txt unreachable, retry later"
    strict = settings.with_overrides(allow_private_addresses=False)
    http = HttpClient(strict)
    try:
        with pytest.raises(PermanentError) as info:
            Poller(redis_client, keys, strict, http).fetch_article(_entry(server.url("/a")))
    finally:
        http.close()
    assert info.value.reason == "private_address"
    assert not server.requests


# --- our own network outage ----------------------------------------------------------------

@pytest.mark.skipif(not loopback_alias_available("127.0.0.30"), reason="needs the 127/8 loopback range")
def test_network_outage_does_not_mark_every_feed_broken(poller: Poller) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    urls = [register(poller, f"http://127.0.0.{30 + i}:{port}/feed") for i in range(10)]
    outcomes = [poller.poll(u).outcome for u in urls]
    assert outcomes.count("failed") <= OUTAGE_MIN_HOSTS - 1
    assert outcomes.count("outage") >= len(urls) - (OUTAGE_MIN_HOSTS - 1)
    states = [poller.registry.state(u) for u in urls]
    assert sum(1 for s in states if s.consecutive_failures) <= OUTAGE_MIN_HOSTS - 1
    assert all(s.next_poll and s.next_poll - time.time() <= poller.settings.poll_min_interval * 1.2 + 1
               for s in states if s.last_outcome == "outage")
    assert "outage" in (states[-1].reason or "")


def test_one_dead_host_among_healthy_ones_is_blamed(poller: Poller, server: LocalServer) -> None:
    server.routes["/feed"] = Reply(200, rss(ITEMS))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    healthy = register(poller, server.url("/feed"))
    dead = register(poller, f"http://127.0.0.1:{dead_port}/feed")
    poller.poll(healthy)
    for _ in range(3):
        assert poller.poll(dead).outcome == "failed"
    assert poller.registry.state(dead).consecutive_failures == 3


# --- adaptive schedule -----------------------------------------------------------------------

def test_cache_hints() -> None:
    assert cache_hint_seconds({"cache-control": "public, max-age=900"}) == 900
    assert cache_hint_seconds({"cache-control": "no-cache, max-age=900"}) is None
    now = time.time()
    served = datetime.fromtimestamp(now, timezone.utc)
    headers = {"date": format_datetime(served, usegmt=True),
               "expires": format_datetime(served + timedelta(minutes=30), usegmt=True)}
    assert cache_hint_seconds(headers, now) == pytest.approx(1800, abs=1)
    assert cache_hint_seconds({"expires": "0"}) is None
    assert cache_hint_seconds({"cache-control": "max-age=\u00b2"}) is None  # "²": a digit float() refuses, no hint
    assert cache_hint_seconds({"expires": "garbage"}) is None


def test_choose_interval_busy_quiet_hints_and_bounds(settings: Settings) -> None:
    s = settings.with_overrides(poll_interval=300.0, poll_min_interval=60.0, poll_max_interval=21600.0)
    assert choose_interval(s) == 300
    assert choose_interval(s, gap=240) == 120            # busy: twice per publishing gap
    assert choose_interval(s, gap=30) == 60              # never below the minimum
    assert choose_interval(s, gap=86400) == 21600        # quiet: capped
    assert choose_interval(s, unchanged_polls=3) == pytest.approx(300 * 1.2 ** 3)
    assert choose_interval(s, unchanged_polls=100) == pytest.approx(300 * 1.2 ** 8)
    assert choose_interval(s, cache_hint=3600) == 3600    # max-age / Expires are floors
    assert choose_interval(s, ttl=1800, gap=100) == 1800  # <ttl>
    assert choose_interval(s, update_period=43200) == 21600
    assert choose_interval(s, fixed=120) == 120           # the user's interval
    assert choose_interval(s, fixed=120, cache_hint=600) == 600


def test_activity_gap() -> None:
    base = datetime(2026, 3, 1, tzinfo=timezone.utc)
    entries = [FeedEntry(feed_url="f", entry_key=str(i), url="", published=base - timedelta(minutes=10 * i))
               for i in range(6)]
    assert activity_gap(entries) == 600
    assert activity_gap(entries[:2]) is None


def test_poll_honours_server_hints(poller: Poller, server: LocalServer) -> None:
    server.routes["/maxage"] = Reply(200, rss(ITEMS), {"Cache-Control": "max-age=7200"})
    server.routes["/ttl"] = Reply(200, rss(ITEMS, extra_channel="<ttl>180</ttl>"))
    server.routes["/sy"] = Reply(200, rss(ITEMS, extra_channel="<sy:updatePeriod>hourly</sy:updatePeriod>"
                                                               "<sy:updateFrequency>1</sy:updateFrequency>"))
    for path, expected in (("/maxage", 7200), ("/ttl", 10800), ("/sy", 3600)):
        url = register(poller, server.url(path))
        result = poller.poll(url)
        assert result.interval == expected, path
        assert (result.next_poll or 0) - time.time() == pytest.approx(expected, rel=0.11)
    # a 304 keeps honouring the remembered <ttl>
    server.routes["/ttl"] = Reply(304)
    assert poller.poll(server.url("/ttl")).interval == 10800


def test_busy_feed_is_polled_more_often_than_a_quiet_one(poller: Poller, server: LocalServer) -> None:
    now = datetime.now(timezone.utc)

    def dated(step: timedelta) -> bytes:
        return rss([{"guid": f"{step}-{i}", "link": f"https://news.test/{i}",
                     "pubDate": format_datetime(now - step * i, usegmt=True)} for i in range(10)])

    server.routes["/busy"] = Reply(200, dated(timedelta(minutes=4)))
    server.routes["/quiet"] = Reply(200, dated(timedelta(days=2)))
    busy = poller.poll(register(poller, server.url("/busy")))
    quiet = poller.poll(register(poller, server.url("/quiet")))
    assert busy.interval == 120 or busy.interval == poller.settings.poll_min_interval
    assert quiet.interval == poller.settings.poll_max_interval
    assert (busy.interval or 0) < (quiet.interval or 0)


# --- ops events ------------------------------------------------------------------------------

def test_failing_feed_and_recovery_reach_the_ops_stream(poller: Poller, server: LocalServer,
                                                        redis_client: redis.Redis, keys: Keys) -> None:
    from worker.stream import decode_entry

    server.routes["/feed"] = Reply(500)
    url = register(poller, server.url("/feed"))
    for _ in range(4):
        poller.poll(url)
    server.routes["/feed"] = Reply(200, rss(ITEMS))
    poller.poll(url)
    events = [decode_entry(fields) for _, fields in redis_client.xrange(keys.ops_stream)]
    feed_events = [(e.type, e.payload["state"]) for e in events if e.payload.get("subject") == url]
    assert feed_events == [("ops.feed_failure", "firing"), ("ops.feed_failure", "resolved")]
