"""The article stage: a fetched page (or archived text) -> a clean `Article` or a rejection.

Sequence for HTML input (`clean_document`):
  1. guard: refuse what is not HTML (`not_html: ...`); drop scripts, styles, SVG and comments
     (JSON-LD kept) and cap what is left at `max_html_chars` in one linear scan, before any
     parsing, so a 50 MB page costs about a second and a normal one a third less parsing;
  2. parse once with lxml (trafilatura's loader); NULs and lone surrogates are removed first
     when present; a page the parser swallows into <head> (unclosed <title>, broken quote) or
     nests past libxml2's depth limit gets one repaired re-parse;
  3. metadata from the tree in a few lookups: title (og:title, <title> without the site part,
     <h1>), authors (meta tags, JSON-LD), site name, canonical URL (rel=canonical, else og:url,
     resolved against the page URL), publication date, page type (og:type);
  4. main text with trafilatura's extraction cascade on that tree (no URL is passed, so nothing
     is fetched or resolved), with EXTRACT_OPTIONS as measured below; the output tree becomes
     lines (paragraph, heading, list item, table row) that keep their link text, sentences cut
     into pieces by trafilatura's fallbacks are joined again, and link density is taken from
     the source <p> when the fallbacks dropped the links;
  5. recovery of what trafilatura misses: body paragraphs in sibling containers of the same
     template (an article split around an ad row) and embedded tweets inside the story;
  6. the second pass (`worker.boilerplate`) line by line, with per-site repetition statistics
     from `worker.sitelines` when given;
  7. decisions: not an article (link list, video page, no main text), too short (fewer than
     `min_words` words), wrong language.
Text input (`doc.text` only) runs steps 6 and 7: the same second pass on the archived text.

A headline is news too. A page whose body is missing or too short (a paywall teaser, a page with no main text
to extract, an archive entry holding its title alone) is kept as a `headline_only` article when the
caller gave a headline of at least MIN_HEADLINE_WORDS words (the feed entry's or the archive's title, not the
page's own <title>, which an error or login page has too): "Three shot on Blue Hill Avenue in Dorchester" is an
incident report whatever its page holds. Without such a headline the page is rejected as before. On the
gun-violence dev replay (`python bench/dedup.py`) 211 of 4,172 documents were rejected as too short or empty,
nearly all with a real headline ("Police identify victims of Southeast Fresno house party shooting"); kept, 199
of them pass and many join their incidents: B-cubed P/R/F1 0.975/0.890/0.930 -> 0.973/0.901/0.935 (a headline
of 2 or 6 words instead of 4: 0.973/0.901/0.935 and 0.973/0.900/0.935; flat, so 4 keeps out stubs and site names).

The feed's own text of the story (`doc.feed_text`: content:encoded, Atom content, else the summary; see
`worker.feed_text`) is the body when it says markedly more than the page (FEED_MARGIN times its words: a
paywall teaser, a page whose story the extraction lost) and when the page is no article at all or could not be
fetched (`doc.fetch_error`: robots.txt, an HTTP error, a PDF): Miniflux shows a feed's content for the same
reason. The article then has `from_feed` set, and `fetch_error` says why the page was not read; with too little
feed text and no headline the rejection reason is the page's (or the fetch failure).

Order of trust for the publication date, first found wins (`published_source` says which):
  1. the caller's date (`doc.published`, source as given or "input"): the feed entry's date or
     the archive's, structured data about this very item;
  2. "page": the page's own metadata (article:published_time and similar meta tags, microdata
     and JSON-LD datePublished, else htmldate's quick mode on the markup, never on the URL),
     preferring the original publication date over modification dates;
  3. "url": a date in the URL path (/2019/11/18/ or 2019-11-18);
  4. "http": the HTTP `Last-Modified` header, then `Date`: weakest, they date the response.
Dates before 1990 or more than two days in the future are ignored at every step.

Language: English is the working language of the extraction stage (English-only spaCy). The
text is classified offline (py3langid, restricted to widely published languages, all-caps
transcripts case-folded); a page classified as another language with probability >= 0.9 is
rejected with `wrong_language: xx`. Below that confidence the page passes with `language` set.
`languages=None` accepts every language (the benchmark uses that).

The stage never raises on bad input: every failure becomes a rejection with a short reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Sequence
from urllib.parse import urljoin, urlsplit

from worker.boilerplate import Cleaned, Line, clean_lines, lines_from_text, normalise
from worker.feed_text import feed_lines
from worker.models import Article, Document
from worker.sitelines import SiteLines, site_of
from worker.urls import written_date

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 1_000_000
MIN_WORDS = 30
MIN_HEADLINE_WORDS = 4  # a caller's title this long keeps a body-less page as a headline-only article
NO_MAIN_TEXT = "not_article: no main text"
MAX_TITLE_CHARS = 500
FEED_MARGIN = 1.25  # the feed entry's own text replaces a page's when it has this many times the words
DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)

# Measured inside this stage with `python bench/boilerplate.py --settings` (dev sets; F1 over
# word 4-grams, time relative to this configuration):
#                         AEB P / R / F1           L3S-GN1 F1, comments leak   time AEB/L3S
#   as configured below   0.981 / 0.981 / 0.981    0.946, 0.14                 1.00 / 1.00
#   favor_precision       0.982 / 0.976 / 0.979    0.938                       0.96 / 1.00
#   favor_recall          0.975 / 0.981 / 0.978    0.938                       0.71 / 0.80
#   tables off            0.978 / 0.971 / 0.975    0.951                       1.03 / 0.88
#   comments on (dropped) 0.981 / 0.981 / 0.981    0.943, 0.55                 1.01 / 1.05
#   fast (no fallbacks)   0.970 / 0.974 / 0.972    0.924                       0.77 / 0.84
# Comments off: with them on, the fallback extractors pull reader comments into the body.
# Tables on: score and casualty tables are story text; layout-table junk is left to the second
# pass (tables off would gain 0.005 F1 on the 2008 table layouts of L3S-GN1 and lose 0.006 on
# the modern pages). Balanced mode with fallbacks: best F1 on AEB. favor_recall is the option to take
# if speed ever matters more (30% faster, 0.003 F1 less on AEB, 0.008 less on L3S-GN1).
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_links": True,
    "include_images": False,
    "favor_precision": False,
    "favor_recall": False,
    "fast": False,
    "with_metadata": False,
    "deduplicate": False,
}

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass
class Extraction:
    """What comes out of trafilatura before the second pass: lines plus page metadata."""

    lines: list[Line] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    canonical_url: str | None = None
    published: datetime | None = None
    page_type: str | None = None
    html_lang: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(line.text for line in self.lines)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _plausible(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = _utc(value)
    now = datetime.now(timezone.utc)
    if value.year < 1990 or value > now + timedelta(days=2):
        return None
    return value


def _parse_iso(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return _plausible(datetime.fromisoformat(raw.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "date")
_JSONLD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def _structured_date(tree: Any, metas: dict[str, str]) -> datetime | None:
    """The publication date the page states as data: meta tags, microdata, JSON-LD."""
    for key in _DATE_KEYS:
        value = _parse_iso(metas.get(key))
        if value is not None:
            return value
    for raw in tree.xpath('//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content')[:3]:
        value = _parse_iso(str(raw))
        if value is not None:
            return value
    for script in tree.xpath('//script[@type="application/ld+json"]/text()')[:5]:
        m = _JSONLD_DATE_RE.search(str(script)[:20000])
        if m:
            value = _parse_iso(m[1])
            if value is not None:
                return value
    return None


def date_from_url(url: str) -> datetime | None:
    """The day the URL says its story was written (`worker.urls.written_date`), if plausible."""
    day = written_date(url)
    return _plausible(datetime(day.year, day.month, day.day)) if day else None


def date_from_headers(headers: dict[str, str]) -> datetime | None:
    """Last-Modified, else Date, of the HTTP response."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    for name in ("last-modified", "date"):
        raw = lowered.get(name)
        if raw:
            try:
                value = _plausible(parsedate_to_datetime(raw))
            except (TypeError, ValueError, IndexError):
                value = None
            if value:
                return value
    return None


