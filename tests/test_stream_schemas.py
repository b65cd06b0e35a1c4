"""The committed JSON Schemas are current, and what is actually published validates against them."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from worker import schemas
from worker.alerts import AlertConfig, AlertService
from worker.models import Document
from worker.ops import OpsReporter
from worker.stream import STREAM_NAMES, Publisher, make_envelope, message_id, stream_key

ARTICLE = """Suicide bomber kills 14 at market in Maiduguri

MAIDUGURI, Nigeria - A suicide bomber killed 14 people and wounded 30 others at a crowded market in
Maiduguri, the capital of Borno State, on Tuesday morning, police said.

Police spokesman said the attacker detonated explosives strapped to his body as traders were setting
up their stalls. Boko Haram has carried out many similar attacks in the region. No group has yet claimed
responsibility for the bombing, which came a week after a similar attack in the city.

Witnesses described scenes of panic as people fled the market. The wounded were taken to the state
hospital, where officials said several were in critical condition.
"""


def test_committed_schemas_are_current():
    assert schemas.stale() == [], "run: python -m worker.schemas"
    assert schemas.main(["--check"]) == 0


# date-time/date checks without the optional rfc3339 package: what Python itself accepts as ISO-8601.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo)


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    registry: Registry = Registry().with_resources(
        (n, Resource.from_contents(schemas.load(n))) for n in schemas.MODELS)
    return jsonschema.Draft202012Validator(schemas.load(name), registry=registry,
                                           format_checker=FORMATS)


def _check_entry(fields: dict[str, str]) -> str:
    entry = dict(fields)
    entry["payload"] = json.loads(entry["payload"])
    _validator("envelope.json").validate(entry)
    _validator(schemas.payload_schema_name(entry["type"])).validate(entry["payload"])
    return entry["type"]


def test_what_the_pipeline_alerts_and_ops_publish_validates(redis_client, keys, settings):
    from worker.resources import build_resources

    res = build_resources(settings)
    try:
        published = datetime.now(timezone.utc) - timedelta(hours=2)
        for i, outlet in enumerate(("alpha-news.example", "beta-times.example")):
            doc = Document(id=f"d{i}", url=f"http://{outlet}/2026/market-bombing-{i}", title="Market bombing",
                           published=published, published_source="input", text=ARTICLE)
            res.pipeline.process(doc)
        res.pipeline.process(Document(id="short", url="http://alpha-news.example/x", text="Too short."))
    finally:
        res.close()
    # Alerts (a rule matching every incident) and ops events, through their real code paths.
    config = AlertConfig.parse(yaml.safe_load("rules: [{name: any, match: {}}]"))
    OpsReporter(redis_client, keys, settings).fire("feed_failure", "http://f/rss", "feed failing",
                                                   details={"consecutive_failures": 3})
    service = AlertService(redis_client, keys, settings, config, start="0", block=0.05, watch=False)
    service.drain()
    service.close()
    # incident.merged as the pipeline shapes it (merges need a specific history to occur naturally).
    incidents = [json.loads(f["payload"]) for _, f in redis_client.xrange(keys.incidents_stream)]
    assert incidents, "the pipeline published no incident for an obvious bombing report"
    merged = {"incident_id": "old", "merged_into": incidents[0]["incident_id"], "incident": incidents[0]}
    Publisher(redis_client, keys, settings).publish(
        keys.incidents_stream, make_envelope("incident.merged", merged, msg_id=message_id("incident.merged", "x")))

    seen = set()
    for name in STREAM_NAMES:
        for _, fields in redis_client.xrange(stream_key(keys, name)):
            seen.add(_check_entry(fields))
    assert {"incident.created", "incident.merged", "article.cleaned", "article.rejected", "alert.fired",
            "ops.feed_failure"} <= seen


def test_schemas_reject_a_broken_message():
    bad = {"message_id": "m", "type": "incident.created", "schema_version": "1.0",
           "occurred_at": "yesterday", "produced_at": "2026-01-01T00:00:00Z", "payload": {}}
    with pytest.raises(jsonschema.ValidationError):
        _validator("envelope.json").validate(bad)
    with pytest.raises(jsonschema.ValidationError):
        _validator("incident.json").validate({"incident_id": "x"})


def test_newer_minor_version_with_an_extra_field_still_validates():
    ok = {"kind": "lag", "subject": "g@s", "summary": "behind", "observed_at": "2026-01-01T00:00:00Z",
          "a_field_added_in_1_1": True}
    _validator("ops_event.json").validate(ok)
