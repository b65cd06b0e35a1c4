"""Levels 1 and 2: exact repeats by canonical URL and near-duplicate text, on the real Redis."""

from __future__ import annotations

from datetime import datetime, timezone

from worker.dedup import Deduplicator, estimated_jaccard, minhash, shingles
from worker.models import Article

BODY = (
    "Two men were wounded late Saturday when gunfire broke out outside a bowling alley on Kessler Road in "
    "Marlow Heights, police said. Officers found the victims, aged 24 and 31, in the parking lot shortly "
    "after 11 p.m. Both were taken to Prince Memorial Hospital in stable condition. Detectives believe the "
    "shooting followed an argument inside the alley between two groups of friends. No arrests have been made, "
    "and investigators asked anyone with video of the lot to call the Marlow Heights tip line. The owner of "
    "the alley, Dana Whitcombe, said the business would reopen on Monday with extra security staff."
)
OTHER = (
    "A 19-year-old woman was killed and her cousin injured in a shooting at an apartment complex on Verbena "
    "Court in Oakhollow early Tuesday, the county sheriff said. Deputies were called at 2:40 a.m. and found "
    "Kiara Lessing dead in a stairwell. Her cousin was flown to a trauma center. The sheriff said a man seen "
    "running toward the railway tracks is being sought and that the killing did not appear to be random."
)


def _article(aid: str, text: str, title: str = "Shooting") -> Article:
    return Article(id=aid, url=f"https://example.org/{aid}", title=title, text=text,
                   published=datetime(2024, 5, 4, tzinfo=timezone.utc))


def test_exact_repeat_by_canonical_url(redis_client, keys, settings) -> None:
    d = Deduplicator(redis_client, keys, settings)
    url = "https://news.example/a/1"
    assert d.seen("doc-1", url) is None
    d.remember("doc-1", url)
    d.remember("doc-1", url)  # idempotent
    assert d.seen("doc-1", url) is None  # not a repeat of itself (a retried task)
    assert d.seen("doc-2", url) == "doc-1"
    d.remember("doc-2", url)
    assert d.seen("doc-3", url) == "doc-1"  # the first stays the original


def test_syndicated_copy_with_other_header_and_footer_is_a_near_duplicate(redis_client, keys, settings) -> None:
    d = Deduplicator(redis_client, keys, settings)
    original = _article("a1", BODY)
    copy = _article("a2", "MARLOW HEIGHTS (Wire Service) — " + BODY +
                    "\n\nCopyright 2024 Wire Service. All rights reserved. Subscribe to our newsletter.")
    assert d.near_duplicate(original) is None
    assert d.near_duplicate(copy) == "a1"
    assert d.near_duplicate(copy) == "a1"  # asked again: same answer
    assert d.near_duplicate(original) is None  # the same id again is not a copy of itself
    assert d.near_duplicate(_article("a3", OTHER)) is None


def test_copy_of_copy_names_the_original(redis_client, keys, settings) -> None:
    d = Deduplicator(redis_client, keys, settings)
    d.near_duplicate(_article("o", BODY))
    d.near_duplicate(_article("c1", BODY + " Updated at noon."))
    assert d.near_duplicate(_article("c2", BODY + " Updated at noon. Updated again.")) == "o"


def test_sketch_estimates_jaccard() -> None:
    a, b = shingles(BODY), shingles(BODY + " " + OTHER)
    true = len(a & b) / len(a | b)
    assert abs(estimated_jaccard(minhash(a), minhash(b)) - true) < 0.2
    assert estimated_jaccard(minhash(a), minhash(shingles(OTHER))) < 0.2
