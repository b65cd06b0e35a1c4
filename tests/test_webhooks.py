"""Webhooks against local HTTP receivers: signed payloads, Slack format, retries, failures reported on ops."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
import yaml

from worker.alerts import AlertConfig, AlertService
from worker.models import Alert, Casualties, Event, Incident, Location, Source
from worker.stream import Publisher, decode_entry, make_envelope, message_id
from worker.webhooks import (SIGNATURE_HEADER, TIMESTAMP_HEADER, Webhook, WebhookSender, sign,
                             verify_signature)

SECRET = "s3cret-for-tests"


class Receiver:
    """A local HTTP server answering `status` and recording what it got."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(({k: v for k, v in self.headers.items()}, body))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture()
def failing() -> Iterator[Receiver]:
    r = Receiver(status=503)
    yield r
    r.close()


def _incident(killed: int = 40) -> Incident:
    now = datetime.now(timezone.utc)
    return Incident(incident_id="hooked", event=Event(article_id="a", is_incident=True, event_type="bombing",
                                                      location=Location(name="Gao", country="ML"),
                                                      casualties=Casualties(killed=killed)),
                    sources=[Source(url="http://x/1", title="Blast in Gao")], n_outlets=2, first_seen=now,
                    last_seen=now)


def _config(*hooks: dict) -> AlertConfig:
    names = [h["name"] for h in hooks]
    return AlertConfig.parse(yaml.safe_load(json.dumps({
        "rules": [{"name": "big", "match": {"killed_at_least": 10}, "webhooks": names}],
        "webhooks": list(hooks), "ops": {"webhooks": names}})))


def _publish(redis_client, keys, settings) -> None:
    inc = _incident()
    env = make_envelope("incident.created", inc.model_dump(mode="json"), msg_id=message_id("incident", "hooked", 1))
    Publisher(redis_client, keys, settings).publish(keys.incidents_stream, env)


def test_receiver_gets_a_correctly_signed_payload(redis_client, keys, settings, receiver):
    hook = {"name": "generic", "url": receiver.url, "secret": SECRET, "allow_private": True}
    service = AlertService(redis_client, keys, settings, _config(hook), start="0", block=0.05, watch=False)
    _publish(redis_client, keys, settings)
    service.drain()
    service.drain()  # a second round sends nothing more
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert verify_signature(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify_signature("wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify_signature(SECRET, headers[TIMESTAMP_HEADER], body + b" ", headers[SIGNATURE_HEADER])
    message = json.loads(body)
    assert message["type"] == "alert.fired" and headers["X-Newsworker-Message-Id"] == message["message_id"]
    alert = Alert.model_validate(message["payload"])
    assert alert.rule == "big" and alert.incident_id == "hooked" and "Gao, ML" in alert.summary
    service.close()


def test_failing_receiver_is_retried_then_reported_on_ops(redis_client, keys, settings, failing):
    hook = {"name": "flaky", "url": failing.url, "secret": SECRET, "allow_private": True, "retries": 2,
            "backoff": 0.01, "timeout": 2}
    service = AlertService(redis_client, keys, settings, _config(hook), start="0", block=0.05, watch=False)
    _publish(redis_client, keys, settings)
    service.drain()
    assert len(failing.requests) == 3  # first attempt + 2 retries, no more: the failure is not re-sent
    ops = [decode_entry(f) for _, f in redis_client.xrange(keys.ops_stream)]
    assert [e.type for e in ops] == ["ops.webhook_failure"]
    assert ops[0].payload["details"]["attempts"] == 3 and "HTTP 503" in ops[0].payload["summary"]
    # The failure reaches the alerts stream as an ops alert, but is not posted to the webhook again.
    alerts = [decode_entry(f).payload for _, f in redis_client.xrange(keys.alerts_stream)]
    assert [a["rule"] for a in alerts] == ["big", "ops.webhook_failure"]
    service.close()


def test_private_address_refused_unless_allowed(redis_client, keys, settings, receiver):
    strict = settings.with_overrides(allow_private_addresses=False)
    hook = {"name": "internal", "url": receiver.url}
    service = AlertService(redis_client, keys, strict, _config(hook), start="0", block=0.05, watch=False)
    _publish(redis_client, keys, settings)
    service.drain()
    assert receiver.requests == []
    [event] = [decode_entry(f) for _, f in redis_client.xrange(keys.ops_stream)]
    assert "non-public address" in event.payload["summary"]
    service.close()


def test_slack_format_and_no_retry_on_client_error(receiver):
    sender = WebhookSender(allow_private=True, sleep=lambda s: None)
    hook = Webhook(name="slack", url=receiver.url, format="slack", secret=SECRET)
    message = {"message_id": "m1", "type": "alert.fired",
               "payload": {"rule": "big", "summary": "bombing in Gao", "severity": "critical",
                           "escalation": ["killed rose from 12 to 30 (crossed 25)"]}}
    delivery = sender.send(hook, message)
    assert delivery.ok and delivery.attempts == 1
    body = json.loads(receiver.requests[0][1])
    assert body["text"].startswith(":rotating_light: *big*: bombing in Gao")
    assert "escalated" in body["text"] and body["blocks"][0]["type"] == "section"
    receiver.status = 404
    delivery = sender.send(hook, message)
    assert not delivery.ok and delivery.attempts == 1 and delivery.error == "HTTP 404"
    sender.close()


def test_unreachable_receiver_times_out_and_is_retried():
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)  # accepts connections but never answers
    sleeps: list[float] = []
    sender = WebhookSender(allow_private=True, sleep=sleeps.append)
    try:
        hook = Webhook(name="slow", url=f"http://127.0.0.1:{sock.getsockname()[1]}/", timeout=0.3, retries=1)
        delivery = sender.send(hook, {"message_id": "m"})
    finally:
        sock.close()
        sender.close()
    assert not delivery.ok and delivery.attempts == 2 and "timeout" in (delivery.error or "")
    assert len(sleeps) == 1


def test_signature_rejects_stale_timestamps():
    body = b'{"a":1}'
    sig = sign(SECRET, "1000", body)
    assert verify_signature(SECRET, "1000", body, sig, now=1100)
    assert not verify_signature(SECRET, "1000", body, sig, now=2000)
    assert not verify_signature(SECRET, "not-a-time", body, sig)
