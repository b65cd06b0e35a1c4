"""The hardened HTTP client against local servers: SSRF rules, caps, deadline, errors, charsets."""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from pathlib import Path

import pytest
from test_http_support import LocalServer, Reply, loopback_alias_available, server  # noqa: F401

from config.settings import Settings
from worker.errors import PermanentError, RateLimited, TooLarge, TransientError, UnsafeURL
from worker.http import HttpClient, HttpPermanent, HttpTransient, decode_body


def strict(settings: Settings) -> Settings:
    """The production default: private addresses refused."""
    return settings.with_overrides(allow_private_addresses=False)


# --- SSRF ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost/", "http://[::1]/", "http://0.0.0.0/", "http://10.1.2.3/",
    "http://192.168.0.1/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/", "http://[fc00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/", "http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/",
])
def test_non_public_addresses_are_refused(settings: Settings, url: str) -> None:
    with HttpClient(strict(settings)) as client:
        with pytest.raises(UnsafeURL) as info:
            client.get(url)
    assert info.value.reason in ("private_address", "bad_url")


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)",
                                 "data:text/plain,hi", "http:///nohost"])
def test_only_http_and_https(settings: Settings, url: str) -> None:
    with HttpClient(settings) as client:
        with pytest.raises(UnsafeURL):
            client.get(url)


def test_loopback_refused_by_default_even_when_server_is_real(settings: Settings, server: LocalServer) -> None:
    server.routes["/x"] = Reply(200, b"secret")
    with HttpClient(strict(settings)) as client:
        with pytest.raises(UnsafeURL):
            client.get(server.url("/x"))
    assert server.requests == []  # refused before any byte was sent


@pytest.mark.skipif(not loopback_alias_available(), reason="needs 127.0.0.2 (Linux loopback range)")
def test_redirect_to_internal_host_is_refused_on_that_hop(settings: Settings) -> None:
    # 127.0.0.2 plays a public site; 127.0.0.1 plays the internal service it redirects to.
    public = LocalServer("127.0.0.2").start()
    internal = LocalServer("127.0.0.1").start()
    try:
        internal.routes["/admin"] = Reply(200, b"internal secrets")
        public.routes["/feed"] = Reply(302, headers={"Location": internal.url("/admin")})
        public.routes["/ok"] = Reply(200, b"fine")
        client = HttpClient(strict(settings), address_allowed=lambda ip: ip == "127.0.0.2")
        assert client.get(public.url("/ok")).body == b"fine"
        with pytest.raises(UnsafeURL) as info:
            client.get(public.url("/feed"))
        assert "127.0.0.1" in str(info.value)
        assert internal.requests == []
        client.close()
    finally:
        public.stop()
        internal.stop()


