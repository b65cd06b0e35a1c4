"""Polling task shells: beat hands out due feeds, `poll_feed` polls one and enqueues its new entries.

    beat (every POLL_TICK s) -> poll_due_feeds -> poll_feed(url) x N -> process_entry(entry) x new entries

Beat entries and poll messages expire: a worker that was down does not work through a backlog
of stale polls on restart; the feeds simply become due again (their claim lease runs out).
Overlapping polls are harmless: the poller takes a per-feed lock and hands on an entry once.
"""

from __future__ import annotations

import logging
from typing import Any

import redis

from config.settings import Settings
from tasks.app import app, get_resources

log = logging.getLogger("newsworker.tasks")

POLL_TICK = 5.0          # seconds between beat runs of poll_due_feeds
MAX_DUE_PER_TICK = 2000  # feeds handed out per tick (the rest stay due for the next tick)
PROCESS_ENTRY_TASK = "newsworker.process_entry"


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
    for url in due:
        poll_feed.apply_async(args=[url], expires=lease)
    if due:
        log.info("poll_due_feeds: %d feeds due", len(due))
    return len(due)


@app.task(bind=True, name="newsworker.poll_feed", ignore_result=True, max_retries=3)
def poll_feed(self: Any, feed_url: str) -> dict[str, Any]:
    """Poll one feed and enqueue a process_entry task per NEW entry; returns a small summary."""
    res = get_resources()
    try:
        result = res.poller.poll(feed_url)
    except redis.ConnectionError as exc:  # Redis blinked: the feed's lock/state could not be read
        raise self.retry(exc=exc, countdown=10) from None
    for entry in result.new_entries:
        app.send_task(PROCESS_ENTRY_TASK, args=[entry.model_dump(mode="json")])
    summary = {"feed": result.feed_url, "outcome": result.outcome, "status": result.http_status,
               "new": len(result.new_entries), "next_poll": result.next_poll, "reason": result.reason}
    log.info("poll %s: %s status=%s new=%d%s", result.feed_url, result.outcome, result.http_status,
             len(result.new_entries), f" reason={result.reason}" if result.reason else "")
    return summary
