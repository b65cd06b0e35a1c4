"""The article stage on pages written for these tests: junk, rejections, malformed input, dates, per-site learning."""

from __future__ import annotations

import gzip
import json
import time
from datetime import datetime, timezone

import pytest
import redis

from tests.conftest import FIXTURES, shared_data
from worker.article import MAX_HTML_CHARS, cap_html, clean_document, date_from_headers, date_from_url
from worker.keys import Keys
from worker.models import Article, Document
from worker.sitelines import SiteLines, site_of

PAGES = FIXTURES / "pages"
URL = "https://www.lakeside-courier.example/world/2024/03/03/karvona-checkpoint-attack"

STORY_SENTENCES = [
    "Gunmen attacked a police checkpoint on the northern edge of Karvona early on Sunday",
    "The attackers arrived in two pickup trucks shortly after 2 a.m.",
    "Residents said the shooting lasted for about forty minutes",
    "No group has claimed responsibility for the attack.",
    '"They came to kill, not to rob," said Idris Fenn',
    "The checkpoint had been attacked once before, in November",
    "The governor of the province ordered flags to be flown at half-mast on Monday",
]


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def clean(html: str | None = None, text: str | None = None, url: str = URL, **kwargs: object) -> Article:
    doc = Document(id="doc-1", url=url, html=html, text=text, **kwargs)  # type: ignore[arg-type]
    return clean_document(doc)


def story_paragraphs(n: int = 8) -> str:
    return "".join(
        f"<p>Paragraph {i}: police said the attack on the checkpoint began shortly after midnight and lasted "
        f"for about an hour, according to witnesses who spoke to reporters at the scene.</p>" for i in range(n))


def test_article_page_keeps_the_story_and_drops_every_kind_of_junk() -> None:
    article = clean(page("article_with_junk.html"))
    assert article.ok, article.rejected
    for sentence in STORY_SENTENCES:
        assert sentence in article.text
    for junk in ("Advertisement", "Read more", "Sign up", "newsletter", "Donate", "supporting our independent",
                 "Subscribe to continue", "Already a subscriber", "Share", "comment", "Back to top", "cookies",
                 "Live updates", "Key events", "Refresh", "Photo:", "Getty", "By Mara Ellison", "March 3, 2024",
                 "Related stories", "Karvona curfew lifted", "All rights reserved", "Privacy policy", "Home"):
        assert junk not in article.text, junk
    assert "\n\n" in article.text  # paragraphs separated by a blank line
    assert article.text.splitlines()[0].startswith("Gunmen attacked")


def test_article_metadata() -> None:
    article = clean(page("article_with_junk.html"))
    assert article.title == "Gunmen attack police checkpoint in Karvona, killing three"
    assert article.authors == ["Mara Ellison"]
    assert article.site_name == "The Lakeside Courier"
    assert article.language == "en"
    # rel=canonical is relative in the page: resolved against the page URL
    assert article.canonical_url == "https://www.lakeside-courier.example/world/2024/03/03/karvona-checkpoint-attack"
    assert article.published == datetime(2024, 3, 3, 9, 40, tzinfo=timezone.utc)
    assert article.published_source == "page"


def test_story_with_comments_were_closed_keeps_that_line() -> None:
    article = clean(page("comments_closed.html"), url="https://riverton.example/local/council-policing-plan")
    assert article.ok, article.rejected
    assert "\n\nComments were closed.\n\n" in article.text
    assert article.text.startswith("The Riverton city council approved")
    assert article.text.endswith("the police department said in a statement after the vote.")


def test_body_split_around_an_ad_is_recovered_with_its_embedded_tweet() -> None:
    article = clean(page("split_body_with_tweet.html"), url="https://www.lakeside-courier.example/2024/03/05/flood")
    assert article.ok, article.rejected
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Emergency services evacuated")
    assert paragraphs[-1].startswith("The last comparable flood in the city, in 2011")
    assert any(p.startswith("Rescue boats are working along Mill Street.") for p in paragraphs)
    assert "Advertisement" not in article.text
    assert "ferry service" not in article.text and "council approves a new budget" not in article.text


def test_section_front_is_rejected_as_not_an_article() -> None:
    article = clean(page("section_front.html"), url="https://www.lakeside-courier.example/world")
    assert article.rejected is not None
    assert article.rejected.startswith(("not_article", "too_short")), article.rejected
    assert article.text == ""


def test_video_page_is_rejected_with_a_reason() -> None:
    article = clean(page("video_page.html"), url="https://www.lakeside-courier.example/video/karvona")
    assert article.rejected == "not_article: video page"


