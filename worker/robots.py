"""robots.txt for article pages: fetched through the hardened client, cached per host in Redis.

Follows RFC 9309: 4xx means no rules (allow all); 5xx or unreachable means assume "disallow
all" for now (cached briefly, reported as transient so the article is retried later);
redirects are followed by the client. Parsed with Protego. Feeds the user subscribed to are
not checked, as feed readers do.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from urllib.parse import urlsplit

import redis
from protego import Protego

from worker.errors import PermanentError, TooLarge, TransientError, UnsafeURL
from worker.keys import Keys

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
ROBOTS_TTL = 24 * 3600
ROBOTS_ERROR_TTL = 600


@lru_cache(maxsize=512)
def _parse(body: str) -> Protego:
    return Protego.parse(body)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsVerdict:
    """Whether a URL may be fetched, plus the host's crawl delay (seconds) if it gave one."""

    def __init__(self, allowed: bool, crawl_delay: float | None, status: str) -> None:
        self.allowed = allowed
        self.crawl_delay = crawl_delay
        self.status = status


class RobotsCache:
    """Per-origin robots.txt decisions shared by all workers."""

    def __init__(self, client: redis.Redis, keys: Keys, http: "object", user_agent: str) -> None:
        self.client = client
        self.keys = keys
        self.http = http
        self.user_agent = user_agent

    def _cached(self, origin: str) -> dict[str, str] | None:
        raw = self.client.get(self.keys.robots(origin))
        if raw:
            try:
                data = json.loads(raw)
                if isinstance(data, dict):
                    return data
            except ValueError:
                pass
        return None

    def _record(self, origin: str) -> dict[str, str]:
        key = self.keys.robots(origin)
        cached = self._cached(origin)
        if cached is not None:
            return cached
        data, ttl = self._fetch(origin)
        self.client.set(key, json.dumps(data), ex=ttl)
        return data

    def _fetch(self, origin: str) -> tuple[dict[str, str], int]:
        url = origin + "/robots.txt"
        try:
            response = self.http.get(url, headers={"accept": "text/plain, */*"},  # type: ignore[attr-defined]
                                     max_bytes=ROBOTS_MAX_BYTES)
        except TooLarge:
            return {"status": "too_large", "body": ""}, ROBOTS_TTL
        except UnsafeURL:
            raise  # a host the worker may not fetch from at all: the page is refused for the same reason, for good
        except TransientError as exc:
            status = getattr(exc, "status", None)
            if status is not None and 400 <= status < 500 and status != 429:
                return {"status": "none"}, ROBOTS_TTL
            return {"status": "unreachable", "reason": str(exc)[:200]}, ROBOTS_ERROR_TTL
        except PermanentError as exc:
            status = getattr(exc, "status", None)
            if status is not None and 400 <= status < 500:
                return {"status": "none"}, ROBOTS_TTL  # no robots.txt: everything allowed
            return {"status": "unreachable", "reason": str(exc)[:200]}, ROBOTS_ERROR_TTL
        return {"status": "ok", "body": response.text()}, ROBOTS_TTL

    def cached_crawl_delay(self, url: str) -> float | None:
        """The host's Crawl-delay if its robots.txt is already cached (never fetches)."""
        data = self._cached(_origin(url))
        if not data or data.get("status") != "ok" or not data.get("body"):
            return None
        delay = _parse(data["body"]).crawl_delay(self.user_agent)
        return float(delay) if delay else None

    def check(self, url: str) -> RobotsVerdict:
        """The verdict for `url`; TransientError when robots.txt cannot be read right now."""
        origin = _origin(url)
        data = self._record(origin)
        status = data.get("status", "none")
        if status == "unreachable":
            raise TransientError(f"robots.txt of {origin} unreachable: {data.get('reason', '')}",
                                 reason="robots_unavailable")
        if status != "ok" or not data.get("body"):
            return RobotsVerdict(True, None, status)
        rules = _parse(data["body"])
        allowed = bool(rules.can_fetch(url, self.user_agent))
        delay = rules.crawl_delay(self.user_agent)
        return RobotsVerdict(allowed, float(delay) if delay else None, status)
