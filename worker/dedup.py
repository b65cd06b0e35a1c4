"""Levels 1 and 2 of deduplication: exact repeats (same canonical URL) and near-duplicate text.

Level 2 keeps a MinHash sketch of every article's word 5-gram shingles in Redis and indexes it
with locality-sensitive hashing: 16 bands of 4 rows, so two texts whose shingle sets have a
Jaccard similarity of 0.5 collide in some band with probability ~0.65 and at 0.8 with ~1.0.
Band collisions are only candidates: each is confirmed by the Jaccard estimated from the two
full sketches (>= `NEAR_DUP_JACCARD`). The lookup and the insert run in one Lua script, so of
two copies processed at the same moment by two workers, the second always sees the first.
Every key expires after the incident window, so the index stays bounded.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

import numpy as np
import redis

from config.settings import Settings
from worker.keys import Keys
from worker.models import Article

log = logging.getLogger("newsworker.dedup")

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MIN_SHINGLES = 12  # shorter texts (a headline, a stub) say too little to call anything a copy
NEAR_DUP_JACCARD = 0.5
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20260601)  # fixed seed: every worker must hash identically
_A = _rng.randint(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# KEYS[1] the article's sketch key, KEYS[2..] its band buckets; ARGV[1] id, ARGV[2] sketch, ARGV[3] ttl s.
# Returns the ids already in any of the buckets (other than this one), then adds this id.
_LOOKUP_AND_INSERT_LUA = """
local found = {}
local seen = {}
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, m in ipairs(members) do
    if m ~= ARGV[1] and not seen[m] then seen[m] = true; found[#found + 1] = m end
  end
  redis.call('SADD', KEYS[i], ARGV[1])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return found
"""


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Lower-cased word n-grams of a text (punctuation and spacing ignored)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def minhash(shingle_set: set[str]) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of a set of shingles."""
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little") for s in shingle_set),
        dtype=np.uint64, count=len(shingle_set))
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    permuted = ((hashes[:, None] * _A[None, :] + _B[None, :]) % _MERSENNE) & _MAX32
    return permuted.min(axis=0).astype(np.uint32)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of MinHash positions that agree: an unbiased estimate of the Jaccard similarity."""
    return float(np.mean(a == b))


def _encode(sig: np.ndarray) -> str:
    return base64.b64encode(sig.astype("<u4").tobytes()).decode("ascii")


def _decode(raw: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(raw), dtype="<u4").astype(np.uint32)


def band_buckets(sig: np.ndarray) -> list[str]:
    """One bucket name per band: a short digest of that band's rows."""
    out = []
    for band in range(BANDS):
        rows = sig[band * ROWS:(band + 1) * ROWS].astype("<u4").tobytes()
        out.append(hashlib.blake2b(rows, digest_size=8).hexdigest())
    return out


def article_text(article: Article) -> str:
    """What is compared: the body (the title too when the body is empty)."""
    return article.text if article.text.strip() else (article.title or "")


class Deduplicator:
    """Exact-repeat and near-duplicate checks, shared by every worker through Redis."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.redis = client
        self.keys = keys
        self.ttl = max(1, int(settings.incident_window_days * 86400))
        self._script = client.register_script(_LOOKUP_AND_INSERT_LUA)

    # -- level 1 ---------------------------------------------------------------------------
    def seen(self, doc_id: str, canonical_url: str) -> str | None:
        """The id of an earlier document with this canonical URL, or None (read-only)."""
        earlier = self.redis.get(self.keys.seen_url(canonical_url))
        if earlier is None or earlier == doc_id:
            return None
        return str(earlier)

    def remember(self, doc_id: str, canonical_url: str) -> None:
        """Record that this document was fully processed (idempotent: the first id stays)."""
        self.redis.set(self.keys.seen_url(canonical_url), doc_id, nx=True, ex=self.ttl)

    # -- level 2 ---------------------------------------------------------------------------
    def near_duplicate(self, article: Article) -> str | None:
        """The id of the earlier article this one copies (syndicated or updated), else None; indexes it."""
        known = self.redis.get(self.keys.near_duplicate_of(article.id))
        if known is not None:
            return known or None  # "" records "checked, not a copy" so a retry answers the same
        shingle_set = shingles(article_text(article))
        if len(shingle_set) < MIN_SHINGLES:
            return None
        sig = minhash(shingle_set)
        bucket_keys = [self.keys.lsh_band(band, bucket) for band, bucket in enumerate(band_buckets(sig))]
        candidates = self._script(keys=[self.keys.doc_sketch(article.id), *bucket_keys],
                                  args=[article.id, _encode(sig), self.ttl])
        best, best_sim = None, NEAR_DUP_JACCARD
        if candidates:
            sketches = self.redis.mget([self.keys.doc_sketch(c) for c in candidates])
            for cand, raw in sorted(zip(candidates, sketches)):
                if raw is None:
                    continue
                sim = estimated_jaccard(sig, _decode(raw))
                if sim >= best_sim:
                    best, best_sim = cand, sim
        if best is not None:
            # name the original, not a copy of a copy
            root = self.redis.get(self.keys.near_duplicate_of(best))
            best = root or best
        self.redis.set(self.keys.near_duplicate_of(article.id), best or "", ex=self.ttl)
        if best is not None:
            log.debug("article %s near-duplicate of %s (jaccard ~%.2f)", article.id, best, best_sim)
        return best