def test_non_english_page_is_rejected_with_its_language() -> None:
    article = clean(page("french_article.html"), url="https://journal.example/fr/karvona")
    assert article.rejected == "wrong_language: fr"
    assert article.language == "fr"
    accepted = clean_document(Document(id="fr", url="https://journal.example/fr/karvona",
                                       html=page("french_article.html")), languages=None)
    assert accepted.ok and accepted.language == "fr" and "Karvona" in accepted.text


def test_all_caps_english_transcript_is_english() -> None:
    text = ("A VIOLENT NIGHT ON THE STREETS OF KARVONA. WHAT STARTED AS A PEACEFUL VIGIL FOR A LOST LOVED ONE "
            "TURNED INTO A SHOOTING THAT LEFT TWO PEOPLE WOUNDED. POLICE SAY THE GUNMAN FLED IN A DARK SEDAN AND "
            "OFFICERS ARE STILL SEARCHING FOR HIM TONIGHT. WITNESSES TOLD US THEY HEARD AT LEAST SIX SHOTS.")
    article = clean(text=text)
    assert article.ok, article.rejected
    assert article.language == "en"


def test_too_short_page_is_rejected_with_its_word_count() -> None:
    article = clean("<html><body><article><p>Police said two people were hurt.</p></article></body></html>")
    assert article.rejected is not None and article.rejected.startswith(("too_short: ", "not_article"))
    short = clean(text="Police said two people were hurt in the attack on Sunday.")
    assert short.rejected == "too_short: 11 words"


def test_a_headline_with_too_little_body_is_kept_as_headline_only() -> None:
    # a paywall teaser or an archive entry holding its title alone: the headline is the report
    teaser = clean(text="Police said three people were hurt.", title="Three shot on Blue Hill Avenue in Dorchester")
    assert teaser.ok and teaser.headline_only
    assert teaser.title == "Three shot on Blue Hill Avenue in Dorchester"
    assert teaser.text == "Police said three people were hurt."
    bare = clean(text="", title="Gunman kills two outside Karvona market")
    assert bare.ok and bare.headline_only and bare.text == ""
    body = ("Gunmen attacked a police checkpoint outside Karvona shortly after midnight, wounding two officers, "
            "police said. The attackers fled in a pickup truck towards the hills, and soldiers searched the "
            "villages along the road until dawn without finding them.")
    full = clean(text=body, title="Gunmen attack checkpoint outside Karvona")
    assert full.ok and not full.headline_only


def test_only_a_callers_real_headline_keeps_a_short_page() -> None:
    # a site name or a stub is no headline; nor is the page's own <title>, which error and login pages have too
    for title in ("NBC12", "en", "Redirect Notice", "Daily Blotter"):
        assert clean(text="Police said two people were hurt.", title=title).rejected == "too_short: 6 words", title
    assert clean(text="", title="WSMV Channel 4").rejected == "empty: no html or text"
    page_title = ("<html><head><title>Three shot on Blue Hill Avenue in Dorchester</title></head>"
                  "<body><article><p>Police said two people were hurt.</p></article></body></html>")
    assert clean(page_title).rejected is not None
    # a page with no main text at all is kept for the feed entry's headline, a link list or video page is not
    empty_page = "<html><head><title>Login</title></head><body><div></div></body></html>"
    assert clean(empty_page).rejected == "not_article: no main text"
    kept = clean(empty_page, title="Gunman kills two outside Karvona market")
    assert kept.ok and kept.headline_only and kept.title == "Gunman kills two outside Karvona market"
    assert clean(page("video_page.html"), title="Gunman kills two outside Karvona market").rejected == \
        "not_article: video page"


def test_a_callers_headline_and_text_are_scrubbed_of_characters_that_break_parsing() -> None:
    article = clean(text="Police said two \x00people were hurt\ud800 in the attack on Sunday night at the Karvona "
                         "market, and officers were still searching the area for the two gunmen late on Monday.",
                    title="Gunman \x00kills\ud800 two\x07 outside\n Karvona   market")
    assert article.ok and article.title == "Gunman kills two outside Karvona market"
    assert "\x00" not in article.text and "\ud800" not in article.text
    long = clean(text="", title="Gunman kills two " + "very " * 500 + "far away")
    assert long.ok and long.headline_only and len(long.title or "") == 500


FEED_STORY = ("<p>Gunmen attacked a police checkpoint on the northern edge of Karvona early on Sunday, killing two "
              "officers and wounding three, the provincial police chief said.</p>"
              "<p>The attackers arrived in two pickup trucks shortly after 2 a.m. and fled towards the hills when "
              "soldiers arrived.<br>No group has claimed responsibility.</p>"
              "<script>track()</script><p>The post Gunmen kill two at Karvona checkpoint appeared first on Lakeside "
              "Courier.</p>")
