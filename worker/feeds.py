"""Feeds: the feed list (YAML, OPML), parsing feed bytes, and the registry + per-feed state in Redis.

feedparser is only ever handed bytes wrapped in a BytesIO: given a str it would fetch URLs, and
given bytes it would first try them as a *file name* (`open(b"/etc/passwd")`), so a feed
whose body is a path would read a local file. Wrapping makes both impossible.

Redis layout (names in worker.keys):
    feeds              hash  canonical feed URL -> FeedConfig JSON (the registry)
    feed:<url>         hash  per-feed state (FeedState fields)
    feeds:due          zset  feed URL -> next poll (unix seconds); stopped feeds are absent
    feed-seen:<url>    zset  entry key -> last time seen (which entries were already handed on)
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

import redis
import yaml

from config.settings import Settings
from worker.errors import BadInput
from worker.keys import Keys
from worker.models import FeedEntry
from worker.urls import canonicalize_url, check_scheme

log = logging.getLogger(__name__)

MAX_SUMMARY_CHARS = 20_000
MAX_CONTENT_CHARS = 200_000  # a feed's full text of one story; longer is a page dump, cut
_WEB_URL = re.compile(r"^\s*https?://", re.I)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SY_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 604800, "monthly": 2592000, "yearly": 31536000}


# ---------------------------------------------------------------------------------------------
# the feed list


@dataclass(frozen=True)
class FeedConfig:
    """One feed the user asked for: URL, optional name, optional fixed interval (s), tags."""

    url: str
    name: str | None = None
    interval: float | None = None
    tags: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"url": self.url, "name": self.name, "interval": self.interval, "tags": list(self.tags)})

    @classmethod
    def from_json(cls, raw: str) -> "FeedConfig":
        data = json.loads(raw)
        return cls(url=data["url"], name=data.get("name"), interval=data.get("interval"),
                   tags=tuple(data.get("tags") or ()))


def parse_duration(value: Any) -> float:
    """Seconds from 300, '300', '90s', '15m', '2h' or '1d'; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"not a duration: {value!r} (use seconds or 90s/15m/2h/1d)")
        seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"duration must be positive: {value!r}")
    return seconds


def normalize_feed_url(url: str) -> str:
    """The registry's identity for a feed URL (canonical form); BadInput when not http(s)."""
    if not isinstance(url, str) or not url.strip():
        raise BadInput("feed url is empty")
    try:
        check_scheme(url)
    except Exception as exc:  # UnsafeURL: say it as bad input of the list
        raise BadInput(str(exc)) from None
    return canonicalize_url(url)


def feed_config(url: str, name: str | None = None, interval: Any = None, tags: Iterable[str] = ()) -> FeedConfig:
    """Validate and build a FeedConfig (BadInput with a one-line reason on a bad value)."""
    try:
        seconds = parse_duration(interval) if interval not in (None, "") else None
    except ValueError as exc:
        raise BadInput(f"{url}: interval {exc}") from None
    clean_tags = tuple(dict.fromkeys(str(t).strip() for t in tags if str(t).strip()))
    return FeedConfig(url=normalize_feed_url(url), name=(str(name).strip() or None) if name else None,
                      interval=seconds, tags=clean_tags)


