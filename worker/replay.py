"""Backfill: archived documents (JSON lines) through the same pipeline the tasks run.

Input line: {"id", "url", "title", "published" (ISO date or datetime), "html" | "text"}.
Output line per input line: {"id", "incident_id", "is_duplicate", "article", "event"}.
A line that cannot be used is not dropped: it yields an output line whose article carries
`rejected: "bad_input: ..."`, so the output always has one line per input line.
"""

from __future__ import annotations

import json
import multiprocessing
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator

from pydantic import ValidationError

from worker.errors import BadInput
from worker.models import Article, Document, ProcessResult

if TYPE_CHECKING:
    from worker.pipeline import Prepared
    from worker.resources import Resources


@dataclass(frozen=True)
class BadLine:
    """An input line that could not be turned into a Document."""

    line_no: int
    id: str
    reason: str


def parse_published(value: Any) -> datetime | None:
    """ISO date or datetime -> aware datetime (UTC when no zone is given); None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadInput(f"published must be an ISO date string, got {type(value).__name__}")
    text = value.strip().replace("Z", "+00:00")
    try:
        if len(text) == 10:  # a bare date: noon, so a zone shift cannot move it to another day
            parsed = datetime.combine(date.fromisoformat(text), time(12, 0))
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(f"published is not an ISO date: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_line(line: str, line_no: int) -> Document | BadLine:
    """One JSON line -> Document, or BadLine with a reason a person can act on."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(line_no, f"line-{line_no}", f"bad_input: line {line_no} is not JSON ({exc.msg})")
    if not isinstance(obj, dict):
        return BadLine(line_no, f"line-{line_no}", f"bad_input: line {line_no} is not a JSON object")
    doc_id = str(obj.get("id") or f"line-{line_no}")
    try:
        if not obj.get("url") or not isinstance(obj["url"], str):
            raise BadInput("missing url")
        html, text, feed_text = obj.get("html"), obj.get("text"), obj.get("feed_text")
        if not any(isinstance(v, str) for v in (html, text, feed_text)):
            raise BadInput("needs an 'html', 'text' or 'feed_text' string")
        published = parse_published(obj.get("published"))
        return Document(id=doc_id, url=obj["url"], title=obj.get("title") if isinstance(obj.get("title"), str) else None,
                        published=published, published_source="input" if published else None,
                        html=html if isinstance(html, str) else None,
                        text=text if isinstance(text, str) and not isinstance(html, str) else None,
                        feed_text=feed_text if isinstance(feed_text, str) else None)
    except BadInput as exc:
        return BadLine(line_no, doc_id, f"bad_input: line {line_no}: {exc}")
    except ValidationError as exc:
        first = exc.errors()[0]
        return BadLine(line_no, doc_id, f"bad_input: line {line_no}: {first['loc'][0]}: {first['msg']}")


def read_lines(stream: IO[str]) -> Iterator[Document | BadLine]:
    """Documents (or BadLines) from a JSON-lines stream, skipping blank lines."""
    for line_no, line in enumerate(stream, start=1):
        if line.strip():
            yield parse_line(line, line_no)


def bad_line_result(bad: BadLine) -> ProcessResult:
    return ProcessResult(id=bad.id, article=Article(id=bad.id, url="", rejected=bad.reason))


def output_record(result: ProcessResult) -> dict[str, Any]:
    """The replay output line for one result."""
    return {
        "id": result.id,
        "incident_id": result.incident_id,
        "is_duplicate": result.is_duplicate,
        "duplicate_of": result.duplicate_of,
        "article": result.article.model_dump(mode="json"),
        "event": result.event.model_dump(mode="json") if result.event else None,
    }


def replay(resources: "Resources", items: Iterable[Document | BadLine], *, workers: int = 1) -> Iterator[ProcessResult]:
    """Run the pipeline over items in input order; bad lines become rejection results.

    With workers > 1, forked processes clean and extract documents ahead (the parent loads the
    models first so the children share them); deduplication, incident assignment and publishing
    stay in this process, strictly in input order, so the result equals a sequential run.
    """
    pipeline = resources.pipeline
    if workers <= 1:
        for item in items:
            yield bad_line_result(item) if isinstance(item, BadLine) else pipeline.process(item)
        return
    resources.warm_up()
    global _parent
    _parent = resources
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_child) as pool:
        for item, prepared in pool.imap(_prepare, items, chunksize=4):
            if isinstance(item, BadLine):
                yield bad_line_result(item)
            else:
                yield pipeline.process(item, prepared)


_parent: "Resources | None" = None
_child: "Resources | None" = None


def _init_child() -> None:
    global _child
    assert _parent is not None
    _child = _parent.for_child()


def _prepare(item: Document | BadLine) -> tuple[Document | BadLine, "Prepared | None"]:
    if isinstance(item, BadLine) or _child is None:
        return item, None
    return item, _child.pipeline.prepare(item)
