"""The pipeline after fetching, on real Redis and real spaCy: retries and repeats publish nothing new."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from worker.models import Casualties, Document, Event, Location
from worker.pipeline import Prepared
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


def test_a_headline_alone_reports_an_incident(resources) -> None:
    # an archive or feed entry whose page gave no body: the headline still tells of a bombing
    doc = Document(id="h1", url="https://news.example.com/maiduguri-market",
                   title="Suicide bomber kills 14 at market in Maiduguri, Nigeria",
                   published=datetime(2024, 5, 14, 15, 0, tzinfo=timezone.utc), published_source="input", text="")
    result = resources.pipeline.process(doc)
    assert result.article.ok and result.article.headline_only
    assert result.event is not None and result.event.is_incident and result.incident_id
    assert result.event.casualties.killed == 14
    assert result.event.location is not None and result.event.location.name == "Maiduguri"
    assert [e.type for e in _entries(resources, resources.keys.incidents_stream)] == ["incident.created"]


SHOOTING = ("Two men were wounded late Saturday when gunfire broke out outside the Starlite bowling alley on Kessler "
            "Road in Marlow Heights, police said. Officers found the victims, Jamal Orrick, 24, and Tevin Prudhomme, "
            "31, in the parking lot.")
COURT = ("A Marlow Heights man was ordered held without bail on Monday in the shooting of Jamal Orrick and Tevin "
         "Prudhomme outside the Starlite bowling alley on Kessler Road. Prosecutors say Darnell Quist fired after an "
         "argument.")


def _prepared(doc: Document, is_incident: bool, res: Resources) -> Prepared:
    """The document-only stages with a fixed event: the test is about what happens after extraction."""
    article = res.pipeline.clean(doc)
    loc = Location(name="Marlow Heights", country="US", admin1="Maryland", lat=38.84, lon=-76.95, precision="town")
    ev = Event(article_id=doc.id, is_incident=is_incident, event_type="shooting", date=date(2024, 5, 4),
               date_precision="day", location=loc, casualties=Casualties(killed=0, wounded=2))
    return Prepared(doc_id=doc.id, article=article, event=ev)


def test_follow_up_joins_its_incident_and_never_starts_one(resources) -> None:
    court = Document(id="c1", url="https://courts.example.com/quist-held", title="Suspect held in Starlite shooting",
                     published=datetime(2024, 5, 13, tzinfo=timezone.utc), text=COURT)
    # before the shooting is known, the court story is no incident and publishes none
    early = resources.pipeline.process(court, _prepared(court, False, resources))
    assert early.incident_id is None and early.event is None
    assert resources.redis.xlen(resources.keys.incidents_stream) == 0
    shot = Document(id="s1", url="https://news.example.com/starlite", title="Two wounded outside bowling alley",
                    published=datetime(2024, 5, 4, 22, 0, tzinfo=timezone.utc), text=SHOOTING)
    first = resources.pipeline.process(shot, _prepared(shot, True, resources))
    # the incident adopts the court story that came first: one more source, no second incident
    assert resources.incidents.incident_of("c1") == first.incident_id
    later = Document(id="c2", url="https://other.example.org/quist-court", title="Starlite suspect in court",
                     published=datetime(2024, 5, 14, tzinfo=timezone.utc), text=COURT + " A hearing is set for June.")
    joined = resources.pipeline.process(later, _prepared(later, False, resources))
    assert joined.incident_id == first.incident_id and joined.event is None
    entries = _entries(resources, resources.keys.incidents_stream)
    assert [e.type for e in entries] == ["incident.created", "incident.updated"]
    assert entries[0].payload["n_articles"] == 2 and entries[0].payload["revision"] == 1
    assert entries[-1].payload["n_articles"] == 3 and entries[-1].payload["n_outlets"] == 3
