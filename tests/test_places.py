"""Where it happened: namesake towns, outlets that learn their region, datelines as evidence (invented articles)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from worker.events import EventExtractor
from worker.events.outlets import OutletRegions
from worker.events.places import PlaceMention, host_town, outlet_hints, resolve
from worker.models import Article
from worker.urls import outlet_host, url_path

ACTORS = Path(__file__).resolve().parents[1] / "config" / "actors.yaml"


@pytest.fixture()
def ex(nlp) -> EventExtractor:  # type: ignore[no-untyped-def]
    return EventExtractor(nlp, ACTORS)  # a fresh extractor: nothing learned about any outlet yet


WHEN = datetime(2024, 3, 13, 9, 0)


def story(text: str, url: str, title: str | None = None, n: int = 1) -> Article:
    return Article(id=f"p{n}", url=url, title=title, text=text, published=WHEN)


def test_outlet_host_strips_www_and_archive_copies() -> None:
    assert outlet_host("https://www.wxyz-tv.example/news/1") == "wxyz-tv.example"
    assert outlet_host("http://web.archive.org/web/20160101000000/http://www.daily.example:80/a") == "daily.example"
    assert outlet_host(None) == "" and outlet_host("") == ""


def test_url_path_is_the_originals_path_and_never_raises() -> None:
    assert url_path("http://web.archive.org/web/20170223052631/http://www.kake.com/story/1/shooting-at-park-city") \
        == "/story/1/shooting-at-park-city"
    assert url_path("//www.10tv.com:80/content/zanesville-bar-shooting.html?x=1") == "/content/zanesville-bar-shooting.html"
    assert url_path(None) == "" and url_path("http://[bad") == ""


def test_outlet_regions_need_several_stories_and_a_majority() -> None:
    regions = OutletRegions(min_stories=3)
    regions.learn("station.example", "US", "Ohio")
    regions.learn("station.example", "US", "Ohio")
    assert regions.hints("station.example") == ({}, {})  # two stories are not yet a pattern
    regions.learn("station.example", "US", "Ohio")
    states, countries = regions.hints("station.example")
    assert states["Ohio"] == pytest.approx(2.0) and countries["US"] == pytest.approx(1.5)
    for state in ("Texas", "Iowa", "Utah"):
        regions.learn("wire.example", "US", state)
    assert regions.hints("wire.example") == ({}, {})  # a national outlet points nowhere


def test_outlet_region_hints_grow_with_the_stories() -> None:
    regions = OutletRegions()  # defaults: a hint from the first story, full weight from the third
    regions.learn("station.example", "US", "Georgia")
    states, countries = regions.hints("station.example")
    assert states["Georgia"] == pytest.approx(2.0 / 3) and countries["US"] == pytest.approx(0.5)
    regions.learn("station.example", "US", "Georgia")
    regions.learn("station.example", "US", "Georgia")
    assert regions.hints("station.example")[0]["Georgia"] == pytest.approx(2.0)


def test_outlet_regions_are_bounded() -> None:
    regions = OutletRegions(max_outlets=2, max_regions=2, min_stories=1)
    for host in ("a.example", "b.example", "c.example"):
        regions.learn(host, "US", "Ohio")
    assert len(regions) == 2 and regions.hints("a.example") == ({}, {})  # least recently used dropped
    for state in ("Ohio", "Ohio", "Iowa", "Utah"):
        regions.learn("c.example", "US", state)
    assert len(regions._seen["c.example"]) == 2


def test_namesake_town_follows_what_the_outlet_has_reported_before(ex: EventExtractor) -> None:
    url = "https://www.miamivalley-tv.example/news/{}"
    covington = ("A Covington man was shot and killed outside a bar on Main Street early Saturday, "
                 "sheriff's deputies said. The 31-year-old died at the scene.")
    alone = EventExtractor(ex.nlp, ACTORS).extract(story(covington, url.format(0)))
    assert alone.location is None or alone.location.admin1 != "Ohio"  # eight states have a Covington
    for n, town in enumerate(("Dayton, Ohio", "Springfield, Ohio", "Troy, Ohio"), 1):
        ev = ex.extract(story(f"Two people were wounded in a shooting in {town}, on Friday night, police said.",
                              url.format(n), n=n))
        assert ev.location is not None and ev.location.admin1 == "Ohio"
    ev = ex.extract(story(covington, url.format(9), n=9))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Covington", "Ohio")
    # the outlet is evidence, never the answer: a state written in the story still wins
    ev = ex.extract(story("A man was shot and killed in Covington, Ky., on Saturday, police said.", url.format(10), n=10))
    assert ev.location is not None and ev.location.admin1 == "Kentucky"


def test_an_outlet_learns_from_stories_placed_without_the_state_written(ex: EventExtractor) -> None:
    # Local news seldom writes its state: these three towns are placed by the gazetteer alone (Cookeville exists in
    # Tennessee only, Gallatin and Hendersonville are far larger there), and that is enough to learn the outlet.
    url = "https://www.midstate-tv.example/story/{}"
    jackson = "A man was shot and killed in Jackson late Friday, police said. He died at the scene."
    alone = EventExtractor(ex.nlp, ACTORS).extract(story(jackson, url.format(0)))
    assert alone.location is not None and alone.location.admin1 == "Mississippi"  # the largest Jackson
    for n, town in enumerate(("Gallatin", "Hendersonville", "Cookeville"), 1):
        ev = ex.extract(story(f"Two people were wounded in a shooting in {town} on Friday night, police said.",
                              url.format(n), n=n))
        assert ev.location is not None and (ev.location.name, ev.location.admin1) == (town, "Tennessee")
    ev = ex.extract(story(jackson, url.format(9), n=9))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Jackson", "Tennessee")


def test_a_big_namesake_s_own_weight_does_not_outvote_the_state_the_story_points_at(ex: EventExtractor) -> None:
    # Knoxville alone is Tennessee's (190,000 people); this story is Pittsburgh's, and Pittsburgh has a Knoxville
    ev = ex.extract(story(
        "Pittsburgh police said Monday that a 6-year-old girl who was shot in the head Sunday has died. The girl "
        "was hit by a stray bullet while she sat on a porch in Knoxville, police said. Her mother said she loved "
        "to dance.", "https://www.pittsburgh-news.example/local/1", title="Girl, 6, shot in head Sunday has died"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Knoxville", "Pennsylvania")


def test_a_local_name_is_not_a_town_in_a_state_the_story_never_points_at(ex: EventExtractor) -> None:
    # the gazetteer's Old Town is in Maine; this story names Kansas three times, and Kansas has no Old Town: the
    # bar district is a local name, and the state is the most specific place the story gives
    ev = ex.extract(story(
        "One man was killed and six people were wounded when gunfire broke out outside a bar in Old Town early "
        "Sunday, police said. Kansas law allows bars to stay open until 2 a.m. It was the deadliest shooting in "
        "Kansas this year, a police spokesman said. Kansas lawmakers have debated closing times before.",
        "https://www.daily-news.example/news/1", title="One killed, six injured in Old Town shooting"))
    assert ev.location is not None and (ev.location.name, ev.location.precision) == ("Kansas", "admin1")


def test_neighbourhood_under_a_local_dateline_is_not_a_namesake_far_away(ex: EventExtractor) -> None:
    ev = ex.extract(story(
        "PITTSBURGH (KDKA) — One man was killed and four others were injured when gunfire erupted overnight "
        "at a bar in Homewood, police said.", "https://tv.example/1",
        title="Man killed, 4 injured in Homewood bar shooting"))
    assert ev.location is not None and ev.location.admin1 == "Pennsylvania"


def test_neighbourhood_word_keeps_a_chicago_story_in_illinois(ex: EventExtractor) -> None:
    ev = ex.extract(story(
        "A 17-year-old boy was killed in a South Austin neighborhood shooting Monday night on the West Side, "
        "according to Chicago Police and the Cook County medical examiner's office.",
        "https://chicago.daily.example/news/1", title="Teen killed in South Austin shooting"))
    assert ev.location is not None and ev.location.admin1 == "Illinois"


def test_a_big_city_neighbourhood_geonames_lacks_is_the_place_within_its_city(ex: EventExtractor) -> None:
    ev = ex.extract(story("A 15-year-old boy was shot to death Sunday in Gresham, Chicago police said.",
                          "https://chicago.daily.example/news/2", title="Police: 15-year-old boy shot to death in Gresham"))
    assert ev.location is not None
    assert (ev.location.name, ev.location.admin1, ev.location.city, ev.location.precision) == \
        ("Gresham", "Illinois", "Chicago", "neighbourhood")
    # Pittsburgh's Knoxville, not the borough of 600 people in Tioga County
    ev = ex.extract(story("A teenager accidentally shot himself Sunday in Knoxville, Pittsburgh police said.",
                          "https://pittsburgh.tv.example/news/3", title="Teen accidentally shot himself in Knoxville"))
    assert ev.location is not None
    assert (ev.location.name, ev.location.admin1, ev.location.city) == ("Knoxville", "Pennsylvania", "Pittsburgh")


@pytest.mark.parametrize("title, text, place", [
    # "DC" without its periods is the District
    ("Five people injured in SE shooting", "Five teenagers were injured early Sunday, DC police officials said. The "
     "shooting happened on the 4300 block of Wheeler Road SE.", ("Washington", "District of Columbia")),
    # the tagger reads Paterson as a person; between "his" and "home" it is the home's town
    ("Boy, 7, calls 911 after being struck by stray bullet", "Police are looking for a suspect in the shooting of a "
     "7-year-old boy who called 911 after being struck by a stray bullet in his Paterson home Monday.",
     ("Paterson", "New Jersey")),
    # a name whose official spelling goes on in lower case after a hyphen
    ("Four children shot in Opa-locka neighborhood", "Two boys and two girls were shot in Opa-locka on Monday night, "
     "police said.", ("Opa-locka", "Florida")),
    # a dateline with no space after its dash, over a town the tagger reads as a person
    ("No charges expected in midtown shooting", "JACKSON, Tenn.-An update to breaking news from Tuesday night after a "
     "shooting in midtown Jackson. The victim accidentally shot himself in the foot, police said.",
     ("Jackson", "Tennessee")),
    # a dateline town tagged as a person, its county after it
    ("4-year-old shot in foot by toddler brother", "SNOWVILLE, Box Elder County — A 4-year-old boy was shot in the "
     "foot Tuesday at his grandfather's home, deputies said. He was taken to a hospital in Tremonton.",
     ("Snowville", "Utah")),
    # an address's town the tagger reads as a person, its state after it
    ("Boy accidentally shot by grandfather", "Deputies responded to 6902 North Star Road, Campbellsburg, Indiana and "
     "found a 12-year-old boy who had been accidentally shot.", ("Campbellsburg", "Indiana")),
    # a cross street named after a town is no town
    ("Victim identified in quadruple shooting", "Police identified the man killed in a quadruple shooting near 21st & "
     "Cleveland on Sunday.", None),
    # a unit after its number ("10 MO": ten months old) is no town (Mo, Norway)
    ("Three shot including a 10 MO, police searching for suspects", "Three people including a 10-month-old baby were "
     "shot on Sunday, police said.", None),
])
def test_short_forms_and_misread_names_of_towns(ex: EventExtractor, title: str, text: str,
                                                place: tuple[str, str] | None) -> None:
    assert _placed(ex, "https://tv.example/news/local-news/123-story", title, text, WHEN) == place


def test_hospital_town_and_suburban_city_are_not_the_scene(ex: EventExtractor) -> None:
    ev = ex.extract(story(
        "A Labadieville teenager was shot in the head Saturday, Assumption Parish deputies said. The 17-year-old "
        "was flown to Our Lady of the Lake Regional Medical Center in Baton Rouge, where he died.",
        "https://paper.example/1", title="Teenager shot in the head"))
    assert ev.location is None or ev.location.name != "Baton Rouge"
    # the hospital's town named straight after "flown to", "airlifted to" (no hospital's name before it)
    for n, (title, text, scene) in enumerate((
            ("Victim of accidental shooting flown to Fargo",
             "A hunter was accidentally shot Saturday near Foxhome in Wilkin County, deputies said.", "Foxhome"),
            ("Teen airlifted to Minneapolis after shooting",
             "A 15-year-old was accidentally shot Saturday at a home in Pine City, deputies said.", "Pine City")), 3):
        ev = ex.extract(story(text, f"https://paper.example/{n}", title=title))
        assert ev.location is not None and ev.location.name == scene, title
    ev = ex.extract(story(
        "A man shot and killed four people at a suburban Atlanta home in Douglasville on Sunday, police said.",
        "https://paper.example/2", title="Four killed in shooting at home"))
    assert ev.location is not None and ev.location.name == "Douglasville"


def test_town_names_that_are_words_borough_short_names_and_police_departments(ex: EventExtractor) -> None:
    ev = ex.extract(story("Four people were injured after a late-night shooting Saturday in Providence.",
                          "https://news.example/a", title="Four people shot in drive-by in Providence"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Providence", "Rhode Island")
    ev = ex.extract(story("It was divine providence that nobody was hurt when shots were fired, a neighbor said.",
                          "https://news.example/b"))
    assert ev.location is None or ev.location.name != "Providence"
    ev = ex.extract(story("A 17-year-old boy was fatally shot in the chest inside a Bronx apartment Thursday evening.",
                          "https://news.example/c"))
    assert ev.location is not None and ev.location.name == "The Bronx" and ev.location.admin1 == "New York"
    ev = ex.extract(story("Winona police said the victim of a Friday night shooting died on Monday evening.",
                          "https://news.example/d", title="Winona police: shooting victim dies"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Winona", "Minnesota")
    ev = ex.extract(story("Two people were shot and three others grazed by gunfire at a party on Saturday night.",
                          "https://news.example/e", title="2 shot and wounded, 3 others grazed by gunfire at party in South LA"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Los Angeles", "California")


def test_the_dateline_town_named_again_is_itself_not_its_namesake_next_door(ex: EventExtractor) -> None:
    ev = ex.extract(story("Kansas City police said a 5-year-old boy was shot and killed early Saturday. Charges have been "
                          "filed against a Kansas City mother in the shooting death of her son.",
                          "https://tv.example/story/1", title="Mother charged in boy's shooting death"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Kansas City", "Missouri")


def test_a_dateline_town_with_its_state_beats_the_state_alone(ex: EventExtractor) -> None:
    ev = ex.extract(story("MORRIS, Okla. — Authorities in Oklahoma have identified two adults and two children found "
                          "shot to death in a home on Sunday.", "https://news.example/e",
                          title="Oklahoma authorities identify 4 killed in shooting"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Morris", "Oklahoma")


def test_a_local_headline_names_the_victims_town(ex: EventExtractor) -> None:
    ev = ex.extract(story("The girl was taken to a hospital after the gun went off on Saturday, police said.",
                          "https://news.example/f", title="Pekin girl, 8, accidentally shot in the throat"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Pekin", "Illinois")
    ev = ex.extract(story("The boy died at a hospital on Sunday, police said.", "https://news.example/g",
                          title="Killeen toddler dies from gunshot wound"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Killeen", "Texas")


def test_a_neighbourhood_named_like_a_state_or_a_far_town_and_a_street_are_not_the_place(ex: EventExtractor) -> None:
    ev = ex.extract(story("A 5-year-old will survive after being hit by a stray bullet during a drive-by shooting in "
                          "the California neighborhood Friday afternoon, Louisville police said.",
                          "https://news.example/h"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Louisville", "Kentucky")
    ev = ex.extract(story("A 16-year-old boy was inside a vehicle in the 11000 block of South Ewing when he was shot "
                          "in the head, Chicago police said.", "https://news.example/i"))
    assert ev.location is not None and ev.location.admin1 == "Illinois"


def test_the_police_that_speak_anchor_the_place_and_a_longer_local_name_is_not_a_far_namesake(ex: EventExtractor) -> None:
    ev = ex.extract(story("A 5-year-old boy has died after being shot in the head Saturday in Madisonville, Cincinnati "
                          "police said.", "https://news.example/j"))
    assert ev.location is not None and ev.location.admin1 == "Ohio"
    ev = ex.extract(story("A man died after being shot at an apartment complex in Flour Bluff on Sunday. The Corpus "
                          "Christi Police Department confirms that the victim was 24.", "https://news.example/k"))
    assert ev.location is not None and ev.location.country == "US" and ev.location.admin1 == "Texas"


def test_a_state_written_after_an_unknown_town_wins_over_namesakes_elsewhere(ex: EventExtractor) -> None:
    # Hagerstown is known in Maryland and Indiana, not in South Dakota: the state written wins
    ev = ex.extract(story("Hagerstown, SD — Communities in northeast South Dakota are supporting the family of a teen "
                          "who was shot and killed on Saturday.", "https://news.example/l"))
    assert ev.location is not None and (ev.location.name, ev.location.precision) == ("South Dakota", "admin1")
    # Frederick, South Dakota (a few hundred people, known from the postal table) is the town itself
    assert _placed(ex, "https://news.example/l2", None, "Frederick, SD — Communities in northeast South Dakota are "
                   "supporting the family of a teen who was shot and killed on Saturday.", WHEN) == ("Frederick", "South Dakota")
    ev = ex.extract(story("Two men were shot on Sunday night in Savannah, Georgia, police said.", "https://news.example/m"))
    assert ev.location is not None and (ev.location.name, ev.location.country, ev.location.admin1) == (
        "Savannah", "US", "Georgia")
    ev = ex.extract(story("Two men were shot dead on Sunday in Gori, Georgia, police said.", "https://news.example/n"))
    assert ev.location is not None and (ev.location.name, ev.location.country) == ("Gori", "GE")


def _placed(ex: EventExtractor, url: str, title: str | None, text: str, published: datetime) -> tuple[str, str | None] | None:
    """(place name, admin1) the extractor gives a story, or None."""
    loc = ex.extract(Article(id="t", url=url, title=title, text=text, published=published)).location
    return (loc.name, loc.admin1) if loc is not None else None


def test_an_acronym_is_no_settlement_code_abroad(ex: EventExtractor) -> None:
    # GeoNames lists a hamlet called "KPD" in Ukraine; in a Killeen paper it is the police department
    assert _placed(ex, "https://kdh.example/news/local/kpd-still-investigating", "KPD still investigating fatal shooting",
                   "Police are still investigating the shooting of a 2-year-old on Sunday.", WHEN) is None
    assert ex.gaz.lookup("KPD") == [] and ex.gaz.lookup("Killeen")


def test_a_site_name_in_the_headline_is_not_the_place_and_the_address_names_the_town(ex: EventExtractor) -> None:
    assert _placed(ex, "https://wtvm.example/story/123/police-seek-suspect-in-hotel-shooting-savannah",
                   "Police seek suspect in hotel shooting - WTVM.com-Columbus, GA News Weather & Sports",
                   "SAVANNAH, Ga. (AP) - A man was shot at a hotel on Abercorn Street on Monday, police said.",
                   datetime(2024, 3, 13)) == ("Savannah", "Georgia")
    assert _placed(ex, "https://tv.example/content/stories/2013/09/30/zanesville-hoppys-bar-shooting-4-injured.html",
                   "4 People Injured In Zanesville Bar Shooting",
                   "Police say four people were injured in a shooting in a Zanesville bar Sunday morning.",
                   datetime(2013, 9, 30)) == ("Zanesville", "Ohio")


def test_a_headline_name_the_address_repeats_is_a_place_even_when_the_tagger_misreads_it(ex: EventExtractor) -> None:
    wall = "Just One More Thing... We have sent you a verification email. Please check your email to activate your profile."
    # the tagger reads "Hamilton" as a person and "Carbondale" as an adjective; the page under them says nothing
    assert _placed(ex, "https://daily.example/news/crime/third-person-pleads-deadly-hamilton-bar-shooting/Xk2/",
                   "Third person pleads in deadly Hamilton bar shooting", wall, datetime(2017, 1, 12)) is not None
    assert _placed(ex, "https://south.example/news/local/communities/carbondale/carbondale-chief-officer-stable/a1.html",
                   "Carbondale chief: Police officer serious but stable after Sunday shooting", wall,
                   datetime(2016, 10, 3)) == ("Carbondale", "Illinois")
    # not a common noun of a garbled headline, nor a first name
    assert _placed(ex, "https://daily.example/opinion/luciano-bullet-spares-girl-but-might-kill-her-future/1/",
                   "Luciano: Bullet spares girl but might kill her future", wall, datetime(2016, 6, 23)) is None
    assert _placed(ex, "https://herald.example/obituaries/connor-evan-gappmayer/article_1.html",
                   "Connor Evan Gappmayer", wall, datetime(2016, 5, 15)) is None


def test_the_end_of_a_longer_name_in_a_title_case_headline_is_no_town_when_the_story_writes_the_name(
        ex: EventExtractor) -> None:
    # "Ridge" is a hamlet on Long Island; the story is about Bay Ridge, which the gazetteer does not know
    placed = _placed(ex, "https://city.example/news/2024/03/12/bodega-shooting-arrest",
                     "Man Who Shot Four People In Bay Ridge Bodega Is Under Arrest",
                     "A man who shot four people inside a bodega in Bay Ridge on Sunday was arrested on Tuesday, "
                     "police in Brooklyn said.", datetime(2024, 3, 13))
    assert placed is not None and placed[0] != "Ridge"
    assert placed == ("Brooklyn", "New York")


def test_two_ambiguous_names_agree_on_their_state_and_towns_under_a_thousand_people_are_known(ex: EventExtractor) -> None:
    assert _placed(ex, "https://tv.example/story/1", "Accidental shooting at Park City mobile home park",
                   "A 15-year-old boy is expected to recover after he was accidentally shot by his older brother in "
                   "Park City on Wednesday, the Sedgwick County Sheriff's Office said.",
                   datetime(2017, 2, 23)) == ("Park City", "Kansas")
    assert _placed(ex, "https://tv.example/story/2", "13-year-old in stable condition after being accidentally shot",
                   "A 13-year-old is in stable condition after being shot in Elliston on Thanksgiving Day, the "
                   "Montgomery County Sheriff's Office said.", datetime(2015, 11, 27)) == ("Elliston", "Virginia")


def test_the_hospital_town_and_the_big_city_nearby_are_not_where_it_happened(ex: EventExtractor) -> None:
    # NER calls "Williston" a person here; "a rural Williston address" is still a place. The child is in "a Fargo
    # hospital", which is not where the shot was fired.
    assert _placed(ex, "https://tv.example/story/3", "Sheriff's office investigating accidental shooting of 3-year-old",
                   "On Dec. 5, the Williams County Sheriff's Office responded to a rural Williston address for a report "
                   "of a gunshot. The child is in stable but serious condition in a Fargo hospital.",
                   datetime(2016, 12, 6)) == ("Williston", "North Dakota")
    assert _placed(ex, "https://tv.example/story/4", "Police: 5 dead in shooting",
                   "DOUGLASVILLE, Ga. (AP) - A man shot six people Saturday, killing four of them, on a quiet street "
                   "outside Atlanta, police said.", datetime(2015, 2, 8)) == ("Douglasville", "Georgia")


def test_a_big_namesake_does_not_vouch_for_its_own_state_against_one_the_story_names(ex: EventExtractor) -> None:
    # Cleveland, Ohio is eight times the size of Cleveland, Tennessee; the story names Tennessee.
    assert _placed(ex, "https://tv.example/story/5", "Former Cleveland firefighter accused of killing girlfriend",
                   "A woman and her daughter were shot dead in a Cleveland home on Sunday. A former Cleveland "
                   "firefighter is charged with murder, state investigators in Tennessee said.",
                   datetime(2015, 12, 8)) == ("Cleveland", "Tennessee")


def test_a_reference_city_gives_way_to_the_town_named_near_it(ex: EventExtractor) -> None:
    # "outside Atlanta" / "west of Atlanta" / "a Phoenix-area shooting" say where the place is not
    when = datetime(2024, 3, 13, 9, 0)
    assert _placed(ex, "https://wire.example/a/1", None,
                   "DOUGLASVILLE, Ga. (AP) -- A man shot five people on Saturday, killing three, on a quiet street "
                   "outside Atlanta, police said. The shooting happened in a subdivision about 20 miles west of "
                   "Atlanta, the sheriff said.", when) == ("Douglasville", "Georgia")
    assert _placed(ex, "https://wire.example/a/2", "Suspect arrested in Phoenix-area shooting that killed 1",
                   "MESA, Ariz. -- A gunman killed one person and wounded five others on Wednesday. Mesa police "
                   "arrested the suspect at a nearby apartment.", when) == ("Mesa", "Arizona")
    # with no town named near it, the reference city is still the best answer there is
    assert _placed(ex, "https://wire.example/a/3", None,
                   "A man was shot and killed on Sunday at a home in suburban Atlanta, police said.",
                   when) == ("Atlanta", "Georgia")
    # "outside a Visalia sports bar" is outside the bar, in Visalia
    assert _placed(ex, "https://wire.example/a/4", None,
                   "Four men were shot, one critically, outside Visalia sports bar early Sunday, police said.",
                   when) == ("Visalia", "California")


def test_a_name_bound_to_its_state_once_keeps_that_state_in_later_mentions(ex: EventExtractor) -> None:
    # Lexington, Kentucky is sixteen times the size; the headline writes South Carolina once
    assert _placed(ex, "https://tv.example/story/6", "LEXINGTON, SC: Teen hurt in shooting at Lexington home",
                   "A 15-year-old was shot at a Lexington home on Tuesday night. Lexington police said the boy is "
                   "expected to recover. Investigators in Lexington are talking to neighbours.",
                   datetime(2016, 5, 4)) == ("Lexington", "South Carolina")


def test_a_county_found_in_one_state_only_names_that_state(ex: EventExtractor) -> None:
    # Jacksonville, Florida is fifteen times the size; Onslow County exists in North Carolina only
    assert _placed(ex, "https://tv.example/story/7", "Man charged after boy finds gun",
                   "A 3-year-old boy shot himself with his father's handgun at a Jacksonville home on Sunday, "
                   "police said. The boy was taken to a hospital. Onslow County deputies assisted Jacksonville police.",
                   datetime(2016, 5, 4)) == ("Jacksonville", "North Carolina")


def test_two_counties_that_share_one_state_name_it(ex: EventExtractor) -> None:
    # Bradley County (Arkansas, Tennessee) and Rutherford County (North Carolina, Tennessee) meet in Tennessee,
    # which Cleveland, Ohio, eight times the size of Cleveland, Tennessee, does not outvote
    assert _placed(ex, "https://tv.example/story/8", "Suspect in custody in Cleveland double homicide",
                   "Two men were shot dead at a Cleveland home on Sunday, police said. The suspect was arrested in "
                   "Rutherford County on Monday. Bradley County deputies helped Cleveland police.",
                   datetime(2016, 5, 4)) == ("Cleveland", "Tennessee")


def test_saint_written_short_inside_a_name(ex: EventExtractor) -> None:
    # the gazetteer spells "Port Saint Lucie" and "St. Louis"; news writes "Port St. Lucie" and "St Louis"
    assert _placed(ex, "https://tv.example/story/9", "Girl, 9, shot by brother in Port St. Lucie",
                   "A 9-year-old girl was accidentally shot by her brother at a home in Port St. Lucie on Sunday, "
                   "police said.", datetime(2016, 5, 4)) == ("Port Saint Lucie", "Florida")
    assert _placed(ex, "https://tv.example/story/10", "Teen killed in St Louis shooting",
                   "A 17-year-old was shot and killed on Sunday night in St Louis, police said.",
                   datetime(2016, 5, 4)) == ("St. Louis", "Missouri")


def test_a_county_shortened_to_co_is_a_county(ex: EventExtractor) -> None:
    assert _placed(ex, "https://tv.example/story/11", "Onslow Co. deputies: Jacksonville boy, 4, shot",
                   "A 4-year-old boy was shot at a Jacksonville home on Sunday and is expected to recover, deputies "
                   "said.", datetime(2016, 5, 4)) == ("Jacksonville", "North Carolina")


def test_fort_and_township_written_short(ex: EventExtractor) -> None:
    assert _placed(ex, "https://tv.example/story/12", "Boy, 3, shot in Clinton Twp park",
                   "A 3-year-old boy was shot in the head at a park in Clinton Twp. on Sunday, police said.",
                   datetime(2016, 5, 4)) == ("Clinton Township", "Michigan")
    assert _placed(ex, "https://tv.example/story/13", "Ft. Lauderdale woman shot dead",
                   "A woman was shot dead at her home in Ft. Lauderdale on Sunday, police said.",
                   datetime(2016, 5, 4)) == ("Fort Lauderdale", "Florida")


def test_mount_written_short(ex: EventExtractor) -> None:
    # the gazetteer spells "Mount Holly"; news writes "Mt. Holly" (not Holly, Michigan)
    assert _placed(ex, "https://tv.example/story/14", "Teen shot in Mt. Holly park",
                   "A 14-year-old girl was shot in a park in Mt. Holly on Monday afternoon, Gaston County deputies "
                   "said.", datetime(2016, 5, 4)) == ("Mount Holly", "North Carolina")


def test_a_street_named_after_a_place_is_a_street(ex: EventExtractor) -> None:
    assert _placed(ex, "https://tv.example/story/15", "Police investigate fatal shooting on Spain St.",
                   "A teen was shot and killed on Spain Street on Monday afternoon, Baton Rouge police said.",
                   datetime(2016, 5, 4)) == ("Baton Rouge", "Louisiana")
    # a cross street named like a town far away ("Bentanna Drive at Elmont": Elmont, New York) is a street
    assert _placed(ex, "https://tv.example/story/16", "Boy, 3, who accidentally shot himself in Harris County has died",
                   "A three-year-old boy who accidentally shot himself inside a home in northwest Harris County has "
                   "died. The shooting happened in the 7400 block of Bentanna Drive at Elmont around 12:30pm.",
                   datetime(2015, 7, 20)) == ("Harris County", "Texas")


def test_the_town_someone_comes_from_is_not_where_it_happened(ex: EventExtractor) -> None:
    assert _placed(ex, "https://tv.example/story/16", "Man killed in Bourbon Street shooting",
                   "NEW ORLEANS — A gunfight on Bourbon Street left one man dead on Sunday. The man killed was a "
                   "25-year-old tattoo artist from Baton Rouge, police said.",
                   datetime(2016, 5, 4)) == ("New Orleans", "Louisiana")
    # "from Tucson police" is the police speaking, not a home town
    assert _placed(ex, "https://tv.example/story/17", "Boy, 3, shot by brother",
                   "A 3-year-old boy was shot by his 7-year-old brother on Sunday. The last word from Tucson police is "
                   "that the boy is in serious condition.", datetime(2016, 5, 4)) == ("Tucson", "Arizona")


def test_a_story_that_names_no_violent_act_still_has_its_place(ex: EventExtractor) -> None:
    # a court story: not an incident report, but the record still says where the case is
    ev = ex.extract(story("A third person pleaded guilty on Tuesday in the case, prosecutors in Carbondale, "
                          "Illinois said.", "https://news.example/m", title="Third person pleads guilty in Carbondale case"))
    assert not ev.is_incident and ev.event_type is None
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Carbondale", "Illinois")


def test_a_citys_suburbs_are_not_the_city(ex: EventExtractor) -> None:
    assert _placed(ex, "https://news.example/story/18", "3 people shot to death at home in Atlanta suburbs",
                   "Police are searching for a gunman after finding the bodies of three people in Atlanta's "
                   "northeastern suburbs. Officers responded to a home in Snellville on Sunday night.",
                   datetime(2016, 5, 4)) == ("Snellville", "Georgia")


def test_a_state_code_after_the_sites_town_is_read_alone(ex: EventExtractor) -> None:
    # "Columbus, GA News Weather & Sports": the state is GA, even with more capitalised words after it
    assert _placed(ex, "https://tv.example/story/19",
                   "Teen injured in Columbus drive-by - WXYZ.example-Columbus, GA News Weather & Sports",
                   "A teen was injured in a drive-by shooting in Columbus on Sunday night, police said.",
                   datetime(2016, 5, 4)) == ("Columbus", "Georgia")


def test_a_place_inside_another_word_of_the_host_is_no_hint(ex: EventExtractor) -> None:
    states, _ = outlet_hints("https://www.arkansasonline.com/news/2016/jan/08/teen-shot/", "", ex.gaz)
    assert set(states) == {"Arkansas"}  # not Kansas
    for url in ("http://winningdemocrats.com/2-year-old/", "http://cumberlink.com/news/local/crime/1"):
        assert outlet_hints(url, "", ex.gaz) == ({}, {}), url  # no Ningde, no Berlin
    assert set(outlet_hints("http://www.mysanantonio.com/news/1", "", ex.gaz)[0]) == {"Texas"}
    assert set(outlet_hints("http://www.northwestgeorgianews.com/1", "", ex.gaz)[0]) == {"Georgia"}


def test_a_state_section_of_the_address_is_an_outlet_hint(ex: EventExtractor) -> None:
    states, _ = outlet_hints("https://paper.example/story/news/local/iowa/2024/03/12/child-shot/123/", "", ex.gaz)
    assert states["Iowa"] == 1.0
    assert not outlet_hints("https://paper.example/news/iowa-state-fair-opens", "", ex.gaz)[0]  # a slug, not a section
    assert not outlet_hints("https://paper.example/", "", ex.gaz)[0] and not outlet_hints(None, "", ex.gaz)[0]
    # Garner, North Carolina is ten times bigger; the section says which Garner
    assert _placed(ex, "https://paper.example/story/news/local/iowa/2024/03/12/child-shot-at-range/123/",
                   "Child shot at Garner shooting range",
                   "A 9-year-old was shot in the leg at a shooting range in Garner on Tuesday, the sheriff said.",
                   datetime(2024, 3, 13)) == ("Garner", "Iowa")
    assert not outlet_hints("https://paper.example/news/world/europe/georgia/tbilisi-blast/", "", ex.gaz)[0]


def test_two_ambiguous_towns_that_are_neighbours_in_one_state_place_the_story_there(ex: EventExtractor) -> None:
    # Urbana alone is Urbana, Illinois (the biggest); with Columbus named too, the only neighbouring Urbana and
    # Columbus are in Ohio (about 60 km apart), so the story is in Urbana, Ohio.
    when = datetime(2016, 9, 9)
    assert _placed(ex, "https://news.example/s/1", "Girl, 4, hurt in drive-by shooting in Urbana",
                   "A 4-year-old girl was hurt on Wednesday night when shots were fired at a house in Urbana. "
                   "A Columbus man was arrested by Urbana police on Friday.", when) == ("Urbana", "Ohio")
    # one of the two names alone decides nothing: the biggest namesake stays the answer
    assert _placed(ex, "https://other.example/s/2", "Girl, 4, hurt in drive-by shooting in Urbana",
                   "A 4-year-old girl was hurt on Wednesday night when shots were fired at a house in Urbana. "
                   "A man was arrested by Urbana police on Friday.", when) == ("Urbana", "Illinois")


def test_a_town_in_a_county_the_story_names_is_that_county_s_namesake(ex: EventExtractor) -> None:
    # fifteen Cliftons; the one in Mesa County is in Colorado (the county followed by an office is still the county)
    assert _placed(ex, "https://news.example/county1", None, "A man was found shot dead Wednesday night in Clifton. "
                   "The Mesa County Coroner said the death was a homicide.", WHEN) == ("Clifton", "Colorado")
    # both names exist in several states; the pair only in Tennessee, and this Deer Lodge is a postal town
    assert _placed(ex, "https://news.example/county2", None, "A teenager was killed in Deer Lodge on Tuesday night. "
                   "Morgan County deputies said he was shot by accident.", WHEN) == ("Deer Lodge", "Tennessee")


def test_a_county_office_that_ner_reads_as_a_persons_title_is_still_the_county(ex: EventExtractor) -> None:
    # "Sangamon County Coroner Cinda Edwards" is tagged as one person; the county still places Springfield in Illinois
    assert _placed(ex, "https://www.wandtv.com/story/1/springfield-police", "Springfield police identify 1 in shooting",
                   "SPRINGFIELD - Springfield police say officers were dispatched to a home in the 2000 block of East "
                   "Lawrence for a report of a shooting. Officers found an 18-year-old male with a gunshot wound. "
                   "Sangamon County Coroner Cinda Edwards identified the victim as Romello Snow, 18.", WHEN) \
        == ("Springfield", "Illinois")


def test_a_county_with_a_named_town_inside_it_gives_way_to_the_town(ex: EventExtractor) -> None:
    assert _placed(ex, "https://news.example/county3", None, "Atoka County deputies said a man was shot and killed "
                   "Saturday at a home near Stringtown.", WHEN) == ("Stringtown", "Oklahoma")


def test_the_shipped_postal_table_is_what_the_zipcodes_package_gives() -> None:
    import gzip

    from worker.events import postal

    pytest.importorskip("zipcodes")  # installed with the test extra; the worker itself never imports it
    with gzip.open(postal.TABLE, "rt", encoding="utf-8") as f:
        assert f.readlines() == postal.table_lines()
    towns = {(t.name, t.state): t for t in postal.read_table()}
    assert towns[("Deer Lodge", "TN")].counties == ("Morgan County",)
    assert towns[("Clifton", "CO")].lat is not None


def test_a_faint_hint_of_a_state_does_not_outweigh_a_city_many_times_the_size(ex: EventExtractor) -> None:
    # "Tyler" (a first name here; Tyler, Texas is a city) hints at Texas a little; that little must not carry
    # Flint to the hamlet of Flint, Texas over Flint, Michigan, a city of 100,000
    assert _placed(ex, "https://tv.example/story/29747253/mother-son-dead",
                   "Family, community mourning 1-year-old, caregiver after fatal shooting",
                   "FLINT - A mother and her son were shot dead in a home on the north side of Flint on Sunday, "
                   "police said. Relatives said Tyler, the woman's brother, found them.",
                   datetime(2015, 12, 15)) == ("Flint", "Michigan")


def test_a_police_agency_acronym_names_its_city_and_steps_aside_for_a_town_named_near_it(ex: EventExtractor) -> None:
    when = datetime(2016, 11, 28)
    # nothing but the agency says where: "NOPD" is New Orleans, "LMPD" Louisville (not Colorado's), "GBI" Georgia
    assert _placed(ex, "https://tv.example/story/1", "NOPD: 4 shot in fatal shooting",
                   "Police are investigating a quadruple shooting on Tuesday evening that claimed the life of a "
                   "19-year-old man, NOPD said.", when) == ("New Orleans", "Louisiana")
    assert _placed(ex, "https://tv.example/story/2", "Teen passenger shot after fender bender",
                   "A 16-year-old passenger was shot on Sunday after a crash, said an LMPD spokeswoman.",
                   when) == ("Louisville", "Kentucky")
    assert _placed(ex, "https://tv.example/story/5", "GBI identifies victims in death investigation",
                   "Agents of the GBI are investigating the deaths of two people found shot in a home on Sunday.",
                   when) == ("Georgia", "Georgia")
    # the agency's city is a reference point: a neighbourhood of it that the story names is the place
    assert _placed(ex, "https://tv.example/story/3", "4 People Injured in Shooting at Wilmington Party: LAPD",
                   "Four people were wounded when gunfire erupted at a party in Wilmington on Sunday, the LAPD said.",
                   when) == ("Wilmington", "California")
    # an acronym several agencies share is not in the table: "SAPD" here is St. Augustine's
    assert _placed(ex, "https://tv.example/story/4", "SAPD: Shooting on Spring St. accidental",
                   "ST. AUGUSTINE, Fla. - A man was wounded on Spring Street on Sunday, SAPD said.",
                   when) == ("Saint Augustine", "Florida")


def test_the_home_town_in_the_site_name_is_evidence_for_its_state(ex: EventExtractor) -> None:
    # Erie, Pennsylvania is 100,000 people, Erie, Michigan a postal town; "a Detroit man" alone would send the story
    # to Michigan's
    title = "Man who shot himself while running from police faces charges - Erie News Now: News, Weather & Sports"
    text = ("Erie Police say a Detroit man who shot himself while running away from police early today had an "
            "extensive criminal record. The incident happened near East 7th and Tacoma Road. Erie Police Inspector "
            "Matt Fischer said the suspect tripped and shot himself in the chest.")
    assert _placed(ex, "https://tv.example/story/34124027/man-faces-charges", title, text,
                   datetime(2016, 12, 25)) == ("Erie", "Pennsylvania")
    # the site's town is evidence, not the answer: a story that names its own town keeps it
    assert _placed(ex, "https://tv.example/story/5", "Girl shot in Meadville - Erie News Now",
                   "A 9-year-old girl was shot in the arm in Meadville, Pennsylvania, on Sunday.",
                   datetime(2016, 12, 25)) == ("Meadville", "Pennsylvania")


def test_a_name_does_not_vouch_for_its_own_foreign_namesake_in_an_american_story(ex: EventExtractor) -> None:
    when = datetime(2017, 1, 30)
    # Birmingham, England is five times the size of Birmingham, Alabama; the story's wording is a US police report
    assert _placed(ex, "https://tv.example/story/7", "Birmingham police investigate after teen injured in drive-by",
                   "Birmingham police are investigating after a 17-year-old was shot in the neck in a drive-by "
                   "shooting on Sunday evening. The scene is near 39th Avenue North, deputies said.",
                   when) == ("Birmingham", "Alabama")
    # with nothing American in it, the big namesake stays
    assert _placed(ex, "https://news.example/story/8", "Man stabbed in Birmingham city centre",
                   "A man was stabbed in Birmingham city centre on Sunday night, West Midlands Police said.",
                   when)[0] == "Birmingham"


def test_the_surname_of_a_person_named_in_full_is_not_a_place(ex: EventExtractor) -> None:
    # "Jordan" is a country and a town in Montana; here it is the wanted man
    text = ("Richland County deputies are looking for a teenager after a deadly shooting on Monday night in "
            "Columbia. Deputies are looking for 18-year-old Laquantae Jordan. A photo of Jordan is attached to this "
            "story. If you know where to find Jordan, call Crimestoppers.")
    assert _placed(ex, "https://tv.example/story/9", "Teen wanted for deadly Monday night shooting", text,
                   datetime(2017, 3, 14)) == ("Columbia", "South Carolina")


def test_a_county_the_story_names_is_more_specific_than_its_state(ex: EventExtractor) -> None:
    text = ("Four people, including the gunman, were killed and 14 others were injured at a lawn mower plant on "
            "Thursday. Harvey County Sheriff T. Walton said the suspect, an employee, was shot and killed by a deputy.")
    place = _placed(ex, "https://tv.example/story/10", "Four dead, including gunman, in Kansas workplace shooting",
                    text, datetime(2016, 2, 26))
    assert place == ("Harvey County", "Kansas")

def test_a_town_in_a_named_county_is_more_specific_than_the_state_however_faintly_named(ex: EventExtractor) -> None:
    # the resolver's choice, given the weights a long wire story gave its names: the state named again and again, the
    # county and a town in it once each ("... slays tribal lawman in Louisiana ... St. Mary Parish ... Charenton")
    text = "Louisiana, Louisiana. St. Mary Parish. Charenton."
    spans = [("Louisiana", 0, 9.0), ("Louisiana", 11, 3.5), ("St. Mary Parish", 22, 3.0), ("Charenton", 39, 2.5)]
    mentions = [PlaceMention(at, at + len(name), name, ex.gaz.lookup(name), w) for name, at, w in spans]
    best = resolve(text, mentions, ex.gaz)
    assert best is not None and (best.place.name, best.place.admin1) == ("Charenton", "Louisiana")


def test_a_war_abroad_a_headline_number_and_a_city_quadrant_are_not_places(ex: EventExtractor) -> None:
    when = datetime(2015, 11, 20)
    assert _placed(ex, "https://tv.example/story/11", "Accidental shooting leaves teen dead",
                   "Shawn Griffin, 23, has been arrested. Deputies said Griffin, an Iraq war veteran, was playing with the gun on Thursday when it went off "
                   "and killed his 15-year-old cousin.", when) is None
    assert _placed(ex, "https://tv.example/story/12", "Four Men Shot Near The Park",
                   "Four men were shot on Thursday night, police said.", when) is None
    assert _placed(ex, "https://tv.example/story/13", "Five people injured in SE shooting",
                   "Five people were injured in an early morning shooting on Thursday, police said.", when) is None


def test_a_stations_call_sign_says_which_side_of_the_mississippi_between_namesakes(ex: EventExtractor) -> None:
    when = datetime(2016, 6, 16)
    text = "A 4-year-old child was shot at an apartment complex in Meridian on Wednesday night, police said."
    # Meridian, Idaho is three times the size of Meridian, Mississippi; a W station is east of the river
    assert _placed(ex, "https://www.wtok.com/content/news/child-shot", "Child shot at local apartment complex",
                   text, when) == ("Meridian", "Mississippi")
    assert _placed(ex, "https://www.kboi2.com/news/child-shot", "Child shot at local apartment complex",
                   text, when) == ("Meridian", "Idaho")
    # a host that is no call sign says nothing
    assert _placed(ex, "https://news.example/child-shot", "Child shot at local apartment complex",
                   text, when) == ("Meridian", "Idaho")


def test_call_sign_hosts() -> None:
    from worker.events.places import EAST_OF_MISSISSIPPI, WEST_OF_MISSISSIPPI, call_sign_side

    assert call_sign_side("wsmv.com") == EAST_OF_MISSISSIPPI and call_sign_side("wistv.com") == EAST_OF_MISSISSIPPI
    assert call_sign_side("kctv5.com") == WEST_OF_MISSISSIPPI and call_sign_side("king5.com") == WEST_OF_MISSISSIPPI
    for host in ("wmcactionnews5.com", "chicago.cbslocal.com", "fox8live.com", "wikipedia.org", ""):
        assert call_sign_side(host) == frozenset()
    # the river's two straddling states count on both sides
    assert "Minnesota" in EAST_OF_MISSISSIPPI & WEST_OF_MISSISSIPPI
    # stations licensed before 1923 kept their letters on the other side of the river; a call sign that only
    # begins like one of them is an ordinary one
    assert call_sign_side("wfaa.com") == WEST_OF_MISSISSIPPI and call_sign_side("whotv.com") == WEST_OF_MISSISSIPPI
    assert call_sign_side("wibw.com") == WEST_OF_MISSISSIPPI and call_sign_side("kdka.com") == EAST_OF_MISSISSIPPI
    assert call_sign_side("wowktv.com") == EAST_OF_MISSISSIPPI and call_sign_side("wkyt.com") == EAST_OF_MISSISSIPPI


def test_a_us_station_s_big_foreign_namesake_is_not_the_place(ex: EventExtractor) -> None:
    # England's Birmingham is six times Alabama's; a W station's "Birmingham police" are Alabama's
    assert _placed(ex, "https://www.wvtm13.com/article/child-accidentally-shot/7850923", "Child accidentally shot",
                   "Birmingham police are investigating an accidental shooting involving a child Friday night. The "
                   "10-year-old was shot by an adult in the house.", WHEN) == ("Birmingham", "Alabama")


def test_a_big_city_s_nickname_after_a_preposition_is_the_place_whatever_the_parser_tags_it(ex: EventExtractor) -> None:
    # the parser tags "Philly" an adverb in the lowered headline; a common word stays a word ("in most of")
    assert _placed(ex, "https://news.example/local/restaurant-shooting", "Gunman Shoots 4 People Outside Philly "
                   "Chinese Restaurant", "Four people are recovering after a shooting outside a Chinese restaurant.",
                   WHEN) == ("Philadelphia", "Pennsylvania")


def test_the_two_kansas_cities_as_locals_write_them(ex: EventExtractor) -> None:
    assert _placed(ex, "https://news.example/kck-shooting", "Year-old boy dies after accidental shooting in KCK",
                   "A 1-year-old boy died after he was accidentally shot Saturday night.", WHEN) == ("Kansas City", "Kansas")
    assert _placed(ex, "https://news.example/kcmo-shooting", "KCMO police investigate shooting",
                   "A man was shot and wounded Saturday night near 35th Street, KCMO police said.", WHEN) \
        == ("Kansas City", "Missouri")


def test_a_city_across_a_state_line_from_a_big_one_is_its_own_city(ex: EventExtractor) -> None:
    # Camden, New Jersey lies 3 km from the centre of Philadelphia, across the Delaware: not one of its neighbourhoods
    loc = ex.extract(story("A man was shot and killed Saturday night in Camden, police said.",
                           "https://news.example/camden-shooting", "Man killed in Camden shooting")).location
    assert loc is not None and (loc.name, loc.admin1, loc.city) == ("Camden", "New Jersey", "Camden")


def test_an_old_w_station_west_of_the_river_keeps_its_own_state(ex: EventExtractor) -> None:
    # WIBW is in Topeka: its Lawrence is the Kansas one, not the Massachusetts namesake east of the river
    assert _placed(ex, "https://www.wibw.com/home/headlines/boy-shot", "Boy shot by father doing fine",
                   "The boy shot by his father last week is doing fine. Lawrence police say the boy was shot in "
                   "the abdomen in the living room of his home.", WHEN) == ("Lawrence", "Kansas")


def test_a_state_police_names_its_state(ex: EventExtractor) -> None:
    when = datetime(2017, 4, 24)
    assert _placed(ex, "https://news.example/story/14", "Teen struck by shotgun pellets during turkey hunt",
                   "Vermont State Police say a 16-year-old girl suffered minor injuries after she was struck by "
                   "several shotgun pellets while turkey hunting on Sunday morning in Moretown.",
                   when) == ("Moretown", "Vermont")
    assert _placed(ex, "https://news.example/story/15", "Trooper shot during traffic stop",
                   "A trooper was shot during a traffic stop on Sunday, the Ohio State Highway Patrol said.",
                   when) == ("Ohio", "Ohio")


def test_chicago_neighbourhoods_geonames_lacks_are_chicago(ex: EventExtractor) -> None:
    ev = ex.extract(story("Four boys were wounded in a shooting in Austin on the West Side late Saturday, Chicago police "
                          "said.", "https://chicago.example/news/austin-shooting", title="Austin shooting wounds 4 boys"))
    assert ev.location is not None and (ev.location.name, ev.location.city, ev.location.admin1) == (
        "Austin", "Chicago", "Illinois")
    ev = ex.extract(story("Four people were hurt in a shooting in Washington Park on the South Side, Chicago police said.",
                          "https://chicago.example/news/wp"))
    assert ev.location is not None and (ev.location.name, ev.location.city) == ("Washington Park", "Chicago")
    # Austin, Texas is still Austin, Texas
    ev = ex.extract(story("A man was shot and killed outside a bar on Sixth Street in Austin on Saturday, Travis County "
                          "officials said.", "https://news.example/a"))
    assert ev.location is not None and ev.location.admin1 == "Texas"


def test_neighbourhoods_of_other_big_cities_are_theirs(ex: EventExtractor) -> None:
    ev = ex.extract(story("A man was killed and four others were injured in a shooting in Homewood on Saturday night, "
                          "police in Pennsylvania said.", "https://news.example/homewood",
                          title="Homewood shooting leaves 1 dead"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Homewood", "Pennsylvania")
    # a neighbourhood of a city of 300,000 is that city's (the incident's city, for consumers and the vote)
    assert (ev.location.city, ev.location.precision) == ("Pittsburgh", "neighbourhood")
    ev = ex.extract(story("Four people were shot during a gunbattle near Westport early Sunday, Kansas City, Missouri, "
                          "police said.", "https://kc.example/news/westport"))
    assert ev.location is not None and ev.location.admin1 == "Missouri"


def test_a_shipped_neighbourhood_answers_to_its_short_form(ex: EventExtractor) -> None:
    ev = ex.extract(story("A 3-year-old girl accidentally shot herself in the chest in Mt. Washington on Saturday, "
                          "Allegheny County police in Pennsylvania said.", "https://news.example/mtw"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Mount Washington", "Pennsylvania")


def test_the_neighbourhood_table_reads_its_lines_and_skips_a_malformed_one(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from worker.events.gazetteer import NEIGHBOURHOODS, read_neighbourhoods

    shipped = read_neighbourhoods()
    assert ("Austin", "Illinois") in {(n, s) for n, s, *_ in shipped} and len(shipped) >= 50
    assert len(shipped) == sum(1 for line in NEIGHBOURHOODS.read_text().splitlines() if line and not line.startswith("#"))
    bad = tmp_path / "n.tsv"
    bad.write_text("# comment\nAustin\tIllinois\t41.9\t-87.76\t98000\tChicago\nBroken line\tIllinois\tnorth\n")
    with caplog.at_level("WARNING"):
        rows = read_neighbourhoods(bad)
    assert rows == [("Austin", "Illinois", 41.9, -87.76, 98000)]
    assert "n.tsv:3" in caplog.text and "skipped" in caplog.text
    # a missing or undecodable file: no neighbourhoods, one warning, no traceback
    caplog.clear()
    (tmp_path / "latin1.tsv").write_bytes("Pilsen\tIllinois\t41.857\t-87.656\t36000\tChicago \xe9\n".encode("latin-1"))
    with caplog.at_level("WARNING"):
        assert read_neighbourhoods(tmp_path / "missing.tsv") == []
        assert read_neighbourhoods(tmp_path / "latin1.tsv") == []
    assert caplog.text.count("cannot read the neighbourhoods") == 2


def test_a_sized_neighbourhood_replaces_its_unsized_postal_town(ex: EventExtractor) -> None:
    ev = ex.extract(story("A teen was killed in a shooting at an apartment complex in Antioch on Saturday, police said.",
                          "https://news.example/antioch", title="Teen killed in Antioch shooting - WSMV Channel 4 Nashville"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Antioch", "Tennessee")


def test_a_sentence_case_headline_names_a_small_town_the_body_does_not(ex: EventExtractor) -> None:
    # A paywalled page keeps only its headline. Sentence case capitalises names alone, so "Epping" is a place there
    # (Epping, New Hampshire for an outlet whose stories are in New Hampshire, not the bigger Eppings in Australia).
    _teach(ex, "https://leader.example", ("Manchester, N.H.", "Nashua, N.H.", "Concord, N.H."))
    assert _placed(ex, "https://leader.example/s/9", "Man shot in leg at Sig Sauer's Epping training facility",
                   "Subscribe to read the full story.", WHEN) == ("Epping", "New Hampshire")


def test_a_county_named_without_the_word_county(ex: EventExtractor) -> None:
    # "DeKalb" alone is a town in Illinois only, and a county in six states: near Decatur and Atlanta it is
    # Georgia's county; "Pinellas" is Florida's county and nothing else
    assert _placed(ex, "https://news.example/c1", "Child, three adults injured in DeKalb shooting",
                   "Four people were injured in a shooting at a DeKalb apartment complex near Decatur on Monday night. "
                   "The child was taken to Children's Healthcare of Atlanta.", WHEN)[1] == "Georgia"
    assert _placed(ex, "https://news.example/c2", None, "A 2-year-old boy died on Tuesday after he shot himself with "
                   "a handgun he found in a bedroom in Pinellas, deputies said.", WHEN) == ("Pinellas County", "Florida")
    # a common word is not taken for a county ("Lake County" exists in a dozen states)
    assert _placed(ex, "https://news.example/c3", None, "A man was shot near the Lake on Sunday, police said.",
                   WHEN) is None


def _teach(ex: EventExtractor, site: str, towns: tuple[str, ...]) -> None:
    """Let the extractor learn the outlet's region from a story datelined in each town."""
    for n, town in enumerate(towns, 1):
        ex.extract(Article(id=f"u{n}", url=f"{site}/s/{n}", title="Man shot on Main Street",
                           text=f"{town.upper()} — A man was shot on Main Street on Tuesday, police said.", published=WHEN))


