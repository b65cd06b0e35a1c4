"""Typed records that cross a stage or process boundary.

Every record carries `schema_version` (major.minor). Within a major version changes are
additive only: new optional fields may appear, no field is removed, renamed or retyped.
JSON Schemas generated from these models are committed under `worker/schemas/` and a test
checks that they match (`python -m worker.schemas` regenerates them).
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Claim = Literal["claimed", "suspected", "denied", "unknown"]
DatePrecision = Literal["day", "week", "month", "year"]
LocationPrecision = Literal["point", "neighbourhood", "town", "city", "admin2", "admin1", "country", "region"]
PublishedSource = Literal["input", "page", "url", "feed", "http"]


class Record(BaseModel):
    """Base for all records: frozen, unknown fields rejected, one clear validation error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedEntry(Record):
    """One item of a polled feed, keyed stably (guid, else canonical link)."""

    schema_version: str = SCHEMA_VERSION
    feed_url: str
    entry_key: str = Field(description="Stable identity: the guid, else the canonical link.")
    url: str = Field(description="Canonical article URL.")
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None
    content: str | None = Field(default=None, description="The entry's full text when the feed carries it "
                                                          "(content:encoded, Atom content, JSON Feed content), "
                                                          "HTML as the feed gives it.")
    tags: list[str] = Field(default_factory=list)


class Document(Record):
    """An article ready for the stages after fetching: what replay reads and what tasks build.

    Exactly one of `html` and `text` is normally given.
    """

    id: str
    url: str
    title: str | None = None
    published: datetime | None = None
    published_source: PublishedSource | None = None
    html: str | None = None
    text: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    feed_url: str | None = None
    entry_key: str | None = None
    feed_text: str | None = Field(default=None, description="What the feed entry itself says (its full content, "
                                                            "else its summary; HTML allowed): the body when the "
                                                            "page is unfetchable or gives less text.")
    fetch_error: str | None = Field(default=None, description="Why the page was not fetched (robots.txt, HTTP "
                                                              "status, not a web page): the article is read "
                                                              "from the feed entry alone.")


class Article(Record):
    """The cleaned article, or a rejection with `rejected` set to a reason a person can act on."""

    schema_version: str = SCHEMA_VERSION
    id: str
    url: str
    canonical_url: str | None = None
    title: str | None = None
    text: str = Field(default="", description="Body text, paragraphs separated by a blank line.")
    authors: list[str] = Field(default_factory=list)
    published: datetime | None = None
    published_source: PublishedSource | None = None
    site_name: str | None = None
    language: str | None = None
    rejected: str | None = Field(default=None, description="Why the page is not used, e.g. 'too_short: 12 words'.")
    headline_only: bool = Field(default=False, description="The body is missing or shorter than the article stage's "
                                                           "minimum, but the feed or archive gave a headline: the "
                                                           "event is read from the headline and what body there is.")
    from_feed: bool = Field(default=False, description="The body is the feed entry's own text (its content or "
                                                       "summary), because the page could not be fetched or gave "
                                                       "less text than the feed.")
    fetch_error: str | None = Field(default=None, description="Why the page was not fetched, when the article was "
                                                              "read from the feed entry instead.")

    @property
    def ok(self) -> bool:
        return self.rejected is None


class Location(Record):
    name: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: LocationPrecision | None = None
    city: str | None = Field(default=None, description="The town or city containing `name` (itself for a town); "
                                                       "null above town level.")
    confidence: float | None = Field(default=None, ge=0.0, le=1.0,
                                     description="How well the text supports the place: at least 0.8 when the state "
                                                 "or country is written (\"Covington, Ohio\") or the city is "
                                                 "unambiguous.")


class Perpetrator(Record):
    name: str
    claim: Claim = "unknown"


class Target(Record):
    name: str | None = None
    category: str = Field(description="police, military, government, diplomatic, election, civilians, religious, "
                                      "business, transport, journalists, education, health, infrastructure, unknown")


class Casualties(Record):
    killed: int | None = Field(default=None, ge=0, description="Victims killed; null when the text gives no figure.")
    wounded: int | None = Field(default=None, ge=0)
    perpetrators_killed: int | None = Field(default=None, ge=0)


class Source(Record):
    url: str
    title: str | None = None
    published: datetime | None = None
    outlet: str | None = None


