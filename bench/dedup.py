"""Incident deduplication on the gun-violence dev set: B-cubed and pairwise P/R/F1 against gold incidents.

    python bench/dedup.py                      # replay through `newsworker replay` (the production path)
    python bench/dedup.py --mode direct        # call Deduplicator + IncidentStore in-process (fast tuning)
         [--events extractor|none] [--split all|tune|check] [--sample 0.3] [--data PATH]
         [--explain]                           # ... and why each split article is split

Documents are processed in date order (dct, then id) in a fresh namespace that is deleted
afterwards. Two baselines are computed in the same run on the same documents: every article
its own incident, and TF-IDF cosine clustering (single link to the most similar earlier
article within 7 days, above a threshold; the best threshold of a sweep is shown, which
flatters the baseline). Documents that produce no incident count as their own singleton.
`--split tune|check` halves the incidents by a hash of their id: weights were tuned on
`tune`; `check` shows whether they generalise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
DEFAULT_DATA = DATA / "incidents" / "gun-violence" / "documents.jsonl"
OUT = ROOT / "bench" / "out"

Pred = dict[str, str]


# -- data ---------------------------------------------------------------------------------
def load_docs(path: Path, split: str = "all", sample: float = 1.0) -> list[dict[str, Any]]:
    """Gold documents in processing order, optionally one hash-half (by incident) or a sample of incidents."""
    docs = [_normalise(json.loads(line)) for line in path.open(encoding="utf-8") if line.strip()]
    out = []
    for d in docs:
        h = int(hashlib.sha1(str(d["incident_id"]).encode()).hexdigest(), 16)
        if split == "tune" and h % 2 != 0 or split == "check" and h % 2 != 1:
            continue
        if sample < 1.0 and (h // 2) % 1000 >= sample * 1000:
            continue
        out.append(d)
    out.sort(key=lambda d: (d.get("dct") or "", d["doc_id"]))
    return out


def _normalise(d: dict[str, Any]) -> dict[str, Any]:
    """ECB+ lines ({doc_id, cluster, text}) in the gun-violence shape ({doc_id, incident_id, dct, uri, content})."""
    if "incident_id" not in d and "cluster" in d:
        return {"doc_id": d["doc_id"], "incident_id": d["cluster"], "title": None, "dct": None,
                "uri": f"https://ecbplus.example/{d['doc_id']}", "content": d.get("text") or ""}
    return d


# -- metrics ------------------------------------------------------------------------------
def bcubed(pred: Pred, gold: Pred) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 (per-item averages)."""
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for k in gold:
        pc[pred[k]].add(k)
        gc[gold[k]].add(k)
    p = r = 0.0
    for k in gold:
        a, b = pc[pred[k]], gc[gold[k]]
        inter = len(a & b)
        p += inter / len(a)
        r += inter / len(b)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: Pred, gold: Pred) -> tuple[float, float, float]:
    """Precision, recall, F1 over pairs of items put in one cluster."""
    def pairs(assign: Pred) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for k, v in assign.items():
            groups[v].append(k)
        out = set()
        for members in groups.values():
            members.sort()
            out.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
        return out
    pp, gp = pairs({k: pred[k] for k in gold}), pairs(gold)
    tp = len(pp & gp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- baselines ----------------------------------------------------------------------------
def singletons(docs: list[dict[str, Any]]) -> Pred:
    return {d["doc_id"]: d["doc_id"] for d in docs}


_TOKEN = re.compile(r"[a-z][a-z'\-]+")


def tfidf_clusters(docs: list[dict[str, Any]], threshold: float, window_days: int = 7) -> Pred:
    """Online single-link clustering on TF-IDF cosine within a date window (the text-only baseline)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    bags = []
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        bag: dict[str, int] = defaultdict(int)
        for t in _TOKEN.findall(f"{d.get('title') or ''} {d.get('content') or ''}".lower()):
            if t not in STOP_WORDS:
                bag[t] += 1
        bags.append(bag)
        for t in bag:
            df[t] += 1
    n = len(docs)
    vecs = []
    for bag in bags:
        v = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    days = [date.fromisoformat(d["dct"]).toordinal() if d.get("dct") else 0 for d in docs]
    pred: Pred = {}
    start = 0
    for i, d in enumerate(docs):
        while days[start] < days[i] - window_days:
            start += 1
        best, best_j = threshold, -1
        vi = vecs[i]
        for j in range(start, i):
            vj = vecs[j]
            small, large = (vi, vj) if len(vi) < len(vj) else (vj, vi)
            sim = sum(x * large.get(t, 0.0) for t, x in small.items())
            if sim >= best:
                best, best_j = sim, j
        pred[d["doc_id"]] = pred[docs[best_j]["doc_id"]] if best_j >= 0 else d["doc_id"]
    return pred


# -- systems ------------------------------------------------------------------------------
def _settings(namespace: str) -> Any:
    from config.settings import load_settings

    return load_settings().with_overrides(namespace=namespace)


def _drop_namespace(settings: Any) -> None:
    from worker.redis_conn import connect, delete_namespace, resolve_redis_url

    delete_namespace(connect(resolve_redis_url(settings)), settings.key_prefix)


def _published(d: dict[str, Any]) -> datetime | None:
    if not d.get("dct"):
        return None
    return datetime.combine(date.fromisoformat(d["dct"]), dtime(12, 0), tzinfo=timezone.utc)


def _cache_key(d: dict[str, Any]) -> str:
    text = d.get("content") or ""
    return hashlib.sha1(f"{d['doc_id']}\n{d.get('title')}\n{d.get('dct')}\n{text}".encode()).hexdigest()


def _cached_keys() -> set[str]:
    path = OUT / "dedup-events.jsonl"
    if not path.exists():
        return set()
    return {json.loads(line)["key"] for line in path.open(encoding="utf-8") if line.strip()}


def _events(docs: list[dict[str, Any]], source: str, settings: Any) -> dict[str, Any]:
    """Event per document: from the extractor (cached in bench/out), or a bare incident event."""
    from worker.models import Article, Event

    if source == "none":
        return {d["doc_id"]: Event(article_id=d["doc_id"], is_incident=True, event_type="shooting") for d in docs}
    cache_path = OUT / "dedup-events.jsonl"
    cache: dict[str, Any] = {}
    if cache_path.exists():
        for line in cache_path.open(encoding="utf-8"):
            row = json.loads(line)
            cache[row["key"]] = Event.model_validate(row["event"])
    res = None
    out: dict[str, Any] = {}
    OUT.mkdir(parents=True, exist_ok=True)
    with cache_path.open("a", encoding="utf-8") as handle:
        for d in docs:
            text = d.get("content") or ""
            key = _cache_key(d)
            if key not in cache:
                from worker.resources import build_resources

                res = res or build_resources(settings)
                art = Article(id=d["doc_id"], url=d["uri"], title=d.get("title"), text=text, published=_published(d))
                cache[key] = res.extractor.extract(art)
                handle.write(json.dumps({"key": key, "event": cache[key].model_dump(mode="json")}) + "\n")
            out[d["doc_id"]] = cache[key]
    return out


def run_direct(docs: list[dict[str, Any]], events: str, weights: Any = None,
               assign_all: bool = False, trace: dict[str, Any] | None = None) -> tuple[Pred, float]:
    """Near-duplicate check + incident assignment called in-process, as the pipeline calls them.

    `trace`, when given, receives each article's features as the store scored them (its outlet's
    page furniture removed, as it stood when the article was assigned), for `explain`."""
    from worker.dedup import Deduplicator
    from worker.incidents import IncidentStore
    from worker.keys import Keys
    from worker.models import Article
    from worker.redis_conn import connect, resolve_redis_url

    settings = _settings(f"bench-dedup-{uuid.uuid4().hex[:8]}")
    evs = _events(docs, events, settings)
    client = connect(resolve_redis_url(settings))
    keys = Keys(settings.key_prefix)
    dedup = Deduplicator(client, keys, settings)
    store = IncidentStore(client, keys, settings, **({"weights": weights} if weights else {}))
    store.trace = trace
    pred: Pred = {}
    started = time.perf_counter()
    try:
        for d in docs:
            art = Article(id=d["doc_id"], url=d["uri"], canonical_url=d["uri"], title=d.get("title"),
                          text=d.get("content") or "", published=_published(d))
            dedup.near_duplicate(art)
            ev = evs[d["doc_id"]]
            if ev.is_incident or assign_all:
                pred[d["doc_id"]] = store.assign(art, ev).incident.incident_id
            else:  # as the pipeline does: a follow-up may join an incident (start one only when fresh news)
                joined = store.attach(art, ev)
                pred[d["doc_id"]] = joined.incident.incident_id if joined else "single:" + d["doc_id"]
        # merges and adopted follow-ups re-point earlier articles: read every article's final incident
        for doc_id, iid in list(pred.items()):
            pred[doc_id] = store.incident_of(doc_id) or iid
    finally:
        _drop_namespace(settings)
    return pred, time.perf_counter() - started


def run_replay(docs: list[dict[str, Any]]) -> tuple[Pred, Pred, float]:
    """The production path: `newsworker replay` over the documents in a fresh namespace.

    Returns the incidents as the replay output first gave them, and as they finally stand: a
    later merge re-points earlier articles (`incident.merged`), and a follow-up story that came
    before the report it follows is adopted by that incident when it appears (the survivor's
    `incident.updated` lists it as a source); both are read back from the store, as any
    consumer of the stream would learn them, before the namespace is deleted.
    """
    namespace = f"bench-dedup-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="nw-dedup-") as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as handle:
            for d in docs:
                handle.write(json.dumps({"id": d["doc_id"], "url": d["uri"], "title": d.get("title"),
                                         "published": d.get("dct"), "text": d.get("content") or ""}) + "\n")
        exe = Path(sys.executable).with_name("newsworker")
        cmd = [str(exe) if exe.exists() else "newsworker", "replay", str(src), "--out", str(out),
               "--namespace", namespace]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        try:
            if proc.returncode != 0:
                raise SystemExit(f"newsworker replay failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
            pred: Pred = {}
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / "dedup-replay.out.jsonl").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
            for line in out.open(encoding="utf-8"):
                row = json.loads(line)
                pred[row["id"]] = row.get("incident_id") or "single:" + row["id"]
            final = _final_incidents(namespace, pred)
        finally:
            _drop_namespace(_settings(namespace))
    missing = [d["doc_id"] for d in docs if d["doc_id"] not in pred]
    for doc_id in missing:
        pred[doc_id] = final[doc_id] = "single:" + doc_id
    return pred, final, elapsed


def _final_incidents(namespace: str, pred: Pred) -> Pred:
    from worker.incidents import IncidentStore
    from worker.keys import Keys
    from worker.redis_conn import connect, resolve_redis_url

    settings = _settings(namespace)
    store = IncidentStore(connect(resolve_redis_url(settings)), Keys(settings.key_prefix), settings)
    return {doc_id: store.incident_of(doc_id) or iid for doc_id, iid in pred.items()}


# -- error analysis ---------------------------------------------------------------------
def explain(docs: list[dict[str, Any]], pred: Pred, gold: Pred, events: str,
            assigned: dict[str, Any] | None = None) -> None:
    """Why articles are split from their gold incident, one reason per article (direct mode).

    The main group of a gold incident is the predicted incident holding most of its incident
    reports. Every other article of it is classed by the best outcome of scoring it alone
    against each of those incident reports alone (as a one-report incident, no window counts):
    `ok` (it would join one: lost to the incident as a whole, the local name counts or the
    candidate caps; `ok, in another incident` when it sits in a second predicted incident, e.g.
    follow-ups grouped apart that no merge joined, else `ok, alone`), `below` (score under the
    threshold, names agree somewhat), `below-sim` (names and words too different), `veto-place`, `veto-date`, `veto-type`, `no-block` (no
    town, map cell or rare name in common: never a candidate). Articles of gold incidents
    without any incident report (only follow-ups, which start an incident only when they are
    fresh news: `is_fresh_report`) are counted apart, with the recall they cap.

    `assigned` holds the features each article was scored with in the run (`run_direct`'s trace:
    page furniture of its outlet removed, as assignment removed it); an article missing from it
    is featured afresh, unfiltered.
    """
    from worker.incident_features import IncidentFeatures, report_features
    from worker.incident_score import WEIGHTS, score
    from worker.incidents import report_blocks
    from worker.models import Article

    evs = _events(docs, events, _settings("explain"))
    order = {d["doc_id"]: i for i, d in enumerate(docs)}
    assigned = assigned or {}
    feats = {d["doc_id"]: assigned.get(d["doc_id"]) or report_features(
        Article(id=d["doc_id"], url=d["uri"], canonical_url=d["uri"], title=d.get("title"),
                text=d.get("content") or "", published=_published(d)), evs[d["doc_id"]]) for d in docs}
    reports = {k: evs[k].is_incident for k in gold}
    members: dict[str, list[str]] = defaultdict(list)
    for k, g in gold.items():
        members[g].append(k)
    sizes: dict[str, int] = defaultdict(int)
    for k in gold:
        sizes[pred[k]] += 1
    ranks = ["ok", "below", "below-sim", "veto-place", "veto-date", "veto-type", "no-block"]
    counts: dict[str, int] = defaultdict(int)
    ceiling: Pred = {}
    for g, ks in members.items():
        incs = [k for k in ks if reports[k]]
        for k in ks:
            ceiling[k] = g if incs else "single:" + k
        if len(ks) < 2:
            continue
        if not incs:
            # told by follow-ups only: those outside the largest predicted group of them are split
            top = max(sorted({pred[k] for k in ks}), key=lambda c: sum(pred[k] == c for k in ks))
            held = sum(pred[k] == top for k in ks)
            counts["follow-up only incident, split"] += len(ks) - (held if held > 1 else 0)
            counts["follow-up only incident, together"] += held if held > 1 else 0
            continue
        main = max(sorted({pred[k] for k in incs}), key=lambda c: sum(pred[k] == c for k in incs))
        for k in ks:
            if pred[k] == main:
                continue
            r, best = feats[k], "no-block"
            for other in incs:
                if other == k:
                    continue
                o = feats[other]
                f = IncidentFeatures.start("x", o, report_blocks(o)[1])
                before = order[k] < order[other]
                v = score(r, f, WEIGHTS, {}, follow_up=not reports[k],
                          late=abs(r.day - o.day) > 30)
                threshold = (WEIGHTS.threshold if reports[k] else
                             WEIGHTS.adopt_threshold if before else WEIGHTS.follow_threshold)
                if not set(report_blocks(r)[0]) & set(f.blocks):
                    why = "no-block"
                elif v.veto:
                    why = ("veto-date" if v.veto.startswith("dates") else
                           "veto-type" if v.veto.startswith("incompatible") else "veto-place")
                elif v.score >= threshold:
                    why = "ok"
                else:
                    why = "below-sim" if v.term_sim < (WEIGHTS.min_term_sim if reports[k] else
                                                       WEIGHTS.follow_min_term_sim) else "below"
                best = min(best, why, key=ranks.index)
            if best == "ok":  # held in a second incident of its own (e.g. follow-ups grouped), or left alone
                best += ", in another incident" if sizes[pred[k]] > 1 else ", alone"
            counts[("incident report " if reports[k] else "follow-up ") + best] += 1
    print(f"split articles by reason (of {len(gold)}):")
    for why, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {why}")
    bp, br, bf = bcubed(ceiling, gold)
    print(f"  ceiling if incidents told only by follow-ups stay apart: B3 P {bp:.3f} R {br:.3f} F1 {bf:.3f}")


# -- report -------------------------------------------------------------------------------
def report(name: str, pred: Pred, gold: Pred, extra: str = "") -> None:
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    n = len({pred[k] for k in gold})
    print(f"{name:<34} {bp:6.3f} {br:6.3f} {bf:6.3f}   {pp:6.3f} {pr:6.3f} {pf:6.3f}  {n:6d}  {extra}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--mode", choices=["replay", "direct"], default="replay")
    parser.add_argument("--events", choices=["extractor", "none"], default="extractor",
                        help="direct mode: events from worker.events (cached) or bare incident events")
    parser.add_argument("--split", choices=["all", "tune", "check"], default="all")
    parser.add_argument("--sample", type=float, default=1.0, help="share of incidents used (0-1]")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--assign-all", action="store_true",
                        help="direct mode diagnostic: assign every article, even when the extractor says no incident")
    parser.add_argument("--explain", action="store_true",
                        help="direct mode: after the run, why each split article is split (see explain())")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents (after filtering)")
    parser.add_argument("--cached-only", action="store_true",
                        help="direct mode: only documents whose extracted events are already cached (tuning)")
    parser.add_argument("--weights", action="append", default=[],
                        help="direct mode: override score weights, e.g. --weights threshold=0.3 (repeatable; "
                             "several values separated by '/' sweep them)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"bench/dedup: no such file: {args.data}", file=sys.stderr)
        return 1
    docs = load_docs(args.data, args.split, args.sample)
    if args.cached_only:
        cached = _cached_keys()
        docs = [d for d in docs if _cache_key(d) in cached]
    if args.limit:
        docs = docs[:args.limit]
    gold = {d["doc_id"]: str(d["incident_id"]) for d in docs}
    print(f"{len(docs)} documents, {len(set(gold.values()))} gold incidents ({args.data.name}, split {args.split}, "
          f"sample {args.sample})")
    print(f"{'system':<34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}   {'pw P':>6} {'pw R':>6} {'pw F1':>6}  "
          f"{'groups':>6}")
    if not args.no_baselines:
        report("baseline: all singletons", singletons(docs), gold)
        best: tuple[float, float, Pred] | None = None
        for th in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            p = tfidf_clusters(docs, th)
            f = bcubed(p, gold)[2]
            if best is None or f > best[0]:
                best = (f, th, p)
        assert best is not None
        report("baseline: TF-IDF cosine, 7 days", best[2], gold, f"(best threshold {best[1]})")
    if args.mode == "replay":
        first, pred, elapsed = run_replay(docs)
        report("newsworker replay, as first output", first, gold)
        report("newsworker replay", pred, gold, f"({elapsed:.0f} s, {len(docs) / elapsed:.1f} docs/s; final "
                                                "incidents after merges and adopted follow-ups)")
    else:
        from dataclasses import replace

        from worker.incident_score import WEIGHTS

        grid: list[dict[str, float]] = [{}]
        for item in args.weights:
            name, _, values = item.partition("=")
            grid = [{**g, name: float(v)} for g in grid for v in values.split("/")]
        for overrides in grid:
            weights = replace(WEIGHTS, **overrides)
            trace: dict[str, Any] | None = {} if args.explain else None
            pred, elapsed = run_direct(docs, args.events, weights, args.assign_all, trace)
            label = " ".join(f"{k}={v:g}" for k, v in overrides.items())
            report(f"direct (events: {args.events})", pred, gold, f"({elapsed:.1f} s) {label}")
            if args.explain:
                explain(docs, pred, gold, args.events, trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
