"""The worker's own health as events on the ops stream: feed failures, network outage, dead letters, lag, heartbeats.

Producers (the poller, the pipeline, consumers) call the `report_*` functions; each publishes an
`ops.*` envelope whose message id is deterministic per incident of trouble (one feed's failure
streak, one outage, one growth step of a dead-letter stream), so repeating a report adds
nothing. `OpsWatcher.check()` looks at Redis state periodically (run by `newsworker alerts`)
and reports what no single producer can see: dead-letter growth, consumer lag near the
retention horizon, missing heartbeats, feeds failing N polls in a row.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Any

import redis

from config.settings import Settings
from worker.consumer import entry_time, groups_info
from worker.keys import Keys
from worker.stream import STREAM_NAMES, stream_key

log = logging.getLogger(__name__)

# A group whose oldest unread entry is older than this fraction of the retention is warned about.
RETENTION_WARN_FRACTION = 0.8


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def group_report(client: redis.Redis, keys: Keys, settings: Settings) -> list[dict[str, Any]]:
    """Every documented stream with its length, dead letters and consumer groups (pending, lag, retention risk)."""
    retention_s = settings.stream_retention_days * 86400
    now = time.time()
    report = []
    for name in STREAM_NAMES:
        key = stream_key(keys, name)
        length = int(client.xlen(key))
        dead = int(client.xlen(keys.dead_letter_stream(key)))
        last_entry = client.xrevrange(key, count=1)
        groups = []
        for info in groups_info(client, key):
            oldest = info.oldest_unacked_id
            oldest_at = entry_time(oldest) if oldest else None
            near = bool(oldest_at and now - oldest_at.timestamp() > retention_s * RETENTION_WARN_FRACTION)
            groups.append({
                "name": info.name, "pending": info.pending, "lag": info.lag, "lag_exact": info.lag_exact,
                "last_delivered_id": info.last_delivered_id, "oldest_unread_at": _iso(oldest_at),
                "near_retention": near, "consumers": info.consumers,
            })
        report.append({
            "name": name, "key": key, "length": length, "dead_letters": dead,
            "last_entry_at": _iso(entry_time(last_entry[0][0])) if last_entry else None, "groups": groups,
        })
    return report


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
