"""Names of every Redis key and stream, under one prefix (the namespace).

Keeping the names here means a namespace (`--namespace`, NEWSWORKER_NAMESPACE) isolates a
whole run: replays, tests and deployments sharing one Redis never see each other's state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # streams
    @property
    def incidents_stream(self) -> str:
        return self._k("stream", "incidents")

    @property
    def articles_stream(self) -> str:
        return self._k("stream", "articles")

    @property
    def alerts_stream(self) -> str:
        return self._k("stream", "alerts")

    @property
    def ops_stream(self) -> str:
        return self._k("stream", "ops")

    def dead_letter_stream(self, stream: str) -> str:
        return f"{stream}:dead"

    # publishing
    def published(self, message_id: str) -> str:
        """Marker that a message id was already added to a stream (idempotent publish)."""
        return self._k("published", message_id)

    # exact dedup
    def seen_url(self, canonical_url: str) -> str:
        return self._k("seen", "url", canonical_url)

    def seen_entry(self, feed_url: str, entry_key: str) -> str:
        return self._k("seen", "entry", feed_url, entry_key)

    # feeds
    @property
    def feeds(self) -> str:
        return self._k("feeds")

    def feed_state(self, feed_url: str) -> str:
        return self._k("feed", feed_url)

    def feed_lock(self, feed_url: str) -> str:
        return self._k("lock", "feed", feed_url)

    @property
    def feeds_due(self) -> str:
        """Sorted set: feed URL -> unix time of its next poll."""
        return self._k("feeds", "due")

    def feed_seen(self, feed_url: str) -> str:
        """Sorted set of a feed's entry keys already handed on (score: last time seen)."""
        return self._k("feed-seen", feed_url)

    @property
    def net_health(self) -> str:
        """Recent poll outcomes (ok/fail per host), to tell our own outage from a dead feed."""
        return self._k("net-health")

    def host_slots(self, host: str) -> str:
        return self._k("host", host, "slots")

    def host_next(self, host: str) -> str:
        return self._k("host", host, "next")

    def robots(self, host: str) -> str:
        return self._k("robots", host)

    # near-duplicate and incident index
    def lsh_band(self, band: int, bucket: str) -> str:
        return self._k("lsh", str(band), bucket)

    def doc_sketch(self, doc_id: str) -> str:
        return self._k("sketch", doc_id)

    def incident(self, incident_id: str) -> str:
        return self._k("incident", incident_id)

    def incident_of_article(self, article_id: str) -> str:
        return self._k("article-incident", article_id)

    def incident_block(self, block: str) -> str:
        return self._k("block", block)

    def incident_features(self, incident_id: str) -> str:
        """Compact scoring features of an incident (what candidates are compared against)."""
        return self._k("incident-features", incident_id)

    def pending_follow_up(self, article_id: str) -> str:
        """A follow-up story that matched no incident yet (features and source), kept for the window."""
        return self._k("pending", article_id)

    def pending_block(self, block: str) -> str:
        """Sorted set of pending follow-ups filed under one rare-name block (score: day)."""
        return self._k("pending-block", block)

    def incident_block_lock(self, block: str) -> str:
        """Short lock held while an article is assigned within one blocking cell."""
        return self._k("lock", "block", block)

    def near_duplicate_of(self, article_id: str) -> str:
        """The article this one copies ("" when checked and not a copy)."""
        return self._k("near-dup", article_id)

    @property
    def incident_lock(self) -> str:
        return self._k("lock", "incidents")

    def site_lines(self, site: str) -> str:
        return self._k("site-lines", site)

    def outlet_lock(self, outlet: str) -> str:
        """Short lock held with the block locks while an outlet's article is assigned: its furniture list
        (`outlet_terms`) is read and written under it (worker.incidents)."""
        return self._k("lock", "outlet", outlet)

    def outlet_terms(self, outlet: str) -> str:
        """Recent words of an outlet's reports, to tell its page furniture from the story (worker.incidents)."""
        return self._k("outlet-terms", outlet)

    def site_pages(self, site: str) -> str:
        """Pages already counted into `site_lines(site)` (so a re-processed page counts once)."""
        return self._k("site-pages", site)

    # operations
    @property
    def heartbeats(self) -> str:
        return self._k("heartbeats")

    @property
    def counters(self) -> str:
        return self._k("counters")

    def alert_sent(self, rule: str, incident_id: str) -> str:
        return self._k("alerted", rule, incident_id)

    def webhook_sent(self, message_id: str, webhook: str) -> str:
        """Marker that one alert was delivered to one webhook (no repeat on redelivery)."""
        return self._k("webhook-sent", webhook, message_id)

    @property
    def ops_state(self) -> str:
        """Hash: which ops conditions are firing (and since when), last dead-letter lengths seen."""
        return self._k("ops-state")

    @property
    def metrics(self) -> str:
        """Hash of Prometheus counters and histogram buckets shared by every worker process."""
        return self._k("metrics")

    @property
    def celery_prefix(self) -> str:
        """Kombu `global_keyprefix`: Celery's broker keys live under the namespace too."""
        return self._k("celery") + ":"

    @property
    def all_pattern(self) -> str:
        return self.prefix + ":*"
