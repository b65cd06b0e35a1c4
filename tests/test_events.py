"""Event extraction on short hand-written articles, one per hard case named in the issue."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from worker.events import EventExtractor
from worker.events.actors import ActorList
from worker.events.casualties import extract_casualties
from worker.events.dates import find_dates
from worker.events.extractor import unwrap_lines
from worker.events.numbers import parse_number
from worker.models import Article, Event

ACTORS = Path(__file__).resolve().parents[1] / "config" / "actors.yaml"


@pytest.fixture(scope="module")
def ex(nlp) -> EventExtractor:  # type: ignore[no-untyped-def]
    return EventExtractor(nlp, ACTORS)


def art(text: str, title: str | None = None, published: datetime = datetime(2024, 3, 13, 9, 0)) -> Article:
    return Article(id="t1", url="https://news.example/a1", title=title, text=text, published=published,
                   site_name="Example News")


def toll(ex: EventExtractor, text: str, title: str) -> tuple[int | None, int | None, int | None]:
    """(killed, wounded, perpetrators killed) the extractor reads in a short article."""
    c = ex.extract(art(text, title=title)).casualties
    return c.killed, c.wounded, c.perpetrators_killed


def _evidence_fields(ev: Event) -> set[str]:
    return {e.field for e in ev.evidence}


def test_background_incident_with_higher_toll_is_ignored(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Gunmen opened fire on a bus in Peshawar on Tuesday, killing three passengers and wounding five others, "
        "police said.\n\n"
        "The attack comes a week after 35 people were killed in a suicide bombing at a mosque in the city.\n\n"
        "Last year more than 120 people died in attacks in the province.",
        title="Three killed as gunmen attack bus in Peshawar"))
    assert ev.is_incident
    assert ev.casualties.killed == 3
    assert ev.casualties.wounded == 5
    assert ev.event_type == "shooting"
    assert ev.date == date(2024, 3, 12)
    assert ev.location is not None and ev.location.name == "Peshawar" and ev.location.country == "PK"


def test_attackers_killed_are_not_victims(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Four militants stormed a police checkpoint in Bannu on Monday. Two policemen were killed in the "
        "assault, officials said.\n\nAll four attackers were shot dead by security forces after a two-hour gunfight."))
    assert ev.is_incident
    assert ev.casualties.killed == 2
    assert ev.casualties.perpetrators_killed == 4
    assert any(t.category == "police" for t in ev.targets)


def test_claim_by_one_group_and_blame_by_official_on_another(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A car bomb exploded near a market in Mogadishu on Wednesday, killing at least seven people.\n\n"
        "Al-Shabaab claimed responsibility for the bombing in a statement carried by its radio station. "
        "But the interior minister blamed the Islamic State group for the attack.\n\n"
        "ISIS has not commented."))
    perps = {p.name: p.claim for p in ev.perpetrators}
    assert perps.get("Al-Shabaab") == "claimed"
    assert perps.get("Islamic State") == "suspected"
    assert ev.event_type == "bombing"
    assert "car_bomb" in ev.tactics
    assert ev.casualties.killed == 7


def test_isis_k_is_its_own_actor_with_islamic_state_as_family(ex: EventExtractor) -> None:
    actors = ActorList.load(ACTORS)
    names = {m.actor.name for m in actors.find("ISIS-K and Daesh and ISIL and the Islamic State group")}
    assert names == {"Islamic State Khorasan Province", "Islamic State"}
    assert actors.family("Islamic State Khorasan Province") == "Islamic State"
    # "IS" only in its exact capitalisation: the verb "is" is not a group.
    assert not actors.find("this is a test")
    ev = ex.extract(art("A suicide bomber killed 13 people at a wedding hall in Jalalabad on Friday. "
                        "Amaq, the news agency of Islamic State, said the group carried out the attack."))
    assert [p.name for p in ev.perpetrators] == ["Islamic State"]


def test_two_attacks_in_one_article_keeps_the_first(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A roadside bomb killed two soldiers in Kandahar province on Saturday, the defence ministry said.\n\n"
        "In a separate attack, gunmen killed nine civilians and kidnapped four others in Herat.\n\n"
        "No group has claimed either attack."))
    assert ev.is_incident
    assert ev.event_type == "bombing"
    assert ev.casualties.killed == 2
    assert ev.location is not None and ev.location.country == "AF"
    assert ev.location.name != "Herat"


def test_the_second_shooting_of_the_day_is_another_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A teenage girl was shot and killed Saturday in a volley of bullets on a Homewood street.\n\n"
        "Paramedics said she was dead at the scene. Police are still investigating, a spokeswoman said.\n\n"
        "The incident was the second reported shooting in Homewood in less than 24 hours.\n\n"
        "Police found a man, 22, suffering from gunshot wounds on Hamilton Avenue about 3:30 a.m. Saturday.\n\n"
        "Paramedics transported him to a hospital, where he was in stable condition.",
        title="Girl, 17, who was shot dead in Homewood identified"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)


def test_analysis_piece_is_not_an_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Why gun violence keeps rising in American cities\n\n"
        "Experts say a combination of factors, from the pandemic to policing, explains the trend. "
        "Homicides rose by nearly 30 percent in 2020, the largest increase on record.\n\n"
        "Lawmakers are debating legislation that would expand background checks.",
        title="Analysis: why gun violence keeps rising"))
    assert not ev.is_incident


def test_court_case_about_old_attack_is_not_an_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A man was sentenced to life in prison on Tuesday for the 2019 shooting that killed four people at a "
        "bar in Dayton.\n\nThe jury deliberated for two days.", title="Dayton bar gunman sentenced to life"))
    assert not ev.is_incident


def test_number_words_and_at_least(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "At least twenty-one people were killed and dozens were wounded when a truck bomb exploded outside a "
        "hospital in Kunduz on Sunday, officials said.",
        title="Truck bomb kills at least 21"))
    assert ev.casualties.killed == 21
    assert ev.casualties.wounded == 24  # "dozens": its lower bound, the record is marked approximate
    assert parse_number("a dozen") == (12, False)
    assert parse_number("twenty-one") == (21, False)
    assert parse_number("1,200") == (1200, False)


def test_a_figure_beside_a_count_is_two_numbers_not_their_sum(ex: EventExtractor) -> None:
    assert parse_number("3 four") is None and parse_number("12 two") is None and parse_number("1 2") is None
    assert parse_number("twenty four") == (24, False) and parse_number("3 hundred 20") == (320, False)
    assert parse_number("one hundred twenty four") == (124, False)
    ev = ex.extract(art("Sgt. Ann Cole told Channel 3 four men were shot at a laundromat on Dodds Avenue early Sunday. "
                        "All four are expected to recover.", title="Four men shot at laundromat"))
    assert ev.casualties.wounded == 4  # not 7: "Channel 3" is a station


def test_single_victim_and_zero_casualties(ex: EventExtractor) -> None:
    ev = ex.extract(art("A man was shot and killed Sunday night in Gary, Indiana, police said. "
                        "No one else was injured."))
    assert ev.casualties.killed == 1
    assert ev.casualties.wounded == 0
    assert ev.location is not None and ev.location.admin1 == "Indiana"
    ev = ex.extract(art("A bomb exploded outside a bank in Quetta on Monday. No casualties were reported."))
    assert ev.casualties.killed == 0 and ev.casualties.wounded == 0


def test_three_shot_one_fatally(ex: EventExtractor) -> None:
    ev = ex.extract(art("Three people were shot, one fatally, outside a nightclub in Memphis early Saturday, "
                        "police said."))
    assert ev.casualties.killed == 1
    assert ev.casualties.wounded == 2


def test_relative_dates_around_month_and_year_boundary(ex: EventExtractor) -> None:
    new_year = datetime(2025, 1, 1, 8, 0)
    assert find_dates("yesterday", new_year.date())[0].value == date(2024, 12, 31)
    assert find_dates("on Monday", new_year.date())[0].value == date(2024, 12, 30)
    assert find_dates("on Dec. 30", new_year.date())[0].value == date(2024, 12, 30)
    assert find_dates("last month", new_year.date())[0].value == date(2024, 12, 1)
    march = date(2024, 3, 1)  # a Friday; 2024 is a leap year
    assert find_dates("late Thursday", march)[0].value == date(2024, 2, 29)
    ev = ex.extract(art("Gunmen killed two people at a checkpoint in Baghdad late Sunday, police said.",
                        published=new_year))
    assert ev.date == date(2024, 12, 29) and ev.date_precision == "day"
    assert "date" in _evidence_fields(ev)


def test_a_story_whose_url_dates_it_long_before_it_was_seen_is_no_new_incident(ex: EventExtractor) -> None:
    body = "Two men were shot outside a bar on Main Street early Sunday, police said. Both are in stable condition."
    seen = datetime(2024, 3, 13, 9, 0)
    old = Article(id="t1", url="https://news.example/2022/07/05/two-shot-outside-bar/", title="Two shot outside bar",
                  text=body, published=seen)
    ev = ex.extract(old)  # an old story a feed lists again: its "Sunday" is the one before it was written
    assert (ev.date, ev.is_incident, ev.casualties.wounded) == (date(2022, 7, 3), False, 2)
    fresh = old.model_copy(update={"url": "https://news.example/2024/03/12/two-shot-outside-bar/"})
    ev = ex.extract(fresh)  # written the day before it was seen: news
    assert (ev.date, ev.is_incident) == (date(2024, 3, 10), True)
    dated = old.model_copy(update={"url": "https://news.example/2024/03/06/two-shot-outside-bar/"})
    ev = ex.extract(dated)  # a week-old story: its own Sunday, still within the month
    assert (ev.date, ev.is_incident) == (date(2024, 3, 3), True)


def test_the_day_a_victim_died_is_not_the_day_of_the_shooting_the_story_names(ex: EventExtractor) -> None:
    monday = datetime(2016, 12, 20, 9, 0)  # a Tuesday
    ev = ex.extract(art("A woman who was shot in a drive-by on Dec. 9 died Sunday at a hospital, police said.",
                        title="Woman shot in drive-by dies", published=monday))
    assert ev.date == date(2016, 12, 9)  # the shooting's day, not the 18th
    ev = ex.extract(art("A third man has died after a shooting at a dice game in Capitol Heights in October, police "
                        "said Monday. The man died Sunday at a hospital.", title="Third man dies", published=monday))
    assert (ev.date, ev.date_precision) == (date(2016, 10, 1), "month")
    # a death the same day as the shooting, or a vaguer date around it, leaves the day of the death
    ev = ex.extract(art("A 15-year-old was shot over the weekend in a home on Elm Street. He died Sunday of a single "
                        "gunshot wound, police said.", title="Teen dies after shooting", published=monday))
    assert ev.date == date(2016, 12, 18)


def test_a_weekday_written_beside_its_date_is_that_date() -> None:
    ref = date(2014, 7, 20)  # a Sunday, three weeks after June 29
    assert [(d.value, d.precision) for d in find_dates("was shot and killed Sunday, June 29, in the 1100 block", ref)] \
        == [(date(2014, 6, 29), "day")]
    assert [d.value for d in find_dates("on Friday 7/11 police said", ref)] == [date(2014, 7, 11)]
    # a weekday that is not beside a date keeps its own meaning
    assert [d.value for d in find_dates("on Friday and again on June 29", ref)] == [date(2014, 7, 18), date(2014, 6, 29)]


def test_a_year_after_of_is_the_dates_year() -> None:
    ref = date(2017, 3, 20)
    assert [(d.value, d.precision) for d in find_dates("related to a shooting in August of 2015", ref)] \
        == [(date(2015, 8, 1), "month")]
    assert [d.value for d in find_dates("on Aug. 3 of 2015", ref)] == [date(2015, 8, 3)]
    # "of last year" / "this year" fix the year of a month that the latest-such-month rule would get wrong
    summer = date(2017, 8, 20)
    assert [d.value for d in find_dates("a shooting in June of last year", summer)] == [date(2016, 6, 1)]
    assert [d.value for d in find_dates("since June last year", summer)] == [date(2016, 6, 1)]
    assert [d.value for d in find_dates("in March this year", summer)] == [date(2017, 3, 1)]
    assert [d.value for d in find_dates("in June", summer)] == [date(2017, 6, 1)]


def test_a_fraction_is_no_date() -> None:
    ref = date(2015, 1, 22)
    assert find_dates("a 2 1/2 year old was able to take the gun", ref) == []
    assert find_dates("found about 1/2 mile off the roadway", ref) == []
    assert find_dates("shot 3/4-inch", ref) == []
    assert [d.value for d in find_dates("on 1/2 the police said", ref)] == [date(2015, 1, 2)]


def test_a_date_in_the_headline_dates_the_incident(ex: EventExtractor) -> None:
    thursday = datetime(2016, 4, 7, 15, 0)
    ev = ex.extract(art("Two suspects in the homicide of a 3-year-old girl on the city's west side have been arrested, "
                        "police confirmed Thursday. The girl died of multiple gunshot wounds, the medical examiner said.",
                        title="2 arrested in Easter fatal shooting of 3-year-old", published=thursday))
    assert (ev.date, ev.date_precision) == (date(2016, 3, 27), "day")  # Easter Sunday, not the day of the arrests
    # "UPDATED:" labels the page; the shooting is Friday's, not the next school day's
    friday = datetime(2016, 5, 13, 18, 0)
    ev = ex.extract(art("A student was shot in an accidental shooting at Southside High School, deputies said.",
                        title="UPDATED: After accidental shooting Friday, Southside has normal schedule Monday",
                        published=friday))
    assert ev.date == date(2016, 5, 13)


def test_a_page_date_is_not_the_incident_date(ex: EventExtractor) -> None:
    tuesday = datetime(2013, 4, 16, 10, 0)
    ev = ex.extract(art("A man who was shot at a bowling alley on Sunday said the scene was like a war zone.",
                        title="From April 16: Victim of shooting at bowling alley describes 'war zone'",
                        published=tuesday))
    assert ev.date == date(2013, 4, 14)
    ev = ex.extract(art("A man was shot in the leg on March 7 on Walnut Street, police said.",
                        title="Shooting arrest and drugs: March 14, 2017 Trentonian Police Blotter",
                        published=datetime(2017, 3, 14, 10, 0)))
    assert ev.date == date(2017, 3, 7)


def test_the_day_a_story_names_within_the_month_of_its_headline(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 17-year-old was charged Monday in the Feb. 17 shooting of a 16-year-old in a home on Elm "
                        "Street, police said.",
                        title="Police: teenager charged in accidental shooting of 16-year-old in Feb.",
                        published=datetime(2016, 3, 14, 10, 0)))
    assert (ev.date, ev.date_precision) == (date(2016, 2, 17), "day")


def test_a_shooting_under_investigation_happened(ex: EventExtractor) -> None:
    ev = ex.extract(art("A fatal shooting Feb. 12 in Lorain is under investigation by police. Around 12:45 p.m., "
                        "officers responded to the 400 block of Iowa Avenue for a complaint of shots fired.",
                        title="Lorain fatal shooting under investigation", published=datetime(2017, 2, 13, 9, 0)))
    assert ev.is_incident and ev.date == date(2017, 2, 12)


@pytest.mark.parametrize("title,body", [
    # a verbless headline: who is dead and from what
    ("Police: North Harbor teen dead from gunshot wound",
     "Police in Brantley are investigating. Officers were called to the 400 block of Fremont Avenue at 11:06 p.m. "
     "Sunday."),
    # the survivor's news
    ("Child recovering after quadruple shooting in Brantley",
     "The cookout on Elm Street in Brantley drew a crowd of 40 people on Sunday evening."),
    # a plural subject's present tense
    ("Police: Masked men shoot teen in Brantley apartment",
     "Officers responded to the Weston Trace complex in Brantley around 12:05 a.m. Sunday."),
    # who was among the count
    ("11-year-old, 2 teens among 4 shot in Brantley",
     "The cookout on Elm Street in Brantley drew a crowd of 40 people on Sunday evening."),
    # an inquiry into a "shooting death"
    ("Brantley police investigate death of 2-year-old",
     "Brantley police are investigating the shooting death of a 2-year-old boy on Sunday at a home on Elm Street."),
    # what the shooting did, in the lead
    ("Brantley apartment shooting ruled accidental",
     "Officials say a shooting that sent a man to the hospital on Sunday at Alhambra Apartments in Brantley was "
     "accidental."),
    # what the inquiry found it to be, in the headline and in the lead
    ("Police: Fremont Avenue shooting accidental, self-inflicted",
     "A shooting on Sunday on the 300 block of Fremont Ave. in Brantley, that left a 15-year-old boy with a gunshot "
     "wound to the chest, was accidental and self-inflicted, police said. The boy is in stable condition."),
    ("Early Sunday morning shooting in Brantley determined to be accident",
     "A woman is expected to recover after an early Sunday morning shooting at a home on Elm Street in Brantley."),
    # what the shooting did or came of, with a present-tense verb the parser reads as the noun's
    ("Shooting sends multiple victims to hospital",
     "Officers were called to Elm Street in Brantley around 11 p.m. Sunday, police said."),
    ("Gun play in north Brantley leads to fatal shooting of 16-year-old boy",
     "Officers were called to a home on Elm Street in Brantley on Sunday evening."),
    # one person shot, and where (the parser takes "shot" for a noun)
    ("9 year-old shot in the head in Brantley last night",
     "Copyright 2016 Example Broadcasting. All rights reserved. The boy was flown to a hospital in Montgomery on "
     "Sunday."),
    # a shooting of a named day
    ("Teen wanted for deadly Sunday night shooting",
     "Brantley police are looking for a 17-year-old in the death of a man on Elm Street."),
    ("Brantley police seeking information about east side drive-by",
     "Brantley police are searching for information about an overnight drive-by shooting on Elm Street on Sunday."),
])
def test_a_shooting_told_without_a_past_tense_verb_happened(ex: EventExtractor, title: str, body: str) -> None:
    ev = ex.extract(art(body, title=title, published=datetime(2016, 4, 19, 9, 0)))
    assert ev.is_incident, title


def test_one_officer_who_shoots_is_a_shooting_and_a_force_acting_is_not(ex: EventExtractor) -> None:
    published = datetime(2016, 4, 19, 9, 0)
    ev = ex.extract(art("A 16-year-old was hit in the lower back on Sunday morning by a Brantley police officer, his "
                        "family said.", title="Teen shot by officer responding to robbery in Brantley",
                        published=published))
    assert ev.is_incident and ev.event_type == "shooting"
    ev = ex.extract(art("The air force bombed rebel positions near Marlow on Sunday, killing 12 fighters, the army "
                        "said.", title="Air force bombs rebel camp near Marlow", published=published))
    assert not ev.is_incident


def _told_search(text: str) -> bool:
    from worker.events.extractor import _TOLD
    return bool(_TOLD.search(text))


def test_a_sentence_of_many_abbreviations_does_not_stall_the_realis_check() -> None:
    # "Ave." may sit between the shooting and what it was found to be; a hostile page of abbreviations must not make
    # the pattern try every way of reading them (the check runs in a child process so a regression fails, not hangs)
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        found = pool.apply_async(_told_search, ("a shooting at " + "St. Ave. Blvd. " * 200 + "was accidental",))
        assert found.get(timeout=30) is False
        assert pool.apply_async(_told_search, ("A shooting on New Castle Ave. in Brantley was accidental.",)).get(
            timeout=30) is True


def test_a_photo_shoot_and_a_wound_to_come_are_no_incident(ex: EventExtractor) -> None:
    for title, body in (("Models shoot new catalogue in Brantley", "The crew spent Sunday at the Elm Street park."),
                        ("Man shot in 2009 sues Brantley police",
                         "The lawsuit filed on Sunday says officers on Elm Street waited an hour for an ambulance."),
                        ("Brantley chief: every shooting is a homicide until ruled otherwise",
                         "The chief told the council on Sunday that a shooting will be ruled accidental only after "
                         "the crime lab reports."),
                        ("Mayor: city could be left dead after plant closes",
                         "The mayor said on Sunday the town would be dead in a year.")):
        assert not ex.extract(art(body, title=title, published=datetime(2016, 4, 19, 9, 0))).is_incident, title


def test_the_verb_may_is_no_month() -> None:
    ref = date(2015, 11, 19)
    assert find_dates("Southwest Fresno shooting of 5 may be tied to gangs", ref) == []
    assert find_dates("police said 2 may face charges", ref) == []
    assert [d.value for d in find_dates("on May 5 police said", ref)] == [date(2015, 5, 5)]
    assert [d.value for d in find_dates("killed on 5 May 2015", ref)] == [date(2015, 5, 5)]


def test_dateline_differs_from_incident_place(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "KABUL, Afghanistan (AP) — A suicide bomber blew himself up outside a police station in Jalalabad on "
        "Monday, killing two policemen, officials said."))
    assert ev.location is not None
    assert ev.location.name.startswith("Jal") and ev.location.country == "AF"
    assert ev.casualties.killed == 2
    assert ev.casualties.perpetrators_killed == 1
    assert "suicide_attack" in ev.tactics


def test_a_wire_dateline_alone_gives_the_country_not_the_capital(ex: EventExtractor) -> None:
    # the agency filed from Kabul; nothing in the story says the attack was there
    ev = ex.extract(art("KABUL, Afghanistan (AP) — A suicide bomber killed 12 people at a checkpoint on Monday, "
                        "officials said."))
    assert ev.is_incident and ev.location is not None
    assert (ev.location.name, ev.location.country, ev.location.precision) == ("Afghanistan", "AF", "country")
    # a story that names the town again is there
    ev = ex.extract(art("KABUL, Afghanistan (AP) — A suicide bomber killed 12 people at a checkpoint in western "
                        "Kabul on Monday, officials said."))
    assert ev.location is not None and (ev.location.name, ev.location.country) == ("Kabul", "AF")
    # a dateline outside the capital is where the reporter went
    ev = ex.extract(art("MEDELLIN, Colombia (AP) — A car bomb killed eight people outside a bank on Monday, police "
                        "said."))
    assert ev.location is not None and (ev.location.name, ev.location.country) == ("Medellín", "CO")
    # and a US local dateline is the town, as local news uses it
    ev = ex.extract(art("OGDEN, Utah — A 9-year-old girl was shot in the leg at a home on Monday, police said."))
    assert ev.location is not None and (ev.location.name, ev.location.admin1) == ("Ogden", "Utah")


def test_empty_and_rejected_articles_give_no_incident(ex: EventExtractor) -> None:
    ev = ex.extract(Article(id="e", url="https://news.example/e", text=""))
    assert not ev.is_incident and ev.article_id == "e"
    ev = ex.extract(Article(id="r", url="https://news.example/r", text="Gunmen killed 5.", rejected="too_short: 3 words"))
    assert not ev.is_incident


def test_record_fields_sources_and_evidence_offsets(ex: EventExtractor) -> None:
    a = art("Police said a gunman killed three people at a supermarket in Boulder, Colorado, on Monday.")
    ev = ex.extract(a)
    assert ev.sources and ev.sources[0].url == a.url and ev.sources[0].outlet == "Example News"
    assert ev.incident_id is None and 0.0 < ev.confidence <= 1.0 and ev.summary
    for e in ev.evidence:
        assert 0 <= e.start < e.end <= len(a.text)
    loc = ev.evidence[[e.field for e in ev.evidence].index("location")]
    assert a.text[loc.start:loc.end] == "Boulder"
    assert ev.location is not None and ev.location.admin1 == "Colorado" and ev.location.lat is not None


def test_all_caps_wire_copy_is_truecased(ex: EventExtractor) -> None:
    text = ("SAN SALVADOR, 3 JAN 90 -- [TEXT] URBAN GUERRILLAS OF THE FARABUNDO MARTI NATIONAL LIBERATION\n"
            "FRONT [FMLN] YESTERDAY KIDNAPPED THE MAYOR OF SAN MIGUEL AND KILLED HIS TWO BODYGUARDS.")
    ev = ex.extract(art(text, published=datetime(1990, 1, 3)))
    assert ev.is_incident and ev.event_type == "kidnapping"
    assert [p.name for p in ev.perpetrators] == ["Farabundo Marti National Liberation Front"]
    assert ev.location is not None and ev.location.country == "SV"
    assert ev.date == date(1990, 1, 2)
    assert len(unwrap_lines(text)) == len(text)


def test_truecasing_keeps_a_leading_particle_and_a_name_before_a_full_stop(ex: EventExtractor) -> None:
    from worker.events.truecase import truecase

    out = truecase("THE ARMY OF EL SALVADOR SHELLED A TOWN NEAR LA PAZ. HE WAS WOUNDED IN SAN MIGUEL DE MERCEDES.",
                   ex.gaz, ex.actors)
    assert "El Salvador" in out and "La Paz." in out and "San Miguel de Mercedes." in out
    # a title is followed by a name: "Rodriguez" here is the minister, not a town in the Philippines
    out = truecase("PRESIDENCY MINISTER JOSE ANTONIO RODRIGUEZ PORTH WAS WOUNDED.", ex.gaz, ex.actors)
    assert out.startswith("Presidency minister Jose Antonio Rodriguez Porth was wounded")
    # "EL SALVADOR" read as "el Salvador" was Salvador, Brazil; "SAN SALVADOR CENTRAL MARKET" was San, Mali
    text = ("SAN SALVADOR, 23 JUN 89 -- [TEXT] THERE WAS A TERRORIST ATTACK AT THE SAN SALVADOR CENTRAL MARKET\n"
            "TODAY. A BOMB WAS THROWN AT A SODA SHOP BY THE SOUTHERN ENTRANCE TO THE MARKET, KILLING TWO PEOPLE.")
    ev = ex.extract(art(text, published=datetime(1989, 6, 23)))
    assert ev.location is not None and ev.location.country == "SV"


def test_a_citys_totals_for_those_shootings_are_not_the_incidents_toll(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 15-year-old boy was shot and killed on a porch in Englewood on Tuesday, police said.\n\n"
                        "Police have recorded 3,165 shooting incidents through Nov. 16. More than 3,290 people have been "
                        "injured in those shootings, and that does not include the 629 who died as a result of being "
                        "shot."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_death_toll_revision_takes_the_latest_figure(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A bomb exploded at a bus station in Maiduguri on Tuesday, killing eight people, police said.\n\n"
        "The death toll rose to 12 on Wednesday after four of the wounded died in hospital.",
        published=datetime(2024, 3, 14, 9, 0)))
    assert ev.casualties.killed == 12
    assert ev.date == date(2024, 3, 12)


def test_outlet_town_is_evidence_not_the_answer(ex: EventExtractor) -> None:
    a = Article(id="o1", url="https://www.chicagotribune.com/news/x", title="Man shot in Englewood - Chicago Tribune",
                text="A 24-year-old man was shot in the leg Sunday night in Englewood, police said.",
                published=datetime(2016, 5, 9, 8, 0))
    ev = ex.extract(a)
    # The host name points at Illinois, so Englewood is the Chicago neighbourhood, not the Colorado city.
    assert ev.location is not None and ev.location.admin1 == "Illinois"
    assert ev.location.city == "Chicago"
    assert ev.casualties.wounded == 1 and ev.casualties.killed is None
    b = Article(id="o2", url="https://www.chicagotribune.com/news/y", title="Police investigate shooting",
                text="A man was shot in the arm Sunday night, police said.", published=datetime(2016, 5, 9, 8, 0))
    assert ex.extract(b).location is None  # the outlet alone never becomes the place


def test_gun_violence_sample_never_raises(ex: EventExtractor) -> None:
    import json

    from tests.conftest import shared_data

    path = shared_data("incidents", "gun-violence", "documents.jsonl")
    with path.open(encoding="utf-8") as fh:
        docs = [json.loads(next(fh)) for _ in range(25)]
    for d in docs:
        ev = ex.extract(Article(id=d["doc_id"], url=d["uri"], title=d["title"], text=d["content"],
                                published=datetime.strptime(d["dct"], "%Y-%m-%d")))
        assert ev.article_id == d["doc_id"]
        for e in ev.evidence:
            assert 0 <= e.start < e.end <= len(d["content"])


def test_day_of_the_follow_up_is_not_the_day_of_the_shooting(ex: EventExtractor) -> None:
    sunday = datetime(2024, 3, 17, 18, 0)
    ev = ex.extract(art("Authorities Sunday have identified a man who was killed in a shooting at a mobile home park "
                        "on Friday night that left three others wounded.", published=sunday))
    assert ev.date == date(2024, 3, 15)
    ev = ex.extract(art("When Gloria Perez returned home from doing laundry Saturday night, she found her son on the "
                        "floor.\n\nThe 10-year-old boy had been shot in the head by a stray bullet, police said.",
                        title="Boy, 10, hit by stray bullet", published=datetime(2024, 3, 18, 9, 0)))
    assert ev.date == date(2024, 3, 16)


def test_a_wounded_survivor_named_as_an_adjective_counts(ex: EventExtractor) -> None:
    ev = ex.extract(art("Three women were killed in their home early Saturday, and a wounded 12-year-old girl "
                        "called 911, police said."))
    assert ev.casualties.killed == 3 and ev.casualties.wounded == 1


def test_people_not_hurt_and_the_same_victim_named_twice_do_not_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 3-year-old girl was rushed to the hospital Saturday after her 6-year-old brother "
                        "accidentally shot her in the face, police said. Two adults inside the home were not hurt.",
                        title="Girl, 3, shot by brother"))
    assert ev.casualties.wounded == 1
    assert not ev.casualties.killed


def test_a_victim_who_died_later_is_killed_not_wounded(ex: EventExtractor) -> None:
    ev = ex.extract(art("A man was wounded in a shooting on Elm Street on Friday night, police said.\n\n"
                        "He was taken to a hospital, where he later died from his injuries.",
                        title="Man wounded in Elm Street shooting dies"))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded
    ev = ex.extract(art("While he was cleaning his hunting rifle on Monday, a 17-year-old accidentally shot himself "
                        "and died, deputies said."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded
    ev = ex.extract(art("A 2-year-old girl was fatally injured on Sunday by shots fired into her family's car."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_headline_passives_and_agents_in_relative_clauses(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police were called to the range on Tuesday afternoon.", title="Man shot in leg at shooting range"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("\"We have an individual at large who shot and killed four people,\" the sheriff said on "
                        "Sunday.", title="4 shot dead in Clarksburg"))
    assert ev.casualties.killed == 4 and not ev.casualties.wounded


def test_self_inflicted_and_neither_nor(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 12-year-old boy is nursing a gunshot wound after accidentally shooting himself in the leg "
                        "on Saturday, police said.", title="Boy, 12, shoots himself in the leg"))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed
    ev = ex.extract(art("A woman was killed when a gunman fired into a car on Route 9 on Friday. Neither the driver "
                        "nor the other passenger was injured."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_a_crisis_that_exploded_is_not_a_bombing(ex: EventExtractor) -> None:
    # each of these was an incident ("bombing") before the subject of "exploded" was checked
    for text in ("The political crisis which had exploded in the country on Monday deepened on Tuesday, the minister "
                 "said in Caracas.",
                 "A confrontation exploded in Bogota on Monday when the congress decided to submit extradition to a "
                 "referendum."):
        assert not ex.extract(art(text)).is_incident
    assert ex.extract(art("A car bomb exploded in Bogota on Monday, killing two police officers.")).is_incident


def test_holidays_name_their_day_in_the_right_year() -> None:
    assert find_dates("shot on Christmas Eve", date(2017, 1, 2))[0].value == date(2016, 12, 24)
    assert find_dates("killed during a Christmas gathering", date(2014, 12, 26))[0].value == date(2014, 12, 25)
    assert find_dates("at a New Year's Eve party", date(2017, 1, 2))[0].value == date(2016, 12, 31)
    assert find_dates("on Labor Day", date(2015, 9, 9))[0].value == date(2015, 9, 7)
    assert find_dates("Thanksgiving night", date(2016, 11, 26))[0].value == date(2016, 11, 24)
    assert find_dates("on Easter", date(2017, 4, 20))[0].value == date(2017, 4, 16)
    assert find_dates("a Christmas gift", date(2016, 12, 20)) == []  # any day of the season


def test_links_to_other_stories_and_a_pronoun_for_the_same_victim(ex: EventExtractor) -> None:
    ev = ex.extract(art("A pregnant teen is dead after she was shot to death on the city's Northwest Side on Sunday, "
                        "police said.\n\nRelated stories 2 killed, 22 injured in shooting at Texas house party\n\n"
                        "Police have not made an arrest."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded
    ev = ex.extract(art("More than 20 people were killed when a car bomb exploded at a market in Baghdad on Monday.\n\n"
                        "+ 1 dead, 1 wounded in Park Hill shooting"))
    assert ev.casualties.killed == 20 and not ev.casualties.wounded  # "More than" leads a sentence, "+ " a link


def test_what_could_have_happened_and_deaths_by_accident_or_illness_are_not_counted(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 9-year-old girl was shot in the shoulder on Friday night. Doctors say the bullet could have "
                        "hit her in the heart and killed her. \"We are fortunate another child was not killed,\" the "
                        "chief said. The wake was held for a man who died of natural causes."))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed


def test_a_witness_on_what_the_shots_could_do_is_not_a_count(ex: EventExtractor) -> None:
    assert toll(ex, "Three people were killed and one person was injured in a shooting on the river bridge in "
                    "Marlow on Sunday night, police said. \"He fired enough rounds to hurt several people,\" a fisherman "
                    "said. Another neighbour said the gunman could injure two more before officers arrived.",
                "3 dead in Marlow bridge shooting") == (3, 1, None)


def test_suffering_from_a_gunshot_wound_counts_and_more_links_do_not(ex: EventExtractor) -> None:
    ev = ex.extract(art("Officers found a man suffering from a gunshot wound on Elm Street on Friday, and a juvenile "
                        "had been taken to the hospital with a gunshot wound, police said.\n\n"
                        "MORE: 4 injured in drive-by shooting in South Nashville"))
    assert ev.casualties.wounded == 2 and not ev.casualties.killed


def test_sustaining_a_gunshot_wound_counts_like_suffering_one(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police questioned a man on Monday night after a 2-year-old girl sustained a minor gunshot wound "
                        "when a shotgun accidentally fired into her apartment."))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed
    ev = ex.extract(art("A teenager received a fatal gunshot wound outside a store on Friday night, police said."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_a_rising_toll_does_not_take_its_dead_from_the_wounded(ex: EventExtractor) -> None:
    ev = ex.extract(art("The number of people killed in an explosion at a busy bazaar in Peshawar rose to 11 on "
                        "Wednesday after two of the injured died in hospital, health officials said. About 30 people "
                        "were wounded."))
    assert ev.casualties.killed == 11 and ev.casualties.wounded == 30


def test_one_death_named_without_a_count(ex: EventExtractor) -> None:
    for title in ("Police investigate shooting death of teen", "Accidental shooting takes life of Quapaw man",
                  "Teen dead after shooting near hospital"):
        ev = ex.extract(art("Officers were called to the home on Friday night, police said.", title=title))
        assert ev.casualties.killed == 1, title


def test_a_total_after_a_list_and_a_subset_are_not_added(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Four young men were shot at a home in Queens last night. One man was shot in his arm, two were shot in "
        "their torso and head, and one was shot in the face; all four were transported to a hospital in stable "
        "condition.", title="Four people shot at house party"))
    assert (ev.casualties.killed or 0) == 0 and ev.casualties.wounded == 4
    ev = ex.extract(art(
        "Five people were shot, including one who suffered critical injuries, in the West Garfield Park "
        "neighborhood Friday evening.\n\nA shooting on Saturday left four people injured, two of them seriously "
        "hurt."))
    assert ev.casualties.wounded == 5


def test_money_year_totals_and_corrected_figures_are_not_casualties(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A man accidentally shot himself in the stomach at a park on Monday, police said. He told officers a "
        "buyer shot down the $100 asking price for the gun and shot him.\n\n"
        "One hundred people have been shot in the first 41 days of 2017, 24 have been fatally shot.\n\n"
        "Police had originally said that seven people were shot, but later said it was one.",
        title="Man who shot himself blamed a stranger"))
    assert ev.casualties.wounded == 1
    assert (ev.casualties.killed or 0) == 0
    # a year's crime statistics in a story of one shooting, published the day after that year ended
    ev = ex.extract(art("A party on Amelia Street ended in gunfire.\n\nPolice say five people were shot. One man is in "
                        "critical condition.\n\nCrime stats for 2015, in the city of New Orleans, show 165 people were "
                        "murdered.", title="New Year's Eve shooting raises questions about city crime",
                        published=datetime(2016, 1, 1, 9, 0)))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 5)


def test_two_people_hurt_in_different_words_and_self_wounds_in_other_words(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 7-year-old girl was grazed by a bullet, and a man was shot in the leg in a shooting near "
                        "Seventh Street late Monday, according to police."))
    assert ev.casualties.wounded == 2
    ev = ex.extract(art("A man accidentally fired a gun and hit his two young sons at their home on Monday, deputies "
                        "said of the shooting.", title="Man accidentally fires gun, hits his two young sons"))
    assert ev.casualties.wounded == 2
    for text in ("A 13-year-old boy underwent surgery on Saturday after accidentally wounding himself with a rifle "
                 "while hunting, deputies said.",
                 "A Carter County man accidentally shot his own leg while handling a revolver on Saturday, deputies said."):
        ev = ex.extract(art(text))
        assert ev.casualties.wounded == 1, text


def test_the_dead_and_another_victim_who_survived(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A shooting on the east side on Saturday left two men dead and a 3-year-old hurt, police said.",
        title="2 dead, child hurt in shooting at family gathering"))
    assert ev.casualties.killed == 2 and ev.casualties.wounded == 1
    ev = ex.extract(art(
        "A 15-year-old boy was shot and killed on Monday night, police said. Another man was also shot, but his "
        "wounds were not life-threatening.\n\nThe shooting came just four days after a man was shot on the same block."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1


def test_a_suicide_is_one_death_and_a_murder_suicide_counts_the_killer_once(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "A 10-year-old boy fatally shot himself at his Durham home on Monday, police said. He died at the scene.",
        title="Boy dies after shooting himself with unsecured gun"))
    assert (ev.casualties.killed or 0) + (ev.casualties.perpetrators_killed or 0) == 1
    ev = ex.extract(art(
        "A man and his 11-year-old daughter were found dead outside their home on Monday night in an apparent "
        "murder-suicide, police said. Police believe the man shot the girl and then turned the gun on himself.",
        title="Man, daughter dead in apparent murder-suicide"))
    assert ev.casualties.killed == 1 and ev.casualties.perpetrators_killed == 1


def test_a_compact_toll_in_a_headline(ex: EventExtractor) -> None:
    for title, k, w in (("3 dead, 26 wounded in shooting at Detroit block party", 3, 26),
                        ("2 dead, 4 hurt in shooting in Denver", 2, 4),
                        ("At least 3 dead and 12 injured after gunfire at a club", 3, 12)):
        ev = ex.extract(art("Police are investigating a shooting on Saturday night.", title=title))
        assert (ev.casualties.killed, ev.casualties.wounded) == (k, w), title


def test_a_headline_age_is_the_victim_whatever_the_parse(ex: EventExtractor) -> None:
    # the parser hangs "1-year-old" on the verb as a modifier and "4-month-old" as its complement
    assert toll(ex, "Sign in to comment.", "1-year-old suffers fatal gunshot wound to the face") == (1, None, None)
    assert toll(ex, "Sign in to comment.", "Marlow man allegedly kills 4-month-old before shooting himself") == (1, None, 1)
    assert toll(ex, "Sign in to comment.", "Marlow PD: 20-Year-Old Critical After Being Shot In Head") == (None, 1, None)


def test_the_headline_toll_beats_a_larger_round_up_figure_below_it(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Five people were shot Thursday night on the same Oakdale block where at least six more people have been "
        "wounded in gunfire since last weekend, police said. A 23-year-old man was shot in the ankle.",
        title="Five wounded in Oakdale shooting"))
    assert ev.casualties.wounded == 5
    # a revision below the headline still wins, and a headline that lists people is not a count
    ev = ex.extract(art("Police said the number of people wounded rose to 9 on Sunday after 9 people were "
                        "wounded at the party.", title="Seven wounded at house party"))
    assert ev.casualties.wounded == 9
    ev = ex.extract(art("Three people were wounded in a shooting on Elm Street on Friday night: two teenagers and "
                        "a 30-year-old man, police said.", title="2 teens, man wounded in Elm Street shooting"))
    assert ev.casualties.wounded == 3


def test_a_line_break_ends_a_sentence(ex: EventExtractor) -> None:
    # The parser alone ran the caption into the next paragraph and made "report" what was shot.
    ev = ex.extract(art("Watch Janelle Hall's report\n\nThe victim, James Gustafson, was fatally shot on the "
                        "evening of March 20 at a home on South Church Street.",
                        title="Boy, 14, charged in shooting"))
    assert ev.casualties.killed == 1


def test_a_headline_death_toll_beats_a_city_total_and_a_list_of_the_dead_is_counted_from_the_body(ex: EventExtractor) -> None:
    ev = ex.extract(art("Four people were found shot to death in a home on Monday. Police said nine people were "
                        "killed in the city on Monday, the most in a single day.",
                        title="Officials: 4 dead in Southshore shooting"))
    assert ev.casualties.killed == 4
    ev = ex.extract(art("An 11-year-old boy was killed Wednesday when a gun went off in his home. Eight people were "
                        "killed in shootings on Wednesday, police said.",
                        title="Police: 11-year-old boy killed in accidental shooting"))
    assert ev.casualties.killed == 1
    ev = ex.extract(art("A father and his two daughters were shot to death in their home on Saturday, police said. "
                        "Three people died at the scene.", title="Father, two daughters shot to death in Hazelton"))
    assert ev.casualties.killed == 3


def test_three_of_four_is_three(ex: EventExtractor) -> None:
    ev = ex.extract(art("Authorities say three of four members of a family were shot and killed and a 12-year-old "
                        "girl wounded at their home on Sunday.", title="Family members shot in their home"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (3, 1)


def test_the_victim_hurt_then_dead_is_not_also_wounded(ex: EventExtractor) -> None:
    # the one person described as wounded, by name or as "the boy", is the one who died
    ev = ex.extract(art("A 16-year-old boy died Tuesday after a shooting at a home on Birch Lane. Marcus Hill was "
                        "wounded in the head, the coroner said. The coroner said Marcus Hill was pronounced dead at "
                        "the scene.", title="Teen dies in Birch Lane shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)
    ev = ex.extract(art("A 16-year-old boy died Tuesday after a shooting at a home on Birch Lane. Police said the boy "
                        "was critically wounded by a single shot.", title="Teen dies in Birch Lane shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)
    # "shot and killed" share their object: one victim, not a shot one and a dead one
    ev = ex.extract(art("Marlon Reyes shot and killed 14-year-old Tia Brooks.", title="Teen charged in girl's death"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)
    # "the victim" who died is the friend he shot, in one sentence
    ev = ex.extract(art("Police said charges against a 16-year-old boy who told police he accidentally shot his friend "
                        "will be upgraded now that the victim has died.", title="Charges to be upgraded in teen's death"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)
    # a second person, marked as another or as surviving, is wounded
    ev = ex.extract(art("A 16-year-old boy died Tuesday after a shooting at a home on Birch Lane. Another man was "
                        "also shot and is in stable condition.", title="Teen dies in Birch Lane shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 1)


def test_survivors_hit_in_a_clause_of_their_own_an_unborn_child_and_a_near_miss(ex: EventExtractor) -> None:
    # "survived but were also hit": the passive verb has no subject of its own, the first verb's is the one hit
    assert toll(ex, "Tommie Forest and three of his friends were having a sleepover when he was shot to death by "
                    "intruders. The three other teens survived but were also hit and injured by gunfire.",
                "Home invasion leaves 14-year-old boy dead")[:2] == (1, 3)
    # the unborn child died, the pregnant woman who was shot is hurt
    assert toll(ex, "Family members are speaking out after a pregnant woman was shot last night. The unborn child "
                    "was killed as a result of the shooting.", "Relatives speak out after shooting")[:2] == (1, 1)
    # "is almost killed", "was nearly killed": no one died
    assert toll(ex, "A man was shot in the leg on Elm Street on Tuesday. Minutes earlier he was almost killed by a "
                    "car going 70 mph. A witness said he was nearly killed.", "Man shot on Elm Street")[:2] == (None, 1)


def test_a_list_of_full_names_whose_first_the_parser_does_not_tag_a_person_counts_them_all(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc

    from worker.events.casualties import extract_casualties

    # the parse one article got (NER left "Raymone West" untagged), built by hand so the test does not hang on
    # what the statistical parser does with a given context
    words = ["Raymone", "West", ",", "Brian", "Dearmond", "and", "Marquise", "McPherson", "were", "also", "struck",
             "by", "bullets", "."]
    heads = [1, 10, 1, 4, 1, 4, 7, 4, 10, 10, 10, 10, 11, 10]
    deps = ["compound", "nsubjpass", "punct", "compound", "conj", "cc", "compound", "conj", "auxpass", "advmod", "ROOT",
            "agent", "pobj", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "AUX", "ADV", "VERB", "ADP", "NOUN",
           "PUNCT"]
    tags = ["NNP", "NNP", ",", "NNP", "NNP", "CC", "NNP", "NNP", "VBD", "RB", "VBN", "IN", "NNS", "."]
    lemmas = ["Raymone", "West", ",", "Brian", "Dearmond", "and", "Marquise", "McPherson", "be", "also", "strike", "by",
              "bullet", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
              ents=["O", "O", "O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O"],
              sent_starts=[True] + [False] * 13)
    assert extract_casualties(list(doc.sents)).wounded == 3


def test_a_dateline_state_tagged_as_a_person_does_not_make_the_town_a_victim(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc

    from worker.events.casualties import extract_casualties

    # "FORT MYERS, Fla.. A man was killed and five others were injured": one article's parse made "Fla" a PERSON
    # joined to MYERS, the subject of "killed"; a lone name is not a list of people
    words = ["FORT", "MYERS", ",", "Fla", "..", "A", "man", "was", "killed", "and", "five", "others", "were", "injured",
             "."]
    heads = [1, 8, 1, 1, 3, 6, 1, 8, 8, 8, 11, 13, 13, 8, 8]
    deps = ["compound", "nsubjpass", "punct", "conj", "punct", "det", "appos", "auxpass", "ROOT", "cc", "nummod",
            "nsubjpass", "auxpass", "conj", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "PUNCT", "DET", "NOUN", "AUX", "VERB", "CCONJ", "NUM", "NOUN", "AUX",
           "VERB", "PUNCT"]
    tags = ["NNP", "NNP", ",", "NNP", ".", "DT", "NN", "VBD", "VBN", "CC", "CD", "NNS", "VBD", "VBN", "."]
    lemmas = ["FORT", "MYERS", ",", "Fla", "..", "a", "man", "be", "kill", "and", "five", "other", "be", "injure", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
              ents=["O", "O", "O", "B-PERSON"] + ["O"] * 11, sent_starts=[True] + [False] * 14)
    found = extract_casualties(list(doc.sents))
    assert (found.killed, found.wounded) == (1, 5)


def test_an_attacker_killed_and_then_told_of_as_he_or_the_teen_is_no_victim(ex: EventExtractor) -> None:
    assert toll(ex, "A police officer was shot in the leg on Thursday and is in stable condition. The officers fired "
                    "back, fatally wounding the suspect. An autopsy showed he died of multiple gunshot wounds.",
                "Police officer shot, suspect killed") == (None, 1, 1)
    assert toll(ex, "A home invasion suspect was fatally shot by the homeowner. One of the intruders shot and wounded "
                    "the homeowner's son, whose father then returned fire, killing the teen.",
                "Teen suspect killed during home invasion identified") == (None, 1, 1)
    # a victim named as such still counts
    killed, _, perps = toll(ex, "A gunman shot a store clerk on Monday. Officers shot and killed the gunman. The clerk "
                                "died at the hospital.", "Clerk and gunman dead after robbery")
    assert (killed, perps) == (1, 1)


def test_people_found_dead_and_more_injured_and_an_also_hurt_child(ex: EventExtractor) -> None:
    assert toll(ex, "The state bureau of investigation has released the identities of two people found dead and two "
                    "more who were injured inside a Tift County home.", "Victims identified in home shooting")[:2] == (2, 2)
    # "Also, ..." tells of someone besides the dead
    assert toll(ex, "Four people were shot to death in a home on Sunday. Also, an 8-year-old boy was taken to the "
                    "hospital with a gunshot injury.", "Four killed in home shooting")[:2] == (4, 1)


def test_a_victim_hurt_then_taken_off_life_support_is_not_also_wounded(ex: EventExtractor) -> None:
    # the headline tells the death ("taken off life support"), the body the injury of "a 9-year-old boy": one person
    story = ("Trinity police are investigating an accidental shooting that critically injured a 9-year-old boy. The boy "
             "was shot in the head and underwent surgery at a children's hospital.")
    ev = ex.extract(art(story, title="Child shot in head taken off life support"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)
    # someone hurt and told apart (also hurt, in stable condition) stays wounded beside the one who died
    ev = ex.extract(art(story + " His 8-year-old brother was also hurt and is in stable condition.",
                        title="Child shot in head taken off life support"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 1)


def test_both_died_and_an_accidental_self_inflicted_death(ex: EventExtractor) -> None:
    ev = ex.extract(art("Officers entered the bedroom where they found a woman and a child suffering from gunshot "
                        "wounds. They both died of their injuries.", title="Timeline released in Pine Road standoff"))
    assert ev.casualties.killed == 2
    # a child who accidentally shoots himself dead is a victim who died, not a killer who took his own life
    ev = ex.extract(art("The toddler accidentally shot and killed himself while playing with a gun at his "
                        "grandmother's house on Friday.", title="Man arrested in toddler's accidental shooting"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (1, None)



def test_a_count_of_the_dead_includes_the_gunman(ex: EventExtractor) -> None:
    ev = ex.extract(art("Three people are dead after a shooting spree on Monday. Police said the gunman was shot and "
                        "killed by officers after he opened fire at a store on Main Street.",
                        title="Three dead, including gunman, in Millbrook shooting spree"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (2, 1)
    # victims named as what he did are his victims, the killer apart
    ev = ex.extract(art("Police said the gunman fatally shot three people at a store on Monday before officers shot "
                        "and killed the gunman.", title="Gunman kills three in Millbrook"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (3, 1)


def test_comma_lists_of_the_dead_are_counted(ex: EventExtractor) -> None:
    # headline lists the parser does not coordinate
    body = "Officers found the bodies at a home on Birch Lane late Saturday after neighbors reported gunfire, police said."
    ev = ex.extract(art(body, title="Father kills wife, son, daughter, then himself"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (3, 1)
    ev = ex.extract(art(body, title="Mother, 2 children found dead in Birch Lane home"))
    assert ev.casualties.killed == 3
    # a bare plural leaves the number open: no count from the list
    ev = ex.extract(art(body, title="Couple, children found dead in Birch Lane home"))
    assert ev.casualties.killed is None


def test_a_shooting_that_sent_people_to_hospital_wounded_them(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police are investigating after a shooting on March Street late Tuesday sent five people to the "
                        "hospital.", title="Witness: March Street shooting 'sounded like a war'"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 5)


def test_a_title_case_headline_is_read_as_a_sentence(ex: EventExtractor) -> None:
    # the body gives no figure: the toll is in the headline, which the parser only reads in sentence case
    body = ("Police said the victims were standing outside the Golden Dragon on Wren Street on Sunday night when a man "
            "walked up and opened fire before fleeing on foot. None of the injuries were life-threatening.")
    ev = ex.extract(art(body, title="Gunman Shoots 4 People Outside Chinese Restaurant"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 4)
    # the same headline written in sentence case was always read
    assert ex.extract(art(body, title="Gunman shoots 4 people outside Chinese restaurant")).casualties.wounded == 4


def test_title_truecasing_keeps_names_places_and_abbreviations(ex: EventExtractor) -> None:
    from worker.events.truecase import is_title_case, truecase_title

    body = "The shooting happened near Dunmore Pike, police in Harlow said, and Tilden was taken to a hospital."
    title = "Tilden Shot Near New Jersey Home In Harlow, N.J., Police Say"
    out = truecase_title(title, body, ex.gaz, ex.actors)
    assert len(out) == len(title)
    assert out == "Tilden shot near New Jersey home in Harlow, N.J., police say"
    assert is_title_case(title) and not is_title_case(out) and not is_title_case("THREE KILLED IN BLAST")


def test_headline_tolls_ages_and_places_before_shooting(ex: EventExtractor) -> None:
    ev = ex.extract(art("The boy was found in a car on Elm Street early Sunday, police said.",
                        title="Boy, 14, dies in overnight shooting"))
    assert ev.casualties.killed == 1  # an age set off by commas is not a count
    ev = ex.extract(art("Two men were wounded on Elm Street on Sunday. Dario Olsen, 24 was shot in the chest and Tim "
                        "Varga, 26 was shot in the leg.", title="Shooting on Elm Street"))
    assert ev.casualties.wounded == 2  # an age whose closing comma is missing is still an age


def test_a_gun_that_went_off_and_a_victims_condition_count_the_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("A man was arrested on Elm Street on Thursday. Investigators said he was handling a handgun when "
                        "it discharged and struck a juvenile in the neck.", title="Man arrested on Elm Street"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Officers were called to Elm Street in Dover on Thursday. A 9-year-old boy was flown to a hospital "
                        "in Wilmington, where he is in stable condition.", title="Shooting in Dover"))
    assert ev.casualties.wounded == 1
    assert ev.location is not None and ev.location.name == "Dover"  # the hospital's town is not the place
    for title in ("Boy stable after accidental shooting", "Dover 2-year-old in critical condition from gunshot",
                  "Brother accidentally shot 12-year-old, police say"):
        ev = ex.extract(art("Send us your news tips and best photos.", title=title))  # a page that kept only its headline
        assert ev.casualties.wounded == 1, title


def test_hit_struck_and_sent_to_hospital_count_the_hurt(ex: EventExtractor) -> None:
    title = "Shooting on Elm Street"
    ev = ex.extract(art("A shooting on Elm Street on Friday left two boys dead and sent a teenage girl to the hospital.",
                        title=title))
    assert (ev.casualties.killed, ev.casualties.wounded) == (2, 1)
    ev = ex.extract(art("Police said at least four people fired shots on Elm Street on Friday. Seven people, ranging in "
                        "age from 17 to 27, were hit.", title=title))
    assert ev.casualties.wounded == 7
    ev = ex.extract(art("Several shots were fired into a home on Elm Street on Friday, striking an 11-year old child in "
                        "the shoulder.", title=title))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("A man was hit by a car on Elm Street on Friday after a shooting nearby.", title=title))
    assert ev.casualties.wounded is None  # hit by a car: not by gunfire
    ev = ex.extract(art("A toddler was shot on Elm Street on Friday. It was initially believed the child had been struck "
                        "in the neck, but police later said the girl was hit in the upper left shoulder.", title=title))
    assert ev.casualties.wounded == 1  # the child and the girl are one


def test_both_x_and_y_are_two(ex: EventExtractor) -> None:
    ev = ex.extract(art("A Dover man shot his infant daughter on Elm Street on Monday, then turned the gun on himself. "
                        "Both Bass and his daughter died from gunshot wounds, police said.",
                        title="Police: Dover man shot infant daughter, self"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (1, 1)
    ev = ex.extract(art("A teenager was shot to death at a motel on Elm Street on Sunday. His brother called to tell her "
                        "either his brother or a friend was dead.", title="Teen killed in Elm Street motel shooting"))
    assert ev.casualties.killed == 1  # either one or the other: one
    ev = ex.extract(art("A 14-year-old student shot another girl at Dover High School on Monday before turning the gun "
                        "on herself. The victim was hospitalized in stable condition. Since then, there have been 127 "
                        "mass shootings and 130 shooters. Of the shooters, only three were female and 73 died at the "
                        "scene.", title="Sheriff: student shooter, 14, dead, another girl injured at Dover High School"))
    assert (ev.casualties.killed or 0) + (ev.casualties.perpetrators_killed or 0) == 1  # the statistics are background
    ev = ex.extract(art("A man was shot to death on Elm Street on Friday. The alderman said gang members shoot so they "
                        "can say that they killed that gang member or that gang member.", title="Man killed on Elm Street"))
    assert ev.casualties.killed == 1


def test_a_killer_who_then_kills_himself_is_not_among_his_victims(ex: EventExtractor) -> None:
    ev = ex.extract(art("Deputies found four victims who had been shot to death at a home near Dover on Friday.",
                        title="Four shot to death near Dover, then gunman kills himself"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (4, 1)
    ev = ex.extract(art("A family of five was found dead in a home near Dover on Sunday in what appears to be a "
                        "murder-suicide.", title="Deaths near Dover investigated"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (4, 1)  # the five, the killer among them


def test_an_interstate_is_no_first_person_and_a_shooting_that_left_dead_is_told(ex: EventExtractor) -> None:
    ev = ex.extract(art("Please enable Javascript to watch this video.\n\nOfficers were in the area of Port Washington Road "
                        "around 4:45 p.m. on Sunday, police in Dover said.",
                        title="2-month-old girl shot while in vehicle on I-43 in Dover"))
    assert ev.is_incident  # "I-43" is a road, not a first-person account
    ev = ex.extract(art("The patio of the club is shown after a shooting in Dover on Monday. (Photo: Reuters)\n\n"
                        "Firefighters wash the parking lot of the club in Dover on Monday. (Photo: Reuters)",
                        title="Suspects sought in Dover nightclub shooting that left two teens dead"))
    assert ev.is_incident and ev.casualties.killed == 2


def test_a_hunter_killed_is_a_death(ex: EventExtractor) -> None:
    ev = ex.extract(art("A turkey hunter was shot and killed Sunday morning by another hunter near Dover. The victim was "
                        "shot in the back and pronounced dead at the scene.", title="Accidental shooting kills turkey hunter"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)


def test_the_shooting_of_n_people_counts_them(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police are investigating the shooting of two teens on Elm Street on Friday night.",
                        title="Police investigate shooting of two teens"))
    assert ev.casualties.wounded == 2
    ev = ex.extract(art("A Dover couple was charged on Friday in the accidental shooting of 6 yr old boy by his brother.",
                        title="Couple charged in shooting"))
    assert ev.casualties.wounded in (None, 1)  # an age, not six people
    ev = ex.extract(art("Five people were hurt on Elm Street on Friday night, police said.",
                        title="2 critically wounded in shooting of five on Elm Street"))
    assert ev.casualties.wounded == 5  # the two critically wounded are among the five


def test_a_year_in_a_headline_is_no_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("Shots were fired in the parking lot of Dover High School on Friday.",
                        title="Dover High School shooting 2024: student takes own life, no other injuries reported"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 0)
    doc = ex.nlp("Colorado High School shooting 2016: student takes own life in parking lot, no other injuries reported.")
    assert extract_casualties(list(doc.sents)).wounded == 0  # (an old year keeps the extractor from reading it at all)


def test_a_superscript_digit_after_a_name_is_read_without_error(ex: EventExtractor, caplog: pytest.LogCaptureFixture) -> None:
    ev = ex.extract(art("Larry Watkins Jr. \u00b2, was injured on Elm Street on Friday.", title="Shooting on Elm Street"))
    assert "event extraction failed" not in caplog.text  # "²" is a digit int() refuses: no crash, a reading
    assert ev.casualties.wounded == 1


def test_lists_that_name_a_counted_group_and_a_shooting_told_in_passing(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police said the bullets injured four men on Elm Street: a 50-year-old who was shot in the chest; "
                        "a 46-year-old who was shot in the leg; a 19-year-old who was shot in the foot; and a "
                        "19-year-old who was shot in the leg.", title="Shooting on Elm Street"))
    assert ev.casualties.wounded == 4  # the list after the colon names the four, it adds no one
    ev = ex.extract(art("Dario Olsen, 26, and Tim Varga Jr. 26, were injured on Elm Street on Tuesday.",
                        title="Shooting on Elm Street"))
    assert ev.casualties.wounded == 2  # "Jr. 26,": an age
    ev = ex.extract(art("An 18-year-old woman and 3-year-old were injured in a shooting on Elm Street on Monday.",
                        title="Shooting on Elm Street"))
    assert ev.casualties.wounded == 2
    ev = ex.extract(art("A 10-year-old and a 14-year-old were shot on Elm Street on Monday night, a block away from "
                        "where a 16-year-old had been shot just over an hour earlier.", title="Shooting on Elm Street"))
    assert ev.casualties.wounded == 2  # the earlier shooting a block away is another one
    ev = ex.extract(art("The shooting happened outside a bar on Friday.",
                        title="Austin shooting kills 1, wounds 5 people on Friday"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 5)  # not Austin shot too
    ev = ex.extract(art("Officers were called to the club at 2 a.m. on Saturday.",
                        title="1 dead, 3 hospitalized in club shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 3)
    ev = ex.extract(art("Officers were called to the home at 2 a.m. on Saturday.",
                        title="Father of 5 killed, 4 hospitalized after shooting"))
    assert ev.casualties.killed == 1


def test_hurt_in_headline_clauses_and_by_a_bullet_that_hit(ex: EventExtractor) -> None:
    body = "Police said the shooting happened on Quarry Street just after midnight."
    ev = ex.extract(art(body, title="Teen hospitalized after south side shooting; suspect sought"))
    assert ev.casualties.wounded == 1  # the headline's passive with "was" left out, before the semicolon
    assert ex.extract(art(body, title="Man shot on Quarry Street, police say")).casualties.wounded == 1
    ev = ex.extract(art("Rhonda Weller said a bullet from a shooting on Quarry Street entered her home on Sunday morning "
                        "and hit her daughter in the leg.", title="Girl recovering at home"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Multiple people were injured early Tuesday when someone opened fire inside a home on Quarry "
                        "Street, deputies said.", title="Shooting on Quarry Street"))
    assert ev.casualties.wounded == 3  # "multiple", like "several": at least a few, counted as three


def test_telegraphic_headline_deaths_and_shot_then_killed_counts(ex: EventExtractor) -> None:
    body = "Officers were called to the house on Larkspur Lane late Friday, the sheriff said."
    for title in ("Boy, 14, fatally shot in Larkspur neighborhood", "17-year-old shot, killed inside house",
                  "Sheriff: 6-year-old playing with gun shot and killed", "Teen gunshot death appears accidental",
                  "Guilty plea in shooting death of nephew"):
        ev = ex.extract(art(body, title=title))
        assert ev.casualties.killed == 1, title
        assert not ev.casualties.wounded, title  # the one shot is the one who died
    ev = ex.extract(art(body, title="2 teens shot in Larkspur, 1 killed"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 1)  # the dead are among those shot
    ev = ex.extract(art(body, title="Shooting deaths rise across the county"))
    assert not ev.casualties.killed  # deaths in general, no one death


def test_a_round_up_of_several_shootings_gives_no_single_toll(ex: EventExtractor) -> None:
    body = "Police said the shootings happened across the city between Friday evening and Monday morning."
    for title in ("Police: 9 killed, 38 wounded in Memorial Day weekend shootings",
                  "21 people shot in Larkspur in 48-hour span", "Six wounded in four separate shootings",
                  "One dead, one in critical condition following two separate shooting incidents in Larkspur",
                  "Two boys shot in separate accidental shootings in Larkspur",
                  "4 killed, 11 wounded in city shootings Tuesday", "2 killed, 4 injured in Sunday night shootings in Larkspur",
                  "4 Wounded In Larkspur Shootings Tuesday", "Violent night in Larkspur leaves one dead, nine others wounded"):
        ev = ex.extract(art(body, title=title))
        assert (ev.casualties.killed, ev.casualties.wounded) == (None, None), title  # totals of many incidents
    ev = ex.extract(art("The gunman opened fire at three places along Route 9 before he was arrested, police said.",
                        title="String of shootings leaves 2 dead, 3 injured in Larkspur"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (2, 3)  # one gunman's spree is one incident
    ev = ex.extract(art("The gunman opened fire at the school on Tuesday before he was arrested, police said.",
                        title="2 dead, 3 injured in Larkspur school shootings"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (2, 3)  # a place's shootings, no day's tally


def test_a_death_far_below_a_headline_of_wounded_is_another_incident(ex: EventExtractor) -> None:
    body = ("Four men were shot near Larkspur Park on Tuesday night, police said. All four were taken to the hospital. "
            "Officers found shell casings on the sidewalk and canvassed the block for witnesses. "
            "Neighbours said they were tired of the gunfire. A 19-year-old man was shot and killed on the same block "
            "just last week.")
    ev = ex.extract(art(body, title="Four men shot near Larkspur Park"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 4)
    ev = ex.extract(art(body.replace("A 19-year-old man was shot and killed on the same block just last week.",
                                     "One of the men was pronounced dead at the hospital early Wednesday."),
                        title="Four men shot near Larkspur Park"))
    assert ev.casualties.killed == 1  # the headline's victim has died since


def test_deaths_counted_by_a_word_an_ordinal_or_a_list_after_of(ex: EventExtractor) -> None:
    body = "Detectives returned to the house on Larkspur Lane on Monday, police said."
    cases = {"Police investigate triple homicide after Larkspur Lane shooting": 3,
             "Police investigate quadruple homicide after shooting at Larkspur apartment": 4,
             "Third person dies after shooting near Larkspur school": 3,
             "4th victim of Larkspur shooting dies after several days in hospital": 4,
             "Man arrested in fatal shooting of mother, 2 teens in Larkspur": 3}
    for title, killed in cases.items():
        assert ex.extract(art(body, title=title)).casualties.killed == killed, title
    ev = ex.extract(art(body, title="Police: double murder-suicide on Larkspur Lane"))
    assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == (2, 1)  # two victims and the killer


def test_a_killer_who_dies_after_his_victims_is_counted_apart(ex: EventExtractor) -> None:
    body = "Officers found the bodies in a house on Larkspur Lane on Sunday night, the sheriff said."
    cases = {"Gunman kills 3 bandmates, self after argument in Larkspur": (3, 1),
             "Father kills two children, then fatally shoots self in Larkspur standoff": (2, 1),
             "Two boys killed, father commits suicide after Larkspur standoff": (2, 1)}
    for title, want in cases.items():
        ev = ex.extract(art(body, title=title))
        assert (ev.casualties.killed, ev.casualties.perpetrators_killed) == want, title


def test_a_line_that_does_not_end_as_a_sentence_past_the_lead_is_a_link(ex: EventExtractor) -> None:
    body = ("Four people were wounded when someone fired into a crowd on Larkspur Avenue late Sunday, police said.\n\n"
            "All four were taken to Mercy Hospital and are expected to survive.\n\n"
            "Police have not made an arrest.\n\n"
            "Anyone with information is asked to call detectives.\n\n"
            "Shooting victim dies minutes after relatives drop him at hospital\n\n"
            "UPDATE: Police say one of the four has died from his wounds")
    ev = ex.extract(art(body.rsplit("\n\n", 1)[0], title="Four wounded in Larkspur Avenue shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 4)  # another story's headline, linked from the page
    ev = ex.extract(art(body, title="Four wounded in Larkspur Avenue shooting"))
    assert ev.casualties.killed == 1  # an update is this story's own line


def test_a_crash_death_and_an_early_report_since_corrected_are_not_counted(ex: EventExtractor) -> None:
    ev = ex.extract(art("Four people were shot outside a memorial service on Larkspur Avenue on Saturday, police said. "
                        "The service was for a motorcyclist who died after crashing into a guardrail in November.",
                        title="4 people shot at memorial service in Larkspur"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 4)
    ev = ex.extract(art("Five men were wounded early today in a shooting at a Larkspur night club, deputies said. "
                        "Early reports said one person had died in the shooting, but that proved to be incorrect.",
                        title="Five wounded in shooting at Larkspur night club"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 5)


def test_a_fatal_shooting_named_without_a_count_is_one_death(ex: EventExtractor) -> None:
    body = "Deputies were called to a home on Larkspur Road late Saturday, the sheriff's office said."
    for title in ("Sheriff's office investigating deadly shooting near Larkspur",
                  "No charges to be filed in fatal Larkspur Mesa shooting",
                  "Child shot in head in Larkspur taken off life support"):
        assert ex.extract(art(body, title=title)).casualties.killed == 1, title
    assert not ex.extract(art(body, title="Larkspur couple charged in non-fatal shooting of son")).casualties.killed
    ev = ex.extract(art(body, title="Seven people shot in 72 hours in Larkspur"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, None)  # a round-up of several shootings


def test_a_double_or_triple_shooting_counts_everyone_shot(ex: EventExtractor) -> None:
    ev = ex.extract(art("Family members identified the teenager shot and killed Monday night on Birchwood Street. "
                        "He died late Monday at Larkspur General.", title="Teen killed in Larkspur triple shooting identified"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 2)
    ev = ex.extract(art("Officers found the victims on Birchwood Street late Sunday, police said.",
                        title="Police investigate quadruple shooting in Larkspur"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (None, 4)
    # a headline that gives no fate does not make the deaths below another incident's
    ev = ex.extract(art("A man convicted of shooting four people during a card game will spend his life in prison. "
                        "Ronald Birch, 33, and Kendra Hill, 28, were killed, and two other men were injured in the shooting.",
                        title="Man sentenced in quadruple shooting"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (2, 2)
    ev = ex.extract(art("A quadruple shooting early Sunday left two men dead and two other people injured, deputies said."))
    assert (ev.casualties.killed, ev.casualties.wounded) == (2, 2)


def test_a_gunshot_is_not_a_person_shot(ex: EventExtractor) -> None:
    ev = ex.extract(art("A man fired a gun into the air outside Larkspur Elementary on Monday, police said. "
                        "\"There was just one shot heard,\" a teacher said. Only one shot was fired, and the man ran off.",
                        title="Gunfire near Larkspur school"))
    assert ev.casualties.wounded is None


def test_an_age_names_one_victim_across_sentences(ex: EventExtractor) -> None:
    # the 16-year-old critically injured in the first report is the 16-year-old who died
    ev = ex.extract(art("Officials say an accidental shooting on Christmas night has killed a 16-year-old in Larkspur. "
                        "Police said at first that the shooting critically injured a 16-year-old. "
                        "The coroner said the boy died Friday at Larkspur General.",
                        title="Coroner identifies teen killed on Christmas"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)


def test_hit_by_a_bullet_and_arriving_with_a_gunshot_wound_count_as_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("The boy was playing basketball on a driveway near Birchwood Street on Saturday when he was "
                        "hit by a stray bullet, police said.", title="7-year-old boy hit by bullet while watching fireworks"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Police said a man walked into the restaurant on Birchwood Street with a gunshot wound on Sunday.",
                        title="Man shows up at Larkspur taco shop"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Deputies said a Larkspur man was found with a fatal gunshot wound at his home on Sunday.",
                        title="Deputies investigate death on Birchwood Street"))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, None)


def test_people_shot_in_a_murder_suicide_include_the_killer(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police say a 35-year-old man shot his wife and then shot their three daughters at their home on "
                        "Birchwood Road. Three children and two adults were found dead on Sunday after a murder-suicide.",
                        title="Police: Man shot wife, 3 kids in Larkspur murder-suicide"))
    assert ev.casualties.perpetrators_killed == 1
    assert ev.casualties.wounded is None  # the five shot are the five dead, the killer among them


def test_a_violent_weekend_is_a_round_up_and_paired_ages_are_not_counts(ex: EventExtractor) -> None:
    body = "Police said the shootings happened between Friday night and Sunday morning across the city."
    for title in ("In Larkspur, weekend gunfire kills 1, wounds 12", "Twin brothers among 17 killed in deadliest weekend of year"):
        ev = ex.extract(art(body, title=title))
        assert (ev.casualties.killed, ev.casualties.wounded) == (None, None), title
    ev = ex.extract(art("Police said a 16 and 17-year-old were shot on Birchwood Lane shortly after 1 p.m.",
                        title="Larkspur police investigate shooting of teens"))
    assert ev.casualties.wounded in (1, 2)  # not 16


def test_someone_shot_who_is_expected_to_recover_is_wounded_beside_the_dead(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police are looking for a gunman after three people were found shot to death in a house on "
                        "Maple Road on Tuesday night. Officials named the dead as Ann Dole, 41, her son Tim, 19, and "
                        "a neighbour, Joe Fenn, 60. Her 24-year-old boyfriend was shot in the arm and is expected to "
                        "recover, a sheriff's spokesman said.",
                        title="3 shot to death in Maple Road house"))
    assert ev.casualties.killed == 3 and ev.casualties.wounded == 1
    ev = ex.extract(art("A man was shot and killed outside a bar on Front Street early Sunday. A second man was "
                        "shot in the leg and is in stable condition, police said.", title="Man killed outside bar"))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1


def test_shot_as_a_gerund_or_by_a_striking_bullet_counts_the_people_hit(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 9-year-old is recovering after being shot inside his home on Birch Lane on Saturday "
                        "morning, police said.", title="Police investigate Birch Lane shooting"))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed
    ev = ex.extract(art("Several shots were fired into a house on Oak Street late Friday, striking a 12-year-old "
                        "girl in the arm, police said.", title="Shots fired into Oak Street house"))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed
    # the car is not a casualty, and a name given twice is one person
    ev = ex.extract(art("A suspect fired at pursuing deputies on Route 9 on Sunday, striking a deputy and the "
                        "patrol car, the sheriff said.", title="Suspect fires at deputies"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Ray Hess was shot on Sunday when a pistol went off as the captain fired it, striking Hess "
                        "in the cheek, state police said. He was treated at a hospital and released.",
                        title="Firefighter shot at firehouse"))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed


def test_the_shot_told_apart_as_dead_and_hurt_are_not_counted_again(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police are searching for a man suspected of shooting 6 people at a home in Elmwood; five "
                        "people are dead and one is critically injured. Police have not released the victims' names.",
                        title="Elmwood police search for suspect after shooting at home"))
    assert ev.casualties.killed == 5 and ev.casualties.wounded == 1


def test_dead_counted_by_a_bare_number_are_among_those_shot(ex: EventExtractor) -> None:
    ev = ex.extract(art("Seven people were shot, with six confirmed dead, at a house on Elm Court in Dunmore on "
                        "Wednesday afternoon, the sheriff said. Deputies arrested a relative after a chase.",
                        title="Deputies arrest relative after Elm Court shooting"))
    assert ev.casualties.killed == 6 and ev.casualties.wounded == 1


def test_a_city_round_up_sentence_in_a_single_story_is_not_its_toll(ex: EventExtractor) -> None:
    ev = ex.extract(art("About 9 p.m., Tavon Reese was in a home on Walnut Street when a family member accidentally "
                        "shot him in the abdomen, police said. Tavon was taken to a children's hospital, where he was "
                        "pronounced dead. Late Tuesday, at least nine people were killed and 14 wounded in Milford "
                        "shootings throughout the day.",
                        title="Police: 12-Year-Old Boy Killed In Accidental Shooting"))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_a_headline_list_of_the_people_shot_adds_up(ex: EventExtractor) -> None:
    ev = ex.extract(art("Gunfire broke out at a birthday party on Larch Avenue late Saturday. All of the victims "
                        "were taken to hospitals, police said.", title="Police: 3 adults, 1 child shot in Norbury"))
    assert ev.casualties.wounded == 4 and not ev.casualties.killed
    # a wounded suspect in the list is not a victim
    ev = ex.extract(art("An officer and a robbery suspect exchanged fire outside a pharmacy on Dale Street on "
                        "Monday, police said.", title="Officer, suspect injured in shootout at Dale Street pharmacy"))
    assert ev.casualties.wounded != 2


def test_people_hit_or_struck_in_a_shooting_are_counted(ex: EventExtractor) -> None:
    ev = ex.extract(art("Officers are searching for two men who ran from the scene on Quarry Road on Friday night.",
                        title="Police: 4 hit in shooting; suspects sought"))
    assert ev.casualties.wounded == 4 and not ev.casualties.killed
    ev = ex.extract(art("Three people were struck by gunfire outside a store on Pine Street on Sunday, police said.",
                        title="Police investigate Pine Street gunfire"))
    assert ev.casualties.wounded == 3


def test_a_number_inside_a_name_is_no_count(ex: EventExtractor) -> None:
    # "AR-15", "I-95": digits after a hyphen or a letter belong to a name, not to a count of people shot
    ev = ex.extract(art(
        "A man playing with an AR-15 shot a 13-year-old boy in the leg on Tuesday at a home on Elm Street, police "
        "said. The boy is expected to recover.",
        title="Man playing with AR-15 shot 13-year-old"))
    assert ev.casualties.wounded == 1


@pytest.mark.parametrize("lead", [
    "A 20-kg bomb went off at a branch of the Central Mortgage Bank in Medellin last night.",
    "There was an explosion at a market in Medellin early on Tuesday, police said.",
    "The home of the deputy minister in Medellin was the target of an attack on Tuesday morning.",
])
def test_an_attack_named_as_a_noun_that_happened(ex: EventExtractor, lead: str) -> None:
    # the verb above the noun tells it happened: "went off", an existential "there was", "was the target of"
    ev = ex.extract(art(lead + " Police are investigating."))
    assert ev.is_incident
    assert ev.location is not None and ev.location.name == "Medellín"


def test_people_at_a_hospital_with_gunshot_wounds_and_a_bullet_that_struck(ex: EventExtractor) -> None:
    ev = ex.extract(art(
        "Manuel Ortiz, 28, died, and three more people are at a hospital with gunshot wounds after a man opened "
        "fire at a crowd outside a Tampa bar early Saturday, deputies said."))
    assert (ev.casualties.killed, ev.casualties.wounded) == (1, 3)
    ev = ex.extract(art(
        "Police in Nampa are looking for two men after a drive-by on Wednesday night. A bullet struck a 10-year-old "
        "girl in the shoulder as she sat in her mother's car.", title="Police seek two men after drive-by in Nampa"))
    assert ev.casualties.wounded == 1


def test_an_accidental_shooting_is_an_incident_flagged_accidental(ex: EventExtractor) -> None:
    # a gun-violence monitor wants it; a rule about attacks leaves it out with without_tactic: [accidental]
    ev = ex.extract(art(
        "A 15-year-old boy accidentally shot himself in the leg at his home in Marietta on Wednesday morning, deputies "
        "said. He was taken to a hospital with injuries that are not life-threatening.",
        title="Teen accidentally shoots himself in the leg"))
    assert ev.is_incident and ev.event_type == "shooting"
    assert "accidental" in ev.tactics
    assert ev.casualties.wounded == 1
    crash = ex.extract(art("Two people were killed when a pickup truck crashed into a tree on Route 9 on Sunday, "
                           "state police said.", title="Two killed in Route 9 crash"))
    assert not crash.is_incident  # a traffic accident is no violent incident


def test_a_shootout_with_police_is_a_shooting_a_clash_of_armed_forces_is_not(ex: EventExtractor) -> None:
    # "engaged", "shootout", "gun battle" made any story a battle between armed forces (out of scope), even a
    # nightclub massacre; a battle needs an army or an armed group among its sides
    club = ex.extract(art(
        "A gunman opened fire inside a crowded nightclub in Orlando early Sunday, killing 12 people and wounding "
        "20 others before officers engaged him in a shootout, police said.",
        title="12 killed in nightclub shooting in Orlando"))
    assert club.is_incident and club.event_type == "shooting"
    battle = ex.extract(art(
        "Government troops clashed with rebels near Goma on Sunday, and five soldiers were killed in the fighting, "
        "the army said."))
    assert not battle.is_incident and battle.event_type == "armed_clash"


@pytest.mark.parametrize("lead", [
    "Houston police are investigating the fatal shooting of a woman at an apartment complex on Saybrook Drive "
    "early Thursday.",
    "A teenager is dead after a shooting at a laundromat on Dodds Avenue in Chattanooga early Sunday, police said.",
    "After a shooting at a market in Stockton on Sunday, one victim was pronounced dead at the scene.",
    "A 2-year-old was critically hurt in a shooting near a pizza shop in Kansas City on Friday night.",
    "Four men were hospitalized with gunshot wounds after a shooting in Stockton on Friday night.",
])
def test_an_inquiry_into_an_act_or_a_death_told_in_the_present_is_an_incident(ex: EventExtractor, lead: str) -> None:
    ev = ex.extract(art(lead + " No arrests have been made."))
    assert ev.is_incident and ev.event_type == "shooting"


def test_a_death_without_violence_is_no_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 90-year-old woman is dead after a fall at her home in Chattanooga on Sunday, relatives said."))
    assert not ev.is_incident


def test_a_headline_about_an_old_year_s_shooting_is_no_new_incident(ex: EventExtractor) -> None:
    old = Article(id="y1", url="https://news.example/y1", title="Man arrested in connection with 2013 house party murders",
                  text="Police arrested a 24-year-old man on Friday. Four people were shot and killed at a house party "
                       "on Oak Street, police said.", published=datetime(2015, 6, 29, 8, 0))
    assert not ex.extract(old).is_incident
    new = Article(id="y2", url="https://news.example/y2",
                  title="Four men shot near site of 2015 mass shooting",
                  text="Four men were shot on Genesee Street in Buffalo on Tuesday night, police said. None of the "
                       "injuries is life-threatening.", published=datetime(2017, 2, 22, 8, 0))
    assert ex.extract(new).is_incident
    charged = old.model_copy(update={"id": "y3", "title": "Three charged in 2014 West Side shooting that left teen dead"})
    assert not ex.extract(charged).is_incident


def test_the_page_s_list_of_other_stories_is_not_the_story(ex: EventExtractor) -> None:
    a = Article(id="more1", url="https://news.example/more1", title="Boy shoots himself in head in Rutherfordton",
                text="An 11-year-old boy shot himself in the head Monday night on Hope Drive in Rutherfordton, the "
                     "sheriff said.\n\nThe boy had surgery overnight and is in intensive care.\n\n"
                     "More stories you may like on 7News\n\n"
                     "Three found dead in Darlington home. The coroner found three people dead on Sunday morning.",
                published=datetime(2016, 5, 10, 8, 0))
    ev = ex.extract(a)
    assert ev.is_incident and ev.casualties.wounded == 1 and not ev.casualties.killed


def test_a_shot_with_its_object_is_a_shooting(ex: EventExtractor) -> None:
    # "shot" alone may be a photo or a basketball shot; "shot her husband", "accidentally shot his brother" is the act
    ev = ex.extract(art("A woman shot her husband and her son at their home in Dayton, Ohio, on Monday night, police "
                        "said. Both were taken to Miami Valley Hospital.", title="Police say woman shot her husband and son"))
    assert ev.is_incident and ev.event_type == "shooting"
    ev = ex.extract(art("A 9-year-old boy accidentally shot his 12-year-old brother at their home in Omaha, Nebraska, "
                        "on Monday, police said.", title="Boy accidentally shot his brother"))
    assert ev.is_incident and ev.event_type == "shooting" and ev.tactics.count("accidental") == 1
    ev = ex.extract(art("A teenager shot himself in the left leg early Sunday in the West Garfield Park neighborhood of "
                        "Chicago, police said.", title="15-year-old boy shot himself in the leg"))
    assert ev.is_incident and ev.event_type == "shooting" and ev.casualties.wounded == 1
    ev = ex.extract(art("The photographer shot the team's final game in Omaha, Nebraska, on Monday.",
                        title="Photographer shot the final game"))
    assert not ev.is_incident


def test_the_dead_are_not_among_the_hurt_but_are_among_the_shot(ex: EventExtractor) -> None:
    ev = ex.extract(art("Investigators are trying to learn what led to a shooting at a nightclub on Saturday that left "
                        "three people wounded and one dead.", title="Club shooting leaves 3 hurt, 1 dead"))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 3
    ev = ex.extract(art("Six people were injured, one of them fatally, in a shooting on Saturday."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 5
    ev = ex.extract(art("Four people were shot, one fatally, outside a bar on Saturday, police said."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 3


def test_the_nth_victim_hurt_sets_the_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("Three men were shot outside a bar on Saturday. A fourth victim was grazed by a bullet and walked "
                        "away from the scene, police said.", title="Three men shot outside bar"))
    assert ev.casualties.wounded == 4 and not ev.casualties.killed
    ev = ex.extract(art("A man was shot and killed on Elm Street on Saturday night. A second man was wounded in the leg, "
                        "police said."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1
    # an agent or a thing is no victim: "a third officer shot", "the second car hit by bullets"
    ev = ex.extract(art("A man was wounded by police on Saturday. Investigators asked whether a third officer shot at "
                        "him; the second car hit by bullets was empty."))
    assert ev.casualties.wounded == 1


def test_others_wounded_stay_wounded_when_a_victim_died_at_hospital(ex: EventExtractor) -> None:
    ev = ex.extract(art("Two people are dead and two others were wounded in a shooting at a block party overnight. A "
                        "34-year-old woman was shot in the neck and rushed to a hospital, where she was pronounced dead, "
                        "police said.", title="2 killed, 2 shot at block party"))
    assert ev.casualties.killed == 2 and ev.casualties.wounded == 2
    # the one hurt in the lead is the one who died later (unchanged)
    ev = ex.extract(art("A man was wounded in a shooting on Elm Street on Friday night, police said.\n\n"
                        "He was taken to a hospital, where he later died from his injuries."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_one_victim_and_n_others(ex: EventExtractor) -> None:
    ev = ex.extract(art("Neighbours are on edge after Saturday's shooting on Elm Street.",
                        title="Drive-by shooting that wounded an 8-year-old, 2 others has neighborhood on edge"))
    assert ev.casualties.wounded == 3
    ev = ex.extract(art("Police said the man opened fire at the family's home on Friday.",
                        title="Police: man kills stepfather, injures mother, 3 others"))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 4
    # a wounded suspect is no victim: "a suspect and 2 others" are not three victims hurt
    ev = ex.extract(art("A gunman opened fire outside a bar on Friday night, police said. The shootout wounded a "
                        "suspect and 2 others."))
    assert (ev.casualties.wounded or 0) < 3


def test_a_bare_weekday_is_never_six_days_back() -> None:
    tuesday = date(2017, 4, 4)
    # "early Wednesday" in a story dated Tuesday: the story's date is a day early (UTC, an archive's capture)
    assert find_dates("early Wednesday", tuesday)[0].value == date(2017, 4, 5)
    # "last Wednesday" is six days back; Monday is yesterday; Tuesday today
    assert find_dates("last Wednesday", tuesday)[0].value == date(2017, 3, 29)
    assert find_dates("on Monday", tuesday)[0].value == date(2017, 4, 3)
    assert find_dates("on Tuesday", tuesday)[0].value == date(2017, 4, 4)


def test_a_day_named_beside_the_incident_refines_earlier_this_week(ex: EventExtractor) -> None:
    friday = datetime(2017, 2, 10, 12, 0)
    ev = ex.extract(art("Authorities have identified the four people who were found shot dead inside a home earlier "
                        "this week. Around 9 a.m. on Tuesday, the county sheriff's office went to the home on Elm Road "
                        "for a welfare check.", title="Authorities identify 4 found dead in home", published=friday))
    assert ev.date == date(2017, 2, 7) and ev.date_precision == "day"


def test_a_headline_toll_is_a_report_however_the_page_around_it_reads(ex: EventExtractor) -> None:
    # the page around the story is a video player's furniture; the parser reads each headline so that no violent
    # verb is told (a verb-less toll), and the lead tells nothing: the toll in the headline is the report
    when = datetime(2016, 11, 27, 12, 0)
    player = ("Play Facebook Twitter Google Plus Embed New Orleans Shooting Leaves 9 Hurt, 1 Dead 1:29 autoplay "
              "autoplay Copy this code to your website or blog")
    ev = ex.extract(art(player, title="Bourbon Street, New Orleans Shooting Leaves 1 Dead, 9 Hurt: Police", published=when))
    assert ev.is_incident
    junk = "Play Facebook Twitter Google Plus Embed. Copy this code to your website or blog."
    ev = ex.extract(art(junk, title="Police: 2 children, 1 teen shot in Durham :: WRAL.com", published=when))
    assert ev.is_incident
    # a toll of another kind of story stays out
    ev = ex.extract(art(junk, title="Storm leaves 2 dead in New Orleans", published=when))
    assert not ev.is_incident


def test_after_being_shot_tells_a_shooting_that_happened(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 20-year-old man is in critical condition after being shot in the head on Saturday night in "
                        "Winona, Minnesota, police said.", title="20-year-old critical after being shot in head"))
    assert ev.is_incident
    ev = ex.extract(art("People are being shot in this city every week, the mayor said on Saturday in Winona, Minnesota."))
    assert not ev.is_incident


def test_suffering_a_gunshot_wound_tells_a_shooting(ex: EventExtractor) -> None:
    ev = ex.extract(art("Emergency crews were called to a home on Pipkin Road in Beaumont, Texas, on Tuesday evening, "
                        "police said.", title="Questions mount after 3-year-old boy suffers gunshot wound"))
    assert ev.is_incident and ev.casualties.wounded == 1
    ev = ex.extract(art("Doctors said soldiers could suffer gunshot wounds more often in training in Beaumont, Texas, on "
                        "Tuesday."))
    assert not ev.is_incident


def test_911_is_a_phone_number_not_a_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("Four people were found dead in a home on Saturday. A neighbour said a man ran up to him and said, "
                        "'Call 911 for multiple people shot.'", title="4 killed in Far South Side shooting"))
    assert ev.casualties.killed == 4 and (ev.casualties.wounded or 0) < 10


def test_a_sentence_giving_dead_and_hurt_is_the_toll_under_a_headline_of_one_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("A boy hurt in Saturday's shootings went home from hospital on Monday, his family said.\n\n"
                        "Police described what happened in the shootings that killed four people and injured four "
                        "others at three homes on Saturday.",
                        title="Child injured in deadly shootings released"))
    assert ev.casualties.killed == 4 and ev.casualties.wounded == 4
    # a single figure further down still gives way to the headline's one ("4-year-old girl shot in leg")
    ev = ex.extract(art("A 4-year-old girl was shot in the leg on Elm Street on Saturday. Six people have been wounded "
                        "on the street this year.", title="Girl, 4, shot in leg"))
    assert ev.casualties.wounded == 1


def test_people_also_hit_are_not_the_dead_of_another_sentence(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 6-year-old boy was struck in the chest during a drive-by shooting on Saturday. The boy was "
                        "taken to a hospital but later died.\n\n"
                        "A 15-year-old and a 69-year-old in the car with him were also hit by gunfire, but their "
                        "injuries are not life-threatening."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 2
    # people shot with no word that sets them apart include the dead
    ev = ex.extract(art("Two men were shot on Elm Street on Saturday. One of them died at the scene, police said."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1


def test_shot_and_pronounced_dead_is_one_death(ex: EventExtractor) -> None:
    ev = ex.extract(art("A man was shot in the head on Elm Street on Saturday and was pronounced dead at the scene."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded
    # only the subject of a shooting verb: "both victims were transported ... and the 17-year-old was later
    # pronounced dead" is one death, not both victims
    ev = ex.extract(art("A 17-year-old and a 15-year-old were shot on Monday night. Both victims were transported to "
                        "hospitals and the 17-year-old was later pronounced dead."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1


def test_someone_of_another_age_taken_to_hospital_is_hurt_beside_the_dead(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 14-year-old and a 19-year-old were playing with a handgun on Friday when it fired. The "
                        "19-year-old was shot in the forehead and was later pronounced dead.\n\n"
                        "The chief said the 14-year-old was taken to the hospital for injuries he sustained.",
                        title="One dead in accidental shooting"))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1
    # the same age again is the same person
    ev = ex.extract(art("A 19-year-old was shot on Friday and later pronounced dead.\n\n"
                        "The 19-year-old was taken to the hospital before he died, the chief said.",
                        title="One dead in shooting"))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_another_one_found_shot_is_not_the_dead_one(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 16-year-old boy was found fatally wounded on the porch of his home on Monday night. Besides "
                        "him, officers found another 16-year-old boy who had been shot in the ankle."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1
    # the one victim of a shooter is not "another"
    ev = ex.extract(art("A teen accidentally shot another teenage boy on Monday night. The boy died at the scene."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_someone_in_the_hospital_beside_the_dead_is_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("One person is dead and another person is in the hospital after two shootings on Wednesday."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1
    # the dead told in the same sentence as the hurt are not among them, whatever a later sentence says of a death
    ev = ex.extract(art("An 8-year-old girl has died and her mother remains in the hospital after an accidental shooting "
                        "inside their home on Saturday.\n\n"
                        "The child was taken to a hospital, where she died on Sunday.",
                        title="Gun dropped in family's house kills child"))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1
    ev = ex.extract(art("A shooting at the club overnight left two dead and six injured.\n\n"
                        "Johnson died at the scene, and Thomas was taken to a local hospital where he was later "
                        "pronounced dead.", title="Club shooting leaves 2 dead"))
    assert ev.casualties.killed == 2 and ev.casualties.wounded == 6


def test_a_shooting_on_the_same_street_another_day_is_background(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police arrested a fourth suspect in the killing of Cateria Stokes, 7, who was shot and killed at "
                        "her home on Elm Street on Tuesday.\n\n"
                        "A man was shot on the same street the day before the 7-year-old was killed.",
                        title="Girl, 7, killed in shooting"))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded
    ev = ex.extract(art("Tanya Smith, 19, was shot in the chest on Elm Street on Monday and later died at Ellis Hospital."
                        "\n\nHer death occurred four days after another man was shot in the leg on the same block.",
                        title="Teen mother slain"))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_all_of_those_shot_include_the_dead_named_beside_them(ex: EventExtractor) -> None:
    ev = ex.extract(art("All five men were shot outside the bar on Saturday; Mackey and Haywood, 20, died."))
    assert ev.casualties.killed == 2 and ev.casualties.wounded == 3
    ev = ex.extract(art("Gunfire hit a crowd on Monday night. All five of the wounded were rushed to local hospitals, "
                        "where three of the men died."))
    assert ev.casualties.killed == 3 and ev.casualties.wounded == 2
    # "all four wounded" beside two dead: the dead are not among them
    ev = ex.extract(art("Two people are dead and all four wounded were taken to hospital after a shooting on Monday."))
    assert ev.casualties.killed == 2 and ev.casualties.wounded == 4
    # "both victims ... where the child later died": the dead one of the two, counted once
    ev = ex.extract(art("Officers found that a woman and a child had been shot on Thursday night.\n\n"
                        "Both victims were taken to the hospital, where the child later died."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 1


def test_the_dead_included_among_those_shot_are_not_also_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("A feud between two groups led to eight people getting shot at a nightclub on Saturday, "
                        "including Kalif Goens, who was killed."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 7
    # a death told apart from the people shot is not among them
    ev = ex.extract(art("A man was killed and two women were shot on Elm Street on Saturday night."))
    assert ev.casualties.killed == 1 and ev.casualties.wounded == 2


def test_whoever_takes_the_hurt_to_hospital_is_not_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 6-year-old girl was shot in the arm on Elm Street on Saturday, and her mother took her to a "
                        "hospital, officers said."))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("A child was shot on Friday morning and someone took the child to an area hospital."))
    assert ev.casualties.wounded == 1
    # the one taken is hurt
    ev = ex.extract(art("Shots were fired on Elm Street on Friday night. A neighbor drove a wounded man to the hospital."))
    assert ev.casualties.wounded == 1


def test_a_list_of_videos_with_running_times_is_page_furniture(ex: EventExtractor) -> None:
    ev = ex.extract(art("Four people were injured by gunfire outside a bar on Saturday night, police said.\n\n"
                        "2:07 Mother of toddler declared brain dead after shooting\n\n"
                        "0:43 Homeless man found dead in park; suspect arrested\n\n"
                        "None of the injuries were life-threatening.",
                        title="4 injured by gunfire outside bar"))
    assert ev.casualties.wounded == 4 and not ev.casualties.killed
    # a time of day that starts a sentence is no video
    ev = ex.extract(art("Police were called to Elm Street on Saturday night.\n\n"
                        "10:30 p.m. Saturday, a man was shot and killed outside the bar, police said."))
    assert ev.casualties.killed == 1


def test_the_death_a_vigil_was_for_is_background(ex: EventExtractor) -> None:
    ev = ex.extract(art("An 8-year-old girl was shot in the wrist on Sunday night, just as people gathered for a vigil "
                        "for a 14-year-old boy fatally shot earlier in the day, police said.",
                        title="Girl, 8, shot in wrist"))
    assert ev.casualties.wounded == 1 and not ev.casualties.killed


def test_a_time_of_day_is_not_a_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 24-year-old man was wounded about 12:15 a.m. Saturday in the 500 block of Clinton Street, "
                        "police said."))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("A teen was killed around 4:30 p.m. Friday on Elm Street, police said."))
    assert ev.casualties.killed == 1


def test_a_span_of_time_after_a_casualty_verb_is_not_a_count(ex: EventExtractor) -> None:
    ev = ex.extract(art("Taylor, 19, was shot on Elm Street on Saturday night and died. He was killed about two weeks "
                        "after his birthday."))
    assert ev.casualties.killed == 1
    ev = ex.extract(art("Jeremy Taylor, 54, was the motorcyclist shot and killed on Skyline Boulevard on Saturday, and "
                        "Sean Strickland, 26, was the store employee killed 45 minutes later on Cape Coral Parkway.",
                        title="Two killed in shooting spree"))
    assert ev.casualties.killed == 2


def test_an_age_before_a_name_is_the_same_person_not_a_list(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police say he shot and killed his friend, 63-year-old Daniel Caron, in the driveway of a home on "
                        "Woodland Street on Saturday."))
    assert ev.casualties.killed == 1
    ev = ex.extract(art("Police say a man killed his wife, 5-year-old son and 3-year-old daughter at their home on "
                        "Saturday."))
    assert ev.casualties.killed == 3


def test_the_people_shot_before_the_killer_turned_a_gun_on_himself_died(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police said a man shot his two young children before turning a gun on himself at their home on "
                        "Elm Street on Sunday night."))
    assert ev.casualties.killed == 2 and not ev.casualties.wounded
    ev = ex.extract(art("Investigators said Henry Brown, 40, shot his wife at their home on Sunday night and then turned "
                        "his gun on himself."))
    assert ev.casualties.killed == 1 and ev.casualties.perpetrators_killed == 1


def test_a_bullet_that_hit_someone_tells_the_hurt(ex: EventExtractor) -> None:
    ev = ex.extract(art("Sheryl Williamson says a bullet entered her home on Sunday morning and hit her 13-year-old "
                        "daughter in the back of her leg.", title="Girl recovers after being hit by gunshot"))
    assert ev.casualties.wounded == 1
    ev = ex.extract(art("Sign in using your account.", title="Man accidentally fires gun, hits his two young sons"))
    assert ev.casualties.wounded == 2


def test_anytime_someone_is_hurt_is_no_one_in_particular(ex: EventExtractor) -> None:
    ev = ex.extract(art("A 17-year-old student was shot and killed at a party on Wednesday night, police said.\n\n"
                        "\"Anytime one of our students is hurt or passes away it has a huge impact on the whole school "
                        "community,\" the principal said."))
    assert ev.casualties.killed == 1 and not ev.casualties.wounded


def test_a_dated_update_days_after_publication_is_this_year(ex: EventExtractor) -> None:
    ev = ex.extract(art("UPDATE 3/16 5:04 p.m.: The autopsies for the three people killed in Wednesday's shooting at "
                        "the clinic have been released.\n\n"
                        "A gunman killed three people and wounded nine at a clinic on Wednesday, police said."))
    assert ev.date is not None and ev.date.year == 2024 and ev.is_incident
    # another shooting "on the exact same block back in May" is another incident's month
    ev = ex.extract(art("Four friends were shot on Elm Street on Tuesday night, police said.\n\n"
                        "Officers responded to another shooting on the exact same block back in May."))
    assert ev.date is not None and ev.date.month == 3


def test_found_shot_dead_and_recovering_from_gunshot_wounds_tell_an_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art("Two boys, ages 7 and 10, and two adults were found slain inside their home in Guilderland, New "
                        "York, authorities said Thursday.", title="Family of four found shot dead in quadruple murder"))
    assert ev.is_incident and ev.casualties.killed == 4
    ev = ex.extract(art("INDIANAPOLIS -- Four people are recovering from gunshot wounds after a shooter sprayed bullets "
                        "into a crowd on College Avenue early Friday morning.",
                        title="Man claims self-defense after four shot in Broad Ripple"))
    assert ev.is_incident and ev.casualties.wounded == 4
    # a death found long ago is still not news
    ev = ex.extract(art("The remains of a man found shot dead in 2019 were identified on Tuesday, police said."))
    assert not ev.is_incident


def test_someone_in_hospital_after_a_shooting_tells_an_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art("Terre Haute, IN - Two men are in the hospital after a shooting at Warren Village in Terre "
                        "Haute on Wednesday.", title="Shooting at Warren Village"))
    assert ev.is_incident and ev.casualties.wounded == 2
    # a condition with no shooting is no incident
    ev = ex.extract(art("A man is in critical condition after a crash on Interstate 70 on Wednesday."))
    assert not ev.is_incident


def test_a_headline_count_of_the_shot_is_a_shooting(ex: EventExtractor) -> None:
    for title in ("Four teens shot after party in St. Louis", "Three shot on Blue Hill Avenue in Dorchester",
                  "Police looking for man who shot 4 in Logan Heights"):
        ev = ex.extract(art("Sign in to keep reading.", title=title))
        assert ev.is_incident and ev.event_type == "shooting", title
    ev = ex.extract(art("Police are searching for a shooter who wounded a 9-year-old girl in her apartment on Sunday "
                        "night.", title="Police search for shooter"))
    assert ev.is_incident and ev.event_type == "shooting"
    # a photo shoot is not
    ev = ex.extract(art("Two models were shot by a famous photographer for the magazine's cover on Sunday.",
                        title="Magazine unveils cover"))
    assert not ev.is_incident


def test_two_names_each_with_an_age_are_two_people(ex: EventExtractor) -> None:
    ev = ex.extract(art("Officials said that Dennie Reeves, 66 and Ginger Reeves, 64 were found dead inside a home on "
                        "Briarwood Court on Saturday."))
    assert ev.casualties.killed == 2


def test_a_minor_a_hyphenated_age_a_toe_and_an_own_leg_are_someone_hurt(ex: EventExtractor) -> None:
    # one person hurt, told four ways a headline tells it: "a minor", "A Nine-Year-Old", the victim's toe, "own leg"
    paywall = "Subscribe now for complete access to local news."
    for title in ("A minor was injured in a shooting Sunday morning in Larkspur",
                  "A Nine-Year-Old was struck by gunshots in Larkspur",
                  "13-year-old's toe grazed by bullet at Larkspur strip mall",
                  "Larkspur County man shoots own leg while handling revolver"):
        assert toll(ex, paywall, title)[:2] == (None, 1), title
    # but "minor injuries" is how badly, not one more person; a minor endangered is not hurt
    assert toll(ex, "A man suffered minor injuries when he was shot in the arm on Elm Street, police said.",
                "Man shot in Larkspur")[:2] == (None, 1)
    assert toll(ex, "The man was charged with endangering a minor after the gun was found.",
                "Larkspur man charged")[:2] == (None, None)


def test_one_hurt_and_another_also_shot_are_two(ex: EventExtractor) -> None:
    story = ("Police say she shot her husband, Henry Jackson, after an argument on Saturday. Henry Jackson was shot one "
             "time. The couple's 5-year-old granddaughter was also shot in the ankle.")
    assert toll(ex, story, "Constable's wife shot him after argument")[:2] == (None, 2)
    # "also" among a count already given adds no one
    story = ("Four people were shot outside a store on Elm Street on Sunday night. A 17-year-old boy was also shot in "
             "the leg, police said.")
    assert toll(ex, story, "Four shot outside store")[:2] == (None, 4)


def test_alias_tree_matches_the_longest_alias_that_ends_a_word() -> None:
    # the letter tree must match what a flat "longest first" list of alternatives matches, falling back to a
    # shorter alias where the longer one runs on into a word
    import re

    from worker.events.actors import _compile

    aliases = ["IS", "ISIS", "ISIS-K", "ISIL", "ISKP", "Daesh"]
    tree = _compile(aliases, 0)
    flat = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
                      + r")(?![\w-])")
    assert tree is not None
    for text in ["ISIS-K claimed it", "ISIS-Kx and ISIS said", "IS, ISIL and ISKP", "ISISK", "the IS group",
                 "Daesh-backed", "ISIL-K", "xIS IS"]:
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)], text
    assert [m.group(0) for m in tree.finditer("ISIS-K and ISIS and IS")] == ["ISIS-K", "ISIS", "IS"]
    ci = _compile(["islamic state", "islamic state khorasan"], re.I)
    assert ci is not None and [m.group(0) for m in ci.finditer("ISLAMIC STATE KHORASAN and Islamic State")] == [
        "ISLAMIC STATE KHORASAN", "Islamic State"]


@pytest.mark.parametrize("phrase", [
    "on Feb. 6", "on 6 February", "on 9/24", "yesterday", "last night", "overnight", "early Tuesday morning",
    "two weeks ago", "over the weekend", "in January", "on Christmas Eve", "on Halloween", "on Thanksgiving",
    "on Easter", "earlier this month", "this morning", "on Valentine's Day", "on New Year's Eve", "on the Fourth of July",
    "this afternoon", "tonight", "last week",
])
def test_every_kind_of_date_survives_the_quick_check(phrase: str) -> None:
    # find_dates skips a text with none of the words a date needs: each kind of date must still be found
    assert find_dates(f"The man was shot {phrase}.", date(2016, 3, 15)), phrase


@pytest.mark.parametrize("phrase", [
    "a car bomb", "the bombing", "a blast", "an explosion", "it exploded", "they detonated it", "an IED attack",
    "a suicide attack", "threw a grenade", "blew up the bridge", "dynamited", "bombs were planted", "a rocket attack",
    "fired rockets", "shells hit", "shelling", "an airstrike", "a drone strike", "kidnapped", "abducted",
    "seized hostages", "took hostages", "the siege", "barricaded", "hijacked", "arson", "set fire to", "set ablaze",
    "torched", "burned down", "firebombed", "a molotov", "incendiary", "assassinated", "a shooting", "a shootout",
    "gunfire", "gunshots", "gunmen", "shot dead", "opened fire", "fired shots", "machine-gunned",
    "sprayed with bullets", "a drive-by", "gunned down", "fatally shot", "was shot", "shoots", "guns down",
    "shot two", "the shooter", "stabbed", "stabs", "a knife attack", "a machete", "hacked to death", "attacked",
    "assaulted", "ambushed", "raided", "stormed", "massacred", "killed", "kills", "slays", "murdered", "slain",
    "rammed into", "sabotage", "destroyed a power line", "robbed", "a robbery", "held up", "stole",
])
def test_every_trigger_survives_the_quick_check(phrase: str) -> None:
    # has_trigger skips a text with none of the words a trigger needs: each trigger must still be found
    from worker.events.types import has_trigger

    assert has_trigger(f"Police said {phrase} on Main Street.".upper()) and has_trigger(f"Police said {phrase}."), phrase


def test_word_tree_finds_what_the_flat_list_finds() -> None:
    import re

    from worker.events.gazetteer import fold
    from worker.events.wordtree import word_tree

    words = ["indian", "indonesian", "sri lankan", "iraqi", "iranian", "french"]
    tree = re.compile(r"\b(" + word_tree(words, lower=True) + r")s?\b", re.I)
    flat = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")s?\b", re.I)
    for text in ["Indians and Indonesians", "SRI LANKAN troops", "an Iraqi-Iranian border", "Frenchmen", "Indiana"]:
        assert [(m.span(), m.group(1)) for m in tree.finditer(text)] == [(m.span(), m.group(1)) for m in flat.finditer(text)]
    assert [m.group(1) for m in tree.finditer("Indians and Indonesians")] == ["Indian", "Indonesian"]
    # the quick path for plain ASCII folds as the slow one does
    assert fold(" Chicago ") == "chicago" and fold("USULUTÁN") == fold("Usulután") == "usulutan"


def test_passive_victims_beside_searching_police_and_a_shooting_at_a_memorial_are_incidents(ex: EventExtractor) -> None:
    ev = ex.extract(art("Police are searching for clues after five people, including an infant, were injured in a "
                        "drive-by shooting in south Houston late Sunday.",
                        title="Infant among victims in S. Houston drive-by shooting"))
    assert ev.is_incident  # the searchers did not injure them: no state operation
    ev = ex.extract(art("Gunfire erupted during a memorial service at a lodge on Elm Street on Tuesday, wounding four "
                        "people, police said.", title="4 people shot at memorial service in Larkspur"))
    assert ev.is_incident and ev.casualties.wounded == 4
    ev = ex.extract(art("A memorial service was held Tuesday for the four people killed at the lodge in January.",
                        title="Larkspur remembers lodge victims"))
    assert not ev.is_incident  # a commemoration
    ev = ex.extract(art("BUFFALO, N.Y. (WXYZ) — The 8-year-old underwent a second surgery at the hospital on Tuesday morning. Hospital "
                        "officials said he remained in critical condition.",
                        title="8-year-old shooting victim in critical condition"))
    assert ev.is_incident  # a victim's present state: a shooting of the last days
    ev = ex.extract(art("Troops stormed the village on Tuesday and killed five people, the army said.",
                        title="Army raid on village"))
    assert not ev.is_incident  # a force acting: the state's operation
