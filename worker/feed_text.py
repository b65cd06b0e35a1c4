"""A feed entry's own text of its story (RSS description, content:encoded, Atom content, JSON Feed content) as
lines for the article stage's second pass.

Feeds carry either plain text (sometimes entity-escaped) or an HTML fragment that feedparser has already
sanitised. A fragment becomes one line per block (paragraph, list item, heading, table row, <br>); scripts,
styles and embedded players are dropped. Link text stays as text: a feed fragment has no page template whose
link density would tell navigation from story, so the second pass's phrase rules ("Read more:", "The post ...
appeared first on ...") judge it like archived text.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

from worker.boilerplate import Line, lines_from_text

_TAG_RE = re.compile(r"<(?:[a-zA-Z][\w:-]*|/[a-zA-Z][\w:-]*|!--)")
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "video", "audio", "svg", "form", "button")
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "table", "tr", "section", "article", "aside", "header", "footer",
                     "figure", "figcaption", "hr", "address"})


def feed_lines(text: str) -> list[Line]:
    """The lines of a feed entry's text, HTML fragment or plain text; never raises."""
    if not text or not text.strip():
        return []
    if not _TAG_RE.search(text):
        return lines_from_text(html.unescape(text))
    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):  # nothing parseable, or characters lxml refuses
        return lines_from_text(html.unescape(re.sub(r"<[^>]*>", " ", text)))
    for el in root.xpath("|".join(f"//{tag}" for tag in _DROP)):
        el.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return lines_from_text(root.text_content())
