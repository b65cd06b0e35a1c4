"""Level 3: same-incident assignment, living records, vetoes, merges and expiry, on the real Redis."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from worker.incidents import IncidentStore
from worker.models import Article, Casualties, Event, Evidence, Location, Perpetrator

T0 = datetime(2024, 5, 4, 14, 0, tzinfo=timezone.utc)
MARLOW = Location(name="Marlow Heights", country="US", admin1="Maryland", lat=38.84, lon=-76.95, precision="town")
OAKHOLLOW = Location(name="Oakhollow", country="US", admin1="Maryland", lat=39.60, lon=-77.80, precision="town")

BOWLING_A = ("Two men were wounded late Saturday when gunfire broke out outside the Starlite bowling alley on "
             "Kessler Road, police said. Officers found the victims, Jamal Orrick, 24, and Tevin Prudhomme, 31, "
             "in the parking lot. Detectives believe an argument inside the alley led to the shooting.")
BOWLING_B = ("Marlow Heights police are looking for the gunman who opened fire in the Starlite parking lot on "
             "Kessler Road. Tevin Prudhomme and Jamal Orrick were struck; one of them, Orrick, has since died, "
             "a family member said. The alley's owner promised extra security.")
STORE_ROBBERY = ("A clerk was shot during a robbery at the Quickway gas station on Fenwick Avenue in Marlow "
                 "Heights late Saturday. Ramona Velasquez, 52, was hit in the arm; the robber fled on foot "
                 "toward Belcourt Park, police said.")


def article(aid: str, text: str, when: datetime = T0, outlet: str = "wmhx.example", title: str = "Shooting") -> Article:
    return Article(id=aid, url=f"https://{outlet}/news/{aid}", title=title, text=text, published=when)


def event(aid: str, *, loc: Location = MARLOW, day: date = date(2024, 5, 4), killed: int | None = 0,
          wounded: int | None = 2, type_: str = "shooting", perps: list[Perpetrator] | None = None) -> Event:
    return Event(article_id=aid, is_incident=True, event_type=type_, date=day, date_precision="day", location=loc,
                 casualties=Casualties(killed=killed, wounded=wounded), perpetrators=perps or [])


@pytest.fixture()
def store(redis_client, keys, settings) -> IncidentStore:
    return IncidentStore(redis_client, keys, settings)


def test_same_incident_in_other_words_joins_and_updates(store) -> None:
    first = store.assign(article("a1", BOWLING_A), event("a1"))
    assert first.change == "created" and first.incident.revision == 1
    second = store.assign(article("a2", BOWLING_B, T0 + timedelta(hours=20), outlet="marlowpatch.example"),
                          event("a2", killed=1, wounded=1))
    assert second.incident.incident_id == first.incident.incident_id
    assert second.change == "updated" and second.incident.revision == 2
    assert "new_outlet" in second.material_changes and "toll_revised" in second.material_changes
    inc = second.incident
    assert inc.n_articles == 2 and inc.n_outlets == 2
    assert inc.event.casualties.killed == 1 and inc.killed_range == (0, 1) and inc.wounded_range == (1, 2)
    assert len(inc.casualty_reports) == 2


def test_repeat_article_is_unchanged(store) -> None:
    first = store.assign(article("a1", BOWLING_A), event("a1"))
    again = store.assign(article("a1", BOWLING_A), event("a1"))
    assert again.change == "unchanged" and again.incident.revision == first.incident.revision
    assert again.incident.n_articles == 1


def test_two_shootings_in_one_town_one_night_stay_two(store) -> None:
    a = store.assign(article("a1", BOWLING_A), event("a1"))
    b = store.assign(article("b1", STORE_ROBBERY, T0 + timedelta(hours=1)), event("b1", killed=0, wounded=1))
    assert a.incident.incident_id != b.incident.incident_id


DINER = ("Deputies said a man was shot near the Starlite diner late Saturday. Marcus Tillery, 40, was found "
         "wounded in his truck on Dunmore Pike and taken to Saint Agnes.")


def test_vetoes_keep_apart_reports_that_contradict(store) -> None:
    base = store.assign(article("a1", BOWLING_A), event("a1"))
    # shares a few names with the bowling-alley story: in the same town it would join, 100 km away it must not
    other_town = store.assign(article("v1", DINER), event("v1", loc=OAKHOLLOW, wounded=1))
    too_late = store.assign(article("v2", BOWLING_A + " More later."), event("v2", day=date(2024, 3, 1)))
    other_type = store.assign(article("v3", BOWLING_A + " Update."), event("v3", type_="bombing"))
    ids = {base.incident.incident_id, other_town.incident.incident_id, too_late.incident.incident_id,
           other_type.incident.incident_id}
    assert len(ids) == 4
    assert all(a.change == "created" for a in (other_town, too_late, other_type))


def test_casualty_consensus_keeps_every_source(store) -> None:
    figures = [("c1", None, 2, "one.example"), ("c2", 1, 1, "two.example"), ("c3", 1, 1, "three.example"),
               ("c4", 0, 2, "four.example")]
    last = None
    for k, (aid, killed, wounded, outlet) in enumerate(figures):
        last = store.assign(article(aid, BOWLING_A if k % 2 == 0 else BOWLING_B, T0 + timedelta(hours=k),
                                    outlet=outlet), event(aid, killed=killed, wounded=wounded))
    assert last is not None
    inc = last.incident
    assert [(c.killed, c.wounded, c.outlet) for c in inc.casualty_reports] == [(f[1], f[2], f[3]) for f in figures]
    assert inc.killed_range == (0, 1) and inc.wounded_range == (1, 2)
    # the latest report says 0 killed, but two outlets already confirmed a death: that figure stands
    assert inc.event.casualties.killed == 1
    assert inc.n_outlets == 4 and inc.n_articles == 4


def test_a_victim_who_died_later_leaves_the_wounded(store) -> None:
    # Saturday: two men wounded; Sunday: one of them has died, and the report gives no figure for the wounded
    store.assign(article("d1", BOWLING_A), event("d1", killed=0, wounded=2))
    later = store.assign(article("d2", BOWLING_B, T0 + timedelta(hours=20), outlet="marlowpatch.example"),
                         event("d2", killed=1, wounded=None))
    assert (later.incident.event.casualties.killed, later.incident.event.casualties.wounded) == (1, 1)
    assert later.incident.wounded_range == (2, 2)  # every source's own figure is still kept
    # a later report that repeats the same death toll does not take anyone else from the wounded
    again = store.assign(article("d3", BOWLING_B + " Vigil planned.", T0 + timedelta(hours=30), outlet="wmhx2.example"),
                         event("d3", killed=1, wounded=None))
    assert again.incident.event.casualties.wounded == 1


def test_claim_and_better_location_are_material(store) -> None:
    vague = Location(name="Maryland", country="US", admin1="Maryland", precision="admin1")
    first = store.assign(article("m1", BOWLING_A), event("m1", loc=vague))
    second = store.assign(article("m2", BOWLING_B, T0 + timedelta(hours=3)),
                          event("m2", perps=[Perpetrator(name="Kessler Road Crew", claim="claimed")]))
    assert second.incident.incident_id == first.incident.incident_id
    assert "claim" in second.material_changes and "better_location" in second.material_changes
    assert "new_outlet" not in second.material_changes  # same outlet
    assert second.incident.event.location == MARLOW
    same_outlet_again = store.assign(article("m3", BOWLING_A + " Police thanked the public.", T0 + timedelta(hours=4)),
                                     event("m3", killed=0, wounded=2))
    assert same_outlet_again.change == "unchanged" and same_outlet_again.incident.revision == second.incident.revision
    assert same_outlet_again.incident.n_articles == 3


def test_report_naming_both_halves_merges_two_incidents(store) -> None:
    half_a = ("Jamal Orrick was wounded outside the Starlite bowling alley on Kessler Road, police said. Orrick "
              "was taken to Prince Memorial.")
    half_b = ("Tevin Prudhomme was found wounded in a car on Belcourt Lane, police said. Prudhomme was treated "
              "at Saint Agnes and released.")
    a = store.assign(article("h1", half_a), event("h1", wounded=1))
    b = store.assign(article("h2", half_b, T0 + timedelta(hours=1), outlet="other.example"), event("h2", wounded=1))
    assert a.incident.incident_id != b.incident.incident_id
    both = store.assign(article("h3", "Police now say the two men were hurt in one shooting. " + half_a + " " + half_b,
                                T0 + timedelta(hours=5), outlet="third.example"), event("h3", wounded=2))
    assert both.incident.incident_id == a.incident.incident_id  # the oldest survives
    assert [m.incident_id for m in both.merged] == [b.incident.incident_id]
    assert both.merged[0].merged_into == a.incident.incident_id
    assert both.change == "updated" and "merge" in both.material_changes
    assert both.incident.n_articles == 3
    assert store.incident_of("h2") == a.incident.incident_id
    assert store.resolve(b.incident.incident_id).incident_id == a.incident.incident_id


def test_incidents_leave_the_candidate_index_after_the_window(redis_client, keys, settings) -> None:
    # names kept no longer than places: the plain window (rare-name retention has its own test)
    settings = settings.with_overrides(incident_name_window_days=settings.incident_window_days)
    store = IncidentStore(redis_client, keys, settings)
    undated = {"day": None}
    first = store.assign(article("x1", BOWLING_A), event("x1", **undated))  # type: ignore[arg-type]
    later = T0 + timedelta(days=settings.incident_window_days + 1)
    second = store.assign(article("x2", BOWLING_A + " One year on.", later), event("x2", **undated))  # type: ignore[arg-type]
    assert second.change == "created" and second.incident.incident_id != first.incident.incident_id
    blocks = redis_client.keys(keys.incident_block("*"))
    assert blocks
    for block in blocks:
        assert first.incident.incident_id not in redis_client.zrange(block, 0, -1)
    # within the window the same text would have joined
    third = store.assign(article("x3", BOWLING_A + " Two days on.", later + timedelta(days=2)),
                         event("x3", **undated))  # type: ignore[arg-type]
    assert third.incident.incident_id == second.incident.incident_id


# -- follow-ups: stories that are no incident report themselves (arrest, court, vigil) ---------------------
COURT = ("A Marlow Heights man was ordered held without bail on Monday in the killing of Jamal Orrick outside the "
         "Starlite bowling alley. Prosecutors say Darnell Quist, 27, fired at Orrick and Tevin Prudhomme after an "
         "argument on Kessler Road. Quist's lawyer said his client will plead not guilty.")
VIGIL = ("Neighbours gathered at the Grange Hall in Marlow Heights on Sunday evening for a vigil against gun "
         "violence. Pastor Ellen Whitcombe led prayers and the mayor promised more patrols this summer.")


def follow_up(aid: str, **kw) -> Event:  # type: ignore[no-untyped-def]
    """A story the extractor judges no incident report; it gives no toll of its own unless told (with a
    toll, a place and a date at most two days before publication it is fresh news: `is_fresh_report`)."""
    kw.setdefault("killed", None)
    kw.setdefault("wounded", None)
    ev = event(aid, **kw)
    return ev.model_copy(update={"is_incident": False})


def test_follow_up_court_story_joins_the_shooting_it_reports(store) -> None:
    shooting = store.assign(article("a1", BOWLING_A), event("a1"))
    court = store.attach(article("f1", COURT, T0 + timedelta(days=9), outlet="courts.example", title="Suspect held"),
                         follow_up("f1", day=date(2024, 5, 13), killed=1, wounded=None))
    assert court is not None and court.incident.incident_id == shooting.incident.incident_id
    # one more source from a new outlet, and news of a death ("the killing of Jamal Orrick", one of the two
    # wounded): material, published as incident.updated
    assert court.change == "updated" and court.material_changes == ["new_outlet", "toll_revised"]
    inc = court.incident
    assert inc.n_articles == 2 and inc.n_outlets == 2 and inc.revision == 2
    assert [s.url for s in inc.sources][-1] == "https://courts.example/news/f1"
    # a follow-up's death toll counts, its other figures do not: the wounded man who died leaves the wounded
    assert (inc.event.casualties.killed, inc.event.casualties.wounded) == (1, 1)
    assert [(c.killed, c.wounded) for c in inc.casualty_reports] == [(0, 2), (1, None)]
    assert store.incident_of("f1") == shooting.incident.incident_id
    again = store.attach(article("f1", COURT, T0 + timedelta(days=9), outlet="courts.example"), follow_up("f1"))
    assert again is not None and again.change == "unchanged" and again.incident.n_articles == 2


def test_follow_up_from_a_known_outlet_changes_nothing_material(store) -> None:
    store.assign(article("a1", BOWLING_A), event("a1"))
    court = store.attach(article("f1", COURT, T0 + timedelta(days=2)), follow_up("f1"))
    assert court is not None and court.change == "unchanged" and court.material_changes == []
    assert court.incident.revision == 1 and court.incident.n_articles == 2


def test_follow_up_never_creates_an_incident(store, redis_client, keys) -> None:
    assert store.attach(article("f1", COURT), follow_up("f1")) is None
    assert store.incident_of("f1") is None
    assert redis_client.keys(keys.incident("*")) == []
    assert redis_client.keys(keys.incident_features("*")) == []


def test_follow_up_on_place_and_date_alone_joins_nothing(store) -> None:
    store.assign(article("a1", BOWLING_A), event("a1"))
    store.assign(article("b1", STORE_ROBBERY, T0 + timedelta(hours=1)), event("b1", killed=0, wounded=1))
    vigil = store.attach(article("f2", VIGIL, T0 + timedelta(days=1), outlet="other.example"), follow_up("f2"))
    assert vigil is None and store.incident_of("f2") is None


def test_follow_up_joins_the_right_one_of_two_shootings_in_a_town(store) -> None:
    bowling = store.assign(article("a1", BOWLING_A), event("a1"))
    robbery = store.assign(article("b1", STORE_ROBBERY, T0 + timedelta(hours=1)), event("b1", killed=0, wounded=1))
    arrest = ("Marlow Heights police on Tuesday arrested a 19-year-old in the robbery of the Quickway gas station "
              "on Fenwick Avenue in which clerk Ramona Velasquez was wounded. Velasquez has left the hospital.")
    joined = store.attach(article("f3", arrest, T0 + timedelta(days=3), outlet="other.example"), follow_up("f3"))
    assert joined is not None and joined.incident.incident_id == robbery.incident.incident_id
    assert joined.incident.incident_id != bowling.incident.incident_id


TRIAL = ("Darnell Quist went on trial Tuesday in the killing of Jamal Orrick, who was shot with Tevin Prudhomme "
         "outside the Starlite bowling alley on Kessler Road last spring. Prudhomme is expected to testify. Quist "
         "has pleaded not guilty.")


def test_late_follow_up_finds_the_incident_by_its_rare_names(store, redis_client, keys, settings) -> None:
    shooting = store.assign(article("a1", BOWLING_A), event("a1"))
    iid = shooting.incident.incident_id
    later = T0 + timedelta(days=settings.incident_window_days + 40)
    # long after the window the town and map cell no longer list the incident, its rare names still do
    other = store.assign(article("o1", STORE_ROBBERY, later), event("o1", day=later.date(), killed=0, wounded=1))
    assert other.change == "created" and other.incident.incident_id != iid
    for block in redis_client.keys(keys.incident_block("p:*")) + redis_client.keys(keys.incident_block("g:*")):
        assert iid not in redis_client.zrange(block, 0, -1)
    undated = {"day": None}  # the trial story gives no date of the shooting (a hearing date would veto)
    trial = store.attach(article("f1", TRIAL, later, outlet="courts.example"), follow_up("f1", **undated))  # type: ignore[arg-type]
    assert trial is not None and trial.incident.incident_id == iid


def test_late_report_sharing_only_the_town_starts_its_own_incident(store, settings) -> None:
    store.assign(article("a1", BOWLING_A), event("a1"))
    later = T0 + timedelta(days=settings.incident_window_days + 40)
    text = ("A man was wounded in a shooting on Dunmore Pike in Marlow Heights on Friday night, police said. "
            "Marcus Tillery, 40, was treated and released.")
    assert store.attach(article("f2", text, later), follow_up("f2", day=later.date())) is None
    assert store.assign(article("n2", text, later), event("n2", day=later.date())).change == "created"


def test_rare_names_leave_the_index_after_the_name_window(store, redis_client, keys, settings) -> None:
    shooting = store.assign(article("a1", BOWLING_A), event("a1"))
    later = T0 + timedelta(days=settings.incident_name_window_days + 1)
    assert store.attach(article("f1", TRIAL, later), follow_up("f1", day=None)) is None  # type: ignore[arg-type]
    # the next write to a block prunes what left it; the rest expires with the blocks' TTL
    store.assign(article("a2", BOWLING_A + " A new shooting.", later), event("a2", day=later.date()))
    for block in redis_client.keys(keys.incident_block("*")):
        assert shooting.incident.incident_id not in redis_client.zrange(block, 0, -1)
    assert 0 < redis_client.ttl(keys.incident(shooting.incident.incident_id)) <= int(
        (settings.incident_name_window_days + settings.incident_window_days) * 86400)


def test_follow_up_before_its_incident_is_adopted_when_the_incident_appears(store, redis_client, keys) -> None:
    # the court story is published before any report of the shooting reaches us: it waits, pending
    assert store.attach(article("f1", COURT, T0, outlet="courts.example"), follow_up("f1")) is None
    assert redis_client.exists(keys.pending_follow_up("f1"))
    shooting = store.assign(article("a1", BOWLING_A, T0 + timedelta(hours=2)), event("a1"))
    assert shooting.change == "created" and shooting.adopted == ["f1"]
    inc = shooting.incident
    assert inc.revision == 1 and inc.n_articles == 2 and inc.n_outlets == 2
    assert {s.url for s in inc.sources} == {"https://courts.example/news/f1", "https://wmhx.example/news/a1"}
    assert (inc.event.casualties.killed, inc.event.casualties.wounded) == (0, 2)  # from the report only
    assert store.incident_of("f1") == inc.incident_id
    assert not redis_client.exists(keys.pending_follow_up("f1"))
    for block in redis_client.keys(keys.pending_block("*")):
        assert "f1" not in redis_client.zrange(block, 0, -1)
    # adopted once: the next report of the incident finds nothing pending
    again = store.assign(article("a2", BOWLING_B, T0 + timedelta(hours=5), outlet="marlowpatch.example"),
                         event("a2", killed=1, wounded=1))
    assert again.incident.incident_id == inc.incident_id and again.adopted == []
    assert again.incident.n_articles == 3


def test_pending_follow_up_is_not_adopted_by_another_shooting(store) -> None:
    assert store.attach(article("f1", COURT, T0, outlet="courts.example"), follow_up("f1")) is None
    robbery = store.assign(article("b1", STORE_ROBBERY, T0 + timedelta(hours=1)), event("b1", killed=0, wounded=1))
    assert robbery.adopted == [] and store.incident_of("f1") is None
    bowling = store.assign(article("a1", BOWLING_A, T0 + timedelta(hours=2)), event("a1"))
    assert bowling.adopted == ["f1"] and bowling.incident.incident_id != robbery.incident.incident_id


def test_pending_follow_ups_leave_after_the_window(store, redis_client, keys, settings) -> None:
    assert store.attach(article("f1", COURT, T0), follow_up("f1")) is None
    ttl = redis_client.ttl(keys.pending_follow_up("f1"))
    assert 0 < ttl <= settings.incident_window_days * 86400
    later = T0 + timedelta(days=settings.incident_window_days + 1)
    undated = {"day": None}
    late = store.assign(article("a1", BOWLING_A, later), event("a1", **undated))  # type: ignore[arg-type]
    assert late.change == "created" and late.adopted == []


def test_follow_up_sharing_only_the_town_name_joins_nothing(store) -> None:
    store.assign(article("a1", BOWLING_A), event("a1"))
    text = ("Marlow Heights police said a teenager accidentally shot himself in the hand at a home on Dunmore "
            "Pike on Sunday. Marlow Heights schools will offer counselling.")
    assert store.attach(article("f4", text, T0 + timedelta(days=1), outlet="other.example"), follow_up("f4")) is None


def test_follow_up_that_joins_on_a_retry_is_no_longer_pending(store, redis_client, keys) -> None:
    assert store.attach(article("f1", COURT, T0, outlet="courts.example"), follow_up("f1")) is None
    # the incident's first report does not see it (as when they share names outside the report's blocks)
    for block in redis_client.keys(keys.pending_block("*")):
        redis_client.zrem(block, "f1")
    bowling = store.assign(article("a1", BOWLING_A, T0 + timedelta(hours=2)), event("a1"))
    assert bowling.adopted == []
    retried = store.attach(article("f1", COURT, T0, outlet="courts.example"), follow_up("f1"))  # a retried task
    assert retried is not None and retried.incident.incident_id == bowling.incident.incident_id
    # placed now: it can never be adopted a second time by another incident
    assert not redis_client.exists(keys.pending_follow_up("f1"))


def test_fresh_news_the_extractor_calls_a_follow_up_starts_an_incident(store) -> None:
    # the day's shooting, told in words the extractor took for a follow-up: dated, placed, with a toll
    fresh = store.attach(article("f1", BOWLING_A, T0 + timedelta(hours=3)), follow_up("f1", killed=0, wounded=2))
    assert fresh is not None and fresh.change == "created"
    assert fresh.incident.event.is_incident and fresh.incident.event.casualties.wounded == 2
    second = store.assign(article("a2", BOWLING_B, T0 + timedelta(hours=20), outlet="marlowpatch.example"),
                          event("a2", killed=1, wounded=1))
    assert second.incident.incident_id == fresh.incident.incident_id


def test_fresh_story_that_matches_an_incident_joins_it_as_a_follow_up(store) -> None:
    shooting = store.assign(article("a1", BOWLING_A), event("a1"))
    # a hearing dated to its own day with the toll: fresh by its dates, but an incident claims it
    court = store.attach(article("f1", COURT, T0 + timedelta(days=9), outlet="courts.example"),
                         follow_up("f1", day=date(2024, 5, 13), killed=1, wounded=3))
    assert court is not None and court.incident.incident_id == shooting.incident.incident_id
    # joined as a follow-up: its death toll is kept, its wounded figure is not (a report's would be)
    assert [(c.killed, c.wounded) for c in court.incident.casualty_reports] == [(0, 2), (1, None)]


def test_a_follow_ups_count_of_the_wounded_fills_a_gap_only(store) -> None:
    # the report told the death alone; a court story says three more were wounded: the record had no count
    shooting = store.assign(article("a1", BOWLING_A), event("a1", killed=1, wounded=None))
    court = store.attach(article("f1", COURT, T0 + timedelta(days=9), outlet="courts.example"),
                         follow_up("f1", day=date(2024, 5, 13), killed=1, wounded=3))
    assert court is not None and court.incident.incident_id == shooting.incident.incident_id
    assert (court.incident.event.casualties.killed, court.incident.event.casualties.wounded) == (1, 3)
    assert court.incident.wounded_range == (3, 3) and "toll_revised" in court.material_changes



def test_a_follow_up_counting_fewer_dead_fills_no_gap(store) -> None:
    # the reports say two died; a court story counts one dead and one wounded (the state before the second died)
    shooting = store.assign(article("a1", BOWLING_A), event("a1", killed=2, wounded=None))
    court = store.attach(article("f1", COURT, T0 + timedelta(days=9), outlet="courts.example"),
                         follow_up("f1", day=date(2024, 5, 13), killed=1, wounded=1))
    assert court is not None and court.incident.incident_id == shooting.incident.incident_id
    assert court.incident.event.casualties.wounded is None


def test_only_a_dated_placed_story_with_a_toll_is_fresh() -> None:
    from worker.incidents import is_fresh_report

    when = T0 + timedelta(days=1)
    assert is_fresh_report(article("f", COURT, when), follow_up("f", wounded=2))
    assert not is_fresh_report(article("f", COURT, when), follow_up("f"))  # no toll
    assert not is_fresh_report(article("f", COURT, T0 + timedelta(days=5)), follow_up("f", wounded=2))  # stale
    assert not is_fresh_report(article("f", COURT, when), follow_up("f", wounded=2, day=None))  # type: ignore[arg-type]
    assert not is_fresh_report(article("f", COURT, when),
                               follow_up("f", wounded=2, loc=Location(name=None)))


# -- follow-ups that corroborate each other; an outlet's page furniture --------------------------------------
HEARING = ("Darnell Quist, 27, appeared in Marlow Heights district court on Thursday for a preliminary hearing in the "
           "death of Jamal Orrick. Witnesses testified that Quist fired at Orrick and Tevin Prudhomme in the Starlite "
           "parking lot on Kessler Road. Quist's lawyer asked for a lower bail.")


def test_two_follow_ups_of_an_unreported_shooting_start_it_together(store, redis_client, keys) -> None:
    # no report of the shooting ever reaches us; the first court story waits, pending
    first = T0 + timedelta(days=9)
    assert store.attach(article("f1", COURT, first, outlet="courts.example"), follow_up("f1")) is None
    assert store.incident_of("f1") is None and redis_client.keys(keys.incident("*")) == []
    # a second outlet tells of the same case: corroborated, it is an incident (incident.created, both sources)
    second = store.attach(article("f2", HEARING, first + timedelta(days=3), outlet="marlowpatch.example"),
                          follow_up("f2"))
    assert second is not None and second.change == "created" and second.adopted == ["f1"]
    inc = second.incident
    assert inc.revision == 1 and inc.n_articles == 2 and inc.n_outlets == 2 and inc.event.is_incident
    assert store.incident_of("f1") == store.incident_of("f2") == inc.incident_id
    assert not redis_client.exists(keys.pending_follow_up("f1"))
    # a report that reaches us later joins it like any incident
    report = store.assign(article("a1", BOWLING_B, first + timedelta(days=4), outlet="wmhx.example"),
                          event("a1", killed=1, wounded=1))
    assert report.incident.incident_id == inc.incident_id and report.change == "updated"


def test_follow_ups_without_a_violent_act_start_nothing(store) -> None:
    clash = {"type_": "armed_clash"}
    assert store.attach(article("f1", COURT, T0, outlet="courts.example"), follow_up("f1", **clash)) is None
    assert store.attach(article("f2", HEARING, T0 + timedelta(days=1), outlet="marlowpatch.example"),
                        follow_up("f2", **clash)) is None
    assert store.incident_of("f1") is None and store.incident_of("f2") is None


def test_words_an_outlet_prints_on_stories_of_many_incidents_identify_none(store, redis_client, keys) -> None:
    furniture = " Stormtracker Kelvado Weatherbug Quorvex alerts on the Kelvado app."
    towns = [("Tilbury", 39.20, -76.60), ("Greywater", 39.40, -76.20), ("Ashcombe", 38.90, -76.40)]
    stories = [f"A man was wounded in {t} on {s} Street, police said. Officers found {v} in a car." for t, s, v in
               [("Tilbury", "Pellham", "Ozzie Brandt"), ("Greywater", "Corliss", "Dario Finchley"),
                ("Ashcombe", "Wexford", "Leon Hargitay")]]
    ids = set()
    for i, ((town, lat, lon), text) in enumerate(zip(towns, stories)):  # weeks apart: dates keep them apart
        when = T0 + timedelta(days=40 * i)
        loc = Location(name=town, country="US", admin1="Maryland", lat=lat, lon=lon, precision="town")
        a = store.assign(article(f"s{i}", text + furniture, when, outlet="wkvd.example"),
                         event(f"s{i}", loc=loc, day=when.date(), wounded=1))
        ids.add(a.incident.incident_id)
    assert len(ids) == 3
    # another shooting in Ashcombe the next day: it shares the page furniture with the last story and nothing else
    when = T0 + timedelta(days=81)
    loc = Location(name="Ashcombe", country="US", admin1="Maryland", lat=38.90, lon=-76.40, precision="town")
    text = "Two women were hurt by gunfire at the Marisol Lanes on Bixby Road, police said." + furniture
    other = store.assign(article("s9", text, when, outlet="wkvd.example"), event("s9", loc=loc, day=when.date(), wounded=2))
    assert other.change == "created" and other.incident.incident_id not in ids
    # the outlet's recent articles are a bounded list
    assert redis_client.llen(keys.outlet_terms("wkvd.example")) == 4
    # the store can keep the features it scored each report with: the furniture is gone from them
    store.trace = {}
    when = T0 + timedelta(days=82)
    text = "A teenager was shot on Quillon Avenue in Ashcombe, police said." + furniture
    store.assign(article("s10", text, when, outlet="wkvd.example"), event("s10", loc=loc, day=when.date(), wounded=1))
    assert "quorvex" not in store.trace["s10"].terms and "quorvex" not in store.trace["s10"].words


def test_outlet_words_are_recorded_while_the_outlet_is_locked(store, redis_client, keys, monkeypatch) -> None:
    """Reading and writing an outlet's recent words is one atomic section with the assignment: the
    outlet's lock is held when they are written, so racing workers learn furniture in assignment order."""
    held = []
    remember = store._remember_outlet_terms

    def spy(*a, **kw):
        held.append(bool(redis_client.exists(keys.outlet_lock("wkvd.example"))))
        return remember(*a, **kw)

    monkeypatch.setattr(store, "_remember_outlet_terms", spy)
    loc = Location(name="Tilbury", country="US", admin1="Maryland", lat=39.20, lon=-76.60, precision="town")
    store.assign(article("o1", "A man was wounded in Tilbury on Pellham Street, police said.", T0,
                         outlet="wkvd.example"), event("o1", loc=loc, day=T0.date(), wounded=1))
    assert held == [True]
    assert not redis_client.exists(keys.outlet_lock("wkvd.example"))  # released after