TEASER_PAGE = ("<html><body><article><h1>Gunmen kill two at Karvona checkpoint</h1><p>Gunmen attacked a police "
               "checkpoint on the northern edge of Karvona early on Sunday.</p><p>Subscribe to continue reading."
               "</p></article></body></html>")


def test_the_feeds_own_text_stands_in_for_a_page_that_says_less() -> None:
    title = "Gunmen kill two at Karvona checkpoint"
    # a paywall teaser: the feed's full text is the story
    article = clean(TEASER_PAGE, title=title, feed_text=FEED_STORY)
    assert article.ok and article.from_feed and not article.headline_only and article.fetch_error is None
    assert "killing two officers and wounding three" in article.text
    assert "fled towards the hills when soldiers arrived.\n\nNo group" in article.text  # <br> ends a line
    assert "track()" not in article.text and "appeared first on" not in article.text
    # a full page keeps its own text beside a feed summary, or beside a full copy of about its length
    full_page = f"<html><body><article><h1>{title}</h1>{story_paragraphs()}</article></body></html>"
    for feed_text in ("Gunmen attacked a police checkpoint.", FEED_STORY):
        kept = clean(full_page, title=title, feed_text=feed_text)
        assert kept.ok and not kept.from_feed and kept.text.count("Paragraph") == 8
    # a PDF, a video page: the page is no article, the feed's story is
    pdf = clean("%PDF-1.7 binary stuff", title=title, feed_text=FEED_STORY)
    assert pdf.ok and pdf.from_feed and "wounding three" in pdf.text
    assert clean(page("video_page.html"), title=title, feed_text=FEED_STORY).from_feed
    # plain-text feed summaries, entity-escaped ones included
    escaped = clean(text="", title=title, feed_text="Police &amp; soldiers said gunmen killed two officers.")
    assert escaped.ok and escaped.headline_only and escaped.from_feed
    assert escaped.text == "Police & soldiers said gunmen killed two officers."


def test_an_unfetchable_page_is_read_from_its_feed_entry_or_rejected_with_the_fetch_failure() -> None:
    blocked = "robots_disallowed: robots.txt disallows https://www.lakeside-courier.example/world/story"
    story = clean(title="Gunmen kill two at Karvona checkpoint", feed_text=FEED_STORY, fetch_error=blocked)
    assert story.ok and story.from_feed and story.fetch_error == blocked and "wounding three" in story.text
    headline = clean(title="Gunmen kill two at Karvona checkpoint", feed_text="<p>Read more.</p>",
                     fetch_error=blocked)
    assert headline.ok and headline.headline_only and headline.fetch_error == blocked
    # neither a headline nor 30 words of feed text: the fetch failure is the reason, as before this fallback
    for feed_text in (None, "<p>Two officers were killed.</p>"):
        lost = clean(title="Lakeside Courier", feed_text=feed_text, fetch_error=blocked)
        assert lost.rejected == blocked and lost.fetch_error == blocked
    for bad in ("<p>\x00\ud800 &bogus; <unclosed", "<![CDATA[", "\x00" * 1000, "<" * 10_000):
        assert clean(title="Lakeside Courier", feed_text=bad, fetch_error=blocked).rejected == blocked


@pytest.mark.parametrize("html,headers,reason", [
    ("%PDF-1.7 binary stuff", {}, "not_html: pdf"),
    ('{"id": 1, "title": "not a page"}', {}, "not_html: json"),
    ("just some words without any markup at all", {}, "not_html: no markup"),
    ("<html><body><p>x</p></body></html>", {"Content-Type": "image/png"}, "not_html: image/png"),
    ("\x00\x01\x02\x03" * 500 + "<html>", {}, "not_html: binary"),
])
def test_not_html_is_rejected(html: str, headers: dict[str, str], reason: str) -> None:
    assert clean(html, headers=headers).rejected == reason


def test_no_content_is_rejected() -> None:
    assert clean().rejected == "empty: no html or text"
    assert clean("   ").rejected == "empty: no html or text"


def test_unclosed_tags_are_handled() -> None:
    html = "<html><body><article><h1>Attack<p>" + story_paragraphs().replace("</p>", "") + "<div><span><b>"
    article = clean(html)
    assert article.ok, article.rejected
    assert article.text.count("Paragraph") == 8