def load_feed_list(path: str | Path) -> list[FeedConfig]:
    """Read feeds.yaml: a list (or {feeds: list}) of URLs or {url, name, interval, tags} mappings."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{path}: feed list not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read feed list: {exc}") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BadInput(f"{path}:{where} invalid YAML: {problem}") from None
    if isinstance(data, dict):
        data = data.get("feeds")
    if data is None:
        return []
    if not isinstance(data, list):
        raise BadInput(f"{path}: expected a list of feeds (or a 'feeds:' key holding one)")
    feeds: dict[str, FeedConfig] = {}
    for index, item in enumerate(data, start=1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or "url" not in item:
            raise BadInput(f"{path}: feed #{index} needs a 'url' (got {str(item)[:60]!r})")
        unknown = set(item) - {"url", "name", "interval", "tags"}
        if unknown:
            raise BadInput(f"{path}: feed #{index} has unknown key(s) {', '.join(sorted(unknown))}")
        tags = item.get("tags") or []
        if isinstance(tags, str):
            tags = [t for t in re.split(r"[,\s]+", tags) if t]
        if not isinstance(tags, list):
            raise BadInput(f"{path}: feed #{index} tags must be a list")
        try:
            cfg = feed_config(item["url"], item.get("name"), item.get("interval"), tags)
        except BadInput as exc:
            raise BadInput(f"{path}: feed #{index}: {exc}") from None
        feeds.setdefault(cfg.url, cfg)  # the first mention of a URL wins
    return list(feeds.values())


def parse_opml(body: bytes) -> list[FeedConfig]:
    """Feeds of an OPML subscription list; folder names become tags. BadInput if unreadable."""
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        # OPML never needs a DTD; refusing it rules out entity expansion and external entities.
        raise BadInput("OPML with a DOCTYPE/ENTITY declaration refused")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise BadInput(f"not valid OPML: {exc}") from None
    if root.tag.lower() != "opml":
        raise BadInput(f"not OPML: root element is <{root.tag}>")
    body_el = next((child for child in root if child.tag.lower() == "body"), None)
    if body_el is None:
        raise BadInput("not OPML: no <body>")
    found: dict[str, FeedConfig] = {}

    def walk(node: ET.Element, folders: tuple[str, ...]) -> None:
        for outline in node:
            if outline.tag.lower() != "outline":
                continue
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            label = (attrs.get("title") or attrs.get("text") or "").strip()
            xml_url = (attrs.get("xmlurl") or "").strip()
            if xml_url:
                categories = [c.strip().strip("/") for c in (attrs.get("category") or "").split(",") if c.strip()]
                try:
                    cfg = feed_config(xml_url, label or None, None, [*folders, *categories])
                except BadInput as exc:
                    log.warning("skipping OPML outline: %s", exc)
                else:
                    found.setdefault(cfg.url, cfg)
            walk(outline, folders + ((label,) if label and not xml_url else ()))

    walk(body_el, ())
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# parsing feed bytes


@dataclass(frozen=True)
class ParsedFeed:
    """What a feed says: its entries (keyed, canonical links), parse warnings and schedule hints."""

    feed_url: str
    version: str
    title: str | None
    link: str | None
    entries: list[FeedEntry]
    bozo: bool = False
    bozo_reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    ttl_seconds: float | None = None
    update_period_seconds: float | None = None
    encoding: str | None = None

    @property
    def looks_like_feed(self) -> bool:
        """False when nothing feed-like was found (HTML page, empty or junk body)."""
        return bool(self.entries) or bool(self.version) or bool(self.title)


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def entry_key_for(guid: str | None, link: str | None, title: str | None, published: str | None,
                  summary: str | None) -> str:
    """Stable identity of an entry: its guid, else its canonical link, else a content hash."""
    if guid and guid.strip():
        return guid.strip()[:1000]
    if link and link.strip():
        return canonicalize_url(link)[:1000]
    digest = hashlib.sha1("\x1f".join([title or "", published or "", summary or ""]).encode("utf-8", "replace"))
    return "sha1:" + digest.hexdigest()


def _feedparser_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers for feedparser: an XML type, plus the charset only when the server declared one.

    feedparser follows RFC 3023 (text/xml without charset means us-ascii; a non-XML type is an
    error; headers without a content type mean latin-1). RFC 7303 replaced that with "trust the
    XML declaration", which is what real feeds need, so we pass an XML type plus the declared
    charset, if any. No Content-Location: given a base, feedparser would also resolve relative
    guids against it, so entry keys would change when a feed moves; links are resolved here instead.
    """
    content_type = headers.get("content-type", "")
    charset = None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            charset = value.strip().strip("\"'")
    out = {"content-type": "application/xml" + (f"; charset={charset}" if charset else "")}
    if headers.get("content-language"):
        out["content-language"] = headers["content-language"]
    return out


def _schedule_hints(feed: Mapping[str, Any]) -> tuple[float | None, float | None]:
    ttl = None
    raw_ttl = str(feed.get("ttl") or "").strip()
    if raw_ttl.isdecimal() and int(raw_ttl) > 0:  # (not isdigit: "²" is a digit int() refuses)
        ttl = int(raw_ttl) * 60.0
    period = None
    raw_period = str(feed.get("sy_updateperiod") or "").strip().lower()
    if raw_period in _SY_PERIODS:
        raw_freq = str(feed.get("sy_updatefrequency") or "1").strip()
        freq = int(raw_freq) if raw_freq.isdecimal() and int(raw_freq) > 0 else 1
        period = _SY_PERIODS[raw_period] / freq
    return ttl, period


