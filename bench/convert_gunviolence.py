"""Convert the gun-violence corpus to `newsworker replay` input, in date order.

    python bench/convert_gunviolence.py [--src ../shared/data/incidents/gun-violence/documents.jsonl]
                                        [--out bench/out/gunviolence.replay.jsonl]

Input lines: {doc_id, incident_id, title, dct, uri, content}.
Output lines: {id, url, title, published, text} sorted by (published, id); the gold
incident id is deliberately left out so that nothing downstream can peek at it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_SRC = DATA / "incidents" / "gun-violence" / "documents.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parent / "out" / "gunviolence.replay.jsonl"


def convert(src: Path, out: Path) -> int:
    """Write the replay input file; return the number of documents written."""
    docs = [json.loads(line) for line in src.open(encoding="utf-8") if line.strip()]
    docs.sort(key=lambda d: (d.get("dct") or "", d["doc_id"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for d in docs:
            record = {"id": d["doc_id"], "url": d["uri"], "title": d.get("title") or None,
                      "published": d.get("dct") or None, "text": d.get("content") or ""}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.src.is_file():
        print(f"convert_gunviolence: no such file: {args.src}", file=sys.stderr)
        return 1
    n = convert(args.src, args.out)
    print(f"wrote {n} documents to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
