"""The stages after fetching, in order: the one code path shared by tasks, replay and `extract`.

    1. canonical URL, exact repeat check       (worker.urls, worker.dedup)
    2. article: boilerplate removal            (worker.article)
    3. publish article.cleaned / .rejected     (worker.stream)
    4. near-duplicate text check               (worker.dedup)
    5. event extraction                        (worker.events)
    6. incident assignment                     (worker.incidents: an incident report joins or starts an
                                                incident; a follow-up story may only join one)
    7. publish incident.created / .updated / .merged
    8. remember the URL as processed           (worker.dedup)

Retries are safe: every message id is derived from what the message says, the publisher
adds an id at most once, incident assignment is idempotent per article, and the URL is
remembered only after everything else, so a task killed half-way simply runs again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from worker.article import clean_document
from worker.models import Article, Document, Event, Incident, ProcessResult
from worker.stream import make_envelope, message_id
from worker.urls import canonicalize_url

if TYPE_CHECKING:
    from worker.incidents import Assignment
    from worker.resources import Resources

log = logging.getLogger("newsworker.pipeline")


@dataclass(frozen=True)
class Prepared:
    """Results of the document-only stages, computed ahead of the stateful ones."""

    doc_id: str
    article: Article
    event: Event | None


class Pipeline:
    """Runs one document through every stage after fetching and publishes what it learns."""

    def __init__(self, resources: "Resources") -> None:
        self.res = resources

    # -- stages ---------------------------------------------------------------------------
    def clean(self, doc: Document) -> Article:
        """Stage 2 alone (also used by `newsworker extract`)."""
        return clean_document(doc, site_lines=self.res.site_lines)

    def extract(self, article: Article) -> Event | None:
        """Stage 5 alone: the event, or None for a rejected article."""
        if not article.ok:
            return None
        return self.res.extractor.extract(article)

    def prepare(self, doc: Document) -> "Prepared":
        """The stages that depend on the document alone (cleaning, extraction): safe to run in parallel."""
        article = self.clean(doc)
        return Prepared(doc_id=doc.id, article=article, event=self.extract(article))

    def process(self, doc: Document, prepared: "Prepared | None" = None) -> ProcessResult:
        """Run every stage for one document; never raises for bad content, only for infrastructure.

        `prepared` carries the cleaning and extraction of this document computed ahead (replay
        computes them in worker processes); everything stateful still happens here, in order.
        """
        if prepared is not None and prepared.doc_id != doc.id:
            raise ValueError(f"prepared stages belong to {prepared.doc_id}, not {doc.id}")
        started = time.perf_counter()
        metrics = self.res.metrics
        canonical = canonicalize_url(doc.url)
        with metrics.stage("dedup_url") as st:
            earlier = self.res.dedup.seen(doc.id, canonical)
            if earlier is not None and earlier != doc.id:
                st.reject("repeat")
                result = self._exact_repeat(doc, canonical, earlier)
                self._log(result, started, "repeat")
                return result

        with metrics.stage("article") as st:
            article = prepared.article if prepared else self.clean(doc)
            if not article.ok:
                st.reject(article.rejected or "rejected")
        published = [self._publish_article(article)]
        if not article.ok:
            self.res.dedup.remember(doc.id, canonical)
            result = ProcessResult(id=doc.id, article=article, published=[p for p in published if p])
            self._log(result, started, f"rejected {article.rejected}")
            return result

        with metrics.stage("dedup_text") as st:
            duplicate_of = self.res.dedup.near_duplicate(article)
            if duplicate_of is not None:
                st.reject("near_duplicate")
        with metrics.stage("event") as st:
            event = prepared.event if prepared else self.extract(article)
            if event is None or not event.is_incident:
                st.reject("no_incident")
        incident_id = None
        outcome = "no incident"
        if event is not None and event.is_incident:
            with metrics.stage("incident"):
                assignment = self.res.incidents.assign(article, event)
            incident_id = assignment.incident.incident_id
            event = event.model_copy(update={"incident_id": incident_id})
            with metrics.stage("publish"):
                published += self._publish_assignment(assignment)
            outcome = f"{assignment.change} {incident_id}"
        else:
            joined = None
            if event is not None:
                # a follow-up (arrest, court date, vigil) joins the incident it strongly matches as one
                # more source; it never starts an incident (unless it is fresh news of a shooting that no
                # incident claims: see IncidentStore.attach)
                with metrics.stage("follow_up") as st:
                    joined = self.res.incidents.attach(article, event)
                    if joined is None:
                        st.reject("no_match")
            event = None
            if joined is not None:
                incident_id = joined.incident.incident_id
                with metrics.stage("publish"):
                    published += self._publish_assignment(joined)
                outcome = f"follow-up {joined.change} {incident_id}"
        self.res.dedup.remember(doc.id, canonical)
        result = ProcessResult(id=doc.id, incident_id=incident_id, is_duplicate=duplicate_of is not None,
                               duplicate_of=duplicate_of, article=article, event=event,
                               published=[p for p in published if p])
        self._log(result, started, outcome + (f" near-duplicate of {duplicate_of}" if duplicate_of else ""))
        return result

    # -- helpers --------------------------------------------------------------------------
    def _exact_repeat(self, doc: Document, canonical: str, earlier: str) -> ProcessResult:
        article = Article(id=doc.id, url=doc.url, canonical_url=canonical, title=doc.title,
                          published=doc.published, rejected=f"duplicate: same URL as document {earlier}")
        incident_id = self.res.incidents.incident_of(earlier)
        return ProcessResult(id=doc.id, incident_id=incident_id, is_duplicate=True, duplicate_of=earlier,
                             article=article)

    def _publish_article(self, article: Article) -> str | None:
        type_ = "article.cleaned" if article.ok else "article.rejected"
        digest = hashlib.sha1(article.text.encode("utf-8")).hexdigest()
        envelope = make_envelope(type_, article.model_dump(mode="json"),
                                 msg_id=message_id(type_, article.id, digest),
                                 occurred_at=article.published)
        added, _ = self.res.publisher.publish(self.res.keys.articles_stream, envelope)
        return envelope.message_id if added else None

    def _publish_assignment(self, assignment: "Assignment") -> list[str | None]:
        """created/updated for the incident's current revision, merged for each absorbed incident.

        The current revision is (re)published even when nothing changed: after a crash between
        assignment and publishing, the retry then still delivers it, and when it was already
        delivered the publisher's marker turns the call into a no-op.
        """
        incident = assignment.incident
        out = [self._publish_incident(incident)]
        for absorbed in assignment.merged:
            payload: dict[str, Any] = {"incident_id": absorbed.incident_id, "merged_into": incident.incident_id,
                                       "incident": absorbed.model_dump(mode="json")}
            envelope = make_envelope("incident.merged", payload,
                                     msg_id=message_id("incident.merged", absorbed.incident_id, incident.incident_id))
            added, _ = self.res.publisher.publish(self.res.keys.incidents_stream, envelope)
            out.append(envelope.message_id if added else None)
        return out

    def _publish_incident(self, incident: Incident) -> str | None:
        type_ = "incident.created" if incident.revision <= 1 else "incident.updated"
        envelope = make_envelope(type_, incident.model_dump(mode="json"),
                                 msg_id=message_id("incident", incident.incident_id, incident.revision),
                                 occurred_at=incident.last_seen)
        added, _ = self.res.publisher.publish(self.res.keys.incidents_stream, envelope)
        return envelope.message_id if added else None

    def reject_unfetched(self, doc_id: str, url: str, reason: str, *, title: str | None = None,
                         published: datetime | None = None) -> ProcessResult:
        """Record an article that could not be fetched (robots, 404, unsafe URL) as a rejection."""
        started = time.perf_counter()
        article = Article(id=doc_id, url=url, title=title, published=published, rejected=reason)
        result = ProcessResult(id=doc_id, article=article, published=[p for p in [self._publish_article(article)] if p])
        self._log(result, started, f"rejected {reason}")
        return result

    def _log(self, result: ProcessResult, started: float, outcome: str) -> None:
        """One log line per processed document, and the counter that progress checks read."""
        self.res.redis.hincrby(self.res.keys.counters, "documents_processed", 1)
        ms = (time.perf_counter() - started) * 1000
        log.info("article %s %s (%.0f ms) %s", result.id, outcome, ms, result.article.url,
                 extra={"fields": {"article_id": result.id, "outcome": outcome.split(" ", 1)[0],
                                   "detail": outcome, "ms": round(ms, 1), "url": result.article.url,
                                   "incident_id": result.incident_id, "is_duplicate": result.is_duplicate}})
