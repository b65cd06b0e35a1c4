"""The event bench's place scoring: one place written in different ways is one place."""

from __future__ import annotations

from bench.events import gv_city_ok, gv_state_ok
from worker.models import Location


def _city(name: str, state: str) -> Location:
    return Location(name=name, admin1=state, country="US", precision="city")


def test_saint_fort_and_mount_spellings_are_one_place() -> None:
    assert gv_city_ok(_city("St. Louis", "Missouri"), "St Louis", "Missouri")
    assert gv_city_ok(_city("Saint Louis", "Missouri"), "St. Louis", "Missouri")
    assert gv_city_ok(_city("Fort Worth", "Texas"), "Ft. Worth", "Texas")
    assert gv_city_ok(_city("Mount Vernon", "New York"), "Mt Vernon", "New York")
    assert gv_city_ok(_city("The Bronx", "New York"), "Bronx", "New York")
    assert gv_city_ok(_city("Wilkes-Barre", "Pennsylvania"), "Wilkes Barre", "Pennsylvania")
    assert gv_city_ok(_city("Lee's Summit", "Missouri"), "Lees Summit", "Missouri")
    assert gv_city_ok(_city("Opa-locka", "Florida"), "Opa Locka", "Florida")
    assert gv_city_ok(_city("New York City", "New York"), "New York (Manhattan)", "New York")  # GVA names NYC so
    assert not gv_city_ok(_city("New York Mills", "New York"), "New York (Manhattan)", "New York")
    assert gv_city_ok(_city("Dallas", "Texas"), "Dallas (county)", "Texas")


def test_another_town_or_state_is_wrong() -> None:
    assert not gv_city_ok(_city("Stockton", "California"), "St Louis", "Missouri")
    assert not gv_city_ok(_city("Cameron", "Missouri"), "Cameron", "West Virginia")
    # a namesake abroad is another place, though it has no US state to differ
    assert not gv_city_ok(Location(name="Birmingham", country="GB", admin1="GB.ENG", precision="city"),
                          "Birmingham", "Alabama")
    assert not gv_city_ok(Location(name="Texas", country="US", precision="admin1"), "Dallas", "Texas")
    assert gv_state_ok(_city("Dallas", "Texas"), "Texas") and not gv_state_ok(_city("Dallas", "Texas"), "Ohio")


def test_a_town_in_the_gold_county_is_right_unless_strict() -> None:
    # Boyertown lies in Berks County, Pennsylvania; Scranton does not
    assert gv_city_ok(_city("Boyertown", "Pennsylvania"), "Berks (county)", "Pennsylvania")
    assert not gv_city_ok(_city("Boyertown", "Pennsylvania"), "Berks (county)", "Pennsylvania", strict=True)
    assert not gv_city_ok(_city("Scranton", "Pennsylvania"), "Berks (county)", "Pennsylvania")
    # the county written out ("Noble County") is the same county: Ligonier lies in it, Angola does not
    assert gv_city_ok(_city("Ligonier", "Indiana"), "Noble County", "Indiana")
    assert not gv_city_ok(_city("Ligonier", "Indiana"), "Noble County", "Indiana", strict=True)
    assert not gv_city_ok(_city("Angola", "Indiana"), "Noble County", "Indiana")


def test_a_muc_location_with_alternatives_is_any_of_its_places() -> None:
    from bench.events import _locs

    def locs(value: str) -> list[list[str]]:
        return _locs([{"INCIDENT: LOCATION": [value]}])

    assert locs("(EL SALVADOR: ZARAGOZA (TOWN)) / (EL SALVADOR: SAN SALVADOR (CITY))") == [
        ["el salvador", "zaragoza", "san salvador"]]
    assert locs("COLOMBIA / VENEZUELA") == [["colombia", "venezuela"]]
    # a slash inside the level's label is no alternative
    assert locs("COLOMBIA: URABA (REGION / CITY)") == [["colombia", "uraba"]]
    assert locs("COLOMBIA: ANTIOQUIA (DEPARTMENT): ITAGUI (TOWN)") == [["colombia", "antioquia", "itagui"]]