def test_a_foreign_namesake_that_only_its_own_name_points_abroad_gives_way(ex: EventExtractor) -> None:
    # Fronton is a town in France; the gazetteer lacks the Texas river settlement. A Texas outlet's story with US
    # wording, where nothing but the name itself points to France: the Texas county is the place
    _teach(ex, "https://valley.example", ("Harlingen, Texas", "McAllen, Texas", "Edinburg, Texas"))
    loc = _placed(ex, "https://valley.example/story/1", "1 Dead, 2 Injured In Shooting Near Fronton",
                  "FRONTON - The Starr County Sheriff's Office confirmed one person died after a shooting near the river "
                  "banks in the Fronton area on Wednesday. Deputies along with Border Patrol agents and DPS troopers "
                  "responded to a 911 call about shots fired around 4:30 p.m. The sheriff's office said two men suffered "
                  "gunshot wounds.", WHEN)
    assert loc is not None and loc[1] == "Texas"


def test_boca_is_boca_raton() -> None:
    from worker.events.gazetteer import gazetteer
    assert [(p.name, p.admin1) for p in gazetteer().lookup("Boca")][0] == ("Boca Raton", "Florida")


def test_an_outlets_home_ground_is_where_its_local_stories_happen() -> None:
    regions = OutletRegions()
    regions.learn("station.example", "US", "North Carolina", (35.23, -80.84))  # Charlotte
    assert regions.centre("station.example") is None  # one story is no home ground yet
    regions.learn("station.example", "US", "North Carolina", (35.26, -81.19))  # Gastonia
    centre = regions.centre("station.example")
    assert centre is not None and 35.2 < centre.lat < 35.3 and centre.weight == pytest.approx(2 / 3)
    for point in ((40.7, -74.0), (34.05, -118.24), (41.88, -87.63), (29.76, -95.37)):  # a national outlet
        regions.learn("wire.example", "US", None, point)
    assert regions.centre("wire.example") is None


