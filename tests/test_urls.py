"""URL canonicalisation and the address rules."""

from __future__ import annotations

from datetime import date

import pytest

from worker.errors import UnsafeURL
from worker.urls import canonicalize_url, check_scheme, host_of, is_public_address, written_date


@pytest.mark.parametrize("raw, expected", [
    ("HTTP://Example.COM:80/a/b?x=1", "http://example.com/a/b?x=1"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com:8443/p", "https://example.com:8443/p"),
    ("https://example.com/p?utm_source=rss&utm_medium=feed&id=7", "https://example.com/p?id=7"),
    ("https://example.com/p?fbclid=XYZ&gclid=1&b=2&a=1", "https://example.com/p?a=1&b=2"),
    ("https://example.com/p#comments", "https://example.com/p"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/%7euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"),
    ("https://example.com/path/", "https://example.com/path/"),
    ("  https://example.com/x  ", "https://example.com/x"),
    ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
    ("https://example.com./x", "https://example.com/x"),
    ("https://example.com/p?mc_cid=1&mc_eid=2&_ga=3", "https://example.com/p"),
    ("https://example.com/p?q=a+b&q=c", "https://example.com/p?q=a%20b&q=c"),
    ("https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x"),
])
def test_canonicalize(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


def test_canonicalize_is_idempotent() -> None:
    for raw in ["HTTP://A.com:80/x/../y?b=2&a=1&utm_campaign=z#f", "https://x.org/%41%7e?k=%2F"]:
        once = canonicalize_url(raw)
        assert canonicalize_url(once) == once


def test_canonicalize_leaves_non_web_urls_alone() -> None:
    assert canonicalize_url("mailto:a@b.c") == "mailto:a@b.c"
    assert canonicalize_url("not a url") == "not a url"
    assert canonicalize_url("http://example.com:99999/") == "http://example.com:99999/"


def test_host_of() -> None:
    assert host_of("https://News.Example.org:8080/x") == "news.example.org"
    assert host_of("garbage") == ""


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:4700::1111", True), ("8.8.8.8", True),
    ("127.0.0.1", False), ("10.0.0.1", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("::", False),
    ("fc00::1", False), ("fd12:3456::1", False), ("fe80::1%eth0", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("::ffff:8.8.8.8", True), ("64:ff9b::a00:1", False), ("2002:7f00:1::", False),
    ("224.0.0.1", False), ("255.255.255.255", False), ("192.0.2.1", False), ("not-an-ip", False),
])
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["ftp://a/b", "file:///etc/passwd", "http://", "javascript:x", "http://a:bad/"])
def test_check_scheme_refuses(url: str) -> None:
    with pytest.raises(UnsafeURL):
        check_scheme(url)


@pytest.mark.parametrize("url, expected", [
    ("https://news.example/2014/05/16/boy-shot/", date(2014, 5, 16)),
    ("https://news.example/2014/6/5/", date(2014, 6, 5)),
    ("https://news.example/local/2019-11-18-two-shot", date(2019, 11, 18)),
    ("https://www.adn.example/article/20140914/6-wounded-1-critically/", date(2014, 9, 14)),
    ("http://www.record.example/apps/pbcs.dll/article?AID=/20130318/A_NEWS/130319881", date(2013, 3, 18)),
    # an archive.org copy: the original's date, not the archive's timestamp
    ("http://web.archive.org/web/20151026092316/http://q13.example/2014/05/16/charges/", date(2014, 5, 16)),
    ("http://web.archive.org/web/20151026092316/http://q13.example/story/", None),
    # a month's folder and a slug that starts with a number
    ("https://news.example/2014/06/5_people_shot_at_party", None),
    ("https://news.example/2015/02/30/x", None),
    ("https://news.example/story/20141399/", None),
    ("https://news.example/", None),
    ("", None),
    (None, None),
])
def test_the_day_a_url_says_its_story_was_written(url: str | None, expected: date | None) -> None:
    assert written_date(url) == expected
