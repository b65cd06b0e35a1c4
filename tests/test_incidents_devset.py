"""A slice of the gun-violence dev set through dedup + assignment (skipped when ../shared/data is absent).

Bare events (no spaCy) keep it fast: this guards the text side of the matching against
regressions; bench/dedup.py measures the whole pipeline.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timezone

from tests.conftest import shared_data
from worker.dedup import Deduplicator
from worker.incidents import IncidentStore
from worker.models import Article, Event


def _bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    def clusters(assign: dict[str, str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k, v in assign.items():
            out.setdefault(v, set()).add(k)
        return out
    pc, gc = clusters(pred), clusters(gold)
    p = sum(len(pc[pred[k]] & gc[gold[k]]) / len(pc[pred[k]]) for k in gold) / len(gold)
    r = sum(len(pc[pred[k]] & gc[gold[k]]) / len(gc[gold[k]]) for k in gold) / len(gold)
    return p, r


def test_first_days_of_the_dev_set_cluster_precisely(redis_client, keys, settings) -> None:
    path = shared_data("incidents", "gun-violence", "documents.jsonl")
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    docs.sort(key=lambda d: (d["dct"], d["doc_id"]))
    docs = docs[:250]
    dedup, store = Deduplicator(redis_client, keys, settings), IncidentStore(redis_client, keys, settings)
    pred = {}
    for d in docs:
        published = datetime.combine(date.fromisoformat(d["dct"]), time(12), tzinfo=timezone.utc)
        art = Article(id=d["doc_id"], url=d["uri"], title=d["title"], text=d["content"], published=published)
        dedup.near_duplicate(art)
        pred[d["doc_id"]] = store.assign(art, Event(article_id=d["doc_id"], is_incident=True)).incident.incident_id
    pred = {k: store.incident_of(k) or v for k, v in pred.items()}
    gold = {d["doc_id"]: d["incident_id"] for d in docs}
    precision, recall = _bcubed(pred, gold)
    _, singleton_recall = _bcubed({k: k for k in gold}, gold)
    assert precision >= 0.95
    assert recall >= singleton_recall + 0.1
