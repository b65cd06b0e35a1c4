"""The one hardened HTTP client: every byte newsworker fetches from the internet comes through here.

Guarantees (feedparser and trafilatura never fetch anything themselves):
- only http/https, at most `max_redirects` hops, each hop re-checked;
- the address check happens inside the connect call, on the IP actually connected to
  (resolve once, refuse if any answer is non-public, connect to that IP; TLS still uses the
  host name for SNI and certificate checks), so DNS rebinding and redirects to internal hosts fail;
- a connect timeout and one total deadline per request (redirects included) that also bounds
  every socket read, so a server trickling a byte a second is cut off;
- a body cap counted after decompression, decompressing in bounded steps (gzip bombs stop early);
- library exceptions are translated here into worker.errors.

    TransientError  <- timeouts, connection/DNS/protocol failures, 408/425/5xx (HttpTransient)
      RateLimited   <- 429/503 with the parsed Retry-After (HttpRateLimited)
    PermanentError  <- other 4xx (HttpPermanent), too many redirects, undecodable body
      UnsafeURL     <- bad scheme, non-public address
      TooLarge      <- body over max_body_bytes
"""

from __future__ import annotations

import contextvars
import email.utils
import logging
import socket
import ssl
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urljoin

import certifi
import httpcore
import httpx
from httpcore._backends.sync import SyncStream

from config.settings import Settings
from worker.errors import (
    PermanentError,
    RateLimited,
    TooLarge,
    TransientError,
    UnsafeURL,
)
from worker.urls import check_scheme, describe_address, is_public_address

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
_READ_CHUNK = 64 * 1024

# Deadline (time.monotonic) of the request running in this thread/context; streams clamp to it.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("newsworker_http_deadline", default=None)

# getaddrinfo has no timeout of its own; run it in a small pool so the deadline bounds it too.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="nw-dns")


class HttpTransient(TransientError):
    """A retryable HTTP status (408, 425, 5xx)."""

    def __init__(self, message: str, *, status: int, url: str) -> None:
        super().__init__(message, reason=f"http_{status}")
        self.status = status
        self.url = url


class HttpRateLimited(RateLimited):
    """429 or 503: the server asked us to wait `retry_after` seconds (None when it did not say)."""

    def __init__(self, message: str, *, status: int, url: str, retry_after: float | None) -> None:
        super().__init__(message, retry_after=retry_after, reason=f"http_{status}")
        self.status = status
        self.url = url


class HttpPermanent(PermanentError):
    """A status retrying will not fix (404, 410, 401, 403, 451, ...)."""

    def __init__(self, message: str, *, status: int, url: str) -> None:
        super().__init__(message, reason=f"http_{status}")
        self.status = status
        self.url = url


