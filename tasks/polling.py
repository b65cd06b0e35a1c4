"""Polling task shells: beat hands out due feeds, `poll_feed` polls one and enqueues its new entries.

    beat (every POLL_TICK s) -> poll_due_feeds -> poll_feeds([url, ...]) x N/BATCH -> process_entry(entry) x new

Due feeds go out in batches: one Celery message per BATCH_SIZE feeds, polled by a small thread
pool inside the worker process (polling waits on the network, not the CPU), which cuts the
per-message broker overhead that dominated when every feed was its own task. `poll_feed(url)`
polls a single feed (used by the demo and by hand).

Beat entries and poll messages expire: a worker that was down does not work through a backlog
of stale polls on restart; the feeds simply become due again (their claim lease runs out).
Overlapping polls are harmless: the poller takes a per-feed lock and hands on an entry once.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

from config.settings import Settings
from tasks.app import app, get_resources

log = logging.getLogger("newsworker.tasks")

POLL_TICK = 5.0          # seconds between beat runs of poll_due_feeds
MAX_DUE_PER_TICK = 5000  # feeds handed out per tick (the rest stay due for the next tick)
BATCH_SIZE = 25          # feeds per poll_feeds message
POLL_THREADS = 8         # concurrent polls inside one worker process
PROCESS_ENTRY_TASK = "newsworker.process_entry"

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    """This process's poll threads (created after fork, on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=POLL_THREADS, thread_name_prefix="nw-poll")
        return _pool


def claim_lease(settings: Settings) -> float:
    """How long a handed-out feed stays claimed; also how long its poll message stays valid."""
    return max(60.0, settings.request_deadline * 3)


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Celery beat schedule: poll_due_feeds every few seconds, each run expiring before the next two."""
    return {
        "newsworker-poll-due-feeds": {
            "task": "newsworker.poll_due_feeds",
            "schedule": POLL_TICK,
            "options": {"expires": POLL_TICK * 2},
        },
    }


# Beat reads the schedule from the app's configuration; task modules are imported by both the
# worker and `celery beat`, so this is the one place that knows the polling cadence.
app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **beat_schedule(app.conf.newsworker_settings)}


@app.task(name="newsworker.poll_due_feeds", ignore_result=True, acks_late=False)
def poll_due_feeds(limit: int = MAX_DUE_PER_TICK) -> int:
    """Hand every due feed to a poll_feed task (each feed is claimed, so it is handed out once)."""
    res = get_resources()
    lease = claim_lease(res.settings)
    due = res.poller.registry.claim_due(limit=limit, lease=lease)
    for start in range(0, len(due), BATCH_SIZE):
        poll_feeds.apply_async(args=[due[start:start + BATCH_SIZE]], expires=lease)
    if due:
        log.info("poll_due_feeds: %d feeds due", len(due))
    return len(due)


def _poll_and_enqueue(feed_url: str) -> dict[str, Any]:
    """Poll one feed, enqueue a process_entry task per NEW entry, return a small summary."""
    result = get_resources().poller.poll(feed_url)
    for entry in result.new_entries:
        app.send_task(PROCESS_ENTRY_TASK, args=[entry.model_dump(mode="json")])
    log.info("poll %s: %s status=%s new=%d%s", result.feed_url, result.outcome, result.http_status,
             len(result.new_entries), f" reason={result.reason}" if result.reason else "")
    return {"feed": result.feed_url, "outcome": result.outcome, "status": result.http_status,
            "new": len(result.new_entries), "next_poll": result.next_poll, "reason": result.reason}


@app.task(bind=True, name="newsworker.poll_feed", ignore_result=True, max_retries=3)
def poll_feed(self: Any, feed_url: str) -> dict[str, Any]:
    """Poll one feed and enqueue a process_entry task per NEW entry; returns a small summary."""
    try:
        return _poll_and_enqueue(feed_url)
    except redis.ConnectionError as exc:  # Redis blinked: the feed's lock/state could not be read
        raise self.retry(exc=exc, countdown=10) from None


@app.task(name="newsworker.poll_feeds", ignore_result=True)
def poll_feeds(feed_urls: list[str]) -> list[dict[str, Any]]:
    """Poll a batch of feeds concurrently; one feed's trouble never stops the others.

    A feed whose poll failed unexpectedly (Redis blinked) is simply polled again when its claim
    lease runs out, so nothing is retried here.
    """
    futures = [(url, _threads().submit(_poll_and_enqueue, url)) for url in feed_urls]
    summaries = []
    for url, future in futures:
        try:
            summaries.append(future.result())
        except Exception as exc:  # noqa: BLE001 - logged with the feed; the lease brings it back
            log.error("poll %s crashed: %s: %s", url, type(exc).__name__, exc)
            summaries.append({"feed": url, "outcome": "error", "reason": f"{type(exc).__name__}: {exc}"})
    return summaries