def _not_html(doc: Document, html: str) -> str | None:
    ctype = next((v for k, v in (doc.headers or {}).items() if k.lower() == "content-type"), "")
    ctype = ctype.split(";")[0].strip().lower()
    if ctype and not any(x in ctype for x in ("html", "xml", "text/plain")) and ctype != "application/octet-stream":
        return f"not_html: {ctype}"
    head = html[:2048].lstrip("\ufeff \t\r\n")
    if head.startswith("%PDF"):
        return "not_html: pdf"
    if head[:1] in "{[" and "<" not in head[:200]:
        return "not_html: json"
    if "<" not in html[:65536]:
        return "not_html: no markup"
    sample = html[:8192]
    if sample and len(_CONTROL_RE.findall(sample)) > 0.1 * len(sample):
        return "not_html: binary"
    return None


_OPEN_SKIP_RE = re.compile(r"<(script|style|svg|noscript|template)\b|<!--", re.IGNORECASE)
_CLOSE_RE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
             for name in ("script", "style", "svg", "noscript", "template")}
_BAD_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_LAYOUT_TAGS_RE = re.compile(r"</?(div|span|section|font|center|table|tbody|thead|tr|td|th|article|main|aside)\b[^>]*>",
                             re.IGNORECASE)


def cap_html(html: str, max_chars: int) -> str:
    """Drop scripts, styles, SVG and comments (JSON-LD metadata stays) and keep at most `max_chars`.

    Done on every page: the parser and trafilatura's tree copies then handle a third of the
    markup. A linear scan (C-level regex searches from a moving position), so a 50 MB page, even
    one that is a single giant script, costs a fraction of a second and never a backtracking blow-up.
    """
    out: list[str] = []
    size = pos = 0
    while size < max_chars:
        m = _OPEN_SKIP_RE.search(html, pos)
        end = m.start() if m else len(html)
        piece = html[pos:min(end, pos + max_chars - size)]
        out.append(piece)
        size += len(piece)
        if m is None or size >= max_chars:
            break
        if m.group(0) == "<!--":
            close = html.find("-->", m.end())
            pos = len(html) if close < 0 else close + 3
        else:
            name = m.group(1).lower()
            tag_end = html.find(">", m.end(), m.end() + 500)
            if name == "script" and tag_end > 0 and "ld+json" in html[m.end():tag_end]:
                out.append(html[m.start():tag_end + 1])  # structured metadata: keep
                size += tag_end + 1 - m.start()
                pos = tag_end + 1
                continue
            cm = _CLOSE_RE[name].search(html, m.end())
            pos = len(html) if cm is None else cm.end()
        out.append(" ")
    result = "".join(out)
    if "html" not in result[:50].lower():
        # trafilatura's loader distrusts a document that does not say "html" early on, and the
        # declaration may have sat after a script we just dropped
        result = "<html>" + result
    return result


