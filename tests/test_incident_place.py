"""The incident's place: a weighted vote over its reports' places (invented reports, real Redis for the store)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from worker.incident_record import consensus_location, location_weight
from worker.incidents import IncidentStore
from worker.models import Article, Casualties, Event, Location, LocationReport

T0 = datetime(2024, 5, 4, 14, 0, tzinfo=timezone.utc)
# Two towns called Brackenford, in Ohio and in Georgia; the Ohio one is where the shooting was.
OHIO = Location(name="Brackenford", country="US", admin1="Ohio", lat=40.1, lon=-82.9, precision="town", city="Brackenford",
                confidence=0.9)
GEORGIA = Location(name="Brackenford", country="US", admin1="Georgia", lat=33.1, lon=-84.2, precision="town",
                   city="Brackenford", confidence=0.4)
OHIO_STATE = Location(name="Ohio", country="US", admin1="Ohio", precision="admin1", confidence=0.9)
MILLBROOK = Location(name="Millbrook", country="US", admin1="Ohio", lat=40.12, lon=-82.95, precision="neighbourhood",
                     city="Brackenford", confidence=0.6)


def rep(url: str, loc: Location, weight: float = 1.5) -> LocationReport:
    return LocationReport(url=url, location=loc, weight=weight)


def test_the_vote_goes_by_weight_and_keeps_the_most_precise_place_of_the_winner() -> None:
    assert consensus_location([]) is None
    # one weak report of the Georgia namesake loses to a well-placed Ohio report
    assert consensus_location([rep("a", GEORGIA, 1.4), rep("b", OHIO, 2.6)]) == OHIO
    # a report of the state alone backs the Ohio town's region and does not outvote the town
    assert consensus_location([rep("a", GEORGIA, 1.6), rep("b", OHIO, 1.4), rep("c", OHIO_STATE, 1.0)]) == OHIO
    assert consensus_location([rep("a", OHIO_STATE, 2.0)]) == OHIO_STATE
    # a neighbourhood votes with its city, and the published place is the most precise one
    assert consensus_location([rep("a", OHIO), rep("b", MILLBROOK), rep("c", GEORGIA, 2.5)]) == MILLBROOK
    # equal weights: the first reported place stays
    assert consensus_location([rep("a", GEORGIA), rep("b", OHIO)]) == GEORGIA


def event(aid: str, loc: Location, confidence: float) -> Event:
    return Event(article_id=aid, is_incident=True, event_type="shooting", date=date(2024, 5, 4), date_precision="day",
                 location=loc, casualties=Casualties(killed=1, wounded=0), confidence=confidence)


def test_weight_counts_incident_confidence_precision_and_place_support() -> None:
    strong = location_weight(event("a", OHIO, 0.9))
    assert strong == pytest.approx(0.5 + 0.9 + 0.3 + 0.9)
    assert location_weight(event("b", GEORGIA, 0.9)) < strong  # a guessed namesake
    assert location_weight(event("c", OHIO, 0.2)) < strong  # a story that is barely an incident report
    assert location_weight(event("d", OHIO_STATE, 0.9)) < strong  # the state alone
    assert location_weight(Event(article_id="e", is_incident=True)) == 0.0


STORY = ("A man was shot and killed outside the Lantern Tap on Quarry Street late Saturday, police said. Detectives "
         "identified the victim as Dorian Pelletier, 29, and said they were looking for a gray sedan.")


def test_the_incident_record_corrects_a_namesake_when_better_reports_arrive(redis_client, keys, settings) -> None:
    store = IncidentStore(redis_client, keys, settings)

    def art(aid: str, outlet: str, hours: int) -> Article:
        return Article(id=aid, url=f"https://{outlet}/n/{aid}", title="Man killed outside bar", text=STORY,
                       published=T0 + timedelta(hours=hours))

    first = store.assign(art("g1", "wire.example", 0), event("g1", GEORGIA, 0.6))
    assert first.incident.event.location == GEORGIA
    second = store.assign(art("o1", "brackenfordnews.example", 2), event("o1", OHIO, 0.9))
    assert second.incident.incident_id == first.incident.incident_id
    assert second.incident.event.location == OHIO and "better_location" in second.material_changes
    assert [r.url for r in second.incident.location_reports] == ["https://wire.example/n/g1",
                                                                 "https://brackenfordnews.example/n/o1"]
    # the state alone, from a third outlet, keeps the town
    third = store.assign(art("s1", "statewire.example", 3), event("s1", OHIO_STATE, 0.9))
    assert third.incident.event.location == OHIO and "better_location" not in third.material_changes


def test_a_record_stored_before_place_reports_keeps_its_place_as_one_report() -> None:
    from worker.incident_features import report_features
    from worker.incident_record import fold_report, merge_records, new_incident

    def art(aid: str, hours: int) -> Article:
        return Article(id=aid, url=f"https://n{aid}.example/{aid}", title="Man killed outside bar", text=STORY,
                       published=T0 + timedelta(hours=hours))

    a, b = art("o1", 0), art("g1", 2)
    strong, weak = event("o1", OHIO, 0.9), event("g1", GEORGIA, 0.6)
    # as an earlier version stored it: the place, and no place reports
    old = new_incident("inc-old", a, strong, report_features(a, strong)).model_copy(update={"location_reports": []})
    folded, changes = fold_report(old, b, weak, report_features(b, weak))
    assert folded.event.location == OHIO and "better_location" not in changes
    assert [r.location for r in folded.location_reports] == [OHIO, GEORGIA]
    other = new_incident("inc-other", b, weak, report_features(b, weak))
    merged, changes = merge_records(old, other)
    assert merged.event.location == OHIO and "better_location" not in changes


def test_a_follow_up_votes_for_the_place_at_its_weight_and_brings_its_death_toll_only() -> None:
    from worker.incident_features import report_features
    from worker.incident_record import fold_report, new_incident
    from worker.models import Perpetrator

    def art(aid: str, hours: int) -> Article:
        return Article(id=aid, url=f"https://n{aid}.example/{aid}", title="Man killed outside bar", text=STORY,
                       published=T0 + timedelta(hours=hours))

    a = art("g1", 0)
    report = event("g1", GEORGIA, 0.6)
    inc = new_incident("inc-1", a, report, report_features(a, report))
    # a court story a month on names the town with its state, the death toll, a suspect and 3 wounded (second hand)
    b = art("c1", 24 * 30)
    court = Event(article_id="c1", is_incident=False, event_type="shooting", location=OHIO, confidence=0.2,
                  casualties=Casualties(killed=2, wounded=3), perpetrators=[Perpetrator(name="Rex Dunmore")])
    folded, changes = fold_report(inc, b, court, report_features(b, court), follow_up=True)
    assert location_weight(court) < location_weight(report) + 0.5  # a follow-up's low confidence weighs less
    assert folded.event.location == OHIO and "better_location" in changes  # the guessed namesake loses to it
    assert (folded.event.casualties.killed, folded.event.casualties.wounded) == (2, 0) and "toll_revised" in changes
    assert folded.event.perpetrators == [] and folded.event.date == date(2024, 5, 4)  # nothing else of it