def test_a_namesake_near_the_outlets_home_ground_wins_across_a_state_line(ex: EventExtractor) -> None:
    # A Charlotte station's "Great Falls" is the South Carolina town 70 km away, not Great Falls, Virginia or Montana
    _teach(ex, "https://charlotte-tv.example", ("Charlotte, N.C.", "Gastonia, N.C.", "Concord, N.C."))
    assert _placed(ex, "https://charlotte-tv.example/news/9", "Great Falls student injured in accidental shooting",
                   "A high school student was hurt on Monday when a gun went off at a home in Great Falls, deputies "
                   "said.", WHEN) == ("Great Falls", "South Carolina")


def test_a_town_named_in_the_host_is_the_outlets_home_until_it_has_its_own(ex: EventExtractor) -> None:
    assert (host_town("goldsborodailynews.com", ex.gaz).name, host_town("salina.com", ex.gaz).admin1) \
        == ("Goldsboro", "Kansas")
    assert host_town("goldsborodailynews.com", ex.gaz).admin1 == "North Carolina"
    assert (host_town("erienewsnow.com", ex.gaz).name, host_town("hayspost.com", ex.gaz).admin1) == ("Erie", "Kansas")
    # not a name several towns share ("springfield": not Spring, Texas either), a state, a town followed by words
    # that are not a masthead's, nor a call sign
    for host in ("springfieldnewssun.com", "delawareonline.com", "capitolhillseattle.com", "wsmv.com"):
        assert host_town(host, ex.gaz) is None, host
    # Abilene, Texas is eighteen times Abilene, Kansas; a Salina paper's Abilene is the Kansas town 40 km away,
    # dateline and all
    text = ("ABILENE — A 15-year-old boy who was being chased by a deputy after a convenience store robbery in "
            "Abilene shot himself in the leg Thursday, according to the Abilene Police Department.")
    assert _placed(ex, "https://www.salina-daily.example/news/1", "Robbery suspect shoots himself", text, WHEN) \
        == ("Abilene", "Kansas")
    assert _placed(ex, "https://www.daily-paper.example/news/1", "Robbery suspect shoots himself", text, WHEN) \
        == ("Abilene", "Texas")