def sanitise_html(html: str) -> str:
    """Drop characters no HTML parser should see: NULs and other C0 controls, lone surrogates."""
    return _BAD_CHARS_RE.sub("", html)


_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "table", "row", "cell", "quote", "code", "div", "body",
                         "section", "article", "main", "td", "tr", "graphic"})
_CONTINUES_RE = re.compile(r"^[\s]*[,.;:)\]!?%'’”a-z]")
_ENDS_SENTENCE_RE = re.compile(r"[.!?…:;]['’\"”»)\]]*\s*$")


@dataclass
class _Segment:
    """A piece of inline text; `soft` when it may continue the previous piece (links, bare text)."""

    text: str
    link: int
    kind: str
    soft: bool


def _inline(el: Any, in_link: bool, parts: list[tuple[str, bool]]) -> None:
    """Collect (text, is_link) pieces of an inline subtree; <lb/> becomes a newline."""
    tag = el.tag if isinstance(el.tag, str) else ""
    link = in_link or tag == "ref"
    if tag == "lb":
        parts.append(("\n", False))
    elif el.text:
        parts.append((el.text, link))
    for child in el:
        _inline(child, link, parts)
        if child.tail:
            parts.append((child.tail, link))


def _pieces(el: Any) -> list[tuple[str, int]]:
    """Text of an element split at line breaks, each with its count of link characters."""
    parts: list[tuple[str, bool]] = []
    _inline(el, False, parts)
    lines: list[tuple[str, int]] = []
    buf: list[str] = []
    link = 0
    for text, is_link in parts:
        chunks = text.split("\n")
        for k, chunk in enumerate(chunks):
            if k:
                lines.append(("".join(buf), link))
                buf, link = [], 0
            buf.append(chunk)
            if is_link:
                link += len(" ".join(chunk.split()))
    lines.append(("".join(buf), link))
    return [(" ".join(t.split()), n) for t, n in lines if t.strip()]


def _has_blocks(el: Any) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el.iter() if c is not el)


