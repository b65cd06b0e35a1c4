"""Polling one feed and fetching one article page, the way a careful feed reader does.

poll(feed_url), in order:
 1. take the feed's lock (SET NX with expiry): an overlapping poll returns "locked" and does nothing;
 2. take a politeness slot for the host (shared in Redis), or reschedule a moment later;
 3. conditional GET (If-None-Match / If-Modified-Since); 304 costs one round trip and no parsing;
 4. parse the bytes, hand on only entries whose key this feed never produced before (one atomic
    Lua step over the feed's seen-set, so two pollers can never both hand on one entry);
 5. record the state and choose the next poll: adaptive on success, Retry-After on 429/503,
    exponential backoff with jitter up to poll_max_interval on other failures (never dropped),
    stop on 410, follow 301/308 by renaming the feed, and if every host is failing at once
    suspect our own network rather than blaming every feed.

Steps 1-2 are one Lua call and step 5 another, so a poll that ends in a 304 costs two Redis
round trips and one HTTP request.

fetch_article(entry): robots.txt (cached per origin), per-host politeness, the hardened GET,
then a Document carrying the decoded HTML.
"""

from __future__ import annotations

import hashlib
import logging
import random
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

import redis

from config.settings import Settings
from worker.errors import NewsworkerError, PermanentError, RateLimited
from worker.feeds import (
    FeedConfig,
    FeedRegistry,
    FeedState,
    discover_feed_links,
    normalize_feed_url,
    parse_feed,
)
from worker.http import HttpClient, Response, parse_http_date
from worker.keys import Keys
from worker.models import Document, FeedEntry
from worker.politeness import ACQUIRE_FN, HostBusy, HostLimiter
from worker.robots import RobotsCache
from worker.urls import canonicalize_url, check_scheme, document_id, host_of

log = logging.getLogger(__name__)

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
               "text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
NETWORK_REASONS = frozenset({"dns_error", "connect_error", "connect_timeout", "network_error"})
FEED_POLITENESS_WAIT = 5.0
SEEN_KEEP_MIN = 1000
SEEN_TTL = 180 * 86400
OUTAGE_WINDOW = 120.0
OUTAGE_MIN_HOSTS = 3

# KEYS[1] the feed's seen zset. ARGV: now, keep, ttl, then entry keys. Returns the 0-based
# indexes of entries never seen before, and marks every key as seen now.
_SEEN_LUA = """
local new = {}
for i = 4, #ARGV do
  local known = redis.call('ZSCORE', KEYS[1], ARGV[i])
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
  if not known then new[#new + 1] = i - 4 end
end
local keep = tonumber(ARGV[2])
local size = redis.call('ZCARD', KEYS[1])
if size > keep then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - keep - 1) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return new
"""

# One round trip to start a poll. KEYS: feeds hash, lock, state, host slots, host next-allowed.
# ARGV: url, lock token, lock ttl, slot token, max in flight, min delay, slot ttl.
# Returns {'unknown'} | {'locked'} | {'stopped', cfg, state} | {'ok', cfg, state, slot answer}.
_BEGIN_LUA = ACQUIRE_FN + """
local cfg = redis.call('HGET', KEYS[1], ARGV[1])
if not cfg then return {'unknown'} end
local state = redis.call('HGETALL', KEYS[3])
for i = 1, #state, 2 do
  if state[i] == 'stopped' and state[i + 1] == '1' then return {'stopped', cfg, state} end
end
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', tonumber(ARGV[3])) then return {'locked'} end
local slot = acquire_slot(KEYS[4], KEYS[5], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
return {'ok', cfg, state, slot}
"""

