"""Task shells that take a feed entry (or a ready document) through fetching and the pipeline.

Transient failures retry with exponential backoff and jitter (one policy, here); permanent
ones are never retried. A page that cannot be fetched for good (robots.txt, 4xx, not a web page)
leaves the feed entry's own headline and text, which run through the pipeline like a page with
`Article.fetch_error` saying why; when they say too little, the result is an `article.rejected`
message whose reason is the fetch failure.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from pydantic import ValidationError

from tasks.app import app, get_resources
from worker.errors import PermanentError, RateLimited, TransientError
from worker.models import Document, FeedEntry
from worker.poller import entry_document
from worker.urls import document_id

log = logging.getLogger("newsworker.tasks")

RETRY_POLICY: dict[str, Any] = {"max_retries": 6}
BACKOFF_BASE = 5.0   # seconds before the first retry
BACKOFF_CAP = 600.0  # no retry waits longer than this


def backoff(retries: int) -> float:
    """Seconds before retry number `retries` + 1: exponential, capped, with full jitter."""
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** retries))


def _retry(task: Any, exc: Exception, countdown: float | None = None) -> Exception:
    """The one retry decision for every task here (the server's Retry-After wins when given)."""
    return task.retry(exc=exc, countdown=backoff(task.request.retries) if countdown is None else countdown)


@app.task(bind=True, name="newsworker.process_entry", acks_late=True, **RETRY_POLICY)
def process_entry(self: Any, entry: dict[str, Any]) -> str | None:
    """Fetch the entry's article page and run the pipeline on it; returns the incident id."""
    try:
        parsed = FeedEntry.model_validate(entry)
    except ValidationError as exc:
        log.error("process_entry dropped a malformed entry: %s", exc.errors()[0]["msg"])
        return None
    res = get_resources()
    try:
        doc = res.poller.fetch_article(parsed)
    except RateLimited as exc:
        raise _retry(self, exc, exc.retry_after or 60) from None
    except TransientError as exc:
        raise _retry(self, exc) from None
    except PermanentError as exc:
        if not parsed.url or exc.reason == "bad_input":
            res.pipeline.reject_unfetched(document_id(parsed.url), parsed.url, f"{exc.reason}: {exc}",
                                          title=parsed.title, published=parsed.published)
            return None
        # The page is out of reach (robots.txt, an HTTP error, not a web page), but the feed told the story too:
        # its headline and text go through the same stages, and the article records why the page was not read.
        doc = entry_document(parsed, fetch_error=f"{exc.reason}: {exc}")
    try:
        result = res.pipeline.process(doc)
    except TransientError as exc:
        raise _retry(self, exc) from None
    return result.incident_id


@app.task(bind=True, name="newsworker.process_document", acks_late=True, **RETRY_POLICY)
def process_document(self: Any, document: dict[str, Any]) -> str | None:
    """Run the pipeline on a document that needs no fetching (pushed by another system)."""
    try:
        doc = Document.model_validate(document)
    except ValidationError as exc:
        log.error("process_document dropped a malformed document: %s", exc.errors()[0]["msg"])
        return None
    try:
        return get_resources().pipeline.process(doc).incident_id
    except TransientError as exc:
        raise _retry(self, exc) from None