RINK = ("Gunfire erupted inside a crowded roller rink in Marlow Heights on Friday night, wounding a 15-year-old "
        "skater during a birthday party, police said. Desmond Ferrante was hit in the leg near the rink's arcade "
        "and is expected to recover.")


def test_follow_up_naming_no_one_joins_on_its_rare_words(store) -> None:
    # an update that names no one (only the town) but retells the incident's unusual details: the rink, the
    # skater, the birthday party, the arcade -- its words are the incident's, its names need not be
    rink = store.assign(article("r1", RINK), event("r1", wounded=1))
    update = ("The roller rink in Marlow Heights where a skater was wounded by gunfire during a birthday party "
              "will stay closed for a week while the arcade is removed, its owner said.")
    joined = store.attach(article("f5", update, T0 + timedelta(days=2), outlet="other.example"), follow_up("f5"))
    assert joined is not None and joined.incident.incident_id == rink.incident.incident_id


SUSPECT_NAMED = ("Investigators said Monday they have identified a suspect in the weekend shooting. The argument "
                 "started inside, a detective said, and anyone with video should call.")


def _dated(ev: Event) -> Event:
    """The event as the extractor gives it when the text names the day (its date has evidence)."""
    return ev.model_copy(update={"evidence": [Evidence(field="date", start=0, end=8, confidence=0.7)]})