def body_lines(body: Any) -> list[Line]:
    """Flatten trafilatura's output tree into lines: paragraphs, headings, list items, table rows.

    The fallback extractors sometimes cut a sentence into <p>, <ref> and bare-text pieces; those
    are joined again when the next piece plainly continues the previous one (starts lower case
    or with punctuation, or follows a piece that ended mid-sentence), so that a sentence is one
    line with its true link density.
    """
    out: list[Line] = []
    table_depth = [0]

    def add(text: str, kind: str, link: int) -> None:
        out.append(Line(text, kind, link, table_depth[0] > 0))

    def emit(segments: list[_Segment]) -> None:
        merged: list[_Segment] = []
        for seg in segments:
            if merged:
                prev = merged[-1]
                glue = (_CONTINUES_RE.match(seg.text) is not None
                        or (seg.soft or prev.soft) and not _ENDS_SENTENCE_RE.search(prev.text))
                if glue and prev.kind in ("p", "tail") and seg.kind in ("p", "tail"):
                    sep = "" if seg.text[:1] in ",.;:)]!?%" else " "
                    merged[-1] = _Segment(prev.text + sep + seg.text, prev.link + seg.link, prev.kind,
                                          seg.soft)
                    continue
            merged.append(seg)
        for seg in merged:
            add(seg.text, seg.kind, seg.link)
        segments.clear()

    def container(el: Any, kind: str = "p") -> None:
        pending: list[_Segment] = []
        if el.text and el.text.strip():
            pending.append(_Segment(" ".join(el.text.split()), 0, "tail", True))
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag:
                pass
            elif tag in ("ref", "hi", "span", "del", "lb", "b", "i", "em", "strong", "a"):
                for text, link in _pieces(child):
                    pending.append(_Segment(text, link, "tail", True))
            elif tag == "p" and not _has_blocks(child):
                for text, link in _pieces(child):
                    pending.append(_Segment(text, link, kind, False))
            else:
                emit(pending)
                block(child, tag)
            if child.tail and child.tail.strip():
                pending.append(_Segment(" ".join(child.tail.split()), 0, "tail", True))
        emit(pending)

    def simple(el: Any, kind: str) -> None:
        for text, link in _pieces(el):
            add(text, kind, link)

    def rows(table: Any) -> None:
        for row in table.iter("row"):
            cells = [c for c in row if isinstance(c.tag, str)]
            if any(_has_blocks(c) for c in cells):
                for c in cells:
                    container(c, "p") if _has_blocks(c) else simple(c, "row")
                continue
            texts, link = [], 0
            for c in cells:
                for text, n in _pieces(c):
                    texts.append(text)
                    link += n
            if texts:
                add(" | ".join(texts), "row", link)

    def block(el: Any, tag: str) -> None:
        if tag == "list":
            for item in el:
                if not isinstance(item.tag, str):
                    continue
                if _has_blocks(item):
                    container(item, "item")
                else:
                    simple(item, "item")
        elif tag == "table":
            table_depth[0] += 1
            try:
                rows(el)
            finally:
                table_depth[0] -= 1
        elif tag in ("head", "quote", "code", "item", "cell") and not _has_blocks(el):
            simple(el, {"cell": "row"}.get(tag, tag))
        elif tag == "p" and not _has_blocks(el):
            simple(el, "p")
        elif tag == "graphic":
            return
        else:
            container(el, {"quote": "quote", "item": "item"}.get(tag, "p"))

    container(body)
    return out


_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "headline", "title")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl", "byline")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")
_ROLE_RE = re.compile(r"\b(writer|reporter|staff|correspondent|editor|contributor|press|news|agency)\b",
                      re.IGNORECASE)
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—·»:-]\s+")
_JSONLD_AUTHOR_RE = re.compile(r'"author"\s*:\s*(?:\[\s*)?\{[^{}]*?"name"\s*:\s*"([^"]{3,80})"')


def _clean_title(raw: str, site: str | None) -> str:
    """A <title> without its site-name part ("Story headline | Site")."""
    parts = _TITLE_SPLIT_RE.split(raw)
    if len(parts) < 2:
        return raw
    site_n = normalise(site or "")
    kept = [p for p in parts if normalise(p) != site_n and not (len(p.split()) <= 3 and p is not parts[0])]
    return max(kept or parts, key=len)


def _metadata(tree: Any, url: str) -> Extraction:
    """Page metadata read from meta tags, JSON-LD and <title>: a few lookups, no text heuristics."""
    from htmldate import find_date

    metas: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and content.strip() and key not in metas:
            metas[key] = " ".join(content.split())
    ex = Extraction()
    site = next((metas[k].lstrip("@") for k in _SITE_KEYS if k in metas), None)
    if site and site.startswith(("http://", "https://")):
        site = urlsplit(site).hostname
    ex.site_name = site or None
    title = next((metas[k] for k in _TITLE_KEYS if k in metas), None)
    if not title:
        found = tree.findtext(".//title")
        title = _clean_title(" ".join(found.split()), site) if found and found.strip() else None
    if not title:
        h1 = tree.find(".//h1")
        title = " ".join(h1.text_content().split()) if h1 is not None else None
    ex.title = title[:300] if title else None
    raw_author = next((metas[k] for k in _AUTHOR_KEYS if k in metas and not metas[k].startswith("http")), None)
    if not raw_author:
        for script in tree.xpath('//script[@type="application/ld+json"]/text()')[:5]:
            m = _JSONLD_AUTHOR_RE.search(str(script)[:20000])
            if m:
                raw_author = m[1]
                break
    if raw_author:
        names = [re.sub(r"^(by|von|par|por)\s+", "", a.strip(), flags=re.IGNORECASE)
                 for a in re.split(r";|\band\b|,|\|", raw_author) if a.strip()]
        # a single token is a handle or a site name, not a person; "AP Auto Writer" is a role
        ex.authors = [a for a in names if " " in a and len(a) <= 60 and not _ROLE_RE.search(a)][:10]
    ex.page_type = metas.get("og:type") or None
    canonical = None
    for xp in ('.//link[@rel="canonical"]/@href', './/meta[@property="og:url"]/@content'):
        found = tree.xpath(xp)
        if found and str(found[0]).strip():
            canonical = str(found[0]).strip()
            break
    if canonical:
        try:
            canonical = urljoin(url or "", canonical)
        except ValueError:
            canonical = None
        if canonical and not canonical.startswith(("http://", "https://")):
            canonical = None
    ex.canonical_url = canonical
    ex.published = _structured_date(tree, metas)
    if ex.published is None:
        try:  # htmldate's quick mode reads more markup patterns, at about a millisecond a page
            # no URL here: a date in the URL is step 3 of the order of trust, not page metadata
            ex.published = _parse_iso(find_date(tree, url=None, extensive_search=False, original_date=True))
        except Exception as exc:  # htmldate on odd markup: the date is optional
            log.debug("date extraction failed for %s: %s", url, exc)
    lang = tree.xpath("/html/@lang")
    ex.html_lang = str(lang[0]).split("-")[0].lower() if lang else None
    return ex


