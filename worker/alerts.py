"""Alerting: rules from config/alerts.yaml matched against incidents, once per rule and incident, again on escalation.

`AlertService` is an ordinary consumer group (default `alerts`) of the incidents stream and of
the ops stream, so it scales and restarts like any other consumer. For an incident message it
evaluates every rule; a match fires `alert.fired` on the alerts stream and posts to the rule's
webhooks. The same (rule, incident) fires again only when it escalates: its killed or wounded
toll crosses a higher threshold of the rule, or a claim of responsibility appears; the alert
says what escalated. Every `ops.*` event is forwarded the same way to the ops webhooks.

Exactly-once effects on at-least-once delivery: an alert's message id is derived from (rule,
incident, toll levels, claim), so a redelivered or concurrent duplicate is dropped by the
publisher; each webhook delivery leaves a marker; the rule's state (highest levels alerted)
is raised only after publishing, with a compare-and-max script, so a crash in between
re-fires the same id, which is dropped.
"""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import redis
import yaml

from config.settings import Settings
from worker.consumer import Consumer, Message, default_consumer_name
from worker.events.types import TACTICS
from worker.keys import Keys
from worker.models import Alert, Incident, OpsEvent
from worker.ops import OpsConfig, OpsReporter, OpsWatcher
from worker.stream import Publisher, make_envelope, message_id, now_utc
from worker.webhooks import Webhook, WebhookSender

log = logging.getLogger(__name__)

# Default escalation steps of the killed toll when a rule names none (only those above its base threshold).
DEFAULT_KILLED_STEPS = (5, 10, 25, 50, 100, 250, 500, 1000)
DEFAULT_WOUNDED_STEPS = (10, 25, 50, 100, 250, 500, 1000)
DEFAULT_GROUP = "alerts"

_RULE_KEYS = {"name", "match", "escalate", "severity", "webhooks", "enabled"}
_MATCH_KEYS = {"event_type", "tactic", "without_tactic", "country", "bbox", "perpetrator", "killed_at_least",
               "wounded_at_least",
               "victims_at_least", "outlets_at_least", "keywords"}
_ESCALATE_KEYS = {"killed", "wounded", "claim"}


class AlertConfigError(ValueError):
    """config/alerts.yaml cannot be used; the message says where."""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


_KNOWN_TACTICS = frozenset(name for name, _ in TACTICS)


def _tactics(value: Any, where: str) -> frozenset[str]:
    """Tactic flags named in a rule; a misspelt one would silently match nothing (or exclude nothing)."""
    names = frozenset(str(t).strip().lower() for t in _as_list(value))
    unknown = sorted(names - _KNOWN_TACTICS)
    if unknown:
        raise AlertConfigError(f"{where}: unknown tactic {', '.join(unknown)} (known: {', '.join(sorted(_KNOWN_TACTICS))})")
    return names


