"""Level 3: same-incident assignment, living records, vetoes, merges and expiry, on the real Redis."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from worker.incidents import IncidentStore
from worker.models import Article, Casualties, Event, Location, Perpetrator

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