# Above this many elements the fallback extractors (readability, jusText) are skipped: on a
# 30,000-element page they take seconds and the main extractor alone does the job.
MAX_ELEMENTS_FOR_FALLBACK = 15_000


def _extractor(fast: bool = False) -> Any:
    """trafilatura options object built once from EXTRACT_OPTIONS (and its fast variant)."""
    key = bool(fast or EXTRACT_OPTIONS["fast"])
    if key not in _EXTRACTORS:
        from trafilatura.settings import Extractor

        o = EXTRACT_OPTIONS
        _EXTRACTORS[key] = Extractor(output_format="python", fast=key, precision=o["favor_precision"],
                                     recall=o["favor_recall"], comments=o["include_comments"],
                                     links=o["include_links"], images=o["include_images"],
                                     tables=o["include_tables"], dedup=False)
    return _EXTRACTORS[key]


_EXTRACTORS: dict[bool, Any] = {}


def _main_body(tree: Any) -> Any:
    """trafilatura's extraction cascade on our tree (no URL: nothing is fetched or resolved)."""
    fast = int(tree.xpath("count(//*)")) > MAX_ELEMENTS_FOR_FALLBACK
    try:
        # The cascade itself, on the tree we already parsed: bare_extraction would deep-copy
        # the whole tree first (about a tenth of the stage's time). Version pinned in pyproject.
        from trafilatura.core import trafilatura_sequence

        body, _text, _comments, _ctext = trafilatura_sequence(tree, _extractor(fast), None)
        return body
    except ImportError:  # pragma: no cover - a trafilatura without the helper
        from trafilatura import bare_extraction

        kwargs = dict(EXTRACT_OPTIONS, fast=fast or EXTRACT_OPTIONS["fast"])
        result = bare_extraction(tree, **kwargs)
        return None if result is None else result.body


def extract_main(html: str, url: str = "", *, max_html_chars: int = MAX_HTML_CHARS) -> Extraction:
    """Steps 1-4: parse, metadata and trafilatura's main text as lines (raises on unusable input)."""
    from trafilatura.utils import load_html

    html = cap_html(html, max_html_chars)
    if "\x00" in html:  # libxml2 stops at a NUL: the rest of the page would be lost
        html = sanitise_html(html)
    try:
        tree = load_html(html)
    except ValueError:  # lone surrogates and other characters lxml refuses
        html = sanitise_html(html)
        tree = load_html(html)
    if tree is None:
        raise ValueError("unparseable HTML")
    ex = _metadata(tree, url)
    paragraphs = _paragraph_index(tree)
    body = _main_body(tree)
    if body is not None:
        ex.lines = body_lines(body)
        ex.lines = recover_split_body(paragraphs, ex.lines)
    if not ex.lines:
        repaired = _repair(html, tree)
        if repaired is not None:
            tree = load_html(repaired)
            body = _main_body(tree) if tree is not None else None
            if body is not None:
                ex.lines = body_lines(body)
    return ex


_BODY_START_RE = re.compile(r"<(body|div|table|p|article|main|h1)\b", re.IGNORECASE)
_TITLE_TAG_RE = re.compile(r"</?title\b[^>]*>", re.IGNORECASE)


def _repair(html: str, tree: Any) -> str | None:
    """A second chance for markup the parser swallowed: too deep, or the page lost inside <head>."""
    if _too_deep(tree):
        # libxml2 stops building the tree at depth 256: pathological nesting hides the text.
        # Flatten layout tags; paragraphs and headings survive.
        return _LAYOUT_TAGS_RE.sub(" ", html)
    if tree.find(".//body") is None or not tree.find(".//body").text_content().strip():
        # An unclosed <title> or a broken attribute quote turns the whole page into head text:
        # parse again from the first body-level tag, without title tags.
        m = _BODY_START_RE.search(html, 1)
        if m:
            return _TITLE_TAG_RE.sub(" ", html[m.start():])
    return None