def test_a_county_named_alone_is_the_one_in_the_outlets_home_state(ex: EventExtractor) -> None:
    text = "A family is grieving after an 11-year-old boy died from a gunshot wound in Wayne County on Thursday."
    assert _placed(ex, "https://goldsboro-news.example/blog/1", "Boy, 11, dies", text, WHEN) \
        == ("Wayne County", "North Carolina")
    # and the home state an outlet learns from its own stories, when half of them lie in it
    regions = OutletRegions()
    for lat, lon in ((33.95, -84.55), (33.77, -84.30), (33.88, -84.51)):
        regions.learn("metro.example", "US", "Georgia", (lat, lon))
    centre = regions.centre("metro.example")
    assert centre is not None and centre.admin1 == "Georgia"
    for state, lat, lon in (("Georgia", 34.99, -85.30), ("Tennessee", 35.05, -85.31), ("Alabama", 34.90, -85.50)):
        regions.learn("border.example", "US", state, (lat, lon))
    centre = regions.centre("border.example")
    assert centre is not None and centre.admin1 is None


def test_a_police_town_guessed_against_the_evidence_anchors_nothing(ex: EventExtractor) -> None:
    # "West Valley police" alone would be West Valley, Washington; this Utah outlet's story is West Valley City's
    _teach(ex, "https://www.desert-news.example", ("Provo, Utah", "Ogden, Utah", "Orem, Utah"))
    assert _placed(ex, "https://www.desert-news.example/s/9", "Two arrested in shooting in mall parking lot",
                   "West Valley police say two people have been arrested in connection with the shooting of a "
                   "14-year-old girl in the parking lot of a mall in West Valley City on Saturday.", WHEN) \
        == ("West Valley City", "Utah")


