"""Sample incidents for stream, tail and alert tests."""

from __future__ import annotations

from datetime import datetime, timezone

from worker.models import Casualties, Event, Incident, Location, Perpetrator, Source
from worker.stream import Publisher, make_envelope, message_id


def sample_incident(incident_id: str = "inc-1", killed: int | None = 12, revision: int = 1,
                    claim: str = "unknown", outlets: int = 2) -> Incident:
    now = datetime.now(timezone.utc)
    event = Event(article_id="a1", is_incident=True, event_type="bombing",
                  location=Location(name="Maiduguri", country="NG", lat=11.85, lon=13.16, precision="city"),
                  perpetrators=[Perpetrator(name="Boko Haram", claim=claim)],
                  casualties=Casualties(killed=killed, wounded=30), summary="A bomb exploded at a market.",
                  tactics=["suicide_attack", "explosive"])
    return Incident(incident_id=incident_id, revision=revision, event=event,
                    sources=[Source(url="http://example.org/1", title="Bomb kills 12 in Maiduguri market")],
                    n_articles=outlets, n_outlets=outlets, first_seen=now, last_seen=now)


def publish_incident(publisher: Publisher, keys, incident: Incident, type_: str = "incident.created") -> str:
    env = make_envelope(type_, incident.model_dump(mode="json"),
                        msg_id=message_id(type_, incident.incident_id, incident.revision))
    added, entry_id = publisher.publish(keys.incidents_stream, env)
    assert added
    return entry_id
