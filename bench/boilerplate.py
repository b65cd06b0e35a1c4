"""Boilerplate benchmark: plain `trafilatura.extract` (defaults) versus the article stage.

Runs both on the dev sets under ../shared/data/boilerplate/ and prints, side by side:
precision / recall / F1 over word 4-gram shingles of the body against the gold text, pages per
second (both measured in the same run, interleaved page by page with the order alternating, as
CPU time of this process so that other work on a shared machine does not bias either), for
L3S-GN1 the share of gold `comments` and `related` shingles that leaked into the
output, and how many gold sentences the second pass (worker.boilerplate) removed.

Scoring follows the article-extraction-benchmark's evaluate.py:
- tokens are the matches of the regex `\\w+` (Unicode word characters, case kept, everything
  else — punctuation, curly quotes, the `?` that L3S-GN1 has in place of curly quotes — splits);
- shingles are the multiset of consecutive 4-token tuples (a text of fewer than 4 tokens gives
  one shorter shingle; an empty text gives none);
- per page tp/fp/fn are normalised by their sum so long pages do not weigh more; precision is
  the mean over pages with output, recall the mean over pages with gold text, and F1 is the
  harmonic mean of those two means.
Leak = (gold comments/related shingles found in the output) / (gold comments/related shingles),
summed over the pages that have such gold text; shingles that also occur in the gold body are
not counted (the same words are legitimately there).

Both extractors get the same `str`: the page bytes decoded once by `trafilatura.utils.decode_file`.
The stage is run with `languages=None` and `min_words=0` so that a non-English or short page in
the benchmark is scored on its text instead of being rejected (rejection is a separate decision
with its own tests).

Usage: nice -n 10 python bench/boilerplate.py [--data DIR] [--limit N] [--sets aeb,l3s] [--settings]
(--settings compares trafilatura options inside the stage instead: how EXTRACT_OPTIONS was chosen.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "boilerplate"
TOKEN_RE = re.compile(r"\w+")
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class Page:
    """One benchmark page: decoded HTML and its gold texts."""

    id: str
    url: str
    html: str
    body: str
    comments: str = ""
    related: str = ""


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    if not toks:
        return Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))


def tp_fp_fn(gold: str, pred: str) -> tuple[float, float, float]:
    """Per-page normalised true positives, false positives, false negatives over shingles."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Mean precision, mean recall and F1 of the two, as the extraction benchmark computes them."""
    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return tp / (tp + fp) if tp + fp else 0.0

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return tp / (tp + fn) if tp + fn else 0.0

    ps = [precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [recall(*r) for r in rows if r[0] + r[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def leak(gold_body: str, junk: str, pred: str) -> tuple[int, int]:
    """(junk shingles found in the output, junk shingles) ignoring shingles that are also in the body."""
    j = shingles(junk) - shingles(gold_body)
    if not j:
        return 0, 0
    return sum((j & shingles(pred)).values()), sum(j.values())


def _decode(raw: bytes) -> str:
    from trafilatura.utils import decode_file

    return decode_file(raw)


def load_aeb(root: Path) -> Iterator[Page]:
    folder = root / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if path.exists():
            yield Page(key, truth[key].get("url", ""), _decode(gzip.decompress(path.read_bytes())),
                       truth[key].get("articleBody", ""))


def load_l3s(root: Path) -> Iterator[Page]:
    folder = root / "l3s-gn1"
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for row in sorted(rows, key=lambda r: r["id"]):
        path = folder / "html" / f"{row['id']}.html.gz"
        if path.exists():
            yield Page(row["id"], row.get("url", ""), _decode(gzip.decompress(path.read_bytes())),
                       row.get("fulltext", ""), row.get("comments", "") or "", row.get("related", "") or "")


def sentences(text: str) -> list[str]:
    """Gold sentences long enough to matter (>= 6 tokens), for the deleted-sentence count."""
    return [s for s in (x.strip() for x in SENT_SPLIT_RE.split(text or "")) if len(tokens(s)) >= 6]


def covered(sentence: str, text_shingles: Counter[tuple[str, ...]]) -> bool:
    """A sentence counts as present when at least half of its shingles are in the text."""
    sh = shingles(sentence)
    return bool(sh) and sum((sh & text_shingles).values()) >= 0.5 * sum(sh.values())


@dataclass
class Result:
    rows: list[tuple[float, float, float]] = field(default_factory=list)
    seconds: float = 0.0
    leaked: Counter[str] = field(default_factory=Counter)
    leak_total: Counter[str] = field(default_factory=Counter)
    outputs: dict[str, str] = field(default_factory=dict)


def plain_trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html) or ""


def make_stage(overrides: dict[str, object] | None = None) -> Callable[[Page], str]:
    """The article stage; `overrides` swaps trafilatura options (for the --settings comparison)."""
    import worker.article as article
    from worker.models import Document

    options = dict(article.EXTRACT_OPTIONS, **(overrides or {}))
    cache: dict[bool, object] = {}

    def run(page: Page) -> str:
        doc = Document(id=page.id, url=page.url or "http://example.invalid/", html=page.html)
        saved = article.EXTRACT_OPTIONS, article._EXTRACTORS
        article.EXTRACT_OPTIONS, article._EXTRACTORS = options, cache  # type: ignore[assignment]
        try:
            return article.clean_document(doc, languages=None, min_words=0).text
        finally:
            article.EXTRACT_OPTIONS, article._EXTRACTORS = saved

    return run


SETTINGS = {
    "stage as configured": {},
    "favor_precision": {"favor_precision": True},
    "favor_recall": {"favor_recall": True},
    "tables off": {"include_tables": False},
    "comments on": {"include_comments": True},
    "fast (no fallbacks)": {"fast": True},
}


def run_set(pages: Iterable[Page], systems: dict[str, Callable[[Page], str]]) -> tuple[dict[str, Result], list[Page]]:
    results = {name: Result() for name in systems}
    kept: list[Page] = []
    names = list(systems)
    for k, page in enumerate(pages):
        kept.append(page)
        # alternate which system runs first, so warm caches favour neither
        order = names if k % 2 == 0 else names[::-1]
        for name in order:
            fn = systems[name]
            t0 = time.process_time()
            out = fn(page)
            results[name].seconds += time.process_time() - t0
            res = results[name]
            res.outputs[page.id] = out
            res.rows.append(tp_fp_fn(page.body, out))
            for kind, junk in (("comments", page.comments), ("related", page.related)):
                found, total = leak(page.body, junk, out)
                res.leaked[kind] += found
                res.leak_total[kind] += total
    return results, kept


def deleted_sentences(pages: list[Page], limit_examples: int = 8) -> tuple[int, int, int, Counter[str], list[str]]:
    """Gold sentences that the extraction held before the second pass but not after it.

    Returns (removed, present before the second pass, gold sentences, removed per rule, examples).
    """
    from worker.article import extract_main
    from worker.boilerplate import clean_lines

    removed = present = total = 0
    by_rule: Counter[str] = Counter()
    examples: list[str] = []
    for page in pages:
        ex = extract_main(page.html, page.url)
        cleaned = clean_lines(ex.lines, title=ex.title, authors=ex.authors)
        sb, sa = shingles(ex.text), shingles(cleaned.text)
        for sent in sentences(page.body):
            total += 1
            if covered(sent, sb):
                present += 1
                if not covered(sent, sa):
                    removed += 1
                    sh = shingles(sent)
                    rule = max(cleaned.removed, key=lambda r: sum((shingles(r.line.text) & sh).values()),
                               default=None)
                    reason = rule.reason if rule is not None else "?"
                    by_rule[reason] += 1
                    if len(examples) < limit_examples:
                        examples.append(f"{page.id[:12]} [{reason}]: {sent[:100]}")
    return removed, present, total, by_rule, examples


def report(name: str, results: dict[str, Result], n: int, leaks: bool) -> None:
    print(f"\n== {name}: {n} pages ==")
    head = f"{'system':<24}{'precision':>10}{'recall':>9}{'F1':>8}{'pages/s':>9}"
    if leaks:
        head += f"{'comments leak':>15}{'related leak':>14}"
    print(head)
    for sys_name, res in results.items():
        p, r, f = prf(res.rows)
        line = f"{sys_name:<24}{p:>10.4f}{r:>9.4f}{f:>8.4f}{n / res.seconds if res.seconds else 0:>9.1f}"
        if leaks:
            cl = res.leaked["comments"] / res.leak_total["comments"] if res.leak_total["comments"] else 0.0
            rl = res.leaked["related"] / res.leak_total["related"] if res.leak_total["related"] else 0.0
            line += f"{cl:>15.4f}{rl:>14.4f}"
        print(line)
    names = list(results)
    if len(names) == 2 and results[names[0]].seconds:
        ratio = results[names[1]].seconds / results[names[0]].seconds
        print(f"time ratio {names[1]} / {names[0]}: {ratio:.3f} (target <= 1.25)")
    elif results[names[0]].seconds:
        print("time relative to the first row: " + ", ".join(
            f"{name} {res.seconds / results[names[0]].seconds:.2f}" for name, res in results.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the two benchmark sets")
    ap.add_argument("--limit", type=int, default=0, help="first N pages of each set only (0: all)")
    ap.add_argument("--sets", default="aeb,l3s", help="comma list: aeb, l3s")
    ap.add_argument("--no-sentences", action="store_true", help="skip the deleted-sentence count")
    ap.add_argument("--dump", type=Path, help="write every output as JSON here, for inspection")
    ap.add_argument("--settings", action="store_true",
                    help="compare trafilatura options inside the stage (precision/recall modes, tables, comments)")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"benchmark data not found: {args.data}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    systems = {"trafilatura (default)": plain_trafilatura, "article stage": make_stage()}
    if args.settings:
        systems = {name: make_stage(overrides) for name, overrides in SETTINGS.items()}
        args.no_sentences = True
    # Warm both up on a few real pages first, so one-time costs (imports, the language model,
    # jusText stop lists) are charged to neither.
    warm = list(load_aeb(args.data))[:8] if (args.data / "article-extraction-benchmark").exists() else []
    for page in warm:
        for fn in systems.values():
            fn(page)
    dump: dict[str, dict[str, dict[str, str]]] = {}
    loaders = {"aeb": ("article-extraction-benchmark (dev)", load_aeb, False),
               "l3s": ("L3S-GN1 (dev)", load_l3s, True)}
    for key in [s.strip() for s in args.sets.split(",") if s.strip()]:
        title, loader, leaks = loaders[key]
        pages = loader(args.data)
        if args.limit:
            pages = (p for i, p in enumerate(pages) if i < args.limit)
        results, kept = run_set(pages, systems)
        report(title, results, len(kept), leaks)
        if not args.no_sentences:
            removed, present, total, by_rule, examples = deleted_sentences(kept)
            print(f"second pass removed {removed} of {present} gold sentences that the extraction held "
                  f"({total} gold sentences of >= 6 tokens); by rule: "
                  + ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common()))
            for ex in examples:
                print(f"  removed: {ex}")
        if args.dump:
            dump[key] = {name: res.outputs for name, res in results.items()}
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
