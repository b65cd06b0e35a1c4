"""The score of one report against one incident, on hand-built features (no Redis needed)."""

from __future__ import annotations

from worker.incident_features import IncidentFeatures, ReportFeatures
from worker.incident_score import WEIGHTS, score

D0 = 738_000  # a day number (days since 0001-01-01)


def report(aid: str, day: int, event_day: int | None, terms: dict[str, float]) -> ReportFeatures:
    return ReportFeatures(article_id=aid, day=day, event_day=event_day, event_type="shooting",
                          place="us|maryland|marlow heights", admin1="maryland", country="us", lat=None, lon=None,
                          killed=None, wounded=None, outlet="wmhx.example", terms=dict(terms), words=dict(terms))


def incident() -> IncidentFeatures:
    return IncidentFeatures.start("inc-1", report("a1", D0, D0, {"orrick": 0.707, "prudhomme": 0.707}), [])


# two of the incident's names, lightly, beside a name of its own: a cosine of ~0.28, some agreement, not strong
WEAK = {"orrick": 0.2, "prudhomme": 0.2, "quist": 0.959}


def test_a_report_dated_to_the_incident_day_is_not_penalised_for_coming_late() -> None:
    same_day = score(report("f1", D0 + 20, D0, WEAK), incident(), follow_up=True)
    week_off = score(report("f2", D0 + 20, D0 + 7, WEAK), incident(), follow_up=True)
    # both 20 days after the last report; only the one that dates another day pays for the wait
    assert abs(same_day.score - week_off.score - (WEIGHTS.date_close + 20 * WEIGHTS.decay_per_day)) < 1e-9
    assert same_day.score >= WEIGHTS.follow_threshold > week_off.score


def test_an_incident_quiet_past_the_window_needs_strong_names_unless_the_report_dates_it() -> None:
    late = D0 + 60
    dated = score(report("f1", late, D0, WEAK), incident(), follow_up=True, late=True)
    undated = score(report("f2", late, None, WEAK), incident(), follow_up=True, late=True)
    assert dated.veto is None and dated.score >= WEIGHTS.follow_threshold
    assert undated.score == float("-inf")


def _named(n: int) -> dict[str, float]:
    names = ["orrick", "prudhomme", "quist", "tevin", "jamal", "darnell", "starlite", "kessler"][:n]
    return {t: round(1 / n ** 0.5, 4) for t in names}


def test_a_date_far_off_yields_only_to_many_shared_names() -> None:
    inc = IncidentFeatures.start("inc-1", report("a1", D0, D0, _named(8)), [])
    # a sentencing story a year on, its "event date" the hearing's: the same six people and places
    many = score(report("f1", D0 + 365, D0 + 365, _named(6)), inc, follow_up=True)
    few = score(report("f2", D0 + 365, D0 + 365, _named(2)), inc, follow_up=True)
    assert many.veto is None
    assert few.veto is not None and few.veto.startswith("dates")
    # an incident report's date is the shooting's: far off, it is another shooting whatever the names
    report_far = score(report("r1", D0 + 365, D0 + 365, _named(6)), inc)
    assert report_far.veto is not None and report_far.veto.startswith("dates")


def test_the_same_toll_is_a_small_bonus_and_a_trivial_one_none() -> None:
    def with_toll(aid: str, killed: int | None, wounded: int | None) -> ReportFeatures:
        r = report(aid, D0 + 1, D0, WEAK)
        r.killed, r.wounded = killed, wounded
        return r

    base = report("a1", D0, D0, {"orrick": 0.707, "prudhomme": 0.707})
    base.killed, base.wounded = 2, 2
    inc = IncidentFeatures.start("inc-1", base, [])
    same = score(with_toll("r1", 2, 2), inc).score
    other = score(with_toll("r2", 1, 3), inc).score
    assert abs(same - other - WEIGHTS.casualty_match) < 1e-9
    one = IncidentFeatures.start("inc-2", with_toll("a2", 1, None), [])
    assert score(with_toll("r3", 1, None), one).score == score(with_toll("r4", None, None), one).score


def test_a_name_spelt_one_letter_differently_is_the_same_name() -> None:
    inc = IncidentFeatures.start("inc-1", report("a1", D0, D0, {"jermaine": 0.707, "whitfield": 0.707}), [])
    exact = score(report("r1", D0 + 1, D0, {"jermaine": 0.707, "whitfield": 0.707}), inc)
    variant = score(report("r2", D0 + 1, D0, {"jermain": 0.707, "whitfeld": 0.707}), inc)
    assert abs(exact.score - variant.score) < 1e-3 and variant.term_sim > 0.99
    # short names and names two edits apart are other names; so is one that does not start alike
    apart = score(report("r3", D0 + 1, D0, {"jermyn": 0.707, "whitley": 0.707}), inc)
    assert apart.term_sim < 0.01
    off = score(report("r4", D0 + 1, D0, {"jermain": 0.707, "whitfeld": 0.707}), inc,
                WEIGHTS.__class__(fuzzy_name_len=0))
    assert off.term_sim < 0.01


