"""The pipeline after fetching, on real Redis and real spaCy: retries and repeats publish nothing new."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from worker.models import Document
from worker.resources import Resources
from worker.stream import decode_entry

STORY = """KABUL, Afghanistan — A suicide bomber blew himself up outside a police station in Kabul on Tuesday, killing at least 12 people and wounding 30 others, officials said.

The attacker detonated an explosives vest at the gate of the station in the western part of the city as officers were changing shifts, interior ministry spokesman Abdul Karim said.

Ambulances rushed the wounded to hospitals across the capital. Most of the dead were police officers.

No group immediately claimed responsibility for the attack, the deadliest in the city this month."""


@pytest.fixture()
def resources(settings, redis_client, nlp):  # type: ignore[no-untyped-def]
    res = Resources(settings=settings, redis=redis_client)
    res.__dict__["nlp"] = nlp  # share the session's spaCy pipeline instead of loading another copy
    return res


def _doc(doc_id: str = "d1", url: str = "https://news.example.com/kabul-blast") -> Document:
    return Document(id=doc_id, url=url, title="Suicide bomber kills 12 at Kabul police station",
                    published=datetime(2024, 5, 14, 15, 0, tzinfo=timezone.utc), published_source="input", text=STORY)


def _entries(res: Resources, stream: str) -> list:
    return [decode_entry(f) for _, f in res.redis.xrange(stream)]


def test_incident_article_is_published(resources) -> None:
    result = resources.pipeline.process(_doc())
    assert result.article.ok and result.event is not None and result.event.is_incident
    assert result.incident_id and result.event.incident_id == result.incident_id
    types = [e.type for e in _entries(resources, resources.keys.incidents_stream)]
    assert types == ["incident.created"]
    assert [e.type for e in _entries(resources, resources.keys.articles_stream)] == ["article.cleaned"]


def test_retried_document_publishes_nothing_new(resources) -> None:
    first = resources.pipeline.process(_doc())
    again = resources.pipeline.process(_doc())  # a task retried after it had already finished
    assert again.incident_id == first.incident_id
    assert again.published == []
    assert resources.redis.xlen(resources.keys.incidents_stream) == 1
    assert resources.redis.xlen(resources.keys.articles_stream) == 1


def test_same_url_under_another_id_is_an_exact_repeat(resources) -> None:
    first = resources.pipeline.process(_doc("d1", "https://news.example.com/kabul-blast?utm_source=rss"))
    repeat = resources.pipeline.process(_doc("d2", "https://NEWS.example.com/kabul-blast#top"))
    assert repeat.is_duplicate and repeat.duplicate_of == "d1"
    assert repeat.incident_id == first.incident_id
    assert resources.redis.xlen(resources.keys.incidents_stream) == 1


def test_non_incident_article_yields_no_event(resources) -> None:
    doc = Document(id="s1", url="https://news.example.com/sport", title="City win the cup",
                   published=datetime(2024, 5, 14, tzinfo=timezone.utc),
                   text="Manchester City won the FA Cup final at Wembley on Saturday, beating United 2-1 in front "
                        "of 84,000 fans.\n\nThe winning goal came in the 88th minute from a corner, and the manager "
                        "praised his players for a performance that capped a remarkable season for the club.")
    result = resources.pipeline.process(doc)
    assert result.article.ok and result.event is None and result.incident_id is None
    assert resources.redis.xlen(resources.keys.incidents_stream) == 0


def test_rejected_article_is_recorded_not_lost(resources) -> None:
    result = resources.pipeline.process(Document(id="e1", url="https://news.example.com/empty", text=""))
    assert result.article.rejected
    (env,) = _entries(resources, resources.keys.articles_stream)
    assert env.type == "article.rejected" and env.payload["rejected"] == result.article.rejected