def test_bad_characters_do_not_break_parsing() -> None:
    story = story_paragraphs().replace("midnight", "mid\x00night\ud800\x07")
    html = "<html><body><article>" + story + "</article></body></html>"
    article = clean(html)
    assert article.ok, article.rejected
    assert "midnight" in article.text and "\x00" not in article.text


def test_mojibake_and_replacement_characters_are_survived() -> None:
    raw = ("<html><body><article>" + story_paragraphs() + "</article></body></html>").encode("utf-8")
    html = (raw[:300] + b"\xff\xfe\xc3\x28 \xe2\x82" + raw[300:]).decode("utf-8", errors="replace")
    assert clean(html).ok


def test_deeply_nested_divs_are_handled() -> None:
    html = "<html><body>" + "<div>" * 100_000 + story_paragraphs() + "</div>" * 100_000 + "</body></html>"
    start = time.monotonic()
    article = clean(html)
    assert time.monotonic() - start < 10
    assert article.ok, article.rejected
    assert article.text.count("Paragraph") == 8


def test_fifty_megabyte_page_is_capped_before_parsing() -> None:
    story = "<html><head><title>Attack</title><script>" + "var x = 1;" * 2_000_000 + "</script></head><body><article>"
    filler = "<div><a href='/x'>more</a> filler</div>" * 1_300_000
    html = story + story_paragraphs() + "</article>" + filler + "</body></html>"
    assert len(html) > 50_000_000
    start = time.monotonic()
    article = clean(html)
    elapsed = time.monotonic() - start
    assert article.ok, article.rejected
    assert article.text.count("Paragraph") == 8
    assert elapsed < 15, elapsed


def test_cap_html_skips_scripts_and_bounds_size() -> None:
    html = "<p>a</p><script>" + "x" * 1000 + "</script><!-- " + "c" * 1000 + " --><p>b</p>" + "z" * 5000
    capped = cap_html(html, 2000)
    assert len(capped) <= 2000 + 10
    assert "<p>a</p>" in capped and "<p>b</p>" in capped and "xxx" not in capped and "ccc" not in capped
    assert cap_html("<p>small</p>", MAX_HTML_CHARS) == "<html><p>small</p>"
    unterminated = "<p>kept</p><script>" + "y" * 10_000
    assert cap_html(unterminated, 100).strip() == "<html><p>kept</p>"


def test_plain_text_document_goes_through_the_same_second_pass() -> None:
    text = "\n\n".join([
        "By Mara Ellison",
        "Advertisement",
        "Gunmen attacked a police checkpoint on the northern edge of Karvona early on Sunday, killing three "
        "officers and wounding five others, the regional police command said.",
        "Read more: Karvona police chief resigns after audit",
        "The attackers arrived in two pickup trucks shortly after 2 a.m. and opened fire on the post, which guards "
        "the main road into the city, according to a police spokesman.",
        "Comments were closed.",
        "Residents said the shooting lasted for about forty minutes before reinforcements arrived.",
        "Sign up for our daily newsletter to get the latest news in your inbox.",
        "Share this article",
    ])
    article = clean(text=text, title="Gunmen attack police checkpoint in Karvona")
    assert article.ok, article.rejected
    assert article.text.split("\n\n") == [
        "Gunmen attacked a police checkpoint on the northern edge of Karvona early on Sunday, killing three "
        "officers and wounding five others, the regional police command said.",
        "The attackers arrived in two pickup trucks shortly after 2 a.m. and opened fire on the post, which guards "
        "the main road into the city, according to a police spokesman.",
        "Comments were closed.",
        "Residents said the shooting lasted for about forty minutes before reinforcements arrived.",
    ]
    assert article.language == "en"
    assert article.title == "Gunmen attack police checkpoint in Karvona"


def test_publication_date_order_of_trust() -> None:
    html = page("article_with_junk.html")
    feed_date = datetime(2024, 3, 3, 8, 0, tzinfo=timezone.utc)
    # 1. the caller's date (feed entry or replay input) wins
    article = clean(html, published=feed_date, published_source="feed")
    assert (article.published, article.published_source) == (feed_date, "feed")
    article = clean(html, published=feed_date)
    assert article.published_source == "input"
    # 2. page metadata (tested above); 3. the URL; 4. HTTP headers
    bare = "<html><body><article>" + story_paragraphs() + "</article></body></html>"
    article = clean(bare, url="https://news.example/2023/11/05/story.html",
                    headers={"Last-Modified": "Tue, 07 Nov 2023 10:00:00 GMT"})
    assert (article.published, article.published_source) == (datetime(2023, 11, 5, tzinfo=timezone.utc), "url")
    article = clean(bare, url="https://news.example/story", headers={"Last-Modified": "Tue, 07 Nov 2023 10:00:00 GMT",
                                                                     "Date": "Wed, 08 Nov 2023 10:00:00 GMT"})
    assert (article.published, article.published_source) == (datetime(2023, 11, 7, 10, tzinfo=timezone.utc), "http")
    article = clean(bare, url="https://news.example/story")
    assert (article.published, article.published_source) == (None, None)


