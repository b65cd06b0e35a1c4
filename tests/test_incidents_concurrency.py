"""Many worker processes assigning reports of one incident at the same moment produce one incident.

Real processes (multiprocessing, fork) against the real Redis fixture, released together by a
barrier, repeated over several rounds; the result must equal one process ingesting in order.
"""

from __future__ import annotations

import multiprocessing as mp
from datetime import date, datetime, timedelta, timezone

from config.settings import Settings
from worker.incidents import IncidentStore
from worker.keys import Keys
from worker.models import Article, Casualties, Event, Location
from worker.redis_conn import connect

PLACE = Location(name="Marlow Heights", country="US", admin1="Maryland", lat=38.84, lon=-76.95, precision="town")
T0 = datetime(2024, 5, 4, 14, 0, tzinfo=timezone.utc)
OPENINGS = ["Police said", "Officers said on Sunday that", "According to the county,", "Witnesses told reporters",
            "A spokesperson confirmed", "Family members said"]
INCIDENTS = {
    "starlite": (("Jamal Orrick and Tevin Prudhomme were shot outside the Starlite bowling alley on Kessler Road. "
                  "Orrick died at Prince Memorial. Detectives want video from the Starlite lot."), 1, 1),
    "quickway": (("Ramona Velasquez was shot in a robbery at the Quickway station on Fenwick Avenue. The robber "
                  "ran toward Belcourt Park. Velasquez, a Quickway clerk, is expected to recover."), 0, 1),
}
PROCS = 4
PER_PROC = 3  # reports per process: 12 reports of 2 incidents per round
ROUNDS = 4


def _reports(round_no: int) -> list[tuple[Article, Event]]:
    out = []
    for k in range(PROCS * PER_PROC):
        name = "starlite" if k % 3 else "quickway"
        text, killed, wounded = INCIDENTS[name]
        aid = f"r{round_no}-{name}-{k}"
        art = Article(id=aid, url=f"https://outlet{k}.example/{aid}", title=f"Shooting {k}",
                      text=f"{OPENINGS[k % len(OPENINGS)]} {text}", published=T0 + timedelta(minutes=k))
        ev = Event(article_id=aid, is_incident=True, event_type="shooting", date=date(2024, 5, 4),
                   date_precision="day", location=PLACE, casualties=Casualties(killed=killed, wounded=wounded))
        out.append((art, ev))
    return out


def _worker(settings: Settings, prefix: str, jobs: list[tuple[Article, Event]], barrier, results) -> None:  # type: ignore[no-untyped-def]
    client = connect(settings.redis_url or "")
    store = IncidentStore(client, Keys(prefix), settings)
    barrier.wait(timeout=30)
    for art, ev in jobs:
        a = store.assign(art, ev)
        results.put((art.id, a.incident.incident_id, a.change))
    client.close()


def _sequential(settings: Settings, prefix: str, reports: list[tuple[Article, Event]]) -> dict[str, str]:
    client = connect(settings.redis_url or "")
    store = IncidentStore(client, Keys(prefix), settings)
    for art, ev in reports:
        store.assign(art, ev)
    out = {art.id: store.incident_of(art.id) or "" for art, _ in reports}
    client.close()
    return out


def _groups(assignment: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for aid, iid in assignment.items():
        by.setdefault(iid, set()).add(aid)
    return {frozenset(v) for v in by.values()}


def _race(ctx, target, settings: Settings, prefix: str, jobs: list) -> list:  # type: ignore[no-untyped-def]
    """Deal the jobs round-robin to PROCS processes that start together at a barrier; each process puts one
    row per job on the queue. Returns the rows, after every process has exited cleanly."""
    barrier, results = ctx.Barrier(PROCS), ctx.Queue()
    procs = [ctx.Process(target=target, args=(settings, prefix, jobs[i::PROCS], barrier, results))
             for i in range(PROCS)]
    for p in procs:
        p.start()
    rows = [results.get(timeout=60) for _ in jobs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return rows


def test_concurrent_processes_make_one_incident_per_real_incident(settings, redis_client) -> None:
    ctx = mp.get_context("fork")
    for round_no in range(ROUNDS):
        reports = _reports(round_no)
        prefix = f"{settings.key_prefix}:round{round_no}"
        # interleave so every process holds reports of both incidents
        rows = _race(ctx, _worker, settings, prefix, reports)
        assert sum(1 for _, _, change in rows if change == "created") == 2, rows
        store = IncidentStore(redis_client, Keys(prefix), settings)
        concurrent = {art.id: store.incident_of(art.id) or "" for art, _ in reports}
        incidents = [store.resolve(i) for i in set(concurrent.values())]
        assert len(incidents) == 2
        assert sorted(i.n_articles for i in incidents if i) == [4, 8]
        assert sorted(i.n_outlets for i in incidents if i) == [4, 8]
        sequential = _sequential(settings, f"{settings.key_prefix}:seq{round_no}", reports)
        assert _groups(concurrent) == _groups(sequential)


def _follow_up_worker(settings: Settings, prefix: str, jobs: list[tuple[Article, Event]], barrier, results) -> None:  # type: ignore[no-untyped-def]
    client = connect(settings.redis_url or "")
    store = IncidentStore(client, Keys(prefix), settings)
    barrier.wait(timeout=30)
    for art, ev in jobs:
        a = store.assign(art, ev) if ev.is_incident else store.attach(art, ev)
        results.put((art.id, a.incident.incident_id if a else None))
    client.close()


def test_follow_ups_racing_their_incident_reports_all_end_up_in_it(settings, redis_client) -> None:
    """Follow-ups that arrive before the incident wait and are adopted, after it they join: whatever the
    interleaving, each lands in its incident exactly once and none is left pending."""
    ctx = mp.get_context("fork")
    for round_no in range(ROUNDS):
        jobs = []
        for art, ev in _reports(round_no):
            if art.id.endswith(("-1", "-2", "-7", "-8")):  # a third of the reports are court stories
                art = art.model_copy(update={"text": "In court on Monday, prosecutors described the case. " + art.text})
                ev = ev.model_copy(update={"is_incident": False})
            jobs.append((art, ev))
        prefix = f"{settings.key_prefix}:fu{round_no}"
        rows = _race(ctx, _follow_up_worker, settings, prefix, jobs)
        store = IncidentStore(redis_client, Keys(prefix), settings)
        final = {art.id: store.incident_of(art.id) for art, _ in jobs}
        assert all(final.values()), rows
        by_story = {name: {final[a.id] for a, _ in jobs if f"-{name}-" in a.id} for name in ("starlite", "quickway")}
        assert all(len(ids) == 1 for ids in by_story.values()) and by_story["starlite"] != by_story["quickway"]
        incidents = [store.resolve(next(iter(ids))) for ids in by_story.values()]
        assert sorted(i.n_articles for i in incidents if i) == [4, 8]
        assert redis_client.keys(Keys(prefix).pending_follow_up("*")) == []
