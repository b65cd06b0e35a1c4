"""Resources a process needs (Redis client, HTTP client, spaCy pipeline, stage objects), built once.

Celery builds one `Resources` per worker process in its process-init hook; replay and the
CLI build one per command. Expensive parts (spaCy, the gazetteer) are built on first use,
or eagerly by `warm_up()` in a worker process, never at import time and never per task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import redis

from config.settings import Settings
from worker.keys import Keys
from worker.redis_conn import connect, resolve_redis_url
from worker.stream import Publisher

if TYPE_CHECKING:  # the heavy modules are imported on first use only
    from worker.dedup import Deduplicator
    from worker.events import EventExtractor
    from worker.http import HttpClient
    from worker.incidents import IncidentStore
    from worker.metrics import Metrics
    from worker.pipeline import Pipeline
    from worker.poller import Poller
    from worker.sitelines import SiteLines


@dataclass
class Resources:
    """Per-process handles shared by every task and command in that process."""

    settings: Settings
    redis: redis.Redis
    keys: Keys = field(init=False)

    def __post_init__(self) -> None:
        self.keys = Keys(self.settings.key_prefix)

    @cached_property
    def publisher(self) -> Publisher:
        return Publisher(self.redis, self.keys, self.settings)

    @cached_property
    def metrics(self) -> "Metrics":
        from worker.metrics import Metrics

        return Metrics(self.redis, self.keys)

    @cached_property
    def http(self) -> "HttpClient":
        from worker.http import HttpClient

        return HttpClient(self.settings)

    @cached_property
    def poller(self) -> "Poller":
        from worker.poller import Poller

        return Poller(self.redis, self.keys, self.settings, self.http)

    @cached_property
    def nlp(self) -> Any:
        from worker.events import load_nlp

        return load_nlp(self.settings.spacy_model)

    @cached_property
    def extractor(self) -> "EventExtractor":
        from worker.events import EventExtractor

        return EventExtractor(self.nlp, self.settings.actors_file)

    @cached_property
    def dedup(self) -> "Deduplicator":
        from worker.dedup import Deduplicator

        return Deduplicator(self.redis, self.keys, self.settings)

    @cached_property
    def incidents(self) -> "IncidentStore":
        from worker.incidents import IncidentStore

        return IncidentStore(self.redis, self.keys, self.settings)

    @cached_property
    def site_lines(self) -> "SiteLines":
        from worker.sitelines import SiteLines

        return SiteLines(self.redis, self.keys)

    @cached_property
    def pipeline(self) -> "Pipeline":
        from worker.pipeline import Pipeline

        return Pipeline(self)

    def warm_up(self) -> None:
        """Build the expensive parts now (worker process start), not on the first task.

        One tiny extraction loads whatever the extractor builds lazily (gazetteer, matchers),
        so forked children share it instead of each building their own.
        """
        from worker.models import Article

        _ = self.pipeline, self.dedup, self.incidents
        self.extractor.extract(Article(id="warm-up", url="about:blank",
                                       text="A bomb exploded at a market in Kabul on Monday, killing two people."))

    def for_child(self) -> "Resources":
        """A copy for a forked process: its own Redis connection, the loaded models shared."""
        child = Resources(settings=self.settings, redis=connect(resolve_redis_url(self.settings)))
        for name in ("nlp", "extractor"):
            if name in self.__dict__:
                child.__dict__[name] = self.__dict__[name]
        return child

    def close(self) -> None:
        if "http" in self.__dict__:
            self.http.close()
        self.redis.close()


def build_resources(settings: Settings) -> Resources:
    """Connect to Redis (starting the embedded server if REDIS_URL is unset) and wrap the handles."""
    return Resources(settings=settings, redis=connect(resolve_redis_url(settings)))