def _too_deep(tree: Any, limit: int = 200) -> bool:
    """Whether the parsed tree reaches (near) the parser's nesting limit anywhere."""
    return bool(tree.xpath(f"boolean(//*[count(ancestor::*) >= {limit}])"))


_JUNK_CONTAINER_RE = re.compile(
    r"comment|related|recirc|promo|newsletter|subscri|footer|\bnav|sidebar|aside|share|social|caption|"
    r"byline|author|\bbio\b|\bad[s_-]|advert|sponsor|teaser|popular|trending|cookie|consent|paywall|modal|"
    r"breadcrumb|\bmenu|widget|signup|read-?more|more-?stories|outbrain|taboola", re.IGNORECASE)


@dataclass
class _Para:
    """A <p> of the source page, recorded before trafilatura prunes the tree."""

    order: int
    key: str
    text: str
    signature: tuple[str, str]
    el: Any
    parent: Any
    tweet: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())

    def link_chars(self) -> int:
        return sum(len(" ".join(a.text_content().split())) for a in self.el.iter("a"))

    def in_junk(self) -> bool:
        """Inside a container that looks like a related box, newsletter form, caption, aside...

        Called after trafilatura pruned the tree: a paragraph no longer attached to the page
        was inside something trafilatura removed as junk, which counts too.
        """
        node = self.el
        for _ in range(40):
            if node is None:
                return True
            if node.tag in ("body", "html"):
                return False
            attrs = f"{node.get('class') or ''} {node.get('id') or ''}"
            if node.tag in ("aside", "nav", "footer", "figure", "figcaption", "form") or (
                    attrs.strip() and _JUNK_CONTAINER_RE.search(attrs)):
                return True
            node = node.getparent()
        return False


def _paragraph_index(tree: Any, limit: int = 3000) -> list[_Para]:
    """Every non-trivial <p> with its container's signature (tag and class), in page order."""
    out: list[_Para] = []
    for order, el in enumerate(tree.iter("p", "blockquote")):
        if order >= limit:
            break
        if el.tag == "blockquote":
            if "twitter-tweet" in str(el.get("class") or ""):
                out.extend(_tweet(el, order))
            continue
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == "blockquote" and "twitter-tweet" in str(parent.get("class") or ""):
            continue
        text = " ".join(el.text_content().split())
        if len(text) < 40:
            continue
        signature = (str(parent.tag), " ".join(str(parent.get("class") or "").split()))
        out.append(_Para(order, normalise(text)[:80], text, signature, el, parent))
    return out


def _tweet(el: Any, order: int) -> list[_Para]:
    """An embedded tweet: its text and its attribution line ("— Name (@handle) date")."""
    inner = el.find(".//p")
    text = " ".join(inner.text_content().split()) if inner is not None else ""
    whole = " ".join(el.text_content().split())
    rest = whole[len(text):].strip() if text and whole.startswith(text) else ""
    sig = ("blockquote", "twitter-tweet")
    return [_Para(order, normalise(t)[:80], t, sig, el, el, True) for t in (text, rest) if t]


def _near(el: Any, containers: set[int], levels: int = 5) -> bool:
    for _ in range(levels):
        el = el.getparent() if el is not None else None
        if el is None:
            return False
        if id(el) in containers:
            return True
    return False


