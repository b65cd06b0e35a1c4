"""`newsworker replay` end to end, in process on real Redis: one output line per input line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run_cli

REPORT_A = ("MOGADISHU, Somalia — A car bomb exploded outside a hotel in Mogadishu on Saturday, killing at least "
            "eight people and wounding 15, police said.\n\nThe vehicle, packed with explosives, was driven into the "
            "hotel's outer gate as guests were arriving for lunch, police officer Ahmed Nur said.\n\n"
            "Al-Shabaab claimed responsibility for the bombing in a statement on its radio station.")
REPORT_B = ("At least eight people died when a car packed with explosives blew up at the gate of a hotel in the "
            "Somali capital, Mogadishu, on Saturday, officials said. Fifteen others were hurt.\n\nThe al-Shabaab "
            "militant group said it carried out the attack, which struck as the hotel was busy with lunchtime "
            "guests.\n\nSecurity forces sealed off the area and ambulances took the wounded to hospital.")
SPORT = ("The national team beat Kenya 3-1 in a friendly in Nairobi on Saturday, with two goals in the second half "
         "sealing the win.\n\nThe coach said the result was encouraging ahead of next month's qualifiers, in which "
         "the team will face two of the strongest sides on the continent.")


def _write_input(path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "url": "https://wire.example.com/somalia-blast", "title": "Car bomb kills 8 in Mogadishu",
                    "published": "2024-06-01T15:00:00Z", "text": REPORT_A}),
        json.dumps({"id": "b", "url": "https://daily.example.net/africa/mogadishu-hotel", "title": "Mogadishu hotel attack",
                    "published": "2024-06-01", "text": REPORT_B}),
        "{this is not json",
        json.dumps({"id": "c", "url": "https://daily.example.net/sport/friendly", "title": "Friendly win",
                    "published": "2024-06-02", "text": SPORT}),
        json.dumps({"id": "d", "url": "https://wire.example.com/somalia-blast", "title": "Car bomb kills 8 in Mogadishu",
                    "published": "2024-06-01T15:00:00Z", "text": REPORT_A}),
        json.dumps({"id": "e", "url": "https://x.example.org/page",
                    "html": "<html><body><p>Too short.</p></body></html>"}),
        # an archived feed entry: its page was never saved, the feed's own text of the story was
        json.dumps({"id": "f", "url": "https://third.example.org/world/mogadishu-bombing", "published": "2024-06-01",
                    "title": "Bombing at Mogadishu hotel kills eight",
                    "feed_text": "".join(f"<p>{p}</p>" for p in REPORT_B.split("\n\n"))}),
    ]
    path.write_text("\n".join(lines) + "\n")


def test_replay_writes_one_line_per_document(tmp_path: Path, settings, redis_client) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_input(src)
    proc = run_cli("replay", str(src), "--out", str(out), "--namespace", settings.namespace,
                   env={"REDIS_URL": settings.redis_url})
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "line-3", "c", "d", "e", "f"]
    by_id = {r["id"]: r for r in rows}
    assert set(rows[0]) >= {"id", "incident_id", "is_duplicate", "article", "event"}
    assert by_id["a"]["event"]["is_incident"] and by_id["a"]["incident_id"]
    assert by_id["b"]["incident_id"] == by_id["a"]["incident_id"], "two reports of one bombing are one incident"
    assert by_id["line-3"]["article"]["rejected"].startswith("bad_input: line 3")
    assert by_id["c"]["event"] is None and by_id["c"]["incident_id"] is None
    assert by_id["d"]["is_duplicate"] and by_id["d"]["incident_id"] == by_id["a"]["incident_id"]
    assert by_id["e"]["article"]["rejected"]
    assert by_id["f"]["article"]["from_feed"] and by_id["f"]["incident_id"] == by_id["a"]["incident_id"]
    assert "7 documents" in proc.stderr


def test_namespaces_isolate_replays(tmp_path: Path, settings, redis_client) -> None:
    src = tmp_path / "in.jsonl"
    _write_input(src)
    outs = []
    for ns in (settings.namespace + "-one", settings.namespace + "-two"):
        out = tmp_path / f"{ns}.jsonl"
        proc = run_cli("replay", str(src), "--out", str(out), "--namespace", ns, "--quiet",
                       env={"REDIS_URL": settings.redis_url})
        assert proc.returncode == 0, proc.stderr
        outs.append([json.loads(line) for line in out.read_text().splitlines()])
        for key in redis_client.scan_iter(match=f"{ns}:*"):
            redis_client.delete(key)
    # the second run saw none of the first run's state: "d" is a repeat of "a" in each, not of the other run
    for rows in outs:
        assert not rows[0]["is_duplicate"] and rows[4]["is_duplicate"] and rows[4]["duplicate_of"] == "a"


def test_parallel_replay_equals_sequential(tmp_path: Path, settings, redis_client) -> None:
    """Workers only clean and extract ahead; dedup and publishing stay in order, so output is identical."""
    src = tmp_path / "in.jsonl"
    _write_input(src)
    outputs = []
    for workers in ("1", "2"):
        ns = f"{settings.namespace}-w{workers}"
        out = tmp_path / f"out{workers}.jsonl"
        proc = run_cli("replay", str(src), "--out", str(out), "--namespace", ns, "--workers", workers,
                       env={"REDIS_URL": settings.redis_url})
        assert proc.returncode == 0, proc.stderr
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        for key in redis_client.scan_iter(match=f"{ns}:*"):
            redis_client.delete(key)
        ids = {r["incident_id"] for r in rows if r["incident_id"]}
        rename = {old: f"I{i}" for i, old in enumerate(sorted(ids, key=lambda x: [r["incident_id"] for r in rows].index(x)))}
        outputs.append([(r["id"], rename.get(r["incident_id"]), r["is_duplicate"], r["duplicate_of"],
                         r["article"]["text"], r["article"]["rejected"],
                         {k: v for k, v in (r["event"] or {}).items() if k != "incident_id"}) for r in rows])
    assert outputs[0] == outputs[1]
