"""Per-site statistics of lines that recur across pages, kept in Redis and bounded.

A line that appears on many different pages of one site ("Follow us on Twitter", a section
teaser, a standard footer) is boilerplate for that site even when no general rule knows it.
For each site we keep two sorted sets:

- `Keys.site_lines(site)`: member = short hash of the normalised line, score = number of distinct pages it
  was seen on; trimmed to the `max_lines` highest scores, so memory per site is bounded;
- `Keys.site_pages(site)`: hashes of the pages already counted (a re-processed page is not counted twice),
  trimmed to the `max_pages` most recent.

Both keys expire after `ttl_seconds` without new pages, so sites that are no longer polled
vanish. Updates are one Lua script per page (atomic across workers); reads are one ZMSCORE.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Iterable, Sequence
from urllib.parse import urlsplit

import redis

from worker.keys import Keys

log = logging.getLogger(__name__)

_OBSERVE = """
local lines_key, pages_key = KEYS[1], KEYS[2]
local page, now = ARGV[1], tonumber(ARGV[2])
local max_lines, max_pages, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('ZSCORE', pages_key, page) then
  return 0
end
redis.call('ZADD', pages_key, now, page)
for i = 6, #ARGV do
  redis.call('ZINCRBY', lines_key, 1, ARGV[i])
end
local n = redis.call('ZCARD', lines_key)
if n > max_lines then
  redis.call('ZREMRANGEBYRANK', lines_key, 0, n - max_lines - 1)
end
local p = redis.call('ZCARD', pages_key)
if p > max_pages then
  redis.call('ZREMRANGEBYRANK', pages_key, 0, p - max_pages - 1)
end
redis.call('EXPIRE', lines_key, ttl)
redis.call('EXPIRE', pages_key, ttl)
return 1
"""


def site_of(url: str) -> str:
    """The site a URL belongs to: its host, lower case, without a leading `www.`."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def line_hash(normalised: str) -> str:
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).hexdigest()


class SiteLines:
    """Redis-backed, bounded counts of the pages of a site on which each line appeared."""

    def __init__(self, client: redis.Redis, keys: Keys, *, max_lines: int = 2000, max_pages: int = 500,
                 ttl_seconds: int = 30 * 86400, max_lines_per_page: int = 400) -> None:
        self.client = client
        self.keys = keys
        self.max_lines = max_lines
        self.max_pages = max_pages
        self.ttl_seconds = ttl_seconds
        self.max_lines_per_page = max_lines_per_page
        self._script = client.register_script(_OBSERVE)

    def _keys(self, site: str) -> tuple[str, str]:
        return self.keys.site_lines(site), self.keys.site_pages(site)

    def counts(self, site: str, lines: Sequence[str]) -> dict[str, int]:
        """Pages of `site` on which each normalised line was seen (0 when never); {} on Redis errors."""
        if not site or not lines:
            return {}
        hashes = [line_hash(line) for line in lines]
        try:
            scores = self.client.zmscore(self._keys(site)[0], hashes)
        except redis.RedisError as exc:
            log.warning("site-lines read failed for %s: %s", site, exc)
            return {}
        return {line: int(score or 0) for line, score in zip(lines, scores)}

    def observe(self, site: str, page_id: str, lines: Iterable[str]) -> bool:
        """Count each distinct normalised line of one page once; False if the page was already counted."""
        if not site:
            return False
        unique = sorted({line_hash(line) for line in lines if line})[: self.max_lines_per_page]
        lines_key, pages_key = self._keys(site)
        page = line_hash(page_id)
        try:
            done = self._script(keys=[lines_key, pages_key],
                                args=[page, time.time(), self.max_lines, self.max_pages, self.ttl_seconds, *unique])
        except redis.RedisError as exc:
            log.warning("site-lines update failed for %s: %s", site, exc)
            return False
        return bool(done)

    def pages(self, site: str) -> int:
        """How many pages of `site` are currently counted."""
        try:
            return int(self.client.zcard(self._keys(site)[1]))
        except redis.RedisError:
            return 0