class Evidence(Record):
    """Why a field has its value: the supporting span of the article text."""

    field: str
    start: int
    end: int
    confidence: float = Field(ge=0.0, le=1.0)


class Event(Record):
    """What one article says about the incident it reports."""

    schema_version: str = SCHEMA_VERSION
    article_id: str
    is_incident: bool
    event_type: str | None = None
    tactics: list[str] = Field(default_factory=list)
    date: Date | None = None
    date_precision: DatePrecision | None = None
    location: Location | None = None
    perpetrators: list[Perpetrator] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    casualties: Casualties = Field(default_factory=Casualties)
    summary: str = ""
    sources: list[Source] = Field(default_factory=list)
    incident_id: str | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)


class CasualtyReport(Record):
    """One source's casualty figures, kept for provenance."""

    url: str
    outlet: str | None = None
    published: datetime | None = None
    killed: int | None = None
    wounded: int | None = None


class LocationReport(Record):
    """One incident report's place, kept for the incident's place vote."""

    url: str
    location: Location
    weight: float = Field(ge=0.0, description="The report's say in the vote (see incident_record.location_weight).")


class Incident(Record):
    """A real-world incident merged from one or more reports."""

    schema_version: str = SCHEMA_VERSION
    incident_id: str
    revision: int = Field(default=1, description="Bumped on every material change; (incident_id, revision) ids updates.")
    event: Event = Field(description="Consensus event record across reports.")
    sources: list[Source] = Field(default_factory=list)
    n_articles: int = 0
    n_outlets: int = 0
    first_seen: datetime
    last_seen: datetime
    casualty_reports: list[CasualtyReport] = Field(default_factory=list)
    location_reports: list[LocationReport] = Field(default_factory=list)
    killed_range: tuple[int, int] | None = None
    wounded_range: tuple[int, int] | None = None
    merged_into: str | None = None


class IncidentMerged(Record):
    """Payload of `incident.merged`: `incident_id` was absorbed into `merged_into` (its last state attached)."""

    incident_id: str
    merged_into: str
    incident: Incident | None = None


MessageType = Literal[
    "incident.created", "incident.updated", "incident.merged", "article.cleaned", "article.rejected",
    "alert.fired", "ops.feed_failure", "ops.dead_letter", "ops.lag", "ops.network", "ops.heartbeat",
    "ops.webhook_failure",
]

Severity = Literal["info", "warning", "critical"]


class OpsEvent(Record):
    """Payload of every `ops.*` message: something about the worker's own health, firing or resolved."""

    schema_version: str = SCHEMA_VERSION
    kind: str = Field(description="feed_failure, network, dead_letter, lag, heartbeat, webhook_failure")
    state: Literal["firing", "resolved"] = "firing"
    severity: Severity = "warning"
    subject: str = Field(description="What it is about: a feed URL, a stream, 'group@stream', a worker name.")
    summary: str = Field(description="One line a person can act on.")
    details: dict[str, Any] = Field(default_factory=dict)
    observed_at: datetime


class Alert(Record):
    """Payload of `alert.fired`: an incident matched a rule (new or escalated), or an ops event fired."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["incident", "ops"]
    rule: str = Field(description="Alert rule name (config/alerts.yaml); 'ops.<kind>' for operational alerts.")
    reason: Literal["new", "escalated", "ops"]
    escalation: list[str] = Field(default_factory=list, description="What escalated since the last alert.")
    severity: Severity = "warning"
    summary: str = Field(description="One readable line.")
    incident_id: str | None = None
    revision: int | None = None
    level: int | None = Field(default=None, description="Toll thresholds of the rule crossed (0 = base match).")
    claimed: bool | None = None
    incident: Incident | None = None
    ops: OpsEvent | None = None
    fired_at: datetime


class Envelope(Record):
    """What every stream entry carries. `message_id` is deterministic: drop a redelivered duplicate by it."""

    message_id: str
    type: MessageType
    schema_version: str = SCHEMA_VERSION
    occurred_at: datetime
    produced_at: datetime
    payload: dict[str, Any]


class ProcessResult(Record):
    """Outcome of running one document through the stages after fetching (one line of replay output)."""

    id: str
    incident_id: str | None = None
    is_duplicate: bool = False
    duplicate_of: str | None = None
    article: Article
    event: Event | None = None
    published: list[str] = Field(default_factory=list, description="Message ids published for this document.")
