"""`newsworker demo`: the bundled sample site through the real pipeline on a real Celery worker.

1. Render the invented sample site (tasks/demo_site) and serve it on a loopback port.
2. Start a Celery worker subprocess on the same Redis (embedded unless REDIS_URL is set),
   in its own namespace, with loopback fetching allowed for this run only.
3. Register the sample feeds and enqueue a poll of each: the worker polls, fetches every
   article page (one is closed to crawlers by robots.txt and is read from its feed entry's
   full text instead), cleans it, extracts the event, deduplicates and publishes incidents.
4. Print each incident message as it arrives on the stream; exit when every sample article
   has been processed (or fail with one line after --timeout seconds).
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources as pkg_resources
from pathlib import Path
from typing import Any

from config.settings import Settings
from worker.errors import TransientError

DEMO_NAMESPACE = "newsworker-demo"


@dataclass(frozen=True)
class SamplePage:
    outlet: str
    slug: str
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]
    members_only: bool = False  # robots.txt keeps crawlers out: the story is read from the feed's full text


def load_site(now: datetime) -> tuple[dict[str, str], list[SamplePage]]:
    """Outlet names and article pages of the bundled sample site."""
    root = pkg_resources.files("tasks.demo_site")
    outlets = dict(line.split(": ", 1) for line in root.joinpath("outlets.txt").read_text().splitlines() if line)
    pages = []
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".txt") or item.name in {"outlets.txt", "README.txt"}:
            continue
        head, _, body = item.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        pages.append(SamplePage(outlet=meta["outlet"], slug=meta["slug"], title=meta["title"], author=meta["author"],
                                published=now - timedelta(hours=float(meta["hours_ago"])),
                                paragraphs=tuple(p.strip() for p in body.split("\n\n") if p.strip()),
                                members_only=meta.get("robots") == "disallow"))
    return outlets, pages


def render_page(page: SamplePage, site: str, related: list[SamplePage]) -> str:
    """An article page with the chrome real news sites wrap around a story."""
    esc = html.escape
    body = "\n".join(f"<p>{esc(p)}</p>" for p in page.paragraphs)
    links = "\n".join(f'<li><a href="/{r.outlet}/{r.slug}.html">{esc(r.title)}</a></li>' for r in related)
    iso = page.published.isoformat()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(page.title)} | {esc(site)}</title>
<meta property="og:title" content="{esc(page.title)}"><meta property="og:site_name" content="{esc(site)}">
<meta name="author" content="{esc(page.author)}"><meta property="article:published_time" content="{iso}">
<link rel="canonical" href="/{page.outlet}/{page.slug}.html"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe</a></nav><div class="cookie">We use cookies to improve your experience.
<button>Accept all cookies</button></div></header>
<main><article><h1>{esc(page.title)}</h1><p class="byline">By {esc(page.author)} | {page.published:%d %B %Y %H:%M} UTC</p>
<div class="share">Share on Facebook | Share on X | Email this story</div>
<div class="article-body">{body}</div>
<aside class="newsletter">Sign up for our morning briefing: the day's top stories in your inbox.</aside>
</article>
<section class="related"><h2>Read more</h2><ul>{links}</ul></section>
<section class="comments"><h2>Comments</h2><p>Be the first to comment. Log in to join the conversation.</p></section>
</main><footer><p>&copy; {page.published:%Y} {esc(site)}. All rights reserved.</p><a href="#top">Back to top</a>
</footer></body></html>"""


def render_feed(outlet: str, site: str, pages: list[SamplePage], base: str) -> str:
    esc = html.escape
    items = "\n".join(
        f"<item><title>{esc(p.title)}</title><link>{base}/{p.outlet}/{p.slug}.html?utm_source=rss</link>"
        f"<guid isPermaLink=\"false\">{outlet}-{p.slug}</guid><pubDate>{format_datetime(p.published)}</pubDate>"
        f"<description>{esc(p.paragraphs[0][:200])}</description>"
        f"<content:encoded>{esc(''.join(f'<p>{esc(para)}</p>' for para in p.paragraphs))}</content:encoded></item>"
        for p in pages)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{esc(site)}</title><link>{base}/{outlet}/</link>