def test_a_foreign_namesake_scored_below_nothing_is_no_place(ex: EventExtractor) -> None:
    # "in America" is no town of Argentina; a story with nothing else to place it has no place rather than a guess
    ev = ex.extract(story(
        "Yet another example of how guns do not kill people happened today when a 2-year-old boy shot himself with a "
        "gun he found in the front of his grandfather's truck. The boy's family said he was in critical condition. "
        "According to gun nuts, tools like hammers kill people more often than guns do in America. The county "
        "sheriff's office has declined to say if charges would be forthcoming.", "https://www.opinion-blog.example/1",
        title="2-Year-Old in critical condition after authorities say a gun shot itself"))
    assert ev.location is None


def test_a_township_written_with_its_state_is_in_that_state(ex: EventExtractor) -> None:
    # a Philadelphia station's "HAMILTON TWP., N.J.": New Jersey (the gazetteer lacks the township), not the
    # Hamilton in Pennsylvania near the station
    _teach(ex, "https://philly-tv.example", ("Philadelphia", "Chester, Pa.", "Norristown, Pa."))
    ev = ex.extract(story("HAMILTON TWP., N.J. — Officials say one person is dead and four others were injured after a "
                          "shooting at a birthday party at a Hamilton Township, New Jersey home late Friday.",
                          "https://philly-tv.example/s/9", title="1 dead, 4 injured in Hamilton Twp. party shooting"))
    assert ev.location is not None and (ev.location.admin1 or ev.location.name) == "New Jersey"
    # and a county the story names in that state is more precise than the state
    assert _placed(ex, "https://philly-tv.example/s/10", "Authorities identify boy, 11, killed while playing with gun",
                   "STAR TOWNSHIP, Mich. (AP) — An 11-year-old boy was fatally shot while playing with a gun at his "
                   "home on Friday, the Antrim County Sheriff's Department said.", WHEN) == ("Antrim County", "Michigan")