def _parse_json_feed(body: bytes, feed_url: str, base: str) -> ParsedFeed | None:
    """JSON Feed (jsonfeed.org) 1.x, which feedparser 6 does not read."""
    stripped = body.lstrip()
    if not stripped.startswith(b"{"):
        return None
    try:
        data = json.loads(stripped.decode("utf-8-sig", errors="replace"))
    except ValueError:
        return None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return None
    entries: list[FeedEntry] = []
    items = data.get("items") if isinstance(data.get("items"), list) else []
    from urllib.parse import urljoin

    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url") or ""
        link = canonicalize_url(urljoin(base, str(link))) if link else ""
        title = str(item["title"]).strip() if item.get("title") else None
        summary = item.get("summary") or item.get("content_text") or item.get("content_html")
        content = item.get("content_html") or item.get("content_text")
        published = None
        raw_date = item.get("date_published") or item.get("date_modified")
        if raw_date:
            try:
                published = datetime.fromisoformat(str(raw_date).replace("Z", "+00:00"))
                if published.tzinfo is None:
                    published = published.replace(tzinfo=timezone.utc)
                published = published.astimezone(timezone.utc)
            except (ValueError, OverflowError):
                published = None
        guid = str(item["id"]) if item.get("id") not in (None, "") else None
        entries.append(FeedEntry(
            feed_url=feed_url, entry_key=entry_key_for(guid, link, title, str(raw_date or ""), str(summary or "")),
            url=link, title=title, published=published,
            summary=str(summary)[:MAX_SUMMARY_CHARS] if summary else None,
            content=_content(content, summary),
            tags=[str(t) for t in item.get("tags") or [] if isinstance(t, (str, int))],
        ))
    return ParsedFeed(feed_url=feed_url, version="json1", title=data.get("title"), link=data.get("home_page_url"),
                      entries=entries, encoding="utf-8")


def _longest_content(raw: Mapping[str, Any]) -> str | None:
    """The longest of an entry's content elements (feedparser keeps content:encoded and Atom <content> there)."""
    values = [str(c.get("value") or "") for c in raw.get("content") or [] if isinstance(c, Mapping)]
    return max(values, key=len, default=None)


def _content(content: Any, summary: Any) -> str | None:
    """An entry's full text, kept only when it says more than its summary (no second copy of the same text)."""
    text = str(content or "").strip()
    if not text or text == str(summary or "").strip():
        return None
    return text[:MAX_CONTENT_CHARS]