@dataclass(frozen=True)
class Response:
    """A completed fetch: final URL, status, lower-case headers and the decompressed, capped body."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[tuple[int, str]] = field(default_factory=list)
    elapsed: float = 0.0
    peer: str | None = None

    @property
    def permanently_moved(self) -> bool:
        """True when every redirect hop was permanent (301/308): the stored URL should change."""
        return bool(self.redirects) and all(status in PERMANENT_REDIRECTS for status, _ in self.redirects)

    def text(self) -> str:
        """The body as text: declared charset, else BOM/meta/XML declaration, else detection."""
        return decode_body(self.body, self.headers.get("content-type", ""))


# ---------------------------------------------------------------------------------------------
# charset handling


def _charset_from_content_type(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'").strip()
            return value or None
    return None


def _usable_codec(name: str | None) -> str | None:
    if not name:
        return None
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _sniffed_charset(body: bytes) -> str | None:
    """Charset from a BOM, an XML declaration or an HTML meta tag in the first bytes."""
    import re

    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = body[:4096]
    match = re.search(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._:-]+)[\"']", head)
    if match is None:
        match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9._:-]+)", head, re.I)
    return match.group(1).decode("ascii") if match else None


def decode_body(body: bytes, content_type: str = "") -> str:
    """Decode bytes to str: declared charset, then sniffed, then UTF-8, then charset detection."""
    if not body:
        return ""
    for candidate in (_charset_from_content_type(content_type), _sniffed_charset(body)):
        codec = _usable_codec(candidate)
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue  # a wrong declaration is common; fall through to detection
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    if best is not None:
        try:
            return body.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return body.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# the guarded network backend


def _remaining(deadline: float | None, timeout: float | None) -> float | None:
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("request deadline exceeded")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read/write is bounded by the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, peer: str) -> None:
        self._inner = inner
        self.peer = peer

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(_deadline.get(), timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(_deadline.get(), timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        wrapped = self._inner.start_tls(ssl_context, server_hostname, _remaining(_deadline.get(), timeout))
        return _DeadlineStream(wrapped, self.peer)

    def get_extra_info(self, info: str) -> Any:
        if info == "newsworker_peer":
            return self.peer
        return self._inner.get_extra_info(info)


AddressPolicy = Callable[[str], bool]


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolve once, refuse non-public answers, connect to the checked IP itself."""

    def __init__(self, allowed: AddressPolicy | None) -> None:
        self._allowed = allowed  # None: every address allowed (NEWSWORKER_ALLOW_PRIVATE_ADDRESSES=1)

    def _resolve(self, host: str, port: int, timeout: float | None) -> list[tuple[int, str]]:
        future = _resolver.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=timeout)
        except FutureTimeout:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from None
        except (socket.gaierror, UnicodeError) as exc:
            raise _DnsError(f"cannot resolve {host}: {exc}") from None
        seen: list[tuple[int, str]] = []
        for family, _, _, _, sockaddr in infos:
            entry = (family, str(sockaddr[0]))
            if entry not in seen:
                seen.append(entry)
        return seen

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        timeout = _remaining(_deadline.get(), timeout)
        addresses = self._resolve(host, port, timeout)
        if not addresses:
            raise _DnsError(f"cannot resolve {host}: no addresses")
        if self._allowed is not None:
            # Refuse when ANY answer is internal: a mixed answer is how rebinding attacks start.
            for _, address in addresses:
                if not self._allowed(address):
                    raise UnsafeURL(f"refusing {host}: resolves to non-public address {address} "
                                    f"({describe_address(address)})", reason="private_address")
        last_exc: Exception | None = None
        for family, address in addresses:
            try:
                sock = socket.socket(family, socket.SOCK_STREAM)
                try:
                    sock.settimeout(_remaining(_deadline.get(), timeout))
                    sock.connect((address, port))
                    peer = str(sock.getpeername()[0])
                    # Belt and braces: the socket is connected to exactly the address we checked.
                    if self._allowed is not None and not self._allowed(peer):
                        raise UnsafeURL(f"refusing {host}: connected to non-public {peer}", reason="private_address")
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except BaseException:
                    sock.close()
                    raise
                return _DeadlineStream(SyncStream(sock), peer)
            except socket.timeout as exc:
                last_exc = httpcore.ConnectTimeout(f"connect to {host} ({address}) timed out: {exc}")
            except OSError as exc:
                last_exc = httpcore.ConnectError(f"connect to {host} ({address}) failed: {exc}")
        assert last_exc is not None
        raise last_exc

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise UnsafeURL("unix sockets are not fetched", reason="bad_scheme")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DnsError(httpcore.ConnectError):
    """Name resolution failed (kept apart so the status can say 'dns' rather than 'connect')."""


# ---------------------------------------------------------------------------------------------
# decompression with a cap


