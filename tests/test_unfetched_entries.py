"""A feed entry whose page cannot be fetched (robots.txt, 403, 404) is read from the feed itself, through the real
`process_entry` task, poller, local HTTP server, Redis and spaCy; with nothing to read it is rejected with the
fetch failure as the reason."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from test_http_support import LocalServer, Reply, rss, server  # noqa: F401

import tasks.app
from tasks.processing import process_entry
from worker.feeds import feed_config
from worker.resources import Resources
from worker.stream import decode_entry

STORY = ("<p>KABUL, Afghanistan — A suicide bomber blew himself up outside a police station in Kabul on Tuesday, "
         "killing at least 12 people and wounding 30 others, officials said.</p>"
         "<p>The attacker detonated an explosives vest at the gate of the station as officers were changing shifts, "
         "interior ministry spokesman Abdul Karim said.</p>"
         "<p>No group immediately claimed responsibility for the attack.</p>")


@pytest.fixture()
def resources(settings, redis_client, nlp, monkeypatch):  # type: ignore[no-untyped-def]
    res = Resources(settings=settings, redis=redis_client)
    res.__dict__["nlp"] = nlp  # share the session's spaCy pipeline instead of loading another copy
    monkeypatch.setattr(tasks.app, "_resources", res)  # what get_resources() hands the task
    yield res
    res.http.close()


def test_unfetchable_pages_are_read_from_their_feed_entries(resources, server: LocalServer) -> None:  # noqa: F811
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    base = server.url("")
    items = [
        {"guid": "blocked", "link": f"{base}/members/kabul-blast", "pubDate": format_datetime(now),
         "title": "Suicide bomber kills 12 at Kabul police station",
         "description": "A suicide bomber struck a police station in Kabul.",
         "content:encoded": f"<![CDATA[{STORY}]]>"},
        {"guid": "paywall", "link": f"{base}/paywall/maiduguri", "pubDate": format_datetime(now),
         "title": "Suicide bomber kills 14 at market in Maiduguri, Nigeria", "description": "Subscribe to read."},
        {"guid": "gone", "link": f"{base}/gone", "pubDate": format_datetime(now), "title": "Weather"},
    ]
    body = rss(items).replace(b'<rss version="2.0"', b'<rss version="2.0" '
                              b'xmlns:content="http://purl.org/rss/1.0/modules/content/"')
    server.routes["/feed.xml"] = Reply(200, body, {"Content-Type": "application/rss+xml"})
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /members/\n", {"Content-Type": "text/plain"})
    server.routes["/paywall/maiduguri"] = Reply(403, b"<html><body>Subscribers only</body></html>",
                                                {"Content-Type": "text/html"})
    feed = feed_config(server.url("/feed.xml"))
    resources.poller.registry.add(feed)
    entries = resources.poller.poll(feed.url).new_entries
    assert len(entries) == 3

    results = {e.entry_key: process_entry.apply(args=[e.model_dump(mode="json")]).get() for e in entries}
    assert "/members/kabul-blast" not in [r.path for r in server.requests]  # robots.txt was obeyed

    articles = {m.payload["url"].rsplit("/", 1)[-1]: m for m in
                (decode_entry(f) for _, f in resources.redis.xrange(resources.keys.articles_stream))}
    blast = articles["kabul-blast"]
    assert blast.type == "article.cleaned" and blast.payload["from_feed"]
    assert blast.payload["fetch_error"].startswith("robots_disallowed: ")
    assert "wounding 30 others" in blast.payload["text"]
    market = articles["maiduguri"]
    assert market.type == "article.cleaned" and market.payload["headline_only"]
    assert market.payload["fetch_error"].startswith("http_403: ")
    gone = articles["gone"]
    assert gone.type == "article.rejected" and gone.payload["rejected"].startswith("http_404: ")
    assert results["gone"] is None

    incidents = {}
    for _, fields in resources.redis.xrange(resources.keys.incidents_stream):
        payload = decode_entry(fields).payload
        incidents[payload["incident_id"]] = payload["event"]
    assert set(incidents) == {results["blocked"], results["paywall"]}
    kabul, maiduguri = incidents[results["blocked"]], incidents[results["paywall"]]
    assert (kabul["casualties"]["killed"], kabul["casualties"]["wounded"]) == (12, 30)
    assert kabul["location"]["name"] == "Kabul"
    assert maiduguri["casualties"]["killed"] == 14 and maiduguri["location"]["name"] == "Maiduguri"
    assert html.unescape(maiduguri["summary"]).startswith("Suicide bomber kills 14")
