"""Replay input parsing: every line yields a Document or a rejection with a reason."""

from __future__ import annotations

import io
from datetime import timezone

import pytest

from worker.errors import BadInput
from worker.replay import BadLine, parse_line, parse_published, read_lines


def test_valid_line_with_text() -> None:
    doc = parse_line('{"id": "a", "url": "http://x.test/a", "title": "T", "published": "2024-03-01", "text": "hi"}', 1)
    assert not isinstance(doc, BadLine)
    assert doc.id == "a" and doc.text == "hi" and doc.html is None
    assert doc.published is not None and doc.published.tzinfo is not None and doc.published_source == "input"


def test_html_wins_over_text() -> None:
    doc = parse_line('{"id": "b", "url": "http://x.test/b", "html": "<p>x</p>", "text": "y"}', 1)
    assert not isinstance(doc, BadLine) and doc.html == "<p>x</p>" and doc.text is None


def test_a_feed_entrys_own_text_is_replay_input_too() -> None:
    doc = parse_line('{"id": "f", "url": "http://x.test/f", "title": "T", "feed_text": "<p>Story.</p>"}', 1)
    assert not isinstance(doc, BadLine) and doc.feed_text == "<p>Story.</p>" and doc.html is None and doc.text is None
    both = parse_line('{"id": "g", "url": "http://x.test/g", "html": "<p>x</p>", "feed_text": "y"}', 1)
    assert not isinstance(both, BadLine) and both.html == "<p>x</p>" and both.feed_text == "y"


@pytest.mark.parametrize("line,needle", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"id": "c", "text": "x"}', "missing url"),
    ('{"id": "d", "url": "http://x.test"}', "needs an 'html', 'text' or 'feed_text'"),
    ('{"id": "e", "url": "http://x.test", "text": "x", "published": "last tuesday"}', "not an ISO date"),
])
def test_bad_lines_carry_a_reason(line: str, needle: str) -> None:
    bad = parse_line(line, 7)
    assert isinstance(bad, BadLine)
    assert bad.reason.startswith("bad_input: line 7") and needle in bad.reason


def test_blank_lines_are_skipped_and_numbering_kept() -> None:
    items = list(read_lines(io.StringIO('\n{"id":"a","url":"u","text":"t"}\n\n{bad\n')))
    assert len(items) == 2 and isinstance(items[1], BadLine) and items[1].line_no == 4


def test_parse_published_forms() -> None:
    assert parse_published("2024-01-02T03:04:05Z").tzinfo == timezone.utc
    assert parse_published("2024-01-02").hour == 12
    assert parse_published(None) is None
    with pytest.raises(BadInput):
        parse_published(20240102)
