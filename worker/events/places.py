"""Where the incident happened: gazetteer mentions in the text, scored by where and how they occur.

A mention in a sentence about the incident, after "in/near/outside/at", counts most; the headline next; the
dateline ("KABUL, Afghanistan (AP) --") and the rest of the article only as supporting evidence. Ambiguous
names are resolved toward the states and countries the article mentions, then toward the most populous.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from worker.events.gazetteer import Gazetteer, Place

_PREP = {"in", "near", "outside", "at", "of", "from", "into", "inside", "around", "across", "on", "to"}
_BAD = {"police", "man", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "god",
        "university", "hospital", "street", "county", "city", "road", "avenue", "center", "centre", "mr", "mrs", "ms",
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "president",
        "news", "the", "a", "an", "officer", "officers", "sheriff", "department", "office", "army", "march", "may",
        "june", "july", "april", "august", "january", "february", "september", "october", "november", "december",
        "christmas", "union", "independence", "liberty", "justice", "mission", "victoria", "providence", "gun",
        "deputy", "chief", "state", "national", "federal", "republic", "party", "front", "lieutenant", "colonel",
        "general", "senate", "congress", "house", "court", "school", "church", "park", "lake", "beach", "mount",
        "fort", "port", "bay", "hill", "valley", "green", "white", "black", "brown", "young", "king", "queen",
        "police department", "ap", "cnn", "nbc", "abc", "fox", "reuters"}
_KIND_RANK = {"town": 4, "admin2": 3, "admin1": 2, "country": 1}


@dataclass
class PlaceMention:
    """A gazetteer hit in the text."""

    start: int
    end: int
    text: str
    candidates: list[Place]
    weight: float
    in_dateline: bool = False


@dataclass
class Resolved:
    """The chosen place with its support."""

    place: Place
    start: int
    end: int
    score: float
    state_hint: str | None


def find_mentions(doc: Doc, sents: list[Span], gaz: Gazetteer, incident_sents: set[int], body_start: int,
                  dateline_end: int) -> list[PlaceMention]:
    """Every gazetteer name in capitalised token runs, weighted by its context."""
    out: list[PlaceMention] = []
    toks = list(doc)
    n = len(toks)
    i = 0
    sent_index = {}
    for si, s in enumerate(sents):
        for t in s:
            sent_index[t.i] = si
    while i < n:
        t = toks[i]
        if not (t.text[:1].isupper() and t.is_alpha or t.text in ("St.", "Ft.", "Mt.")):
            i += 1
            continue
        hit = None
        for L in range(min(5, n - i), 0, -1):
            span = doc[i:i + L]
            if not span[-1].text[:1].isupper() and not span[-1].text.endswith("."):
                continue
            key = span.text
            if key.lower() in _BAD:
                continue
            cands = gaz.lookup(key)
            if not cands:
                continue
            if all(tok.ent_type_ == "PERSON" for tok in span):
                continue
            if L == 1 and t.is_sent_start and t.pos_ != "PROPN" and t.ent_type_ not in ("GPE", "LOC"):
                continue
            if L == 1 and t.pos_ not in ("PROPN",) and t.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "NORP"):
                continue
            hit = (L, span, cands)
            break
        if hit is None:
            i += 1
            continue
        L, span, cands = hit
        w = 1.0
        si = sent_index.get(i, -1)
        in_dateline = body_start <= span.start_char < dateline_end
        if si in incident_sents and not in_dateline:
            w += 2.0
        prev = toks[i - 1].lower_ if i > 0 else ""
        if prev in _PREP:
            w += 1.0
        if span.start_char < body_start:
            w += 2.0  # headline
        elif span.start_char < dateline_end:
            w += 1.5  # dateline: evidence, not the answer
        if span[0].ent_type_ in ("GPE", "LOC", "FAC"):
            w += 0.5
        if span[0].ent_type_ in ("ORG",):
            w -= 0.5
        out.append(PlaceMention(span.start_char, span.end_char, span.text, cands, w, in_dateline))
        i += L
    return out


_STATE_AFTER = re.compile(r"^\s*,\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")


def resolve(text: str, mentions: list[PlaceMention], gaz: Gazetteer) -> Resolved | None:
    """Pick the incident place: best-supported mention, disambiguated by the article's states/countries."""
    if not mentions:
        return None
    states: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for m in mentions:
        for c in m.candidates:
            if c.kind == "admin1":
                states[c.admin1 or ""] += m.weight
                countries[c.country] += m.weight * 0.5
            elif c.kind == "country":
                countries[c.country] += m.weight
        towns = [c for c in m.candidates if c.kind == "town"]
        if towns and len({(c.country) for c in towns[:3]}) == 1 and towns[0].population > 100_000:
            countries[towns[0].country] += m.weight * 0.3
    best: Resolved | None = None
    for m in mentions:
        # "Puyallup, Wash." binds the town to the state that follows it.
        after = _STATE_AFTER.match(text[m.end:m.end + 30])
        bound_state = None
        if after:
            for c in gaz.lookup(after.group(1)) or gaz.lookup(after.group(1).split()[0]):
                if c.kind in ("admin1", "country"):
                    bound_state = c
                    break
        pick = _choose(m.candidates, states, countries, bound_state)
        if pick is None:
            continue
        spec = _KIND_RANK[pick.kind]
        score = m.weight + 0.6 * spec + (1.5 if bound_state and not m.in_dateline else 0.0)
        if pick.kind == "town" and pick.population < 5000 and not bound_state and not (
                pick.admin1 and states.get(pick.admin1)):
            score -= 1.5  # small namesakes of common words need corroboration
        if best is None or score > best.score:
            best = Resolved(pick, m.start, m.end, score, bound_state.admin1 if bound_state else None)
    return best


def _choose(cands: list[Place], states: Counter[str], countries: Counter[str], bound: Place | None) -> Place | None:
    if bound is not None:
        inside = [c for c in cands if c.kind in ("town", "admin2") and (
            bound.kind == "admin1" and c.admin1 == bound.admin1 or bound.kind == "country" and c.country == bound.country)]
        if inside:
            return max(inside, key=lambda c: c.population)
    ranked = []
    for c in cands:
        s = 0.0
        if c.kind == "country":
            s = 5.0
        elif c.kind == "admin1":
            s = 4.0
        else:
            if c.admin1 and states.get(c.admin1):
                s += 3.0 + min(states[c.admin1], 5) * 0.2
            if countries.get(c.country):
                s += 2.0 + min(countries[c.country], 5) * 0.1
            s += min(c.population, 5_000_000) ** 0.25 / 10.0
        ranked.append((s, c.population, c))
    if not ranked:
        return None
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return ranked[0][2]