def test_date_helpers_ignore_implausible_values() -> None:
    assert date_from_url("https://x.example/2019/13/40/story") is None
    assert date_from_url("https://x.example/1890/01/02/story") is None
    assert date_from_url("https://x.example/news/2019-11-18-story") == datetime(2019, 11, 18, tzinfo=timezone.utc)
    assert date_from_headers({"date": "not a date"}) is None
    assert date_from_headers({"Date": "Sat, 01 Jan 2100 00:00:00 GMT"}) is None


def test_site_lines_learns_a_site_footer_and_removes_it(redis_client: redis.Redis, keys: Keys) -> None:
    site_lines = SiteLines(redis_client, keys, max_lines=50, max_pages=20)
    # a sentence-like line in the middle of every story: no general rule can know it is boilerplate
    footer = "<p>The Lakeside Courier is published by Lakeside Media Group in Karvona.</p>"

    def site_page(i: int) -> str:
        paras = [f"<p>Story {i}, paragraph {k}: officials said the storm damaged {i + k} homes and closed the "
                 f"coastal road for most of the week, according to the regional authority.</p>" for k in range(6)]
        body = "".join(paras[:3]) + footer + "".join(paras[3:])
        return f"<html><body><article><h1>Story {i}</h1>{body}</article></body></html>"

    def run(i: int) -> Article:
        return clean_document(Document(id=f"p{i}", url=f"https://www.lakeside-courier.example/news/{i}",
                                       html=site_page(i)), site_lines=site_lines)

    first = run(0)
    assert "published by Lakeside Media Group" in first.text  # nothing general says it is junk
    for i in range(1, 4):
        run(i)
    # the same page processed twice counts once
    assert site_lines.pages("lakeside-courier.example") == 4
    run(3)
    assert site_lines.pages("lakeside-courier.example") == 4
    # a sentence-like line needs many pages (a story's own updates repeat its sentences)
    assert "published by Lakeside Media Group" in run(4).text
    for i in range(5, 12):
        run(i)
    later = run(20)
    assert later.ok
    assert "published by Lakeside Media Group" not in later.text
    assert "Story 20, paragraph 0" in later.text
    # another site has its own statistics
    other = clean_document(Document(id="o1", url="https://other.example/news/1", html=site_page(1)),
                           site_lines=site_lines)
    assert "published by Lakeside Media Group" in other.text


def test_site_lines_is_bounded(redis_client: redis.Redis, keys: Keys) -> None:
    site_lines = SiteLines(redis_client, keys, max_lines=30, max_pages=5, ttl_seconds=3600)
    for i in range(12):
        site_lines.observe("bounded.example", f"page-{i}", [f"unique line {i} {k}" for k in range(10)] + ["shared"])
    assert redis_client.zcard(keys.site_lines("bounded.example")) <= 30
    assert redis_client.zcard(keys.site_pages("bounded.example")) <= 5
    assert site_lines.counts("bounded.example", ["shared"]) == {"shared": 12}
    assert 0 < redis_client.ttl(keys.site_lines("bounded.example")) <= 3600


def test_site_lines_failures_do_not_stop_the_stage(keys: Keys) -> None:
    broken = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    site_lines = SiteLines(broken, keys)
    article = clean_document(Document(id="x", url=URL, html=page("article_with_junk.html")), site_lines=site_lines)
    assert article.ok


def test_site_of() -> None:
    assert site_of("https://www.Example.com/a") == "example.com"
    assert site_of("http://news.example.co.uk:8080/x") == "news.example.co.uk"
    assert site_of("not a url") == ""


def test_benchmark_pages_smoke() -> None:
    """A handful of the third-party benchmark pages, when present: the stage keeps the gold body."""
    folder = shared_data("boilerplate", "article-extraction-benchmark")
    from bench.boilerplate import prf, tp_fp_fn
    from trafilatura.utils import decode_file

    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for key in sorted(truth)[:10]:
        html = decode_file(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()))
        article = clean_document(Document(id=key, url=truth[key]["url"], html=html), languages=None, min_words=0)
        rows.append(tp_fp_fn(truth[key]["articleBody"], article.text))
    precision, recall, f1 = prf(rows)
    assert f1 > 0.9, (precision, recall, f1)