@pytest.mark.skipif(not loopback_alias_available(), reason="needs 127.0.0.2 (Linux loopback range)")
def test_hostname_resolving_to_private_address_and_dns_rebinding(settings: Settings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolution happens once per connection and the checked address is the one connected to."""
    srv = LocalServer("127.0.0.2").start()
    srv.routes["/feed"] = Reply(200, b"ok")
    answers = ["127.0.0.2", "127.0.0.1"]  # first public-looking, then rebinds to internal
    real = socket.getaddrinfo

    def fake_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "rebind.test":
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        if host == "mixed.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    policy = lambda ip: ip == "127.0.0.2"  # noqa: E731
    try:
        with HttpClient(strict(settings), address_allowed=policy) as client:
            assert client.get(f"http://rebind.test:{srv.port}/feed").body == b"ok"
        with HttpClient(strict(settings), address_allowed=policy) as client:  # new connection, new lookup
            with pytest.raises(UnsafeURL):
                client.get(f"http://rebind.test:{srv.port}/feed")
            with pytest.raises(UnsafeURL):  # one bad answer among good ones is enough to refuse
                client.get(f"http://mixed.test:{srv.port}/feed")
        assert len(srv.requests) == 1
    finally:
        srv.stop()


def test_allow_private_addresses_setting(settings: Settings, server: LocalServer) -> None:
    server.routes["/x"] = Reply(200, b"hello")
    assert settings.allow_private_addresses
    with HttpClient(settings) as client:
        assert client.get(server.url("/x")).body == b"hello"


# --- caps ----------------------------------------------------------------------------------

def test_gzip_bomb_is_cut_off(settings: Settings, server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=9)  # 40 MB -> ~40 KB on the wire
    server.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/xml"})
    small = settings.with_overrides(max_body_bytes=1024 * 1024)
    started = time.monotonic()
    with HttpClient(small) as client:
        with pytest.raises(TooLarge):
            client.get(server.url("/bomb"))
    assert time.monotonic() - started < 3


def test_deflate_and_stacked_encodings(settings: Settings, server: LocalServer) -> None:
    raw = zlib.compressobj(wbits=-15)
    raw_deflate = raw.compress(b"raw deflate body") + raw.flush()
    server.routes["/zlib"] = Reply(200, zlib.compress(b"zlib body"), {"Content-Encoding": "deflate"})
    server.routes["/raw"] = Reply(200, raw_deflate, {"Content-Encoding": "deflate"})
    server.routes["/two"] = Reply(200, gzip.compress(gzip.compress(b"twice")), {"Content-Encoding": "gzip, gzip"})
    server.routes["/multi"] = Reply(200, gzip.compress(b"one ") + gzip.compress(b"two"), {"Content-Encoding": "gzip"})
    with HttpClient(settings) as client:
        assert client.get(server.url("/zlib")).body == b"zlib body"
        assert client.get(server.url("/raw")).body == b"raw deflate body"
        assert client.get(server.url("/two")).body == b"twice"
        assert client.get(server.url("/multi")).body == b"one two"


def test_plain_body_over_cap(settings: Settings, server: LocalServer) -> None:
    server.routes["/big"] = Reply(200, b"x" * 300_000)
    with HttpClient(settings.with_overrides(max_body_bytes=100_000)) as client:
        with pytest.raises(TooLarge):
            client.get(server.url("/big"))


def test_trickling_server_hits_the_total_deadline(settings: Settings, server: LocalServer) -> None:
    server.routes["/slow"] = Reply(200, b"x" * 1000, trickle=0.2)  # a byte every 0.2 s: 200 s in all
    quick = settings.with_overrides(request_deadline=1.5)
    started = time.monotonic()
    with HttpClient(quick) as client:
        with pytest.raises(TransientError) as info:
            client.get(server.url("/slow"))
    elapsed = time.monotonic() - started
    assert info.value.reason == "deadline_exceeded"
    assert elapsed < 2.5


def test_server_that_never_answers(settings: Settings, server: LocalServer) -> None:
    server.routes["/hang"] = Reply(200, b"late", delay=5)
    started = time.monotonic()
    with HttpClient(settings.with_overrides(request_deadline=1.0)) as client:
        with pytest.raises(TransientError) as info:
            client.get(server.url("/hang"))
    assert info.value.reason == "deadline_exceeded"
    assert time.monotonic() - started < 2.0


def test_redirect_limit_and_history(settings: Settings, server: LocalServer) -> None:
    for i in range(10):
        server.routes[f"/r{i}"] = Reply(301, headers={"Location": f"/r{i + 1}"})
    server.routes["/r10"] = Reply(200, b"end")
    server.routes["/a"] = Reply(301, headers={"Location": "/b"})
    server.routes["/b"] = Reply(308, headers={"Location": server.url("/c")})
    server.routes["/c"] = Reply(200, b"c")
    with HttpClient(settings.with_overrides(max_redirects=3)) as client:
        with pytest.raises(PermanentError) as info:
            client.get(server.url("/r0"))
        assert info.value.reason == "too_many_redirects"
        response = client.get(server.url("/a"))
    assert response.final_url == server.url("/c")
    assert [s for s, _ in response.redirects] == [301, 308]
    assert response.permanently_moved


def test_redirect_to_other_scheme_refused(settings: Settings, server: LocalServer) -> None:
    server.routes["/f"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    with HttpClient(settings) as client:
        with pytest.raises(UnsafeURL):
            client.get(server.url("/f"))


# --- statuses and errors -------------------------------------------------------------------

def test_status_errors_are_translated(settings: Settings, server: LocalServer) -> None:
    server.routes["/429"] = Reply(429, headers={"Retry-After": "120"})
    server.routes["/503"] = Reply(503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    server.routes["/500"] = Reply(500)
    server.routes["/404"] = Reply(404)
    with HttpClient(settings) as client:
        with pytest.raises(RateLimited) as limited:
            client.get(server.url("/429"))
        assert limited.value.retry_after == 120
        with pytest.raises(RateLimited) as limited:
            client.get(server.url("/503"))
        assert limited.value.retry_after and limited.value.retry_after > 86400
        server.routes["/429b"] = Reply(429, headers={"Retry-After": "\u00b2"})  # a digit float() refuses
        with pytest.raises(RateLimited) as limited:
            client.get(server.url("/429b"))
        assert limited.value.retry_after is None
        with pytest.raises(HttpTransient) as transient:
            client.get(server.url("/500"))
        assert transient.value.status == 500
        with pytest.raises(HttpPermanent) as permanent:
            client.get(server.url("/404"))
        assert permanent.value.reason == "http_404"


def test_connection_refused_and_dns_failure_are_transient(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    with HttpClient(settings) as client:
        with pytest.raises(TransientError) as info:
            client.get(f"http://127.0.0.1:{port}/")
        assert info.value.reason == "connect_error"
        with pytest.raises(TransientError) as info:
            client.get("http://no-such-host.invalid/")
        assert info.value.reason == "dns_error"


def test_garbage_response_is_a_translated_error(settings: Settings, server: LocalServer) -> None:
    server.routes["/junk"] = Reply(raw=b"this is not HTTP at all\r\n\r\n")
    with HttpClient(settings) as client:
        with pytest.raises(TransientError) as info:
            client.get(server.url("/junk"))
    assert info.value.reason == "protocol_error"


def test_user_agent_and_headers(settings: Settings, server: LocalServer) -> None:
    server.routes["/ua"] = Reply(200, b"ok", {"X-Thing": "1"})
    custom = settings.with_overrides(user_agent="newsworker-test/9 (+https://example.org)")
    with HttpClient(custom) as client:
        response = client.get(server.url("/ua"), headers={"If-None-Match": '"abc"'})
    sent = server.requests[-1].headers
    assert sent["user-agent"] == "newsworker-test/9 (+https://example.org)"
    assert sent["if-none-match"] == '"abc"'
    assert "gzip" in sent["accept-encoding"]
    assert response.headers["x-thing"] == "1"


# --- decoding ------------------------------------------------------------------------------

def test_text_uses_declared_charset_then_detection(settings: Settings, server: LocalServer) -> None:
    text = "Überfall in Köln: «Zeugen» gesucht — Polizei"
    server.routes["/latin"] = Reply(200, text.encode("iso-8859-1", "replace"),
                                    {"Content-Type": "text/html; charset=ISO-8859-1"})
    server.routes["/meta"] = Reply(200, b'<html><head><meta charset="windows-1251"></head>' +
                                   "Атака".encode("cp1251"), {"Content-Type": "text/html"})
    server.routes["/wrong"] = Reply(200, text.encode("utf-8"), {"Content-Type": "text/html; charset=us-ascii"})
    with HttpClient(settings) as client:
        assert "Köln" in client.get(server.url("/latin")).text()
        assert "Атака" in client.get(server.url("/meta")).text()
        assert client.get(server.url("/wrong")).text() == text  # wrong declaration: fall back


def test_decode_body_never_raises() -> None:
    assert decode_body(b"") == ""
    assert decode_body(b"\xff\xfe\x00\x00garbage\x80\x81", "text/html; charset=no-such-codec")
    assert decode_body("Grüße".encode("cp1252") * 50) .startswith("Gr")


# --- TLS -----------------------------------------------------------------------------------

def _make_cert(tmp: Path, name: str) -> tuple[str, str]:
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    key, cert = tmp / "key.pem", tmp / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return str(key), str(cert)


def test_https_connects_to_the_checked_ip_with_sni_and_verifies_the_name(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl
    import threading

    key, cert = _make_cert(tmp_path, "tls.test")
    srv = LocalServer()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    sni_seen: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: sni_seen.append(name)  # type: ignore[assignment,misc]
    srv.httpd.socket = server_ctx.wrap_socket(srv.httpd.socket, server_side=True)
    srv.routes["/feed"] = Reply(200, b"over tls")
    threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in ("tls.test", "other.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    client_ctx = ssl.create_default_context(cafile=cert)
    try:
        with HttpClient(settings, ssl_context=client_ctx) as client:
            response = client.get(f"https://tls.test:{srv.port}/feed")
            assert response.body == b"over tls" and response.peer == "127.0.0.1"
            assert sni_seen[-1] == "tls.test"
            with pytest.raises(TransientError) as info:  # certificate for another name
                client.get(f"https://other.test:{srv.port}/feed")
            assert info.value.reason == "tls_error"
        with HttpClient(strict(settings), ssl_context=client_ctx) as client:  # the name maps to loopback
            with pytest.raises(UnsafeURL):
                client.get(f"https://tls.test:{srv.port}/feed")
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
