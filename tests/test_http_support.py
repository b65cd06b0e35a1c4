"""A programmable local HTTP server standing in for the open internet (imported by the feed tests).

Routes map a path to a handler `(request) -> Reply`; every request is recorded so tests can
assert on what the client sent (conditional headers, User-Agent) and on concurrency.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0               # sleep before answering
    trickle: float | None = None     # seconds between body bytes (a slow-loris server)
    raw: bytes | None = None         # send these bytes verbatim instead of a proper response


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    started: float
    finished: float = 0.0


Handler = Callable[["Seen"], Reply]


class LocalServer:
    """ThreadingHTTPServer on 127.0.0.1 (or another loopback address) in a daemon thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Handler | Reply] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 64 * 1024  # headers and body in one write: no Nagle/delayed-ACK stall per response

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with server._lock:
                    server.requests.append(seen)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    route = server.routes.get(self.path.split("?")[0]) or server.routes.get("*")
                    reply = route(seen) if callable(route) else (route or Reply(404, b"not found"))
                    if reply.delay:
                        time.sleep(reply.delay)
                    if reply.raw is not None:
                        self.wfile.write(reply.raw)
                        self.close_connection = True
                        return
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.trickle is not None:
                        for i in range(len(reply.body)):
                            self.wfile.write(reply.body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    seen.finished = time.monotonic()
                    with server._lock:
                        server.in_flight -= 1

        class _Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

        self.httpd = _Server((host, 0), _Handler)
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?")[0] == path]

    def start(self) -> "LocalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    srv = LocalServer().start()
    yield srv
    srv.stop()


def loopback_alias_available(address: str = "127.0.0.2") -> bool:
    """Linux routes all of 127/8 to loopback; elsewhere only 127.0.0.1 may exist."""
    try:
        with socket.socket() as sock:
            sock.bind((address, 0))
        return True
    except OSError:
        return False


def rss(items: list[dict[str, str]], *, extra_channel: str = "", title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document from dicts with guid/link/title/pubDate."""
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            f'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>{title}</title>'
            f"<link>http://news.test/</link>{extra_channel}{''.join(parts)}</channel></rss>").encode()