def test_a_namesake_in_the_outlets_home_state_gains_beyond_its_home_ground(ex: EventExtractor) -> None:
    # a Denver paper's Yuma is Colorado's (220 km from Denver), not Arizona's city of 95,000
    assert _placed(ex, "https://www.denverpost.com/news/1", "Yuma High School student shot, killed in off-campus accident",
                   "A sophomore at Yuma High School died Monday after an off-campus shooting. Yuma Police said the "
                   "shooting appeared to be accidental.", WHEN) == ("Yuma", "Colorado")


def test_a_small_namesake_far_from_the_outlets_home_that_nothing_supports_is_no_place(ex: EventExtractor) -> None:
    # a Goldsboro, North Carolina paper's "Kensington" is a local name the gazetteer lacks, not Brooklyn's
    text = "A man was shot Saturday night near Kensington, police said. He was taken to a hospital in stable condition."
    assert _placed(ex, "https://goldsboro-news.example/blog/2", "Man shot near Kensington", text, WHEN) is None
    # an outlet with no home keeps the namesake; so does one whose story names the namesake's state
    assert _placed(ex, "https://www.daily-paper.example/news/2", "Man shot near Kensington", text, WHEN) is not None
    assert _placed(ex, "https://goldsboro-news.example/blog/3", "Man shot near Kensington, Maryland", text, WHEN) \
        == ("Kensington", "Maryland")


def test_a_town_named_like_a_word_is_a_place_in_a_dateline(ex: EventExtractor) -> None:
    ev = ex.extract(story("KING, N.C. -- A 19-year-old man is accused of shooting and killing a 17-year-old in King, "
                          "according to King police. May said the victim lived in Stokes County.",
                          "https://station.example/news/1", title="Teen accused of shooting, killing 17-year-old in King"))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("King", "North Carolina")
    # the word alone is no town: "King" the surname stays a person
    ev = ex.extract(story("A man was shot on Elm Street in Winston-Salem, North Carolina, on Saturday, said Detective "
                          "Aaron King.", "https://station.example/news/2", n=2))
    assert ev.location is not None and ev.location.name == "Winston-Salem"
