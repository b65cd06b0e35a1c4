"""Delivering alerts to webhooks: a generic JSON POST or a Slack-compatible payload, signed, with retries.

Signature: every request carries `X-Newsworker-Timestamp` (unix seconds) and
`X-Newsworker-Signature: sha256=<hex>`, the HMAC-SHA256 of `"<timestamp>." + body` under the
webhook's secret, so a receiver can check the sender and reject replays (`verify_signature`).

Retries: connection errors, timeouts, 408, 429 and 5xx are retried with exponential backoff
and jitter, up to `retries` more attempts; `timeout` bounds connecting and each read/write of
an attempt (httpx semantics); other 4xx are final.
Redirects are not followed (a redirect could point anywhere).

Address policy (SSRF): webhook URLs come from the operator's config/alerts.yaml, not from
fetched content, so they are trusted more than article links: http(s) only, and a host that
resolves to a loopback, private, link-local or reserved address is refused unless the webhook
says `allow_private: true` (an internal receiver) or NEWSWORKER_ALLOW_PRIVATE_ADDRESSES is on.
The check runs before every delivery; it guards against configuration mistakes, not against a
hostile DNS server (the operator chose the host).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import os
import random
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Literal
from urllib.parse import urlsplit

import httpx

from worker.errors import UnsafeURL

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Newsworker-Signature"
TIMESTAMP_HEADER = "X-Newsworker-Timestamp"
MESSAGE_ID_HEADER = "X-Newsworker-Message-Id"
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Webhook:
    """One configured receiver."""

    name: str
    url: str
    format: Literal["json", "slack"] = "json"
    secret: str | None = field(default=None, repr=False)
    timeout: float = 5.0
    retries: int = 3
    backoff: float = 0.5
    allow_private: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, data: dict[str, Any], env: dict[str, str] | None = None) -> "Webhook":
        """Build from one `webhooks:` entry; `secret_env` names the variable holding the secret."""
        env = dict(os.environ) if env is None else env
        unknown = set(data) - {"name", "url", "format", "secret", "secret_env", "timeout", "retries", "backoff",
                               "allow_private", "headers"}
        if unknown:
            raise ValueError(f"webhook {data.get('name')!r}: unknown keys {sorted(unknown)}")
        if not data.get("name") or not data.get("url"):
            raise ValueError("every webhook needs a name and a url")
        secret = data.get("secret")
        if data.get("secret_env"):
            secret = env.get(str(data["secret_env"])) or secret
        fmt = data.get("format", "json")
        if fmt not in ("json", "slack"):
            raise ValueError(f"webhook {data['name']!r}: format must be json or slack")
        scheme = urlsplit(str(data["url"])).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"webhook {data['name']!r}: url must be http or https")
        return cls(name=str(data["name"]), url=str(data["url"]), format=fmt, secret=secret,
                   timeout=float(data.get("timeout", 5.0)), retries=int(data.get("retries", 3)),
                   backoff=float(data.get("backoff", 0.5)), allow_private=bool(data.get("allow_private", False)),
                   headers={str(k): str(v) for k, v in (data.get("headers") or {}).items()})


@dataclass(frozen=True)
class Delivery:
    """Outcome of delivering one message to one webhook."""

    webhook: str
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for a body sent at `timestamp`."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: float = 300.0,
                     now: float | None = None) -> bool:
    """What a receiver does: recompute the HMAC (constant-time compare) and refuse stale timestamps."""
    try:
        age = abs((time.time() if now is None else now) - float(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


def slack_payload(message: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook body: a text fallback plus one section block."""
    payload = message.get("payload", {})
    severity = payload.get("severity", "warning")
    icon = {"critical": ":rotating_light:", "warning": ":warning:", "info": ":information_source:"}.get(severity, "")
    text = f"{icon} *{payload.get('rule', message.get('type'))}*: {payload.get('summary', '')}".strip()
    if payload.get("escalation"):
        text += "\n_escalated:_ " + "; ".join(payload["escalation"])
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def check_destination(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts resolving to non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(f"webhook url must be http(s) with a host: {url}")
    if allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeURL(f"webhook host does not resolve: {parts.hostname}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeURL(f"webhook host {parts.hostname} resolves to non-public address {address} "
                            "(set allow_private: true on the webhook to allow it)")


class WebhookSender:
    """Posts messages to webhooks with a timeout, retries and a signature; never raises for delivery failures."""

    def __init__(self, *, allow_private: bool = False, user_agent: str = "newsworker",
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None) -> None:
        self.allow_private = allow_private
        self.user_agent = user_agent
        self.sleep = sleep
        self.client = httpx.Client(follow_redirects=False, transport=transport, trust_env=False)

    def close(self) -> None:
        self.client.close()

    def body_for(self, hook: Webhook, message: dict[str, Any]) -> bytes:
        """The exact bytes posted (the signature covers them)."""
        data = slack_payload(message) if hook.format == "slack" else message
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def send(self, hook: Webhook, message: dict[str, Any]) -> Delivery:
        """Deliver `message` (an envelope as JSON) to `hook`, retrying transient failures."""
        try:
            check_destination(hook.url, hook.allow_private or self.allow_private)
        except UnsafeURL as exc:
            log.error("webhook %s refused: %s", hook.name, exc)
            return Delivery(hook.name, False, 0, error=str(exc))
        body = self.body_for(hook, message)
        attempts = 0
        status: int | None = None
        error: str | None = None
        for attempt in range(hook.retries + 1):
            attempts = attempt + 1
            timestamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", "User-Agent": self.user_agent,
                       TIMESTAMP_HEADER: timestamp, MESSAGE_ID_HEADER: str(message.get("message_id", "")),
                       **hook.headers}
            if hook.secret:
                headers[SIGNATURE_HEADER] = sign(hook.secret, timestamp, body)
            retry = True
            try:
                response = self.client.post(hook.url, content=body, headers=headers, timeout=hook.timeout)
                status = response.status_code
                if 200 <= status < 300:
                    return Delivery(hook.name, True, attempts, status)
                error = f"HTTP {status}"
                retry = status in _RETRY_STATUS
            except httpx.TimeoutException as exc:
                status, error = None, f"timeout after {hook.timeout:g}s ({type(exc).__name__})"
            except httpx.HTTPError as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
            log.warning("webhook %s attempt %d/%d failed: %s", hook.name, attempts, hook.retries + 1, error)
            if not retry or attempt == hook.retries:
                break
            self.sleep(hook.backoff * (2 ** attempt) * (0.5 + random.random()))
        return Delivery(hook.name, False, attempts, status, error)