def test_a_follow_up_dated_to_its_own_hearing_day_yields_the_date_to_fewer_names() -> None:
    inc = IncidentFeatures.start("inc-1", report("a1", D0, D0, _named(8)), [])
    # a court story published on its hearing day, four months on, naming three of the case's people
    hearing = score(report("f1", D0 + 120, D0 + 120, _named(3)), inc, follow_up=True)
    assert hearing.veto is None
    # the same names on a story that dates the event weeks before its own publication: a date, vetoed
    dated = score(report("f2", D0 + 150, D0 + 120, _named(3)), inc, follow_up=True)
    assert dated.veto is not None and dated.veto.startswith("dates")
    # an incident report's date is the shooting's, whatever day it is published
    as_report = score(report("r1", D0 + 120, D0 + 120, _named(3)), inc)
    assert as_report.veto is not None


def test_a_follow_up_that_writes_out_the_shootings_day_is_not_vetoed_on_its_hearings() -> None:
    from dataclasses import replace

    inc = IncidentFeatures.start("inc-1", report("a1", D0, D0, _named(8)), [])
    # a plea story 200 days on, dated to its hearing, sharing two names: vetoed on the date alone ...
    plea = report("f1", D0 + 200, D0 + 200, _named(2))
    assert (score(plea, inc, follow_up=True).veto or "").startswith("dates")
    # ... unless it writes out the day of the shooting ("in the June 29, 2014 shooting"); then that day counts
    naming = replace(plea, named_days=[D0 - 400, D0])
    v = score(naming, inc, follow_up=True)
    assert v.veto is None and v.score >= WEIGHTS.follow_threshold
    # an incident report's date is its own shooting's: a day it names in passing (an earlier shooting) is no link
    assert (score(naming, inc).veto or "").startswith("dates")


def test_an_incident_report_headlined_with_a_charge_is_dated_as_a_follow_up() -> None:
    from dataclasses import replace

    from worker.events.headlines import court_headline

    inc = IncidentFeatures.start("inc-1", report("a1", D0, D0, _named(8)), [])
    # "Dad charged after son accidentally shoots ...": the extractor takes it for a report, dated to the charge
    charged = replace(report("r1", D0 + 45, D0 + 45, _named(3)), named_days=[D0], court=True)
    v = score(charged, inc)
    assert v.veto is None and v.score >= WEIGHTS.threshold
    # the same story without the charge in its headline is a report of another shooting, 45 days on
    assert (score(replace(charged, court=False), inc).veto or "").startswith("dates")
    # switched off, the headline changes nothing
    off = score(charged, inc, WEIGHTS.__class__(court_as_follow_up=0))
    assert (off.veto or "").startswith("dates")
    # the features of such a story carry the flag and the days it writes out, even as an incident report
    from datetime import datetime

    from worker.incident_features import report_features
    from worker.models import Article, Event

    story = Article(id="c1", url="https://news.example/c1", published=datetime(2016, 1, 4, 9, 0),
                    title="Dad charged after son accidentally shoots, kills little brother",
                    text="A father was charged Monday in the Nov. 21 shooting death of his 5-year-old son.")
    feats = report_features(story, Event(article_id="c1", is_incident=True, event_type="shooting"),
                            with_named_days=False)
    assert feats.court and feats.named_days == [datetime(2015, 11, 21).toordinal()]
    assert court_headline("Dad charged after son accidentally shoots, kills little brother")
    assert court_headline("23-year-old man arraigned in Easter shooting of girl, 3")
    assert not court_headline("4 shot outside Courtland nightclub")  # a word, not a court
    assert not court_headline(None)


def test_named_days_are_the_dates_a_story_writes_out_up_to_its_publication() -> None:
    from datetime import date

    from worker.incident_features import named_days

    text = ("Trung Le was sentenced Monday for the June 29, 2014 shooting on Bourbon Street. He will be back in court "
            "on May 3. Police said last week and yesterday that nothing had changed.")
    assert named_days(text, date(2016, 4, 4)) == [date(2014, 6, 29).toordinal()]
    assert named_days(text, None) == []


def test_a_comment_widget_is_no_name_two_stories_share() -> None:
    from worker.incident_features import rare_terms

    widget = "Report as: Junk | Spam. Close. Whenever Nefeteria Brewster posts new content, you'll get an email."
    a = rare_terms("4 people shot in southeast Atlanta\n" + widget)
    b = rare_terms("Family of murdered teen lead peace walk in West Palm Beach\n" + widget)
    assert not {"junk", "spam", "close", "whenever"} & (set(a) | set(b))
    assert "nefeteria" in a  # the columnist's name stays: the outlet's page furniture filter learns that one
