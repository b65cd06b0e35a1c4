"""Telephone numbers as evidence of the state: the exchange of a police tip line places a story (invented text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from worker.events import EventExtractor
from worker.events.gazetteer import gazetteer
from worker.events.phones import phone_hints, phone_towns
from worker.models import Article

ACTORS = Path(__file__).resolve().parents[1] / "config" / "actors.yaml"


def places(text: str) -> list[tuple[str, str | None]]:
    return [(r.country, r.state) for r in phone_towns(text, gazetteer().us_state_names)]


def test_a_local_number_names_its_state_and_a_toll_free_one_nothing() -> None:
    assert places("call the Montgomery Police Department at (630) 897-8707 ext. 3300") == [("US", "Illinois")]
    assert places("Crime Stoppers at (800) 222-8477 or 1-888-283-8477") == []  # toll-free: not local
    assert places("detectives at 323-344-5731; Metro at 702.385.3111") == [("US", "California"), ("US", "Nevada")]
    assert places("call (202) 727-9099") == [("US", "District of Columbia")]
    assert places("Toronto police at 416-808-2222") == [("CA", None)]
    assert phone_towns("(630) 897-8707 or (202) 727-9099", gazetteer().us_state_names) == [
        ("US", "Illinois", "Aurora"), ("US", "District of Columbia", None)]


def test_digits_that_are_not_a_phone_number_place_nothing() -> None:
    assert places("case 2016-555-12345 and report 630-897-87071") == []  # longer digit runs: case numbers
    assert places("about 1,300 people; scores of 212 to 315") == []
    assert places("") == []


def test_hints_count_each_state_once_at_the_given_weight() -> None:
    rungs = phone_towns("call 630-897-8707 or 630-801-6500, or 416-808-2222", gazetteer().us_state_names)
    states, countries = phone_hints(rungs, 2.0)
    assert states == {"Illinois": 2.0} and countries == {"US": 2.0, "CA": 2.0}


@pytest.fixture()
def ex(nlp) -> EventExtractor:  # type: ignore[no-untyped-def]
    return EventExtractor(nlp, ACTORS)  # a fresh extractor: nothing learned about any outlet


def test_the_tip_lines_exchange_tells_a_namesake_neighbourhood_from_the_bigger_town(ex: EventExtractor) -> None:
    text = ("A 15-year-old girl was shot in the leg Tuesday night in Germantown, police said.\n\n"
            "She was taken to a hospital in stable condition. No arrests have been made.\n\n")
    tip = "Anyone with information is asked to call detectives at 215-686-3334."
    plain = ex.extract(Article(id="g1", url="https://news.example/2016/07/08/girl-shot", text=text,
                               title="Girl, 15, shot in Germantown", published=datetime(2016, 7, 8, 9)))
    rung = ex.extract(Article(id="g2", url="https://news.example/2016/07/08/girl-shot-2", text=text + tip,
                              title="Girl, 15, shot in Germantown", published=datetime(2016, 7, 8, 9)))
    assert plain.location is not None and plain.location.admin1 == "Maryland"  # the largest Germantown
    assert rung.location is not None and (rung.location.name, rung.location.admin1) == ("Germantown", "Pennsylvania")


def test_the_town_a_number_rings_in_picks_the_namesake_near_it(ex: EventExtractor) -> None:
    text = ("Police in suburban Montgomery are looking for the person who shot six people at an Easter party early "
            "Sunday.\n\nFour men and two women were sitting inside a garage when a shooter walked up and fired.\n\n")
    tip = "Anyone with information should contact the Montgomery Police Department at (630) 897-8707."

    def place(body: str, n: int) -> tuple[str | None, str | None]:
        ev = ex.extract(Article(id=f"m{n}", url=f"https://news.example/2014/04/21/party-shooting-{n}", text=body,
                                title="6 shot at Easter party in Montgomery", published=datetime(2014, 4, 21, 9)))
        assert ev.location is not None
        return ev.location.name, ev.location.admin1

    assert place(text, 1) == ("Montgomery", "Alabama")  # the capital, by size
    assert place(text + tip, 2) == ("Montgomery", "Illinois")  # the number rings in Aurora, Illinois, next door
