"""Publishing to Redis streams: one envelope per message, added at most once.

Idempotency: a message's id is derived from what it says (see `message_id`), and one Lua
script checks a marker key and adds the entry atomically, so a retried task that publishes
the same message again adds nothing. Retention: every XADD trims entries older than
`stream_retention_days` (MINID) and, as a safety net, beyond `stream_maxlen` (approximate
MAXLEN, applied by a separate XTRIM since one XADD takes only one strategy).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from typing import Any

import redis

from config.settings import Settings
from worker.keys import Keys
from worker.models import SCHEMA_VERSION, Envelope, MessageType

# KEYS[1] stream, KEYS[2] marker; ARGV: marker ttl s, minid, maxlen, then field/value pairs.
_PUBLISH_LUA = """
local existing = redis.call('GET', KEYS[2])
if existing then return {0, existing} end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', unpack(fields))
redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[3])
redis.call('SET', KEYS[2], id, 'EX', ARGV[1])
return {1, id}
"""


def message_id(type_: str, *parts: Any) -> str:
    """Deterministic id: the same message about the same thing always gets the same id."""
    digest = hashlib.sha256(json.dumps([type_, *parts], sort_keys=True, default=str).encode()).hexdigest()
    return f"{type_}:{digest[:24]}"


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# Short names of the documented streams (docs/streams.md), as `tail --stream` accepts them.
STREAM_NAMES = ("incidents", "articles", "alerts", "ops")


def stream_key(keys: Keys, name: str) -> str:
    """The Redis key of a documented stream by short name ("incidents", ...; "incidents:dead" for its dead letters)."""
    base, _, suffix = name.partition(":")
    if base not in STREAM_NAMES or suffix not in ("", "dead"):
        raise ValueError(f"unknown stream {name!r}: expected one of {', '.join(STREAM_NAMES)} (optionally ':dead')")
    key = getattr(keys, f"{base}_stream")
    return keys.dead_letter_stream(key) if suffix else key


def make_envelope(type_: MessageType, payload: dict[str, Any], *, msg_id: str,
                  occurred_at: datetime | None = None) -> Envelope:
    now = now_utc()
    return Envelope(message_id=msg_id, type=type_, schema_version=SCHEMA_VERSION,
                    occurred_at=occurred_at or now, produced_at=now, payload=payload)


def envelope_fields(envelope: Envelope) -> dict[str, str]:
    """Flat string fields of a stream entry: readable by any Redis client, payload as JSON."""
    data = envelope.model_dump(mode="json")
    return {
        "message_id": data["message_id"],
        "type": data["type"],
        "schema_version": data["schema_version"],
        "occurred_at": data["occurred_at"],
        "produced_at": data["produced_at"],
        "payload": json.dumps(data["payload"], sort_keys=True, separators=(",", ":")),
    }


_ENVELOPE_FIELDS = ("message_id", "type", "schema_version", "occurred_at", "produced_at")


def decode_entry(fields: dict[str, str]) -> Envelope:
    """Parse a stream entry back into an Envelope (raises ValueError on a malformed entry)."""
    try:
        # Only the envelope's own fields: dead letters add dl_* fields, and a newer minor version may add more.
        data: dict[str, Any] = {k: fields[k] for k in _ENVELOPE_FIELDS if k in fields}
        data["payload"] = json.loads(fields["payload"])
        return Envelope.model_validate(data)
    except (KeyError, TypeError, ValueError) as exc:
        detail = "; ".join(line.strip() for line in str(exc).splitlines()[:3])
        raise ValueError(f"not a newsworker envelope: {detail}") from None


class Publisher:
    """Adds envelopes to streams exactly once per message id."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.client = client
        self.keys = keys
        self.retention_ms = int(settings.stream_retention_days * 86400 * 1000)
        self.maxlen = settings.stream_maxlen
        self._script = client.register_script(_PUBLISH_LUA)

    def publish(self, stream: str, envelope: Envelope) -> tuple[bool, str]:
        """Add the envelope unless its message id was already published; return (added, entry id)."""
        minid = max(0, int(time.time() * 1000) - self.retention_ms)
        marker_ttl = max(1, self.retention_ms // 1000)
        args: list[Any] = [marker_ttl, minid, self.maxlen]
        for key, value in envelope_fields(envelope).items():
            args.extend((key, value))
        added, entry_id = self._script(keys=[stream, self.keys.published(envelope.message_id)], args=args)
        return bool(added), str(entry_id)
