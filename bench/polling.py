"""Polling benchmark: N feeds on a local server polled through real Celery workers.

    python bench/polling.py [--feeds 5000] [--changed 0.05] [--concurrency 8]

What runs: a local HTTP server serving N small RSS feeds (ETag + If-None-Match -> 304), a real
`celery worker` subprocess (this module is its app: the project's `tasks.app` with the
process_entry queue routed aside, so the benchmark can timestamp each new entry the moment
it enters the pipeline's queue instead of running spaCy on it), the registry in Redis, and
poll_due_feeds sent every second like beat would.

Rounds:
  1. cold: every feed answers 200 with 3 items (first poll of a new install);
  2. warm: a fraction of feeds (--changed) gains 2 new items at t0, the rest answer 304. Printed:
     feeds/s, and p50/p95 of (new entry enqueued for the pipeline) - (feed changed at t0).
Baseline in the same run: a plain sequential loop (one httpx client, conditional GET,
feedparser on 200s, no Redis/Celery) over the same server and the same change pattern.

Politeness is set off for the benchmark (every feed is on 127.0.0.1, where real deployments
have thousands of hosts): NEWSWORKER_HOST_MIN_DELAY=0, NEWSWORKER_HOST_MAX_IN_FLIGHT=10000.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PIPELINE_QUEUE_ENV = "NEWSWORKER_BENCH_PIPELINE_QUEUE"

# --- when imported by `celery -A bench.polling worker`: the project's app, process_entry routed aside
if os.environ.get(PIPELINE_QUEUE_ENV):
    from celery.signals import worker_process_init

    import tasks.app as _app_module
    from tasks.app import app  # noqa: F401 - celery -A finds it here

    app.conf.task_routes = {"newsworker.process_entry": {"queue": os.environ[PIPELINE_QUEUE_ENV]}}
    # Polling needs Redis + HTTP only: skip warming up spaCy and the pipeline in every child.
    worker_process_init.disconnect(_app_module._build_resources)

    @worker_process_init.connect
    def _light_init(**_: Any) -> None:
        _app_module._resources = None


# --- the benchmark ------------------------------------------------------------------------

def _feed_xml(index: int, version: int) -> bytes:
    items = []
    for v in range(version, max(-1, version - 5), -1):
        count = 3 if v == 0 else 2
        for k in range(count):
            guid = f"f{index}-v{v}-{k}"
            items.append(f"<item><guid isPermaLink=\"false\">{guid}</guid><title>Report {guid}</title>"
                         f"<link>https://site{index % 97}.example.org/story/{guid}?utm_source=rss</link>"
                         f"<description>Something happened ({guid}).</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {index}</title>'
            f"<link>https://site{index % 97}.example.org/</link>{''.join(items)}</channel></rss>").encode()


class FeedSite:
    """N feeds: /feed/<i>; ETag "<i>-<version>"; bumping a version adds 2 items."""

    def __init__(self, n: int) -> None:
        import http.server

        self.n = n
        self.version = [0] * n
        self.changed_at: dict[int, float] = {}
        self.served = 0
        self.served_200 = 0
        self._lock = threading.Lock()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 64 * 1024  # headers and body in one write: no Nagle/delayed-ACK stall per response

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                try:
                    index = int(self.path.rsplit("/", 1)[1])
                    version = site.version[index]
                except (ValueError, IndexError):
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"{index}-{version}"'
                with site._lock:
                    site.served += 1
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = _feed_xml(index, version)
                with site._lock:
                    site.served_200 += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 512

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.port}/feed/{index}"

    def change(self, indexes: list[int]) -> None:
        now = time.time()
        for i in indexes:
            self.version[i] += 1
            self.changed_at[i] = now

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class PipelineTap:
    """Pops process_entry messages off the routed-aside queue and timestamps each entry."""

    def __init__(self, client: Any, list_key: str) -> None:
        self.client = client
        self.list_key = list_key
        self.arrivals: dict[str, float] = {}
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            got = self.client.brpop([self.list_key], timeout=0.2)
            if not got:
                continue
            now = time.time()
            batch = [got[1]]
            while True:  # drain what is there without blocking
                more = self.client.rpop(self.list_key, 500)
                if not more:
                    break
                batch.extend(more)
            for raw in batch:
                message = json.loads(raw)
                body = json.loads(base64.b64decode(message["body"]))
                entry = body[0][0]
                self.arrivals.setdefault(entry["entry_key"], now)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def baseline_loop(site: FeedSite, etags: dict[int, str], indexes: list[int]) -> tuple[float, int, list[float]]:
    """Plain sequential conditional GET + feedparser over the feeds; returns (seconds, new entries, latencies)."""
    import io

    import feedparser
    import httpx

    seen: dict[int, set[str]] = {}
    latencies: list[float] = []
    started = time.time()
    new = 0
    with httpx.Client(timeout=10) as client:
        for i in indexes:
            headers = {"If-None-Match": etags[i]} if i in etags else {}
            response = client.get(site.url(i), headers=headers)
            if response.status_code == 304:
                continue
            etags[i] = response.headers.get("etag", "")
            parsed = feedparser.parse(io.BytesIO(response.content))
            known = seen.setdefault(i, set())
            for entry in parsed.entries:
                if entry.get("id") not in known:
                    known.add(entry.get("id"))
                    new += 1
                    if i in site.changed_at:
                        latencies.append(time.time() - site.changed_at[i])
    return time.time() - started, new, latencies


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from config.settings import load_settings
    from worker.feeds import FeedConfig, FeedRegistry
    from worker.keys import Keys
    from worker.redis_conn import connect, resolve_redis_url

    namespace = f"bench-polling-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "NEWSWORKER_NAMESPACE": namespace, "NEWSWORKER_ALLOW_PRIVATE_ADDRESSES": "1",
           "NEWSWORKER_HOST_MIN_DELAY": "0", "NEWSWORKER_HOST_MAX_IN_FLIGHT": "10000",
           "NEWSWORKER_POLL_MIN_INTERVAL": "60", "NEWSWORKER_LOG_JSON": "0"}
    settings = load_settings(env)
    redis_url = resolve_redis_url(settings)
    env["REDIS_URL"] = redis_url
    settings = settings.with_overrides(redis_url=redis_url)
    client = connect(redis_url)
    keys = Keys(settings.key_prefix)
    pipeline_queue = f"{namespace}.pipeline-tap"
    env[PIPELINE_QUEUE_ENV] = pipeline_queue
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")

    site = FeedSite(args.feeds)
    registry = FeedRegistry(client, keys, settings)
    registry.import_feeds([FeedConfig(url=site.url(i)) for i in range(args.feeds)])
    tap = PipelineTap(connect(redis_url), keys.celery_prefix + pipeline_queue)

    from tasks.app import create_app

    sender = create_app(settings)
    worker_cmd = [sys.executable, "-m", "celery", "-A", "bench.polling", "worker", "-Q", namespace,
                  "--concurrency", str(args.concurrency), "--pool", args.pool, "--loglevel", "WARNING",
                  "--without-mingle", "--without-gossip", "--without-heartbeat",
                  "--hostname", f"{namespace}@%h", "--prefetch-multiplier", "16"]
    print(f"bench: {args.feeds} feeds on 127.0.0.1:{site.port}, namespace {namespace}, Redis {redis_url}")
    print(f"bench: worker: celery -A bench.polling worker --pool {args.pool} --concurrency {args.concurrency}")
    worker = subprocess.Popen(worker_cmd, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL)
    results: dict[str, Any] = {}
    try:
        time.sleep(1.0)

        def polled_since(t0: float) -> int:
            pipe = client.pipeline(transaction=False)
            for i in range(args.feeds):
                pipe.hget(keys.feed_state(site.url(i)), "last_poll")
            return sum(1 for v in pipe.execute() if v and float(v) >= t0)

        def sweep(label: str, expected_requests: int, expected_entries: set[str]) -> float:
            """Make every feed due, tick poll_due_feeds each second until all are polled; seconds taken."""
            client.zadd(keys.feeds_due, {site.url(i): 0 for i in range(args.feeds)})
            start_served = site.served
            t0 = time.time()
            next_tick = 0.0
            deadline = t0 + args.timeout
            while time.time() < deadline:
                if time.time() >= next_tick:
                    sender.send_task("newsworker.poll_due_feeds", kwargs={"limit": args.feeds}, queue=namespace)
                    next_tick = time.time() + 1.0
                done_requests = site.served - start_served >= expected_requests
                if done_requests and expected_entries <= tap.arrivals.keys():
                    break
                if worker.poll() is not None:
                    raise SystemExit(f"bench: worker exited with {worker.returncode}")
                time.sleep(0.02)
            else:
                missing = len(expected_entries - tap.arrivals.keys())
                print(f"bench: {label}: timed out ({site.served - start_served}/{expected_requests} requests, "
                      f"{missing} entries missing)")
            # all requests answered; wait for the last polls to record their state (bounded)
            settle = time.time() + 10
            while time.time() < settle and polled_since(t0) < args.feeds:
                time.sleep(0.05)
            return time.time() - t0

        cold_entries = {f"f{i}-v0-{k}" for i in range(args.feeds) for k in range(3)}
        cold = sweep("cold", args.feeds, cold_entries)
        results["cold"] = cold
        print(f"round 1 (cold, every feed 200 + 3 new items): {args.feeds / cold:8.1f} feeds/s  ({cold:.1f}s, "
              f"{len(tap.arrivals)} entries enqueued)")

        n_changed = max(1, int(args.feeds * args.changed))
        step = max(1, args.feeds // n_changed)
        changed = list(range(0, args.feeds, step))[:n_changed]
        site.change(changed)
        warm_entries = {f"f{i}-v1-{k}" for i in changed for k in range(2)}
        warm = sweep("warm", args.feeds, warm_entries)
        latencies = [tap.arrivals[key] - site.changed_at[int(key[1:].split("-")[0])]
                     for key in warm_entries if key in tap.arrivals]
        extra = len(tap.arrivals) - len(cold_entries) - len(warm_entries)
        print(f"round 2 (warm, {len(changed)} feeds changed, rest 304): {args.feeds / warm:8.1f} feeds/s  "
              f"({warm:.1f}s); change -> entry in pipeline queue: p50 {_pct(latencies, .5):.2f}s "
              f"p95 {_pct(latencies, .95):.2f}s (n={len(latencies)}); re-listed entries handed on twice: {extra}")
        statuses = [s.last_status for _, s in registry.states()]
        print(f"  feed status after round 2: {statuses.count(304)} x 304, {statuses.count(200)} x 200, "
              f"{sum(1 for s in statuses if s not in (200, 304))} other")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        tap.stop()

    if not args.skip_baseline:
        # Same server, same change pattern: prime, then change the same fraction and sweep again.
        etags: dict[int, str] = {}
        indexes = list(range(args.feeds))
        cold_base, _, _ = baseline_loop(site, etags, indexes)
        site.changed_at.clear()
        site.change(changed)
        warm_base, new, base_lat = baseline_loop(site, etags, indexes)
        print(f"baseline (sequential loop: httpx + feedparser, no Redis/Celery): cold {args.feeds / cold_base:8.1f} "
              f"feeds/s, warm {args.feeds / warm_base:8.1f} feeds/s; change -> entry seen p50 "
              f"{_pct(base_lat, .5):.2f}s p95 {_pct(base_lat, .95):.2f}s")
        print(f"ratio (celery / baseline): cold {cold_base / results['cold']:.2f}x, warm {warm_base / warm:.2f}x")
    site.stop()
    for key in client.scan_iter(match=f"{settings.key_prefix}:*", count=2000):
        client.delete(key)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--changed", type=float, default=0.05, help="fraction of feeds with new items in round 2")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads", "solo"])
    parser.add_argument("--timeout", type=float, default=300.0, help="give up a round after this many seconds")
    parser.add_argument("--skip-baseline", action="store_true")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