def recover_split_body(paragraphs: list[_Para], lines: list[Line]) -> list[Line]:
    """Add story paragraphs trafilatura missed because the body was split into sibling containers.

    Pages often cut the article body into several containers of the same template (an ad row
    between them); trafilatura keeps one. The container signature (tag + class) that holds most
    of the extracted paragraphs is the body's; prose paragraphs under other containers with the
    same signature, outside any junk-looking ancestor, are put back in page order.
    """
    if not paragraphs or not lines:
        return lines
    keys = {normalise(line.text)[:80]: i for i, line in enumerate(lines)}
    matched: dict[int, int] = {}
    weight: dict[tuple[str, str], int] = {}
    for para in paragraphs:
        idx = keys.get(para.key)
        if idx is not None:
            matched[para.order] = idx
            weight[para.signature] = weight.get(para.signature, 0) + len(para.text)
            line = lines[idx]
            link = line.link_chars
            if not link and not para.tweet:
                # trafilatura's fallback extractors drop links: take the density from the source
                link = min(para.link_chars(), len(line.text))
            lines[idx] = Line(line.text, line.kind, link, line.in_table, "|".join(para.signature))
    if not weight:
        return lines
    main_sig, main_weight = max(weight.items(), key=lambda kv: kv[1])
    if not main_sig[1] or main_weight < 0.5 * sum(weight.values()):
        main_sig = ("", "-")  # no distinctive body container: only tweets can come back
    main_parents = {id(p.parent) for p in paragraphs if p.order in matched and p.signature == main_sig}
    extra: list[tuple[int, Line, int]] = []
    last_idx = -1
    near: set[int] = set()  # the matched paragraphs' containers, a few levels up
    for para in paragraphs:
        if para.order in matched:
            node = para.parent
            for _ in range(4):
                if node is None or node.tag in ("body", "html"):
                    break
                near.add(id(node))
                node = node.getparent()
    for para in paragraphs:
        if para.order in matched:
            last_idx = matched[para.order]
            continue
        if para.tweet:
            # embedded tweets inside the story are quoted statements, part of the report
            if _near(para.parent, near):
                extra.append((last_idx, Line(para.text, "quote", 0), -1))
            continue
        if para.signature != main_sig or id(para.parent) in main_parents or para.words < 8:
            continue
        link = para.link_chars()
        if link > 0.5 * len(para.text) or para.in_junk():
            continue
        extra.append((last_idx, Line(para.text, "p", link, False, "|".join(para.signature)), id(para.parent)))
    # A continuation of the body is several paragraphs in one container; a teaser box is one.
    groups: dict[int, list[int]] = {}
    for _after, line, parent in extra:
        groups.setdefault(parent, []).append(line.words)
    keep = {parent for parent, words in groups.items() if len(words) >= 2 and sum(words) >= 50} | {-1}
    extra = [(after, line, parent) for after, line, parent in extra if parent in keep]
    if not extra:
        return lines
    out: list[Line] = []
    pos = 0
    for after, line, _parent in sorted(extra, key=lambda x: x[0]):
        while pos <= after and pos < len(lines):
            out.append(lines[pos])
            pos += 1
        out.append(line)
    out.extend(lines[pos:])
    return out


# Languages the identifier may answer: the widely published ones. Left open, py3langid's 97
# labels include some that upper-case English broadcast transcripts fall into (pcm, ig).
_LANGUAGE_SET = ("en fr de es pt it nl ru uk pl cs sk sl hr sr bg ro hu el tr ar fa ur hi bn zh ja ko vi th id ms "
                 "tl sw sv no nb da fi et lv lt he ca eu gl af sq hy az ka kk mk mn ne ta te ml mr si").split()