def test_follow_up_joins_the_one_shooting_of_its_town_that_day_on_few_words(store) -> None:
    shooting = store.assign(article("a1", BOWLING_A), event("a1"))
    later = T0 + timedelta(days=2)
    # few words in common: not enough on their own, nor the town and the day without the day written out
    assert store.attach(article("f1", SUSPECT_NAMED, later, outlet="other.example"), follow_up("f1")) is None
    joined = store.attach(article("f2", SUSPECT_NAMED, later, outlet="third.example"), _dated(follow_up("f2")))
    assert joined is not None and joined.incident.incident_id == shooting.incident.incident_id


def test_follow_up_on_few_words_joins_nothing_when_its_town_had_two_shootings_that_day(store) -> None:
    store.assign(article("a1", BOWLING_A), event("a1"))
    store.assign(article("b1", STORE_ROBBERY, T0 + timedelta(hours=1)), event("b1", killed=0, wounded=1))
    later = T0 + timedelta(days=2)
    assert store.attach(article("f2", SUSPECT_NAMED, later, outlet="third.example"), _dated(follow_up("f2"))) is None


PLAYING_A = ("A 16-year-old was shot in the leg on Saturday afternoon inside a home, police said. He is expected "
             "to recover.")
PLAYING_B = ("Police say a boy, 16, was wounded Saturday when a pistol went off. Investigators called it an accident.")
PLAYING_OTHER = ("A 43-year-old man cleaning his rifle in a garage on Saturday shot himself in the hand, deputies "
                 "said. He drove himself to the hospital.")