def _int_or_none(value: Any, where: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AlertConfigError(f"{where}: expected a whole number, got {value!r}") from None
    if number < 0:
        raise AlertConfigError(f"{where}: must not be negative")
    return number


# -- reading an incident ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Facts:
    """What rules look at, read once from an incident payload."""

    incident_id: str
    revision: int
    event_type: str | None
    country: str | None
    place: str | None
    lat: float | None
    lon: float | None
    perpetrators: tuple[str, ...]
    claimed_by: tuple[str, ...]
    tactics: frozenset[str]
    killed: int | None
    wounded: int | None
    outlets: int
    text: str
    title: str | None

    @classmethod
    def of(cls, incident: dict[str, Any]) -> "Facts":
        event = incident.get("event") or {}
        loc = event.get("location") or {}
        cas = event.get("casualties") or {}
        killed = cas.get("killed")
        if killed is None and incident.get("killed_range"):
            killed = max(incident["killed_range"])
        wounded = cas.get("wounded")
        if wounded is None and incident.get("wounded_range"):
            wounded = max(incident["wounded_range"])
        perps = event.get("perpetrators") or []
        titles = [s.get("title") for s in incident.get("sources") or [] if s.get("title")]
        text_parts = [event.get("summary") or "", *titles, loc.get("name") or "", event.get("event_type") or "",
                      *(event.get("tactics") or []), *(t.get("name") or "" for t in event.get("targets") or [])]
        return cls(
            incident_id=str(incident.get("incident_id", "")), revision=int(incident.get("revision") or 1),
            event_type=event.get("event_type"), country=(loc.get("country") or "").upper() or None,
            place=loc.get("name"), lat=loc.get("lat"), lon=loc.get("lon"),
            perpetrators=tuple(p.get("name", "") for p in perps if p.get("name")),
            claimed_by=tuple(p.get("name", "") for p in perps if p.get("claim") == "claimed"),
            tactics=frozenset(str(t).lower() for t in event.get("tactics") or []),
            killed=killed, wounded=wounded, outlets=int(incident.get("n_outlets") or 0),
            text=" \n".join(p for p in text_parts if p), title=titles[0] if titles else None)

    def describe(self) -> str:
        """One line: event type, place, toll, perpetrators, outlets, title."""
        place = ", ".join(p for p in (self.place, self.country) if p) or "unknown place"
        toll = f"{self.killed if self.killed is not None else '?'} killed, " \
               f"{self.wounded if self.wounded is not None else '?'} wounded"
        perps = ", ".join(f"{p} (claimed)" if p in self.claimed_by else p for p in self.perpetrators) or "unknown"
        line = f"{self.event_type or 'incident'} in {place}: {toll}; perpetrator {perps}; {self.outlets} outlet(s)"
        return line + (f" - {self.title}" if self.title else "")


# -- rules -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One alert rule: every condition given must hold (lists within a condition are alternatives)."""

    name: str
    event_types: frozenset[str] = frozenset()
    tactics: frozenset[str] = frozenset()          # any of these tactic flags ("car_bomb", "drive_by")
    without_tactics: frozenset[str] = frozenset()  # none of these ("accidental")
    countries: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None
    perpetrators: tuple[str, ...] = ()
    killed_at_least: int | None = None
    wounded_at_least: int | None = None
    victims_at_least: int | None = None
    outlets_at_least: int | None = None
    keywords: tuple[str, ...] = ()
    killed_steps: tuple[int, ...] = ()
    wounded_steps: tuple[int, ...] = ()
    escalate_on_claim: bool = True
    severity: str = "warning"
    webhooks: tuple[str, ...] = ()
    _keyword_re: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_config(cls, data: dict[str, Any], index: int) -> "Rule":
        where = f"rule #{index + 1}"
        if not isinstance(data, dict):
            raise AlertConfigError(f"{where}: expected a mapping")
        unknown = set(data) - _RULE_KEYS
        if unknown:
            raise AlertConfigError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_RULE_KEYS)})")
        name = str(data.get("name") or "").strip()
        if not name or any(c.isspace() or c == ":" for c in name):
            raise AlertConfigError(f"{where}: needs a name without spaces or ':'")
        where = f"rule {name!r}"
        match = data.get("match") or {}
        if not isinstance(match, dict):
            raise AlertConfigError(f"{where}: match must be a mapping")
        unknown = set(match) - _MATCH_KEYS
        if unknown:
            raise AlertConfigError(f"{where}: unknown match keys {sorted(unknown)} (allowed: {sorted(_MATCH_KEYS)})")
        bbox = None
        if match.get("bbox") is not None:
            box = _as_list(match["bbox"])
            try:
                west, south, east, north = (float(v) for v in box)
            except (TypeError, ValueError):
                raise AlertConfigError(f"{where}: bbox is [min_lon, min_lat, max_lon, max_lat]") from None
            if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
                raise AlertConfigError(f"{where}: bbox out of range")
            bbox = (west, south, east, north)
        escalate = data.get("escalate") or {}
        if not isinstance(escalate, dict) or set(escalate) - _ESCALATE_KEYS:
            raise AlertConfigError(f"{where}: escalate takes {sorted(_ESCALATE_KEYS)}")
        killed_base = _int_or_none(match.get("killed_at_least"), f"{where}.killed_at_least")
        wounded_base = _int_or_none(match.get("wounded_at_least"), f"{where}.wounded_at_least")
        killed_steps = escalate.get("killed", DEFAULT_KILLED_STEPS)
        wounded_steps = escalate.get("wounded", DEFAULT_WOUNDED_STEPS)
        severity = str(data.get("severity", "warning"))
        if severity not in ("info", "warning", "critical"):
            raise AlertConfigError(f"{where}: severity must be info, warning or critical")
        keywords = tuple(str(k).strip() for k in _as_list(match.get("keywords")) if str(k).strip())
        keyword_re = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keywords) + r")\b", re.I) \
            if keywords else None
        return cls(
            name=name,
            event_types=frozenset(str(t).lower() for t in _as_list(match.get("event_type"))),
            tactics=_tactics(match.get("tactic"), f"{where}.tactic"),
            without_tactics=_tactics(match.get("without_tactic"), f"{where}.without_tactic"),
            countries=frozenset(str(c).upper() for c in _as_list(match.get("country"))),
            bbox=bbox,
            perpetrators=tuple(str(p).lower() for p in _as_list(match.get("perpetrator"))),
            killed_at_least=killed_base, wounded_at_least=wounded_base,
            victims_at_least=_int_or_none(match.get("victims_at_least"), f"{where}.victims_at_least"),
            outlets_at_least=_int_or_none(match.get("outlets_at_least"), f"{where}.outlets_at_least"),
            keywords=keywords,
            killed_steps=tuple(sorted({int(s) for s in _as_list(killed_steps) if int(s) > (killed_base or 0)})),
            wounded_steps=tuple(sorted({int(s) for s in _as_list(wounded_steps) if int(s) > (wounded_base or 0)})),
            escalate_on_claim=bool(escalate.get("claim", True)),
            severity=severity,
            webhooks=tuple(str(w) for w in _as_list(data.get("webhooks"))),
            _keyword_re=keyword_re,
        )

    def matches(self, facts: Facts) -> bool:
        """Whether every condition of the rule holds for the incident."""
        if self.event_types and (facts.event_type or "").lower() not in self.event_types:
            return False
        if self.tactics and not self.tactics & facts.tactics:
            return False
        if self.without_tactics & facts.tactics:
            return False
        if self.countries and facts.country not in self.countries:
            return False
        if self.bbox is not None:
            if facts.lat is None or facts.lon is None:
                return False
            west, south, east, north = self.bbox
            in_lon = west <= facts.lon <= east if west <= east else (facts.lon >= west or facts.lon <= east)
            if not (in_lon and south <= facts.lat <= north):
                return False
        if self.perpetrators and not any(want in name.lower() for want in self.perpetrators
                                         for name in facts.perpetrators):
            return False
        if self.killed_at_least is not None and (facts.killed or 0) < self.killed_at_least:
            return False
        if self.wounded_at_least is not None and (facts.wounded or 0) < self.wounded_at_least:
            return False
        if self.victims_at_least is not None and (facts.killed or 0) + (facts.wounded or 0) < self.victims_at_least:
            return False
        if self.outlets_at_least is not None and facts.outlets < self.outlets_at_least:
            return False
        if self._keyword_re is not None and not self._keyword_re.search(facts.text):
            return False
        return True

    def levels(self, facts: Facts) -> tuple[int, int]:
        """How many escalation steps the killed and wounded tolls have crossed."""
        killed = facts.killed or 0
        wounded = facts.wounded or 0
        return sum(killed >= s for s in self.killed_steps), sum(wounded >= s for s in self.wounded_steps)

    def step(self, kind: str, level: int) -> int:
        steps = self.killed_steps if kind == "killed" else self.wounded_steps
        return steps[level - 1]


