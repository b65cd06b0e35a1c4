"""Headlines told as sentences (worker.events.headlines) and what that changes for the event record."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from worker.events import EventExtractor
from worker.events.headlines import as_sentence, clean_title, site_part
from worker.models import Article

ACTORS = Path(__file__).resolve().parents[1] / "config" / "actors.yaml"


@pytest.fixture(scope="module")
def ex(nlp) -> EventExtractor:  # type: ignore[no-untyped-def]
    return EventExtractor(nlp, ACTORS)


def art(title: str, text: str = "") -> Article:
    return Article(id="h1", url="https://news.example/h1", title=title, text=text,
                   published=datetime(2024, 6, 10, 8, 0))


@pytest.mark.parametrize("headline, sentence", [
    # the article and auxiliary of a telegraphic passive
    ("Boy shot in leg in east Millbrook", "A boy was shot in leg in east Millbrook"),
    ("Girl, 3, wounded in shooting", "A girl, 3, was wounded in shooting"),
    ("Police: Teen critically injured outside store", "Police: A teen was critically injured outside store"),
    ("Teens shot near park", "Teens were shot near park"),
    ("5-year-old shot in arm", "A 5-year-old was shot in arm"),
    ("Boy stable after shooting", "A boy is stable after shooting"),
    ("Man shot, killed in Millbrook", "A man was shot, killed in Millbrook"),
    # the article of an active headline's bare nouns; its present tense stays
    ("Boy, 9, fatally shoots himself", "A boy, 9, fatally shoots himself"),
    ("Drive-by shooting injures child", "Drive-by shooting injures a child"),
    ("Gunman kills officer at checkpoint", "Gunman kills an officer at checkpoint"),
    ("Man shoots, kills wife", "A man shoots, kills wife"),
    ("Man accidentally shot, killed best friend", "A man accidentally shot, killed best friend"),
])
def test_telegraphic_headlines_become_sentences(headline: str, sentence: str) -> None:
    assert as_sentence(headline) == sentence


@pytest.mark.parametrize("headline", [
    "Shooting leaves 2 dead",
    "Gunman opens fire at party",
    "Family mourns gunshot wounds victim",        # 'wounds' after 'gunshot' is a noun
    "3 adults, 5 minors shot at festival",       # counts are read as they stand
    "Two men shot near park",
    "Mayor's budget passes council",
])
def test_headlines_that_stay_as_they_are(headline: str) -> None:
    assert as_sentence(headline) == headline


def test_title_parts() -> None:
    title = "Man shot on Elm Street - WXYZ Action News 7 - Millbrook, Ohio"
    assert clean_title(title) == "Man shot on Elm Street"
    assert site_part(title) == "WXYZ Action News 7 - Millbrook, Ohio"


def test_a_headline_alone_reports_the_incident(ex: EventExtractor) -> None:
    # A page whose body is only a sign-up box: the headline is the report. Before, the parser read "Boy" as an
    # interjection and found no one shot.
    ev = ex.extract(art("Boy shot in leg in west Baltimore",
                        "Sign up for our newsletter.\n\nWe have sent you a verification email."))
    assert ev.is_incident
    assert ev.casualties.wounded == 1
    assert ev.location is not None and ev.location.name == "Baltimore"


def test_a_present_tense_headline_over_a_feature_lede(ex: EventExtractor) -> None:
    # The body opens with scene-setting; the headline's present tense tells what happened.
    ev = ex.extract(art(
        "Drive-by shooting injures child in Dallas",
        "On a rainy Sunday the swings were still at the park on Glendale Avenue. Some parents say they are worried. "
        "\"Nobody should have to live like this,\" one mother said.\n\nThe 9-year-old, who was riding in a car near "
        "the park on Sunday evening, is in good condition, police said."))
    assert ev.is_incident
    assert ev.event_type == "shooting"
    assert ev.date == date(2024, 6, 9)


def test_a_court_headline_is_still_no_incident(ex: EventExtractor) -> None:
    ev = ex.extract(art("Man sentenced to 40 years for killing neighbor",
                        "A Millbrook man was sentenced Monday to 40 years in prison for the 2022 killing of his "
                        "neighbor, prosecutors said."))
    assert not ev.is_incident


def test_a_headline_that_tells_the_act_and_its_toll_over_a_page_with_no_story_is_an_incident(ex: EventExtractor) -> None:
    paywall = "Already a subscriber?\n\nClick on the button below to set up your account or log in."
    ev = ex.extract(art("Drive-by shooter kills 1, injures 3", paywall))
    assert ev.is_incident and (ev.casualties.killed, ev.casualties.wounded) == (1, 3)
    # not a charge, dated by the charge whatever the shooting's day
    assert not ex.extract(art("Man indicted in shooting that injured 7", paywall)).is_incident
    # nor a headline that counts no one
    assert not ex.extract(art("Police investigate shooting", paywall)).is_incident


def test_a_charge_story_that_retells_an_old_shooting_is_no_incident(ex: EventExtractor) -> None:
    # the charge is dated to its day; the lead's day of the shooting, months back, makes it a follow-up
    ev = ex.extract(art("Dad charged after son accidentally shoots, kills little brother",
                        "MILLBROOK, Ala. (WXYZ) — A father has been indicted on two felonies in the accidental "
                        "shooting death of his 5-year-old son. It happened on March 2 at the family's home on Elm Street."))
    assert not ev.is_incident
    # a charge the day after the shooting is news of it
    ev = ex.extract(art("Dad charged after son accidentally shoots, kills little brother",
                        "MILLBROOK, Ala. (WXYZ) — A father has been indicted on two felonies in the accidental "
                        "shooting death of his 5-year-old son. It happened on Sunday at the family's home on Elm Street."))
    assert ev.is_incident


@pytest.mark.parametrize("headline, event_type", [
    ("Father kills toddler, self in Sutherlin", "armed_assault"),
    ("Man shoots neighbor over parking dispute in Sutherlin", "shooting"),
])
def test_a_present_tense_headline_names_the_act(ex: EventExtractor, headline: str, event_type: str) -> None:
    # "kills", "shoots": the headline's present is the act itself, typed and reported like "killed", "shot"
    ev = ex.extract(art(headline, "Police are investigating."))
    assert ev.event_type == event_type
    assert ev.is_incident


@pytest.mark.parametrize("headline", [
    "Five Shot Dead In South Shore: 4 Men At Restaurant, Woman In Apartment",
    "Police: 3 wounded in Sutherlin drive-by",
    "Toddler grazed by bullet during shooting in Sutherlin",
])
def test_a_headline_toll_or_graze_tells_the_act(ex: EventExtractor, headline: str) -> None:
    # "Five shot dead": the parser takes "shot" for a noun, the count tells what happened
    ev = ex.extract(art(headline, "Police are investigating. More details will follow."))
    assert ev.is_incident