# One round trip to end a poll. KEYS: state, due zset, feeds hash, lock, host slots, net health.
# ARGV: url, lock token, slot token|'', next poll|'' (''=leave the due set), health entry|'',
# number of fields to clear, those fields, then field/value pairs to set.
_FINISH_LUA = """
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[5], ARGV[3]) end
local n = tonumber(ARGV[6])
if n > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 7, 6 + n)) end
if #ARGV > 6 + n then redis.call('HSET', KEYS[1], unpack(ARGV, 7 + n, #ARGV)) end
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
elseif redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
if ARGV[5] ~= '' then
  redis.call('LPUSH', KEYS[6], ARGV[5])
  redis.call('LTRIM', KEYS[6], 0, 199)
  redis.call('EXPIRE', KEYS[6], 1200)
end
if ARGV[2] ~= '' and redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
return 1
"""

_RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class PollResult:
    """The outcome of one poll: what happened, the NEW entries only, and when the next poll is."""

    feed_url: str
    outcome: str
    http_status: int | None = None
    new_entries: list[FeedEntry] = field(default_factory=list)
    n_entries: int = 0
    next_poll: float | None = None
    interval: float | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    redirects: list[tuple[int, str]] = field(default_factory=list)
    moved_to: str | None = None
    elapsed: float = 0.0


# ---------------------------------------------------------------------------------------------
# schedule arithmetic (pure functions, tested directly)


def cache_hint_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long the server says the response stays fresh: Cache-Control max-age, else Expires."""
    now = time.time() if now is None else now
    cache_control = headers.get("cache-control", "").lower()
    if "no-store" in cache_control or "no-cache" in cache_control:
        return None
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.strip() in ("max-age", "s-maxage") and value.strip().strip('"').isdecimal():
            seconds = float(value.strip().strip('"'))
            return seconds if seconds > 0 else None
    if headers.get("expires"):
        when = parse_http_date(headers["expires"])
        if when is None:
            return None
        served = parse_http_date(headers.get("date"))  # the server's clock, when it says what it is
        seconds = when.timestamp() - (served.timestamp() if served else now)
        return seconds if seconds > 0 else None
    return None


def activity_gap(entries: Sequence[FeedEntry]) -> float | None:
    """Median seconds between the newest dated entries (how often the feed publishes)."""
    dates = sorted((e.published.timestamp() for e in entries if e.published is not None), reverse=True)[:20]
    if len(dates) < 3:
        return None
    gaps = [a - b for a, b in zip(dates, dates[1:]) if a - b > 0]
    if not gaps:
        return None
    return float(statistics.median(gaps))


def choose_interval(settings: Settings, *, fixed: float | None = None, cache_hint: float | None = None,
                    ttl: float | None = None, update_period: float | None = None, gap: float | None = None,
                    unchanged_polls: int = 0) -> float:
    """Seconds until the next poll after a success, within [poll_min_interval, poll_max_interval].

    Busy feeds (small gap between items) are polled about twice per gap; every poll that finds
    nothing new stretches the interval by 20% (at most ~4x); the server's own hints (max-age,
    Expires, <ttl>, sy:updatePeriod) are floors: polling sooner than that is wasted.
    """
    if fixed is not None:
        interval = fixed
    else:
        interval = gap / 2.0 if gap is not None else settings.poll_interval
        interval *= 1.2 ** min(max(unchanged_polls, 0), 8)
    for floor in (cache_hint, ttl, update_period):
        if floor is not None:
            interval = max(interval, floor)
    return min(max(interval, settings.poll_min_interval), settings.poll_max_interval)


def backoff_interval(settings: Settings, failures: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with 'equal jitter': [d/2, d] where d = min * 2^(failures-1), capped."""
    rng = rng or random
    ceiling = min(settings.poll_min_interval * (2 ** max(failures - 1, 0)), settings.poll_max_interval)
    delay = ceiling / 2 + rng.random() * ceiling / 2
    return min(max(delay, settings.poll_min_interval), settings.poll_max_interval)


def jittered(interval: float, settings: Settings, rng: random.Random | None = None) -> float:
    """±10% so feeds added together do not stay in lock-step; stays within the bounds."""
    rng = rng or random
    value = interval * (0.9 + 0.2 * rng.random())
    return min(max(value, settings.poll_min_interval), settings.poll_max_interval)