class _Decoder:
    """Bounded streaming decoder for gzip/deflate (possibly stacked); identity passes through."""

    def __init__(self, encodings: list[str], cap: int, url: str) -> None:
        self._cap = cap
        self._url = url
        self._stages: list[Any] = []
        for enc in reversed(encodings):  # the last applied encoding is undone first
            if enc in ("gzip", "x-gzip"):
                self._stages.append(["gzip", zlib.decompressobj(16 + zlib.MAX_WBITS)])
            elif enc == "deflate":
                self._stages.append(["deflate", zlib.decompressobj()])
            elif enc in ("identity", ""):
                continue
            else:
                raise PermanentError(f"unsupported Content-Encoding {enc!r} from {url}", reason="bad_encoding")

    def _stage(self, index: int, data: bytes, budget: int) -> bytes:
        kind, dec = self._stages[index]
        out = bytearray()
        pending = data
        while pending:
            try:
                chunk = dec.decompress(pending, budget - len(out) + 1)
            except zlib.error:
                if kind == "deflate" and not out and dec.unused_data == b"":
                    # Some servers send raw deflate without the zlib header.
                    dec = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._stages[index][1] = dec
                    chunk = dec.decompress(pending, budget - len(out) + 1)
                    kind = self._stages[index][0] = "raw-deflate"
                else:
                    raise PermanentError(f"corrupt {kind} body from {self._url}", reason="bad_encoding") from None
            out += chunk
            if len(out) > budget:
                raise TooLarge(f"body of {self._url} exceeds {self._cap} bytes after decompression",
                               reason="too_large")
            pending = dec.unconsumed_tail
            if dec.eof and dec.unused_data and kind == "gzip":
                # Concatenated gzip members are legal; start the next member.
                pending = dec.unused_data
                dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._stages[index][1] = dec
        return bytes(out)

    def feed(self, data: bytes, budget: int) -> bytes:
        for index in range(len(self._stages)):
            data = self._stage(index, data, budget)
        return data


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP date (Expires, Retry-After, Date) as an aware datetime; None when absent or invalid."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date (None when absent/invalid)."""
    if not value:
        return None
    value = value.strip()
    if value.isdecimal():  # (not isdigit: "²" is a digit float() refuses)
        return float(value)
    when = parse_http_date(value)
    return None if when is None else max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _headers_dict(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers and key != "set-cookie" else text
    return headers


class HttpClient:
    """Thread-safe hardened client with a keep-alive pool; build one per process and reuse it."""

    def __init__(self, settings: Settings, *, max_connections: int = 64,
                 address_allowed: AddressPolicy | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        """`address_allowed` replaces the public-address rule and `ssl_context` the CA bundle (both for tests
        standing in for the internet)."""
        self.settings = settings
        policy: AddressPolicy | None = address_allowed or is_public_address
        if settings.allow_private_addresses and address_allowed is None:
            policy = None
        ssl_context = ssl_context or ssl.create_default_context(cafile=certifi.where())
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=max_connections, max_keepalive_connections=max_connections,
            keepalive_expiry=30.0, http1=True, http2=False, retries=0,
            network_backend=_GuardedBackend(policy),
        )

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, headers: Mapping[str, str] | None = None, max_bytes: int | None = None) -> Response:
        """GET `url` following safe redirects; raise a worker.errors exception on any failure."""
        started = time.monotonic()
        deadline = started + self.settings.request_deadline
        token = _deadline.set(deadline)
        try:
            return self._get(url, headers or {}, deadline, started, max_bytes or self.settings.max_body_bytes)
        finally:
            _deadline.reset(token)

    def _request_headers(self, parsed: httpx.URL, extra: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
        host = parsed.raw_host.decode("ascii")
        if ":" in host:
            host = f"[{host}]"
        if parsed.port is not None:
            host += f":{parsed.port}"
        merged = {"host": host, "user-agent": self.settings.user_agent, "accept": "*/*",
                  "accept-encoding": "gzip, deflate", "connection": "keep-alive"}
        for name, value in extra.items():
            merged[name.lower()] = value
        return [(k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in merged.items()]

    def _get(self, url: str, extra: Mapping[str, str], deadline: float, started: float, cap: int) -> Response:
        redirects: list[tuple[int, str]] = []
        current = url.strip()
        while True:
            check_scheme(current)
            try:
                parsed = httpx.URL(current)
            except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
                raise UnsafeURL(f"malformed URL {current!r}: {exc}", reason="bad_url") from None
            target = httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port,
                                  target=parsed.raw_path)
            left = deadline - time.monotonic()
            timeouts = {"connect": min(self.settings.connect_timeout, max(left, 0.01)), "read": max(left, 0.01),
                        "write": max(left, 0.01), "pool": max(left, 0.01)}
            with self._translate(current, deadline):
                with self._pool.stream("GET", target, headers=self._request_headers(parsed, extra),
                                       extensions={"timeout": timeouts}) as raw:
                    status = raw.status
                    headers = _headers_dict(raw.headers)
                    network_stream = raw.extensions.get("network_stream")
                    peer = network_stream.get_extra_info("newsworker_peer") if network_stream else None
                    if status in REDIRECT_STATUSES and headers.get("location"):
                        nxt = urljoin(current, headers["location"].strip())
                        redirects.append((status, nxt))
                        if len(redirects) > self.settings.max_redirects:
                            raise PermanentError(f"more than {self.settings.max_redirects} redirects from {url}",
                                                 reason="too_many_redirects")
                        check_scheme(nxt)
                        current = nxt
                        continue
                    self._raise_for_status(status, headers, current)
                    body = self._read_body(raw.iter_stream(), headers, cap, current, deadline)
            return Response(url=url, final_url=current, status=status, headers=headers, body=body,
                            redirects=redirects, elapsed=time.monotonic() - started, peer=peer)

    @staticmethod
    def _raise_for_status(status: int, headers: Mapping[str, str], url: str) -> None:
        if status < 400:
            return
        if status in (429, 503):
            retry_after = _parse_retry_after(headers.get("retry-after"))
            raise HttpRateLimited(f"HTTP {status} from {url}" + (f" (Retry-After {retry_after:.0f}s)"
                                                                 if retry_after is not None else ""),
                                  status=status, url=url, retry_after=retry_after)
        if status in (408, 425) or status >= 500:
            raise HttpTransient(f"HTTP {status} from {url}", status=status, url=url)
        raise HttpPermanent(f"HTTP {status} from {url}", status=status, url=url)

    def _read_body(self, chunks: Iterator[bytes], headers: Mapping[str, str], cap: int, url: str,
                   deadline: float) -> bytes:
        length = headers.get("content-length", "").strip()
        encodings = [e.strip().lower() for e in headers.get("content-encoding", "").split(",") if e.strip()]
        if length.isdecimal() and int(length) > cap and not encodings:
            raise TooLarge(f"{url} declares {length} bytes, over the {cap}-byte cap", reason="too_large")
        decoder = _Decoder(encodings, cap, url)
        body = bytearray()
        raw_total = 0
        for chunk in chunks:
            raw_total += len(chunk)
            if raw_total > cap:
                raise TooLarge(f"body of {url} exceeds {cap} bytes", reason="too_large")
            body += decoder.feed(chunk, cap - len(body))
            if time.monotonic() > deadline:
                raise TransientError(f"{url}: deadline of {self.settings.request_deadline:.0f}s exceeded "
                                     "while reading the body", reason="deadline_exceeded")
        return bytes(body)

    class _translate:
        """Context manager mapping httpcore/socket exceptions to worker.errors."""

        def __init__(self, url: str, deadline: float) -> None:
            self.url = url
            self.deadline = deadline

        def __enter__(self) -> None:
            return None

        def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
            if exc is None or isinstance(exc, (TransientError, PermanentError)):
                return False
            if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                return False
            late = time.monotonic() >= self.deadline - 0.01
            if isinstance(exc, _DnsError):
                raise TransientError(str(exc), reason="dns_error") from None
            if isinstance(exc, httpcore.ConnectTimeout):
                raise TransientError(f"{self.url}: connect timed out", reason="connect_timeout") from None
            if isinstance(exc, httpcore.TimeoutException) or late:
                raise TransientError(f"{self.url}: deadline exceeded ({exc})", reason="deadline_exceeded") from None
            if isinstance(exc, httpcore.ConnectError):
                if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                    raise TransientError(f"{self.url}: TLS failure: {exc}", reason="tls_error") from None
                raise TransientError(f"{self.url}: {exc}", reason="connect_error") from None
            if isinstance(exc, (httpcore.RemoteProtocolError, httpcore.LocalProtocolError)):
                raise TransientError(f"{self.url}: protocol error: {exc}", reason="protocol_error") from None
            if isinstance(exc, httpcore.UnsupportedProtocol):
                raise UnsafeURL(f"{self.url}: unsupported protocol", reason="bad_scheme") from None
            if isinstance(exc, (httpcore.NetworkError, OSError)):
                raise TransientError(f"{self.url}: network error: {exc}", reason="network_error") from None
            if isinstance(exc, (ValueError, UnicodeError, TypeError, httpcore.ProtocolError)):
                raise PermanentError(f"{self.url}: cannot fetch: {exc}", reason="bad_url") from None
            log.exception("unexpected error fetching %s", self.url)
            raise TransientError(f"{self.url}: unexpected {type(exc).__name__}: {exc}", reason="unexpected") from None
