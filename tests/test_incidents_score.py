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