def test_two_stories_that_name_no_one_join_on_the_victims_age(store) -> None:
    # no name in common, only the town, the day and the victim's age, in other words ("16-year-old" / "boy, 16,")
    a = store.assign(article("p1", PLAYING_A, title="Youth hurt in shooting"), event("p1", wounded=1))
    b = store.assign(article("p2", PLAYING_B, T0 + timedelta(hours=3), outlet="marlowpatch.example",
                             title="Boy wounded when pistol fires"), event("p2", wounded=1))
    assert b.incident.incident_id == a.incident.incident_id
    # another accident of that town and day, of a man of 43
    c = store.assign(article("p3", PLAYING_OTHER, T0 + timedelta(hours=4), outlet="marlowpatch.example",
                             title="Man shoots himself in the hand"), event("p3", wounded=1))
    assert c.incident.incident_id != a.incident.incident_id


def test_ages_count_among_a_reports_words_not_its_names() -> None:
    from worker.incident_features import rare_terms

    text = ("Jamal Orrick, 24, and a 31-year-old man were hurt; a boy aged 9 was not, nor a three-year-old girl. On "
            "June 5, 2014, at 3, 4 and 5.")
    words = rare_terms(text, names_only=False)
    assert {"age:24", "age:31", "age:9", "age:3"} <= set(words) and not {"age:20", "age:4", "age:5"} & set(words)
    assert not any(t.startswith("age:") for t in rare_terms(text))