# ---------------------------------------------------------------------------------------------


class NetworkHealth:
    """Recent fetch outcomes across all workers, to tell 'our network is down' from 'their site is'."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.key = keys.net_health

    def record(self, host: str, ok: bool, now: float | None = None) -> None:
        now = time.time() if now is None else now
        pipe = self.client.pipeline(transaction=False)
        pipe.lpush(self.key, f"{now:.3f}|{int(ok)}|{host}")
        pipe.ltrim(self.key, 0, 199)
        pipe.expire(self.key, int(OUTAGE_WINDOW * 10))
        pipe.execute()

    def outage_suspected(self, now: float | None = None) -> bool:
        """True when, lately, fetches to several distinct hosts all failed at network level and none worked."""
        now = time.time() if now is None else now
        failed_hosts: set[str] = set()
        for raw in self.client.lrange(self.key, 0, 99):
            stamp, ok, host = raw.split("|", 2)
            if now - float(stamp) > OUTAGE_WINDOW:
                break
            if ok == "1":
                return False
            failed_hosts.add(host)
        return len(failed_hosts) >= OUTAGE_MIN_HOSTS


class Poller:
    """Polls feeds and fetches article pages; one per worker process, thread-safe."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, http: HttpClient) -> None:
        self.client = client
        self.keys = keys
        self.settings = settings
        self.http = http
        self.registry = FeedRegistry(client, keys, settings)
        self.limiter = HostLimiter(client, keys, max_in_flight=settings.host_max_in_flight,
                                   min_delay=settings.host_min_delay, slot_ttl=settings.request_deadline + 10)
        self.robots = RobotsCache(client, keys, http, settings.user_agent)
        self.health = NetworkHealth(client, keys)
        self._seen = client.register_script(_SEEN_LUA)
        self._release = client.register_script(_RELEASE_LUA)
        self._begin = client.register_script(_BEGIN_LUA)
        self._finish = client.register_script(_FINISH_LUA)
        self.lock_ttl = int(settings.request_deadline + FEED_POLITENESS_WAIT + 30)

    # -- locking
    def _unlock(self, feed_url: str, token: str) -> None:
        self._release(keys=[self.keys.feed_lock(feed_url)], args=[token])

    # -- polling
    def poll(self, feed_url: str) -> PollResult:
        """Poll one registered feed once and return its NEW entries; never raises for feed trouble."""
        started = time.monotonic()
        url = feed_url
        lock_token, slot_token = uuid.uuid4().hex, uuid.uuid4().hex
        host = host_of(url)
        answer = self._begin_poll(url, host, lock_token, slot_token)
        if answer[0] == "unknown":
            resolved = self.registry.resolve(feed_url)  # a non-canonical spelling of a registered URL
            if resolved is None or resolved == url:
                return PollResult(feed_url=feed_url, outcome="unknown", reason="feed is not registered")
            url, host = resolved, host_of(resolved)
            answer = self._begin_poll(url, host, lock_token, slot_token)
        if answer[0] == "unknown":
            return PollResult(feed_url=url, outcome="unknown", reason="feed is not registered")
        if answer[0] == "locked":
            return PollResult(feed_url=url, outcome="locked", reason="another poll of this feed is running")
        cfg = FeedConfig.from_json(answer[1])
        flat = answer[2]
        state = FeedState.from_redis(url, dict(zip(flat[::2], flat[1::2])))
        if answer[0] == "stopped":
            return PollResult(feed_url=url, outcome="stopped", reason=state.reason)
        lock_key = self.keys.feed_lock(url)
        now = time.time()
        if answer[3] != "ok":
            try:
                slot_token = self.limiter.acquire(host, max_wait=FEED_POLITENESS_WAIT)
            except HostBusy as busy:
                # The host's budget is spent by other feeds: come back shortly, not a failure.
                state.next_poll = now + busy.wait + random.random()
                self._save(url, state, [], lock_key, lock_token, "", None)
                return PollResult(feed_url=url, outcome="host_busy", reason=str(busy), next_poll=state.next_poll)
        before = (state.consecutive_failures, state.last_outcome)
        try:
            result, state, clear, health = self._poll_locked(url, cfg, state, host, now)
        except BaseException:
            self.limiter.release(host, slot_token)
            self._unlock(url, lock_token)
            raise
        self._save(state.url, state, clear, lock_key, lock_token, slot_token, health, host=host)
        self._report_ops(state, result, *before)
        return PollResult(**{**result.__dict__, "elapsed": time.monotonic() - started})

    def _report_ops(self, state: FeedState, result: PollResult, failures_before: int,
                    outcome_before: str | None) -> None:
        """Feed-failure and network events on the ops stream, only when something changed."""
        try:
            from worker import ops  # deferred: ops pulls in the stream/consumer helpers

            if result.outcome == "outage":
                ops.report_network(self.client, self.keys, self.settings, down=True, detail=result.reason or "")
            elif result.outcome in ("failed", "rate_limited", "gone"):
                ops.report_feed_failure(self.client, self.keys, self.settings, state.url,
                                        consecutive_failures=state.consecutive_failures, error=result.reason or "")
            elif state.consecutive_failures == 0:
                if failures_before:
                    ops.report_feed_ok(self.client, self.keys, self.settings, state.url)
                if outcome_before == "outage":
                    ops.report_network(self.client, self.keys, self.settings, down=False)
        except Exception as exc:  # noqa: BLE001 - reporting must never break polling
            log.warning("could not report ops event for %s: %s", state.url, exc)

    def _begin_poll(self, url: str, host: str, lock_token: str, slot_token: str) -> list[Any]:
        return list(self._begin(
            keys=[self.keys.feeds, self.keys.feed_lock(url), self.keys.feed_state(url), self.keys.host_slots(host),
                  self.keys.host_next(host)],
            args=[url, lock_token, self.lock_ttl, slot_token, self.settings.host_max_in_flight,
                  self.settings.host_min_delay, self.settings.request_deadline + 10]))

    def _save(self, url: str, state: FeedState, clear: list[str], lock_key: str, lock_token: str, slot_token: str,
              health: str | None, *, host: str = "") -> None:
        """Write state, schedule, health, and release the host slot and the lock: one round trip."""
        pairs = [item for pair in state.to_redis().items() for item in pair]
        clear = [c for c in dict.fromkeys(clear) if c not in state.to_redis()]
        next_poll = "" if state.stopped or state.next_poll is None else repr(state.next_poll)
        self._finish(keys=[self.keys.feed_state(url), self.keys.feeds_due, self.keys.feeds, lock_key,
                           self.keys.host_slots(host) if host else self.keys.host_slots("-"), self.keys.net_health],
                     args=[url, lock_token, slot_token if host else "", next_poll, health or "", len(clear), *clear,
                           *pairs])

    def _poll_locked(self, url: str, cfg: FeedConfig, state: FeedState, host: str,
                     now: float) -> tuple[PollResult, FeedState, list[str], str | None]:
        headers = {"accept": FEED_ACCEPT}
        if state.etag:
            headers["if-none-match"] = state.etag
        if state.last_modified:
            headers["if-modified-since"] = state.last_modified
        try:
            response = self.http.get(url, headers=headers)
        except NewsworkerError as exc:
            result, state = self._failed(url, state, exc, now)
            return result, state, [], None
        result, state, clear = self._succeeded(url, cfg.interval, state, response, now)
        return result, state, clear, f"{now:.3f}|1|{host}"

    def _failed(self, url: str, state: FeedState, exc: NewsworkerError, now: float) -> tuple[PollResult, FeedState]:
        status = getattr(exc, "status", None)
        state.last_poll = now
        state.last_status = status
        state.reason = f"{exc.reason}: {exc}"[:500]
        host = host_of(url)
        if exc.reason in NETWORK_REASONS:
            self.health.record(host, False, now)
            if self.health.outage_suspected(now):
                # Probably our own network: do not count it against the feed; retry soon.
                state.last_outcome = "outage"
                state.reason = f"network outage suspected (many hosts unreachable); last error: {exc}"[:500]
                state.next_poll = now + jittered(self.settings.poll_min_interval, self.settings)
                return PollResult(feed_url=url, outcome="outage", http_status=status, reason=state.reason,
                                  next_poll=state.next_poll), state
        if status == 410:
            state.stopped = True
            state.last_outcome = "gone"
            state.consecutive_failures += 1
            state.reason = f"stopped: HTTP 410 Gone at {now_iso(now)} (remove it or re-add it to retry)"
            state.next_poll = None
            log.warning("feed %s answered 410 Gone: stopped", url)
            return PollResult(feed_url=url, outcome="gone", http_status=410, reason=state.reason), state
        state.consecutive_failures += 1
        if isinstance(exc, RateLimited):
            delay = exc.retry_after if exc.retry_after is not None else backoff_interval(
                self.settings, state.consecutive_failures)
            delay = min(max(delay, self.settings.poll_min_interval), self.settings.poll_max_interval)
            state.last_outcome = "rate_limited"
        else:
            delay = backoff_interval(self.settings, state.consecutive_failures)
            state.last_outcome = "failed"
        state.interval = delay
        state.next_poll = now + delay
        log.info("poll %s failed (%s), attempt %d, next in %.0fs", url, exc.reason, state.consecutive_failures, delay)
        return PollResult(feed_url=url, outcome=state.last_outcome, http_status=status, reason=state.reason,
                          next_poll=state.next_poll, interval=delay), state

    def _succeeded(self, url: str, fixed: float | None, state: FeedState, response: Response,
                   now: float) -> tuple[PollResult, FeedState, list[str]]:
        state.last_poll = now
        state.last_status = response.status
        clear: list[str] = []
        moved_to = None
        if response.permanently_moved:
            target = canonicalize_url(response.final_url)
            if target != url:
                moved = self.registry.rename(url, target, reason=f"HTTP {response.redirects[0][0]}")
                if moved:
                    moved_to = url = target
                    state = self.registry.state(url)
                    state.last_poll, state.last_status = now, response.status
                else:
                    stopped = self.registry.state(url)
                    return PollResult(feed_url=url, outcome="stopped", http_status=response.status,
                                      reason=stopped.reason, redirects=response.redirects), stopped, []
        hint = cache_hint_seconds(response.headers, now)
        digest = hashlib.sha1(response.body).hexdigest() if response.status != 304 else None
        if response.status == 304 or (digest == state.body_hash and not moved_to):
            # Nothing changed: a 304, or (for servers without validators) the very same bytes as last time,
            # which needs no parsing either.
            state.last_outcome = "not_modified" if response.status == 304 else "unchanged"
            state.unchanged_polls += 1
            state.consecutive_failures = 0
            state.last_new = 0
            state.last_success = now
            clear.extend(["reason"])
            state.reason = None
            if response.headers.get("etag"):
                state.etag = response.headers["etag"]
            if response.headers.get("last-modified"):
                state.last_modified = response.headers["last-modified"]
            interval = choose_interval(self.settings, fixed=fixed, cache_hint=hint, ttl=state.ttl_hint,
                                       update_period=state.period_hint, gap=state.gap,
                                       unchanged_polls=state.unchanged_polls)
            state.interval = interval
            state.next_poll = now + jittered(interval, self.settings)
            return PollResult(feed_url=url, outcome=state.last_outcome, http_status=response.status,
                              next_poll=state.next_poll, interval=interval, redirects=response.redirects,
                              moved_to=moved_to, n_entries=state.entries_seen), state, clear
        parsed = parse_feed(response.body, feed_url=url, headers=response.headers, base_url=response.final_url)
        if not parsed.entries and not parsed.looks_like_feed:
            failure = PermanentError(f"not a feed ({'; '.join(parsed.warnings) or 'no entries'})"[:400],
                                     reason="not_a_feed")
            result, state = self._failed(url, state, failure, now)
            state.last_status = response.status
            return PollResult(**{**result.__dict__, "http_status": response.status, "warnings": parsed.warnings,
                                 "moved_to": moved_to}), state, clear
        new_entries = self._new_entries(url, parsed.entries, now)
        state.body_hash = digest
        gap = activity_gap(parsed.entries)
        state.unchanged_polls = 0 if new_entries else state.unchanged_polls + 1
        interval = choose_interval(self.settings, fixed=fixed, cache_hint=hint, ttl=parsed.ttl_seconds,
                                   update_period=parsed.update_period_seconds, gap=gap,
                                   unchanged_polls=state.unchanged_polls)
        for name, header in (("etag", "etag"), ("last_modified", "last-modified")):
            value = response.headers.get(header)
            setattr(state, name, value)
            if value is None:
                clear.append(name)
        # Remembered so a 304 (no body to read them from) still honours them.
        for name, value in (("gap", gap), ("ttl_hint", parsed.ttl_seconds),
                            ("period_hint", parsed.update_period_seconds)):
            setattr(state, name, value)
            if value is None:
                clear.append(name)
        state.last_outcome = "new" if new_entries else "unchanged"
        state.consecutive_failures = 0
        state.last_success = now
        state.reason = None
        clear.append("reason")
        state.parse_warning = "; ".join(parsed.warnings)[:500] or None
        if not state.parse_warning:
            clear.append("parse_warning")
        state.entries_seen = len(parsed.entries)
        state.last_new = len(new_entries)
        state.new_total += len(new_entries)
        state.interval = interval
        state.next_poll = now + jittered(interval, self.settings)
        return PollResult(feed_url=url, outcome=state.last_outcome, http_status=response.status,
                          new_entries=new_entries, n_entries=len(parsed.entries), next_poll=state.next_poll,
                          interval=interval, warnings=parsed.warnings, redirects=response.redirects,
                          moved_to=moved_to), state, clear

    def _new_entries(self, url: str, entries: list[FeedEntry], now: float) -> list[FeedEntry]:
        if not entries:
            return []
        keep = max(SEEN_KEEP_MIN, 5 * len(entries))
        indexes = self._seen(keys=[self.keys.feed_seen(url)], args=[now, keep, SEEN_TTL,
                                                                     *[e.entry_key for e in entries]])
        return [entries[int(i)] for i in indexes]

    # -- feeds check
    def check(self, feed_url: str) -> dict[str, Any]:
        """Fetch and parse a feed once, as the poller would, without touching any state."""
        return check_feed(self.http, self.settings, feed_url)

    # -- articles
    def fetch_article(self, entry: FeedEntry | Mapping[str, Any]) -> Document:
        """Fetch the entry's page politely (robots.txt, per-host limits) and return a Document."""
        if not isinstance(entry, FeedEntry):
            try:
                entry = FeedEntry.model_validate(entry)
            except Exception as exc:  # pydantic ValidationError: say it in one line
                raise PermanentError(f"bad feed entry: {str(exc).splitlines()[0]}", reason="bad_input") from None
        if not entry.url:
            raise PermanentError(f"entry {entry.entry_key!r} of {entry.feed_url} has no link", reason="no_link")
        check_scheme(entry.url)
        host = host_of(entry.url)
        delay = self.robots.cached_crawl_delay(entry.url)
        # One politeness slot covers the robots.txt fetch (when not cached) and the page itself,
        # so a burst of first fetches to a new host cannot stampede it for robots.txt either.
        with self.limiter.slot(host, max_wait=min(30.0, self.settings.request_deadline),
                               min_delay=min(delay, 60.0) if delay else None):
            verdict = self.robots.check(entry.url)
            if not verdict.allowed:
                raise PermanentError(f"robots.txt disallows {entry.url}", reason="robots_disallowed")
            response = self.http.get(entry.url, headers={"accept": PAGE_ACCEPT})
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(HTML_TYPES):
            raise PermanentError(f"{entry.url} is {content_type}, not a web page", reason="not_html")
        final = canonicalize_url(response.final_url)
        return entry_document(entry, url=final, html=response.text(), headers=dict(response.headers))