@dataclass(frozen=True)
class AlertConfig:
    """Everything config/alerts.yaml says: rules, webhooks, ops thresholds."""

    rules: tuple[Rule, ...] = ()
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    ops: OpsConfig = field(default_factory=OpsConfig)

    @classmethod
    def parse(cls, data: Any, env: dict[str, str] | None = None) -> "AlertConfig":
        """Validate the parsed YAML; raise AlertConfigError naming the bad part."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise AlertConfigError("alerts file must be a mapping with rules, webhooks and ops")
        unknown = set(data) - {"rules", "webhooks", "ops"}
        if unknown:
            raise AlertConfigError(f"unknown top-level keys {sorted(unknown)} (allowed: rules, webhooks, ops)")
        hooks: dict[str, Webhook] = {}
        for item in _as_list(data.get("webhooks")):
            try:
                hook = Webhook.from_config(item if isinstance(item, dict) else {}, env)
            except (TypeError, ValueError) as exc:
                raise AlertConfigError(f"webhooks: {exc}") from None
            if hook.name in hooks:
                raise AlertConfigError(f"webhooks: duplicate name {hook.name!r}")
            hooks[hook.name] = hook
        rules = tuple(Rule.from_config(item, i) for i, item in enumerate(_as_list(data.get("rules")))
                      if not (isinstance(item, dict) and item.get("enabled") is False))
        names = [r.name for r in rules]
        if len(names) != len(set(names)):
            raise AlertConfigError("rule names must be unique")
        try:
            ops = OpsConfig.from_config(data.get("ops") or {})
        except (TypeError, ValueError) as exc:
            raise AlertConfigError(f"ops: {exc}") from None
        for owner, wanted in [*((r.name, r.webhooks) for r in rules), ("ops", ops.webhooks)]:
            missing = [w for w in wanted if w not in hooks]
            if missing:
                raise AlertConfigError(f"{owner}: unknown webhooks {missing} (define them under webhooks:)")
        return cls(rules, hooks, ops)

    @classmethod
    def load(cls, path: str | Path, env: dict[str, str] | None = None) -> "AlertConfig":
        """Read and validate an alerts YAML file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise AlertConfigError(f"cannot read alerts file {path}: {exc.strerror or exc}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise AlertConfigError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
        try:
            return cls.parse(data, env)
        except AlertConfigError as exc:
            raise AlertConfigError(f"{path}: {exc}") from None


# -- deciding --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """An alert to fire for (rule, incident), with what escalated since the previous one."""

    rule: Rule
    facts: Facts
    reason: str
    levels: tuple[int, int]
    claimed: bool
    escalation: tuple[str, ...] = ()

    @property
    def message_id(self) -> str:
        return message_id("alert.fired", self.rule.name, self.facts.incident_id, *self.levels, self.claimed)


# KEYS[1] state hash; ARGV killed level, wounded level, claimed (0/1), killed, wounded, ttl s. Raises to the max.
_RAISE_STATE_LUA = """
local cur = redis.call('HMGET', KEYS[1], 'killed_level', 'wounded_level', 'claimed')
local function mx(a, b) if a == false then return b end return math.max(tonumber(a), tonumber(b)) end
redis.call('HSET', KEYS[1], 'killed_level', mx(cur[1], ARGV[1]), 'wounded_level', mx(cur[2], ARGV[2]),
           'claimed', mx(cur[3], ARGV[3]))
local k = redis.call('HGET', KEYS[1], 'killed')
if k == false or tonumber(ARGV[4]) > tonumber(k) then redis.call('HSET', KEYS[1], 'killed', ARGV[4]) end
local w = redis.call('HGET', KEYS[1], 'wounded')
if w == false or tonumber(ARGV[5]) > tonumber(w) then redis.call('HSET', KEYS[1], 'wounded', ARGV[5]) end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return 1
"""


class AlertEngine:
    """Decides which rules fire for an incident, remembering per (rule, incident) what was alerted."""

    def __init__(self, client: redis.Redis, keys: Keys, rules: tuple[Rule, ...], state_ttl: float) -> None:
        self.client = client
        self.keys = keys
        self.rules = rules
        self.state_ttl = max(1, int(state_ttl))
        self._raise = client.register_script(_RAISE_STATE_LUA)

    def decide(self, incident: dict[str, Any]) -> list[Decision]:
        """Alerts due for this incident revision: new matches, and escalations of earlier ones."""
        facts = Facts.of(incident)
        out = []
        for rule in self.rules:
            if not rule.matches(facts):
                continue
            levels = rule.levels(facts)
            claimed = bool(facts.claimed_by) and rule.escalate_on_claim
            state = self.client.hgetall(self.keys.alert_sent(rule.name, facts.incident_id))
            if not state:
                out.append(Decision(rule, facts, "new", levels, claimed))
                continue
            changes = []
            prev_k, prev_w = int(state.get("killed_level", 0)), int(state.get("wounded_level", 0))
            if levels[0] > prev_k:
                changes.append(f"killed rose from {state.get('killed', '?')} to {facts.killed} "
                               f"(crossed {rule.step('killed', levels[0])})")
            if levels[1] > prev_w:
                changes.append(f"wounded rose from {state.get('wounded', '?')} to {facts.wounded} "
                               f"(crossed {rule.step('wounded', levels[1])})")
            if claimed and state.get("claimed") != "1":
                changes.append("responsibility claimed by " + ", ".join(facts.claimed_by))
            if changes:
                out.append(Decision(rule, facts, "escalated", (max(levels[0], prev_k), max(levels[1], prev_w)),
                                    claimed or state.get("claimed") == "1", tuple(changes)))
        return out

    def record(self, decision: Decision) -> None:
        """Raise the stored state to what this alert covered (after it was published)."""
        facts = decision.facts
        self._raise(keys=[self.keys.alert_sent(decision.rule.name, facts.incident_id)],
                    args=[decision.levels[0], decision.levels[1], int(decision.claimed), facts.killed or 0,
                          facts.wounded or 0, self.state_ttl])

    def carry_over(self, absorbed_id: str, survivor_id: str) -> None:
        """An incident merged into another: the survivor inherits what was alerted, so it does not re-alert."""
        for rule in self.rules:
            state = self.client.hgetall(self.keys.alert_sent(rule.name, absorbed_id))
            if state:
                self._raise(keys=[self.keys.alert_sent(rule.name, survivor_id)],
                            args=[state.get("killed_level", 0), state.get("wounded_level", 0),
                                  state.get("claimed", 0), state.get("killed", 0), state.get("wounded", 0),
                                  self.state_ttl])


def incident_alert(decision: Decision, incident: dict[str, Any]) -> Alert:
    """The alert record for a decision."""
    facts = decision.facts
    summary = facts.describe()
    if decision.reason == "escalated":
        summary = "ESCALATED: " + "; ".join(decision.escalation) + " | " + summary
    try:
        record: Incident | None = Incident.model_validate(incident)
    except ValueError:
        record = None  # a payload from a newer minor version: the alert still carries the facts
    return Alert(kind="incident", rule=decision.rule.name, reason=decision.reason,  # type: ignore[arg-type]
                 escalation=list(decision.escalation), severity=decision.rule.severity,  # type: ignore[arg-type]
                 summary=summary, incident_id=facts.incident_id, revision=facts.revision,
                 level=decision.levels[0] + decision.levels[1], claimed=decision.claimed, incident=record,
                 fired_at=now_utc())


def ops_alert(event: OpsEvent) -> Alert:
    """An ops event as an alert on the same channels."""
    prefix = "RESOLVED: " if event.state == "resolved" else ""
    return Alert(kind="ops", rule=f"ops.{event.kind}", reason="ops", severity=event.severity,
                 summary=prefix + event.summary, ops=event, fired_at=now_utc())


# -- the service -----------------------------------------------------------------------------------
class AlertService:
    """`newsworker alerts`: consumer group of the incidents and ops streams that fires alerts."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, config: AlertConfig, *,
                 group: str = DEFAULT_GROUP, name: str | None = None, start: str = "$",
                 claim_idle: float = 60.0, sender: WebhookSender | None = None, block: float = 1.0,
                 watch: bool = True) -> None:
        self.client = client
        self.keys = keys
        self.settings = settings
        self.config = config
        self.publisher = Publisher(client, keys, settings)
        self.engine = AlertEngine(client, keys, config.rules, settings.incident_window_days * 86400 * 2)
        self.sender = sender or WebhookSender(allow_private=settings.allow_private_addresses,
                                              user_agent=settings.user_agent)
        self.reporter = OpsReporter(client, keys, settings)
        self.watcher = OpsWatcher(client, keys, settings, config.ops, self.reporter) if watch else None
        name = name or default_consumer_name(group)
        self.incidents = Consumer(client, keys.incidents_stream, group, name, start=start, claim_idle=claim_idle,
                                  block=block)
        self.ops = Consumer(client, keys.ops_stream, group, name, start=start, claim_idle=claim_idle, block=block)
        self.fired: list[Alert] = []

    def close(self) -> None:
        self.sender.close()

    def leave(self) -> None:
        """Leave both groups cleanly (only consumers with nothing pending are removed)."""
        try:
            self.incidents.leave()
            self.ops.leave()
        except redis.RedisError as exc:
            log.warning("could not leave the consumer groups: %s", exc)

    # handlers
    def handle_incident(self, message: Message) -> None:
        env = message.envelope
        payload = env.payload
        if env.type == "incident.merged":
            if payload.get("incident_id") and payload.get("merged_into"):
                self.engine.carry_over(str(payload["incident_id"]), str(payload["merged_into"]))
            return
        if env.type not in ("incident.created", "incident.updated"):
            return
        for decision in self.engine.decide(payload):
            alert = incident_alert(decision, payload)
            self._fire(decision.message_id, alert, decision.rule.webhooks)
            self.engine.record(decision)

    def handle_ops(self, message: Message) -> None:
        env = message.envelope
        if not env.type.startswith("ops."):
            return
        event = OpsEvent.model_validate(env.payload)
        alert = ops_alert(event)
        # A failing webhook is reported on ops and the alerts stream but not sent to webhooks again (no loop).
        hooks = () if event.kind == "webhook_failure" else self.config.ops.webhooks
        self._fire(message_id("alert.fired", "ops", env.message_id), alert, hooks)

    def _fire(self, msg_id: str, alert: Alert, webhooks: tuple[str, ...]) -> None:
        envelope = make_envelope("alert.fired", alert.model_dump(mode="json"), msg_id=msg_id)
        added, _ = self.publisher.publish(self.keys.alerts_stream, envelope)
        if added:
            self.fired.append(alert)
            log.warning("alert %s: %s", alert.rule, alert.summary)
        body = envelope.model_dump(mode="json")
        for name in webhooks:
            hook = self.config.webhooks[name]
            marker = self.keys.webhook_sent(msg_id, name)
            if self.client.exists(marker):
                continue
            delivery = self.sender.send(hook, body)
            if delivery.ok:
                self.client.set(marker, "1", ex=int(self.settings.stream_retention_days * 86400))
            else:
                self.reporter.webhook_failure(name, msg_id, delivery.attempts, delivery.error or "failed",
                                              hook_url=hook.url)

    # loop
    def poll(self, block: float | None = None) -> int:
        """One round over both streams (and the ops checks when due); returns messages handled."""
        done = self.incidents.poll(self.handle_incident, block=block)
        done += self.ops.poll(self.handle_ops, block=0.001 if done else block)
        if self.watcher is not None:
            self.watcher.maybe_check()
        return done

    def drain(self, max_seconds: float = 30.0) -> int:
        """Handle everything already waiting (both streams), then return; for batch runs and tests."""
        deadline = time.monotonic() + max_seconds
        done = 0
        while time.monotonic() < deadline:
            handled = self.poll(block=0.05)
            done += handled
            if not handled:
                break
        return done

    def run(self, *, timeout: float | None = None, stop: Callable[[], bool] | None = None) -> int:
        """Poll until `timeout` seconds passed or `stop()` is true; return messages handled."""
        deadline = None if timeout is None else time.monotonic() + timeout
        done = 0
        backoff = 0.5
        while not (stop and stop()):
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            try:
                done += self.poll(block=0.5 if left is None else max(0.01, min(0.5, left / 2)))
                backoff = 0.5
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                # A long-running service rides out a Redis restart instead of exiting.
                log.warning("alerts: Redis unavailable (%s); retrying in %.0fs", exc, backoff)
                time.sleep(backoff if left is None else min(backoff, max(0.0, left)))
                backoff = min(backoff * 2, 30.0)
        return done


def load_config(settings: Settings, path: str | None = None) -> AlertConfig:
    """The alert config from `path`, else NEWSWORKER_ALERTS / config/alerts.yaml."""
    return AlertConfig.load(path or settings.alerts_file, dict(os.environ))