<description>Sample feed of {esc(site)} (invented stories)</description><ttl>5</ttl>
{items}
</channel></rss>"""


class SampleSite:
    """The rendered sample site, served on 127.0.0.1 from a background thread."""

    def __init__(self, now: datetime | None = None) -> None:
        self.outlets, self.pages = load_site(now or datetime.now(timezone.utc))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        robots = "".join(f"Disallow: /{p.outlet}/{p.slug}.html\n" for p in self.pages if p.members_only)
        self.routes: dict[str, tuple[str, str]] = {"/robots.txt": ("text/plain", f"User-agent: *\n{robots}Allow: /\n")}
        for outlet, site in self.outlets.items():
            mine = [p for p in self.pages if p.outlet == outlet]
            self.routes[f"/{outlet}/feed.xml"] = ("application/rss+xml", render_feed(outlet, site, mine, self.base))
            for page in mine:
                related = [p for p in mine if p is not page]
                self.routes[f"/{outlet}/{page.slug}.html"] = ("text/html; charset=utf-8",
                                                              render_page(page, site, related))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def feed_urls(self) -> list[str]:
        return [f"{self.base}/{outlet}/feed.xml" for outlet in self.outlets]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                if path not in site.routes:
                    self.send_error(404)
                    return
                ctype, text = site.routes[path]
                data = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> "SampleSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def _worker_env(settings: Settings, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "REDIS_URL": redis_url,
        "NEWSWORKER_NAMESPACE": settings.namespace,
        "NEWSWORKER_ALLOW_PRIVATE_ADDRESSES": "1",  # the sample site is on loopback; this run only
        "NEWSWORKER_HOST_MIN_DELAY": "0",
        "NEWSWORKER_DATA_DIR": str(settings.data_dir),
    })
    return env


def start_worker(settings: Settings, redis_url: str, *, concurrency: int = 2, beat: bool = False,
                 loglevel: str = "WARNING", log_path: Path | None = None) -> subprocess.Popen[bytes]:
    """A real Celery worker subprocess for this namespace (used by the demo, tests and benchmarks).

    Its output goes to `log_path` when given (the demo keeps the terminal for incidents).
    """
    argv = [sys.executable, "-m", "celery", "--quiet", "-A", "tasks.app:app", "worker", "--loglevel", loglevel,
            "--concurrency", str(concurrency), "--without-mingle", "--without-gossip",
            "--hostname", f"{settings.namespace}-{os.getpid()}@%h"]
    if beat:
        argv.append("--beat")
    out = open(log_path, "ab") if log_path else None  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(argv, env=_worker_env(settings, redis_url), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT if out else None, start_new_session=True)
    finally:
        if out:
            out.close()


def stop_worker(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Warm shutdown (SIGTERM), then kill the process group if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_demo(settings: Settings, *, timeout: float = 180.0, quiet: bool = False) -> int:
    """Run the showcase; return 0 when every sample article was processed."""
    from tasks.app import create_app
    from tasks.cli_stream import incident_line
    from worker.feeds import FeedConfig, FeedRegistry
    from worker.keys import Keys
    from worker.redis_conn import connect, delete_namespace, resolve_redis_url
    from worker.stream import decode_entry

    if settings.namespace == "newsworker":
        settings = settings.with_overrides(namespace=DEMO_NAMESPACE)
    redis_url = resolve_redis_url(settings)
    settings = settings.with_overrides(redis_url=redis_url, allow_private_addresses=True, host_min_delay=0.0)
    client = connect(redis_url)
    keys = Keys(settings.key_prefix)
    delete_namespace(client, settings.key_prefix)

    def say(line: str) -> None:
        if not quiet:
            print(line, flush=True)

    with SampleSite() as site:
        say(f"demo: serving {len(site.pages)} invented articles from {len(site.outlets)} outlets at {site.base}")
        registry = FeedRegistry(client, keys, settings)
        registry.import_feeds([FeedConfig(url=u, name=site.outlets[u.split('/')[3]]) for u in site.feed_urls])
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        log_path = settings.data_dir / "demo-worker.log"
        worker = start_worker(settings, redis_url, log_path=log_path, loglevel="INFO")
        say(f"demo: started a Celery worker (pid {worker.pid}) on {redis_url}, namespace {settings.namespace}; "
            f"its log: {log_path}")
        try:
            app = create_app(settings)
            for url in site.feed_urls:
                app.send_task("newsworker.poll_feed", args=[url])
            return _follow(client, keys, len(site.pages), worker, timeout, say, decode_entry, incident_line)
        finally:
            stop_worker(worker)


def _follow(client: Any, keys: Any, expected: int, worker: subprocess.Popen[bytes], timeout: float,
            say: Any, decode_entry: Any, describe: Any) -> int:
    """Print incident messages until `expected` documents are processed; the final state last."""
    deadline = time.monotonic() + timeout
    last_id = "0-0"
    latest: dict[str, dict[str, Any]] = {}
    while True:
        done = int(client.hget(keys.counters, "documents_processed") or 0) >= expected
        for _, entries in client.xread({keys.incidents_stream: last_id}, count=100, block=500) or []:
            for entry_id, fields in entries:
                last_id = entry_id
                env = decode_entry(fields)
                payload = env.payload
                if env.type == "incident.merged":
                    latest.pop(payload["incident_id"], None)
                    print(f"[{env.type}] {payload['incident_id']} merged into {payload['merged_into']}", flush=True)
                    continue
                latest[payload["incident_id"]] = payload
                print(f"[{env.type}] {describe(payload)}", flush=True)
        if done:
            break
        if worker.poll() is not None:
            raise TransientError(f"demo: the Celery worker exited with code {worker.returncode}")
        if time.monotonic() > deadline:
            raise TransientError(f"demo: timed out after {timeout:.0f}s with "
                                 f"{client.hget(keys.counters, 'documents_processed') or 0}/{expected} articles done")
    say(f"\ndemo: {expected} articles processed; {len(latest)} incidents:")
    for payload in latest.values():
        say("  " + describe(payload))
    return 0