def parse_feed(body: bytes, *, feed_url: str, headers: Mapping[str, str] | None = None,
               base_url: str | None = None) -> ParsedFeed:
    """Parse feed bytes (never fetches): RSS/Atom/RDF via feedparser, JSON Feed directly.

    Relative links resolve against `base_url` (the URL the bytes came from), else `feed_url`.
    """
    from urllib.parse import urljoin

    import feedparser  # imported here: a heavy import only the polling path needs

    headers = {k.lower(): v for k, v in (headers or {}).items()}
    warnings: list[str] = []
    if not body or not body.strip():
        return ParsedFeed(feed_url=feed_url, version="", title=None, link=None, entries=[], bozo=True,
                          bozo_reason="empty body", warnings=["empty body"])
    base = base_url or feed_url
    json_feed = _parse_json_feed(body, feed_url, base)
    if json_feed is not None:
        return json_feed
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and "xml" not in content_type and "rss" not in content_type and "atom" not in content_type:
        warnings.append(f"served as {content_type}, not an XML type")
    try:
        result = feedparser.parse(io.BytesIO(body), response_headers=_feedparser_headers(headers),
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser is lenient, but a crash here must not take the worker down
        log.warning("feedparser crashed on %s: %s", feed_url, exc)
        return ParsedFeed(feed_url=feed_url, version="", title=None, link=None, entries=[], bozo=True,
                          bozo_reason=f"parser crashed: {type(exc).__name__}: {exc}",
                          warnings=[*warnings, f"parser crashed: {type(exc).__name__}"])
    bozo_reason = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        bozo_reason = f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
        warnings.append(bozo_reason[:300])
    feed = result.get("feed", {}) or {}
    entries: list[FeedEntry] = []
    for raw in result.get("entries", []) or []:
        # feedparser already copies a permalink guid into `link`; a guid with isPermaLink="false"
        # is an identifier, not an address, so it never becomes the link here either.
        link = str(raw.get("link") or "").strip()
        guid = str(raw.get("id") or "").strip() or None
        if link and not _WEB_URL.match(link) and ":" not in link.split("/", 1)[0]:
            link = urljoin(base, link)  # relative (or xml:base-relative) link
        link = canonicalize_url(link) if _WEB_URL.match(link) else ""
        title = str(raw.get("title") or "").strip() or None
        summary = str(raw.get("summary") or "").strip() or None
        # dict.get: FeedParserDict's own lookup of a missing key warns about a legacy alias.
        published = _struct_to_datetime(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed"))
        tags = [str(t.get("term")).strip() for t in raw.get("tags") or [] if t.get("term")]
        key = entry_key_for(guid, link, title, str(dict.get(raw, "published") or dict.get(raw, "updated") or ""),
                            summary)
        entries.append(FeedEntry(feed_url=feed_url, entry_key=key, url=link, title=title, published=published,
                                 summary=summary[:MAX_SUMMARY_CHARS] if summary else None,
                                 content=_content(_longest_content(raw), summary), tags=tags))
    ttl, period = _schedule_hints(feed)
    if not entries and not result.get("version"):
        warnings.append("no feed found in the document")
    return ParsedFeed(feed_url=feed_url, version=str(result.get("version") or ""),
                      title=str(feed.get("title") or "").strip() or None, link=feed.get("link"),
                      entries=entries, bozo=bool(result.get("bozo")), bozo_reason=bozo_reason, warnings=warnings,
                      ttl_seconds=ttl, update_period_seconds=period, encoding=result.get("encoding"))


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
               "application/json", "text/xml", "application/xml")


def discover_feed_links(html: str, base_url: str) -> list[str]:
    """Feed URLs a web page advertises (<link rel="alternate" type="application/rss+xml" href=...>)."""
    from html.parser import HTMLParser
    from urllib.parse import urljoin

    found: list[str] = []

    class _Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("link", "a"):
                return
            values = {k.lower(): (v or "") for k, v in attrs}
            rels = values.get("rel", "").lower().split()
            kind = values.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rels and kind in _FEED_TYPES and values.get("href"):
                url = canonicalize_url(urljoin(base_url, values["href"].strip()))
                if _WEB_URL.match(url) and url not in found:
                    found.append(url)

    try:
        parser = _Links()
        parser.feed(html[:500_000])
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but discovery is best effort
        pass
    return found


# ---------------------------------------------------------------------------------------------
# registry and state in Redis


@dataclass
class FeedState:
    """Per-feed polling state, shared by every worker through one Redis hash."""

    url: str
    last_poll: float | None = None
    last_success: float | None = None
    last_status: int | None = None
    last_outcome: str | None = None
    next_poll: float | None = None
    interval: float | None = None
    consecutive_failures: int = 0
    reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    stopped: bool = False
    moved_from: str | None = None
    moved_to: str | None = None
    unchanged_polls: int = 0
    entries_seen: int = 0
    last_new: int = 0
    new_total: int = 0
    parse_warning: str | None = None
    gap: float | None = None
    body_hash: str | None = None
    ttl_hint: float | None = None
    period_hint: float | None = None

    def to_redis(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out

    @classmethod
    def from_redis(cls, url: str, raw: Mapping[str, str]) -> "FeedState":
        kwargs: dict[str, Any] = {"url": url}
        for f in fields(cls):
            if f.name == "url" or f.name not in raw:
                continue
            value = raw[f.name]
            kind = str(f.type)
            try:
                if "bool" in kind:
                    kwargs[f.name] = value == "1"
                elif "int" in kind:
                    kwargs[f.name] = int(float(value))
                elif "float" in kind:
                    kwargs[f.name] = float(value)
                else:
                    kwargs[f.name] = value
            except ValueError:
                continue  # a hand-edited or older field: ignore rather than crash the poller
        return cls(**kwargs)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# KEYS[1] due zset; ARGV: now, lease seconds, limit. Claims due feeds by pushing them a lease ahead,
# so beat running every few seconds does not enqueue the same feed again while its poll is queued.
_CLAIM_DUE_LUA = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, url in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', lease, url) end
return due
"""


class FeedRegistry:
    """The set of feeds and their state, in Redis so every worker sees the same."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.client = client
        self.keys = keys
        self.settings = settings
        self._claim = client.register_script(_CLAIM_DUE_LUA)

    # -- registry
    def add(self, cfg: FeedConfig, *, now: float | None = None) -> bool:
        """Register (or update) a feed; a new feed is due at once. True when it was new."""
        now = time.time() if now is None else now
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.keys.feeds, cfg.url, cfg.to_json())
        pipe.hsetnx(self.keys.feed_state(cfg.url), "url", cfg.url)
        pipe.exists(self.keys.feed_state(cfg.url))
        results = pipe.execute()
        is_new = bool(results[0])
        state = self.state(cfg.url)
        if not state.stopped:
            # NX: re-adding an existing feed keeps its schedule; a new one is due now.
            self.client.zadd(self.keys.feeds_due, {cfg.url: now}, nx=True)
        return is_new

    def import_feeds(self, configs: Iterable[FeedConfig]) -> tuple[int, int]:
        """Add every feed (updating names/intervals/tags of known ones); returns (added, updated)."""
        added = updated = 0
        for cfg in configs:
            if self.add(cfg):
                added += 1
            else:
                updated += 1
        return added, updated

    def remove(self, url: str) -> bool:
        """Forget a feed, its state and its seen entries. True when it was registered."""
        url = self.resolve(url) or url
        pipe = self.client.pipeline(transaction=True)
        pipe.hdel(self.keys.feeds, url)
        pipe.delete(self.keys.feed_state(url), self.keys.feed_seen(url))
        pipe.zrem(self.keys.feeds_due, url)
        return bool(pipe.execute()[0])

    def resolve(self, url: str) -> str | None:
        """The registered URL matching `url` (exact or canonical spelling), else None."""
        if self.client.hexists(self.keys.feeds, url):
            return url
        try:
            canonical = normalize_feed_url(url)
        except BadInput:
            return None
        return canonical if self.client.hexists(self.keys.feeds, canonical) else None

    def get(self, url: str) -> FeedConfig | None:
        raw = self.client.hget(self.keys.feeds, url)
        return FeedConfig.from_json(raw) if raw else None

    def list(self) -> list[FeedConfig]:
        """Every registered feed, sorted by URL."""
        return sorted((FeedConfig.from_json(v) for v in self.client.hgetall(self.keys.feeds).values()),
                      key=lambda c: c.url)

    def __len__(self) -> int:
        return int(self.client.hlen(self.keys.feeds))

    # -- state
    def state(self, url: str) -> FeedState:
        return FeedState.from_redis(url, self.client.hgetall(self.keys.feed_state(url)))

    def states(self) -> list[tuple[FeedConfig, FeedState]]:
        configs = self.list()
        pipe = self.client.pipeline(transaction=False)
        for cfg in configs:
            pipe.hgetall(self.keys.feed_state(cfg.url))
        return [(cfg, FeedState.from_redis(cfg.url, raw)) for cfg, raw in zip(configs, pipe.execute())]

    def save_state(self, state: FeedState, *, clear: Iterable[str] = ()) -> None:
        """Write the state hash and the due-set entry (stopped feeds leave the due set)."""
        key = self.keys.feed_state(state.url)
        pipe = self.client.pipeline(transaction=True)
        if clear:
            pipe.hdel(key, *clear)
        pipe.hset(key, mapping=state.to_redis())
        if state.stopped or state.next_poll is None:
            pipe.zrem(self.keys.feeds_due, state.url)
        elif self.client.hexists(self.keys.feeds, state.url):
            pipe.zadd(self.keys.feeds_due, {state.url: state.next_poll})
        pipe.execute()

    def claim_due(self, *, now: float | None = None, limit: int = 1000, lease: float | None = None) -> list[str]:
        """Feeds due now, each pushed `lease` seconds ahead so it is handed out once."""
        now = time.time() if now is None else now
        lease = lease if lease is not None else max(60.0, self.settings.request_deadline * 3)
        return list(self._claim(keys=[self.keys.feeds_due], args=[now, lease, limit]))

    def due(self, *, now: float | None = None, limit: int = 1000) -> list[str]:
        """Feeds due now (read-only)."""
        now = time.time() if now is None else now
        return list(self.client.zrangebyscore(self.keys.feeds_due, "-inf", now, start=0, num=limit))

    def rename(self, old: str, new: str, *, reason: str) -> bool:
        """Move a feed to a new URL (301/308), keeping its config, state and seen entries.

        False when `new` is already registered: then the old one is stopped as a duplicate.
        """
        cfg = self.get(old)
        if cfg is None:
            return False
        if self.client.hexists(self.keys.feeds, new):
            state = self.state(old)
            state.stopped = True
            state.moved_to = new
            state.reason = f"moved to {new}, which is already registered ({reason})"
            self.save_state(state)
            return False
        state = self.state(old)
        state.url = new
        state.moved_from = old
        new_cfg = FeedConfig(url=new, name=cfg.name, interval=cfg.interval, tags=cfg.tags)
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.keys.feeds, new, new_cfg.to_json())
        pipe.hdel(self.keys.feeds, old)
        pipe.delete(self.keys.feed_state(old))
        pipe.zrem(self.keys.feeds_due, old)
        pipe.execute()
        if self.client.exists(self.keys.feed_seen(old)):
            self.client.rename(self.keys.feed_seen(old), self.keys.feed_seen(new))
        self.save_state(state)
        log.info("feed moved: %s -> %s (%s)", old, new, reason)
        return True
