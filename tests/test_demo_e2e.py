"""`newsworker demo` end to end: sample site -> real Celery worker -> real Redis -> incidents stream."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.test_cli import run_cli
from worker.stream import decode_entry


@pytest.mark.slow
def test_demo_prints_incidents_and_dedups_both_ways(settings, redis_client, keys) -> None:
    proc = run_cli("demo", "--timeout", "240", env={"REDIS_URL": settings.redis_url,
                                                    "NEWSWORKER_NAMESPACE": settings.namespace}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[incident.created]" in proc.stdout and "articles processed" in proc.stdout

    latest: dict[str, dict] = {}
    merged: set[str] = set()
    for _, fields in redis_client.xrange(keys.incidents_stream):
        env = decode_entry(fields)
        if env.type == "incident.merged":
            merged.add(env.payload["incident_id"])
        else:
            latest[env.payload["incident_id"]] = env.payload
    incidents = {i: p for i, p in latest.items() if i not in merged}
    by_slug: dict[str, set[str]] = defaultdict(set)
    for incident_id, payload in incidents.items():
        for source in payload["sources"]:
            by_slug[source["url"].rsplit("/", 1)[-1]].add(incident_id)

    blast = by_slug["peshawar-market-blast.html"]
    assert blast and blast == by_slug["death-toll-rises-peshawar-bazaar-explosion.html"], \
        "two outlets reporting the same bombing must land in one incident"
    assert by_slug["hayatabad-checkpoint-attack.html"].isdisjoint(blast), \
        "a different attack in the same city the same night must stay a separate incident"
    (blast_id,) = blast
    assert incidents[blast_id]["n_outlets"] == 2
    # the later report: "rose to 11 after two of the injured died in hospital ... About 30 people were wounded"
    cas = incidents[blast_id]["event"]["casualties"]
    assert (cas["killed"], cas["wounded"]) == (11, 30)
    assert "gor-mahia-win-derby.html" not in by_slug and "assembly-passes-budget.html" not in by_slug
    assert by_slug["students-abducted-zaria.html"] and by_slug["polling-station-set-ablaze-kisumu.html"]
    # robots.txt closes the polling-station page to crawlers: its story came from the feed's full text
    articles = {decode_entry(f).payload["url"].rsplit("/", 1)[-1]: decode_entry(f).payload
                for _, f in redis_client.xrange(keys.articles_stream)}
    arson = articles["polling-station-set-ablaze-kisumu.html"]
    assert arson["from_feed"] and arson["fetch_error"].startswith("robots_disallowed: ")
    assert not any(a["from_feed"] for slug, a in articles.items() if slug != "polling-station-set-ablaze-kisumu.html")
    processed = int(redis_client.hget(keys.counters, "documents_processed") or 0)
    assert processed >= 7