_IDENTIFIER: Any = None
MIN_LANGUAGE_CONFIDENCE = 0.9


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) of a text, offline with py3langid; (None, 0) when too short."""
    global _IDENTIFIER
    sample = text[:600]
    if len(sample.split()) < 5:
        return None, 0.0
    letters = [c for c in sample if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        sample = sample.lower()  # all-caps transcripts: the model was trained on normal case
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages([lang for lang in _LANGUAGE_SET if lang in set(ident.labels)])
        _IDENTIFIER = ident
    lang, prob = _IDENTIFIER.classify(sample)
    return str(lang), float(prob)


def _published(doc: Document, page: datetime | None) -> tuple[datetime | None, str | None]:
    if doc.published is not None:
        value = _plausible(doc.published)
        if value is not None:
            return value, doc.published_source or "input"
    if page is not None:
        return page, "page"
    from_url = date_from_url(doc.url)
    if from_url is not None:
        return from_url, "url"
    from_headers = date_from_headers(doc.headers)
    if from_headers is not None:
        return from_headers, "http"
    return None, None


def _not_article(ex: Extraction) -> str | None:
    """Section fronts and video pages: little prose, mostly links or a player."""
    lines = ex.lines
    if not lines:
        return NO_MAIN_TEXT
    chars = sum(len(line.text) for line in lines)
    link = sum(line.link_chars for line in lines)
    prose = sum(1 for line in lines if line.words >= 15 and line.link_density < 0.5)
    if len(lines) >= 5 and chars and link / chars > 0.5 and prose < 3:
        return f"not_article: link list ({link * 100 // chars}% link text)"
    ptype = (ex.page_type or "").lower()
    if ptype.startswith("video") and prose < 3:
        return "not_article: video page"
    return None


def clean_document(
    doc: Document,
    *,
    site_lines: SiteLines | None = None,
    max_html_chars: int = MAX_HTML_CHARS,
    languages: Sequence[str] | None = DEFAULT_LANGUAGES,
    min_words: int = MIN_WORDS,
) -> Article:
    """Clean one document into an Article, or an Article with `rejected` set; never raises on bad input."""
    try:
        return _clean(doc, site_lines, max_html_chars, languages, min_words)
    except RecursionError:
        return _rejected(doc, "malformed_html: nesting too deep")
    except Exception as exc:  # a crash on one page must not take the worker down; record why
        log.warning("article stage failed for %s: %s: %s", doc.url, type(exc).__name__, exc)
        return _rejected(doc, f"extraction_failed: {type(exc).__name__}")


def _rejected(doc: Document, reason: str, **fields: Any) -> Article:
    log.info("article %s rejected: %s", doc.id, reason)
    return Article(id=doc.id, url=doc.url, title=fields.pop("title", doc.title), rejected=reason,
                   fetch_error=doc.fetch_error, **fields)


def _clean(doc: Document, site_lines: SiteLines | None, max_html_chars: int,
           languages: Sequence[str] | None, min_words: int) -> Article:
    # the caller's headline and archived text reach spaCy and the JSON streams as given: no NULs, lone surrogates
    # or other control characters (spaCy's tokenizer raises on a lone surrogate), and a headline of sane length
    doc = doc.model_copy(update={"title": scrub_title(doc.title), "text": _scrub_text(doc.text, max_html_chars),
                                 "feed_text": _scrub_text(doc.feed_text, max_html_chars)})
    has_headline = is_headline(doc.title)
    page_date: datetime | None = None
    ex = Extraction()
    lines: list[Line] = []
    page_reason = None  # why the page itself is no article (the feed's own text may still be one)
    if doc.html is not None and doc.html.strip():
        page_reason = _not_html(doc, doc.html)
        if page_reason is None:
            ex = extract_main(doc.html, doc.url, max_html_chars=max_html_chars)
            page_date = ex.published
            page_reason = _not_article(ex)
            if page_reason == NO_MAIN_TEXT and has_headline:
                page_reason = None
            lines = ex.lines if page_reason is None else []
    elif doc.text is not None and doc.text.strip():
        lines = lines_from_text(doc.text)
    elif not has_headline:  # otherwise an archive or feed entry with its headline alone
        page_reason = doc.fetch_error or "empty: no html or text"

    title = doc.title or ex.title
    feed = clean_lines(feed_lines(doc.feed_text), title=title) if doc.feed_text else None
    feed_words = feed.words if feed else 0
    if page_reason and feed_words < min_words:
        return _rejected(doc, page_reason, title=ex.title or doc.title)

    site = site_of(ex.canonical_url or doc.url)
    site_count = None
    if site_lines is not None and site:
        keys = [normalise(line.text) for line in lines]
        counts = site_lines.counts(site, [k for k in keys if k])
        site_count = lambda key: counts.get(key, 0)  # noqa: E731
    cleaned: Cleaned = clean_lines(lines, title=title, authors=ex.authors, site_count=site_count)
    if site_lines is not None and site:
        site_lines.observe(site, doc.id, (normalise(line.text) for line in lines))

    # the feed's text stands in for a page that is no article, and for one that says markedly less (a paywall
    # teaser, an extraction that lost the story); a page about as long as the feed's copy keeps its own text
    words = cleaned.words
    from_feed = feed is not None and feed_words > 0 and (page_reason is not None or feed_words > FEED_MARGIN * words)
    if feed is not None and from_feed:
        cleaned, words = feed, feed_words
    text = cleaned.text
    headline_only = words < min_words and has_headline
    language, confidence = detect_language(f"{title}\n{text}" if headline_only else text)
    language = language or ex.html_lang
    published, source = _published(doc, page_date)
    fields: dict[str, Any] = dict(
        canonical_url=ex.canonical_url, title=title, authors=ex.authors, published=published,
        published_source=source, site_name=ex.site_name, language=language, from_feed=from_feed,
    )
    if words < min_words and not headline_only:
        return _rejected(doc, doc.fetch_error or f"too_short: {words} words", **fields)
    if languages is not None and language and language not in languages and confidence >= MIN_LANGUAGE_CONFIDENCE:
        return _rejected(doc, f"wrong_language: {language}", **fields)
    log.info("article %s cleaned: %d words%s%s, %d lines removed", doc.id, words,
             " (headline only)" if headline_only else "", " from the feed" if from_feed else "", len(cleaned.removed))
    return Article(id=doc.id, url=doc.url, text=text, headline_only=headline_only, fetch_error=doc.fetch_error,
                   **fields)


def _scrub_text(text: str | None, max_chars: int) -> str | None:
    """Archived or feed text capped at `max_chars`, its control characters and lone surrogates made spaces."""
    return _BAD_CHARS_RE.sub(" ", text[:max_chars]) if text else text


def scrub_title(title: str | None) -> str | None:
    """A caller's title without control characters or lone surrogates, its whitespace collapsed, at most
    MAX_TITLE_CHARS long (a headline is a line, not a page)."""
    if not title:
        return title
    return " ".join(_BAD_CHARS_RE.sub(" ", title).split())[:MAX_TITLE_CHARS] or None


def is_headline(title: str | None) -> bool:
    """A caller's title that reads as a headline: at least MIN_HEADLINE_WORDS words of letters ("NBC12", "en",
    "Redirect Notice" are not)."""
    return len(re.findall(r"[^\W\d_]{2,}", title or "")) >= MIN_HEADLINE_WORDS