def entry_document(entry: FeedEntry, *, url: str | None = None, html: str | None = None,
                   headers: dict[str, str] | None = None, fetch_error: str | None = None) -> Document:
    """The Document of a feed entry: its fetched page (`html` from `url`, where redirects led), or, when the page
    could not be fetched, the entry alone with `fetch_error` saying why. Either way it carries the feed's own text
    of the story, which the article stage reads when the page gives less."""
    # the id follows the entry's own link, so a redirect or a re-listed entry keeps it
    return Document(
        id=document_id(entry.url), url=url or entry.url, title=entry.title, published=entry.published,
        published_source="feed" if entry.published else None, html=html, headers=headers or {},
        feed_url=entry.feed_url, entry_key=entry.entry_key, feed_text=entry.content or entry.summary,
        fetch_error=fetch_error,
    )


def check_feed(http: HttpClient, settings: Settings, feed_url: str) -> dict[str, Any]:
    """What the poller sees for one URL (status, redirects, entries, warnings, next poll), or why it refused.

    Uses the same client and parser as `Poller.poll` but no Redis: nothing is recorded.
    """
    report: dict[str, Any] = {"url": feed_url}
    try:
        url = normalize_feed_url(feed_url)
        response = http.get(url, headers={"accept": FEED_ACCEPT})
    except NewsworkerError as exc:
        report.update(ok=False, reason=exc.reason, error=str(exc), http_status=getattr(exc, "status", None))
        if isinstance(exc, RateLimited):
            report["retry_after"] = exc.retry_after
        return report
    parsed = parse_feed(response.body, feed_url=url, headers=response.headers, base_url=response.final_url)
    hint = cache_hint_seconds(response.headers)
    gap = activity_gap(parsed.entries)
    interval = choose_interval(settings, cache_hint=hint, ttl=parsed.ttl_seconds,
                               update_period=parsed.update_period_seconds, gap=gap)
    ok = bool(parsed.entries) or parsed.looks_like_feed
    report.update(
        ok=ok, http_status=response.status, final_url=response.final_url,
        redirects=[list(r) for r in response.redirects], moved_permanently=response.permanently_moved,
        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
        content_type=response.headers.get("content-type"), bytes=len(response.body), elapsed=round(response.elapsed, 3),
        version=parsed.version, title=parsed.title, warnings=parsed.warnings,
        hints={"cache_seconds": hint, "ttl_seconds": parsed.ttl_seconds,
               "update_period_seconds": parsed.update_period_seconds, "activity_gap_seconds": gap},
        next_poll_seconds=round(interval), next_poll=now_iso(time.time() + interval),
        entries=[{"key": e.entry_key, "url": e.url, "title": e.title,
                  "published": e.published.isoformat() if e.published else None} for e in parsed.entries],
    )
    if not ok:
        report["reason"] = "not_a_feed"
        report["discovered_feeds"] = discover_feed_links(response.text(), response.final_url)
    return report


def now_iso(ts: float) -> str:
    """A unix time as ISO 8601 UTC (seconds)."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds")


__all__ = ["Poller", "PollResult", "NetworkHealth", "check_feed", "choose_interval", "backoff_interval",
           "cache_hint_seconds", "activity_gap", "FEED_ACCEPT"]
