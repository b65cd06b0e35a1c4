"""Second pass after trafilatura: drop the residual page junk line by line.

A page's main text arrives as `Line`s (one per paragraph, heading, list item or table row, with
how much of it was link text in the source HTML and whether it sat in a table). Plain text is
split into lines the same way (`clean_text`). Each line is judged by features, never by a list
of one site's sentences:

- known phrasings of junk in general, matched as the whole of a short line (WHOLE_LINE:
  "Advertisement", "Related stories", "12 comments", "Back to top", "Live updates"...) or as the
  anchored opening of a line (OPENING: "Sign up for our newsletter...", "Subscribe to continue
  reading", "Please consider supporting our journalism", "Photo: ...", "Reporting by ...",
  cookie, paywall, affiliate and follow-us notices), so that a story sentence which merely
  contains such words ("Comments were closed.") is kept;
- credits and captions: contributor and contact lines, bylines, a caption closing with
  "(Photo: .../AP)";
- link density: a short line that is mostly link text is navigation or a teaser, unless it
  reads as a full sentence;
- position: the title repeated at the top; headings, bylines and datelines above the first
  sentence of the story; runs of short non-sentence lines (or layout-table cells) before the
  first and after the last sentence; everything after a teaser or comments header that comes
  below most of the story ("Top stories", "Comments");
- repetition: a run of long lines repeating earlier ones (the body rendered twice), and a line
  seen on many pages of the same site (`worker.sitelines`);
- inside a line: a publication stamp opening it ("Published: Friday, January 18, 2008") and
  appeal or credit sentences closing it are cut, the story part is kept.

A line that reads as prose (20+ words, ends like a sentence, few links) is protected from every
rule except the anchored junk openings and credits. `clean_lines` returns the removed lines
with their reasons, so the benchmark can count what was taken out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

WORD_RE = re.compile(r"\w+")
SENTENCE_END_RE = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
INNER_STOP_RE = re.compile(r"\w[.!?]['\"”’)]*\s+\S")  # "... to comment. - Sapa": sentence plus credit
STRICT_END_RE = re.compile(r"[.!?…]['\"”’»)]*\s*$")  # a full stop, not a closing "[VIDEO]" tag


@dataclass
class Line:
    """One block of extracted text with the features the second pass needs."""

    text: str
    kind: str = "p"  # p, head, item, row, quote, code, tail
    link_chars: int = 0
    in_table: bool = False  # came from a table cell: old layouts put navigation there
    container: str = ""  # tag and class of the source element holding the paragraph, when known

    @property
    def words(self) -> int:
        # cached: every rule asks, and a regex pass per ask adds up over a page
        cached = self.__dict__.get("_words")
        if cached is None or cached[0] is not self.text:
            cached = (self.text, len(WORD_RE.findall(self.text)))
            self.__dict__["_words"] = cached
        return cached[1]

    @property
    def link_density(self) -> float:
        n = len(self.text.strip())
        return min(1.0, self.link_chars / n) if n else 0.0


@dataclass
class Removed:
    line: Line
    reason: str


@dataclass
class Cleaned:
    """Kept lines, removed lines with reasons, and the text built from the kept ones."""

    kept: list[Line]
    removed: list[Removed] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(line.text for line in self.kept)

    @property
    def words(self) -> int:
        """Words of `text` (a word never spans the blank line between two lines): the lines' cached counts."""
        return sum(line.words for line in self.kept)


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-folded form of a line, for comparisons and site statistics."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(WORD_RE.findall(text))


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


MONTHS = (r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|"
          r"nov(ember)?|dec(ember)?)")
WEEKDAYS = r"(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?"

# Whole-line junk: the line is nothing but this (after trimming punctuation and counts).
WHOLE_LINE = _rx(
    # advertisement markers
    r"advert(isement|ising)?|ads?|sponsored( content| links?| stories)?|paid (content|post)|promoted( content)?",
    # "read more" and related-story teasers
    r"(read|see|view|show|load) (more|less|all|full (story|article))( (stories|articles|news|comments|photos))?",
    r"continue reading( (the )?(main )?(story|article|below))?|story continues below( advertisement)?",
    r"related( (stories|articles|content|coverage|links|news|posts|topics|videos?|reading))?",
    r"more (on|about) (this|these) (story|stories|topics?)|more (stories|news|videos?|headlines)",
    r"(you )?(may|might) (also )?(like|be interested in|enjoy)|recommended( for you| stories| reading)?",
    r"most (read|popular|viewed|shared|emailed)|trending( now| stories)?|top stories|"
    r"latest (news|stories|videos?|headlines)",
    r"don'?t miss|must read|editor'?s picks?|in other news|also read|further reading|what to read next",
    r"up next|watch next|next (story|article)|previous (story|article)",
    # comment prompts
    r"(leave|post|add|write|view|show|hide|read|see|load) (a |all |the )?(comments?|reply|replies)",
    r"comments?( \(\d+\))?|\d+ comments?|no comments( yet)?|be the first to comment",
    r"join the (conversation|discussion)|comment on this (story|article)",
    # share, print, save
    r"share( this( story| article| page| post)?)?( on (facebook|twitter|linkedin|whatsapp|email))?|tweet( this)?",
    r"e-?mail( this)?( (story|article|page))?|e-?mail to a friend|send to a friend|"
    r"print( this)?( (story|article|page))?",
    r"printer[- ]friendly( version)?|save( article| story)?|bookmark|reprints?( (and|&) permissions)?",
    r"copy (link|url)|permalink",
    # navigation and "back to top"
    r"(back|return|go) to (the )?top|top of (the )?page|skip to (main )?content|jump to|menu|search|home|close",
    r"next|previous|prev|more|follow( us)?|subscribe|sign in|log in|login|register|sign up",
    # page tools, galleries and players
    r"larger text|smaller text|text size|font size|view (larger|full(-size)?) (image|photo|picture)",
    r"enlarge( (image|photo))?|(photo|image|picture) gallery|(see|view) (the )?(photos?|gallery|slideshow|video)",
    r"play video|watch( the)?( video| live)?|video|photos?|gallery|slideshow|audio|listen( to this (story|article))?",
    # legal and cookie notices
    r"cookies? (policy|settings|preferences)|privacy policy|terms (of (use|service)|and conditions)",
    r"contact us|about us|all rights reserved|copyright (©\s*)?\d{4}.*|©.*",
    # live-blog chrome
    r"live( updates| blog| coverage)?|refresh( (this )?page)?|key (events|points)|show key events only",
    r"auto[- ]?update( on| off)?|pinned( post)?|(new )?updates? available|load (new|more) (updates|posts)",
    # tags, sources and credits
    r"tags?\s*:.*|tagged\b.*|filed under\b.*|categor(y|ies)\s*:.*|topics?\s*:.*|posted in\s*:.*",
    r"sources?\s*:.*|image (source|copyright)\b.*|(photo|image|picture)s?( credit)?\s*:.*|credit\s*:.*",
    r"courtesy( of)?\s*:.*|courtesy of( the)? [\w.' -]{0,40}",
    r"(the )?associated press|ap|reuters|afp|upi|staff( writer| reporter)?|staff and wire reports",
    r"with (post |wire |agency )?wires|wire (services|reports)",
)

# Headers that open a block of teasers or comments: below most of the story, what follows them is not story.
SECTION_MARKER = _rx(
    r"related( (stories|articles|content|coverage|links|news|posts|topics|videos?|reading))?",
    r"more (on|about) (this|these) (story|stories|topics?)|"
    r"more (stories|news|videos?|headlines)( from [\w .'-]{1,30})?",
    r"(you )?(may|might) (also )?(like|be interested in|enjoy)|recommended( for you| stories| reading)?",
    r"most (read|popular|viewed|shared|emailed)|trending( now| stories)?|top stories|latest (news|stories|headlines)",
    r"must read|editor'?s picks?|in other news|further reading|what to read next|partner news",
    r"comments?( \(\d+\))?|\d+ comments?|(leave|post|add|write) (a )?comment|join the (conversation|discussion)",
)

COMMENTS_MARKER = _rx(r"comments?( \(\d+\))?|\d+ comments?|(leave|post|add|write) (a )?comment|"
                      r"join the (conversation|discussion)")

# Anchored openings of short lines (appeals, teasers, credits).
OPENING = _rx(
    r"(read|see) (more|also|the full|our)\b",
    r"related( \w+)?\s*:|more\s*:|also\s*:|see more\s*:|read more\s*:|watch\s*:|listen\s*:|don'?t miss|"
    r"buyer'?s guide\s*:",
    r"(sign up|subscribe|register)( now| today| here)? (for|to) .{0,50}"
    r"(newsletter|e-?mails?|alerts|updates|bulletin|digest)|"
    r"get (our|the) .{0,40}(newsletter|in your inbox|delivered)|(get|have) the latest .{0,60}(inbox|newsletter)|"
    r"enter your e-?mail|by signing up|thanks? (you )?for (signing up|subscribing)|keep an eye on your inbox|"
    r"there was an error processing your (subscription|request)",
    r"(please )?(consider )?(support|supporting|subscribing to) "
    r"(our |independent |local |quality |trusted |public-interest )+"
    r"(journalism|reporting|work|newsroom)|"
    r"if you (enjoyed|liked|value|appreciate) (this|our|reading)\b|"
    r"(make a |please )?donat(e|ion)\b|become a (member|subscriber|patron)|help (us|fund|support) ",
    r"subscribe (now|today|to (continue|read|keep))|(to )?continue reading,? (please )?(subscribe|log in|sign in)|"
    r"you('ve| have) (reached|used) (your|all) .{0,30}(free|limit)|already (a )?subscriber|"
    r"this (content|article) is (only )?(available|reserved) (to|for) (subscribers|members)|"
    r"subscribers? only|unlock (this|unlimited)|start your (free )?trial",
    r"(this|our) (web)?site uses cookies|we use cookies|accept (all )?cookies|"
    r"by (continuing|using) (to (browse|use) )?(this|our) (site|website)",
    r"follow\b.{0,60}\b(on|at|via) (twitter|facebook|instagram|x|linkedin|tiktok|youtube|threads|bluesky)\b|"
    r"follow @\w+|"
    r"(like|follow|find) us on (facebook|twitter|instagram)|connect with us",
    r"share (this|on|via)\b|click to (share|email|print)|share your (thoughts|views)|tell us what you think|"
    r"what do you think\?|have your say|we('d)? (want to|would like to) hear",
    r"comments? (are|have been) (closed|disabled|moderated)\b.*(policy|guidelines)|"
    r"commenting (is )?(closed|disabled|not available)|(log|sign) in to (comment|reply)|you must be logged in|"
    r"(note: )?we (are|have) (temporarily )?(moderat|clos|disabl)\w* .{0,30}comments",
    r"(reporting|writing|editing|additional reporting|compiled|produced|research) by\b|"
    r"\(?(reporting|writing|editing) by\b",
    r"(photo|image|picture)s?( credit)?\s*(:|/|by\b|courtesy)|"
    r"(getty|ap|afp|reuters|epa|shutterstock|istock)( images)?\s*(/|photo)|"
    r"\(?(photo|image|picture) (by|courtesy|credit)\b|"
    r"image (copyright|caption|source)|caption\s*:",
    r"advertisement\b|sponsored\b|ad feedback|story continues (below|after)",
    r"(copyright|©|\(c\))\s*(©|\(c\))?\s*(\d{4}|the\b|by\b|all rights)",
    r"disclaimer\s*:|the views expressed\b|this (story|article) (was|has been) (updated|corrected)\b.{0,80}$",
    r"(download|get) (the|our) .{0,30}app\b|available on the app store|get it on google play",
    r"subscribe to (the|our) .{0,40}(channel|podcast|feed)|follow (our|the|\w+'s) (full |live |latest )?coverage\b",
    r"if you (buy|purchase|click|shop)\b.{0,80}\b(commission|share of the sale|earn|compensat)|"
    r"we may (earn|receive|get) (a )?(small )?(commission|share|compensation)|"
    r"this (post|article|page) (contains|may contain) affiliate links",
    r"(call|email|contact) .{0,60}(with (story )?tips|news tips)|got a (news )?tip\?|have a tip\?|"
    r"send (us )?(your )?(news )?tips",
    r"the post .{1,300} appeared first on\b",  # WordPress's feed footer
)

# A publication stamp line ("Posted on Monday 12:40", "Updated 10:42 GMT"): short lines only; longer
# ones get the stamp cut off by DATE_PREFIX and keep their story text.
STAMP = re.compile(rf"(posted|published|updated|last updated|last modified|first published)\W*(on\s+|at\s+)?"
                   rf"(\d|{WEEKDAYS}\b|{MONTHS}\b)", re.IGNORECASE)

# Contact and credit tails: only as a short line.
CREDIT = _rx(
    r"\b(can|may) be (reached|contacted) (at|by|via)\b",
    r"\bcontributed (to )?(this )?report(ing)?\b",
    r"\bcontributed to this (story|article)\b",
    r"^\s*contact (the |this )?(writer|reporter|author)\b",
    r"^\s*(e-?mail|contact|reach) [\w.' -]{2,40} at [\w.+-]+@[\w-]+\.",
    r"^\s*follow (him|her|them|\w+( \w+)?) on (twitter|x|instagram|facebook)\b",
)
# A byline: "By Jane Doe" / "By JANE DOE, Associated Press Writer" (case matters: names are capitalised).
BYLINE = re.compile(r"^\s*(by|BY|By)\s+[A-Z][\w.'’-]+(\s+(de |van |von )?[A-Z][\w.'’-]+){0,3}"
                    r"(\s*(,|and|&)\s*[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3})*\s*([,|–—-].*)?$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# A caption or credit closing a line: "... (Photo: Jane Doe/AP)", "... (credit: NASA)", "Photo by X/Getty Images".
CAPTION_TAIL = re.compile(
    r"\((photo|image|picture|credit|pictured|file photo|photograph)s?\b[^()]{0,80}\)\s*$|"
    r"[.!?](reuters|ap|afp|getty images|epa|ap photo|shutterstock)\s*$|"
    r"\b(photo|image)s?\s*(:|by)\s*[^.]{0,60}/\s*(getty|ap|afp|reuters|epa|shutterstock|ap photo)[\w ]*\s*$",
    re.IGNORECASE)
# A publication stamp opening a line that then goes on with the story: strip it, keep the rest.
DATE_PREFIX = re.compile(
    rf"^\W*(posted|published|updated|last updated|first published)\W*(on\s+|at\s+)?"
    rf"(\d{{1,2}}[:.]\d{{2}}\s*([ap]\.?m\.?)?\s*(on\s+)?)?(({WEEKDAYS})\W+)?"
    rf"(\d{{1,2}}(st|nd|rd|th)?\W+{MONTHS}|{MONTHS}\W+\d{{1,2}}(st|nd|rd|th)?|\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}})"
    rf"(\W+\d{{4}})?(\W+(at\s+)?\d{{1,2}}[:.]\d{{2}}\s*([ap]\.?m\.?)?(\s*[A-Z]{{2,5}}\b)?)?\s*[-–—|,]?\s*",
    re.IGNORECASE,
)
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(_—-])|\s+_{2,}\s*")
URL_ONLY = re.compile(r"^\W*(https?://|www\.)\S+\W*$", re.IGNORECASE)

DATELINE = re.compile(
    rf"^\W*((posted|published|updated|last updated|modified|date)\W*)?(on\s+)?({WEEKDAYS}\W*)?"
    rf"(\d{{1,2}}(st|nd|rd|th)?\W+{MONTHS}|{MONTHS}\W+\d{{1,2}}(st|nd|rd|th)?|\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}})"
    rf"(\W+\d{{2,4}})?(\W+(at\s+)?\d{{1,2}}([:.]\d{{2}})?\s*([ap]\.?m\.?)?(\s*[A-Z]{{2,5}})?)?\W*$"
    r"|^\W*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\W*$",
    re.IGNORECASE,
)
TIME_ONLY = re.compile(r"^\W*\d{1,2}([:.]\d{2})?\s*([ap]\.?m\.?)?(\s*[A-Z]{2,5})?\W*$", re.IGNORECASE)
SEPARATOR = re.compile(r"^[\W_]*$")

SHORT = 12  # words: a line this short is never a story sentence on its own merits
PROSE_WORDS = 20


def is_prose(line: Line) -> bool:
    """Looks like a story sentence: long enough, ends like a sentence, not mostly links."""
    return (line.kind in ("p", "quote", "tail", "item") and line.words >= PROSE_WORDS
            and line.link_density < 0.5 and bool(SENTENCE_END_RE.search(line.text)))


def _sentence_like(line: Line) -> bool:
    return (line.kind != "head" and line.words >= 6 and bool(SENTENCE_END_RE.search(line.text))
            and line.link_density < 0.5)


def _stripped(text: str) -> str:
    """The line without surrounding bullets, pipes, brackets, counts and trailing punctuation."""
    text = text.strip().strip("|•·*-–—_=~>»«:[](){}.…!?\"'“”‘’ \t")
    text = re.sub(r"\s*\(\d+\)$|\s+\d+$", "", text)
    return re.sub(r"\s+", " ", text)


def _phrase_reason(line: Line) -> str | None:
    if line.words > 60:
        return None  # every phrase rule is for short lines
    stripped = _stripped(line.text)
    if not stripped:
        return "separator"
    if line.words <= SHORT and WHOLE_LINE.fullmatch(stripped):
        return "junk_phrase"
    if line.words <= 60 and OPENING.match(stripped):
        return "junk_opening"
    if line.words <= 12 and STAMP.match(stripped):
        return "dateline"
    if line.words <= 30 and CREDIT.search(line.text):
        return "credit"
    if line.words <= 15 and BYLINE.match(line.text):
        return "byline"
    if line.words <= 8 and EMAIL.search(line.text):
        return "credit"
    if URL_ONLY.match(line.text):
        return "url_line"
    if line.words <= 60 and CAPTION_TAIL.search(line.text):
        return "caption"
    return None


def _title_like(line: str, title: str) -> bool:
    """The line is the headline again (possibly with or without a site suffix)."""
    nl, nt = normalise(line), normalise(title)
    if not nl or not nt:
        return False
    if nl == nt:
        return True
    shorter, longer = sorted((nl, nt), key=len)
    # one is the other plus a short suffix such as "| Site Name"; never a paragraph starting with the title
    return (len(shorter) > 20 and longer.startswith(shorter) and len(longer) - len(shorter) <= 40
            and len(nl) <= len(nt) + 5)


def clean_lines(
    lines: Sequence[Line],
    *,
    title: str | None = None,
    authors: Iterable[str] = (),
    site_count: Callable[[str], int] | None = None,
    site_threshold: int = 3,
    site_sentence_threshold: int = 12,
) -> Cleaned:
    """Remove junk lines; `site_count(normalised_line)` gives on how many pages of the site a line was seen.

    A fragment seen on `site_threshold` pages of a site is its boilerplate. A line that reads as
    a sentence needs `site_sentence_threshold` pages: a developing story republished in several
    updates repeats its own short sentences, and those must stay.
    """
    names = [normalise(a) for a in authors if a and len(normalise(a)) > 3]
    trimmed: list[Removed] = []
    lines = _join_place_datelines([_trim(line, trimmed) for line in lines])
    verdict: list[str | None] = [None] * len(lines)
    n = len(lines)

    for i, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            verdict[i] = "empty"
            continue
        prose = is_prose(line)
        reason = _phrase_reason(line)
        if reason and prose and reason not in ("junk_opening", "credit", "caption"):
            reason = None
        if reason is None and not prose:
            if line.words <= SHORT and (DATELINE.match(text) or TIME_ONLY.match(text)):
                reason = "dateline"
            elif line.link_density >= 0.6 and line.words <= 25 and not (
                    line.kind == "p" and not line.in_table and line.words >= 8 and STRICT_END_RE.search(text)):
                reason = "link_line"
            elif title and i < 3 and _title_like(text, title):
                reason = "title_repeated"
            elif (names and line.words <= 8 and (i < 4 or i >= n - 3)
                  and any(nm in normalise(text) for nm in names)):
                reason = "byline"
        if reason is None and site_count is not None and not prose and line.words <= 40:
            key = normalise(text)
            needed = site_sentence_threshold if _sentence_like(line) else site_threshold
            if key and site_count(key) >= needed:
                reason = "site_repeated"
        verdict[i] = reason

    # After the story, a listing of other posts: several paragraphs each from a container of its
    # own template (post-123, post-456...). Same-template containers (a body split around an ad)
    # and lines of unknown origin are left alone.
    weight: dict[str, int] = {}
    count: dict[str, int] = {}
    for i, line in enumerate(lines):
        if verdict[i] is None and line.container:
            weight[line.container] = weight.get(line.container, 0) + len(line.text)
            count[line.container] = count.get(line.container, 0) + 1
    if weight:
        main = max(weight, key=lambda k: weight[k])
        last = max(i for i, line in enumerate(lines) if line.container == main)
        listing = [i for i in range(last + 1, n) if verdict[i] is None and lines[i].kind == "p"
                   and lines[i].container and lines[i].container != main and count[lines[i].container] == 1]
        if len(listing) >= 2:
            for i in listing:
                verdict[i] = "foreign_tail"

    # A teaser or comments header after most of the story closes it. Below a comments header
    # everything goes (comments read like prose); below a teaser header the run of teasers goes,
    # up to the first paragraph of prose (the widget sat inside the story and the story resumes).
    prose_words = [line.words if verdict[i] is None and _sentence_like(line) else 0 for i, line in enumerate(lines)]
    total = sum(prose_words)
    before = 0
    for i, line in enumerate(lines):
        before += prose_words[i]
        if not (i > 0 and line.words <= 6 and before >= 100 and before >= 0.5 * total):
            continue
        marker = _stripped(line.text)
        if not SECTION_MARKER.fullmatch(marker):
            continue
        comments = COMMENTS_MARKER.fullmatch(marker) is not None
        for j in range(i, n):
            if not comments and j > i and is_prose(lines[j]) and lines[j].link_density < 0.3:
                break
            if verdict[j] is None:
                verdict[j] = "after_teaser_header"
        break

    # A run of long lines repeating earlier ones (a body rendered again for another layout) keeps
    # its first copy; a few repeated lines (a recurring question, a daily menu) stay.
    seen: set[str] = set()
    run: list[int] = []
    for i, line in enumerate(lines + [Line("end of page marker line with enough words to count")]):
        if i < n and (line.words < 8 or verdict[i] is not None):
            continue
        key = normalise(line.text) if i < n else ""
        if i < n and key in seen:
            run.append(i)
            continue
        if len(run) >= 4:
            for j in run:
                verdict[j] = "duplicate"
        run = []
        seen.add(key)

    # Runs of short non-sentence lines before the first and after the last prose line are page
    # chrome (navigation, teasers, tags); inside the story they are subheadings and stay.
    prose_idx = [i for i, line in enumerate(lines) if verdict[i] is None and _sentence_like(line)]
    if prose_idx:
        first, last = prose_idx[0], prose_idx[-1]
        for i in list(range(0, first)) + list(range(last + 1, n)):
            line = lines[i]
            lead = i < first
            if verdict[i] is None and line.kind == "head" and line.words <= 40 and (not lead or i < 4):
                # above the story: headline, kicker or standfirst; below it: teaser headlines
                verdict[i] = "lead_heading" if lead else "edge_trail"
                continue
            if (verdict[i] is not None or line.words > SHORT or SENTENCE_END_RE.search(line.text.strip().rstrip("|"))
                    or INNER_STOP_RE.search(line.text)):
                continue
            if (line.kind in ("head", "row", "tail") or line.in_table
                    or (line.kind == "p" and (line.link_density > 0.2 or line.words <= 3) if lead
                        else line.kind == "p" and line.link_density <= 0.2)):
                verdict[i] = "edge_lead" if lead else "edge_trail"

    kept = [line for line, v in zip(lines, verdict) if v is None]
    removed = trimmed + [Removed(line, v) for line, v in zip(lines, verdict) if v is not None and v != "empty"]
    return Cleaned(kept, removed)


_APPEAL_HINT = re.compile(r"follow|subscri|sign up|newsletter|reached|contact|contribut|e-?mail|donat|support|inbox|"
                          r"twitter|facebook|@|reporting|editing|writing|copyright|©|app\b|tips?\b", re.IGNORECASE)


# "STOCKTON —" or "PUYALLUP, Wash. -" alone on a line: the dateline of the paragraph below, which the
# event stage reads for the place; joined to that paragraph instead of being dropped as a fragment.
PLACE_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’ ]{2,30}(,\s*[A-Z][\w.]{1,12}(\s[A-Z][\w.]{1,12})?)?\s*(\([A-Za-z]{2,10}\))?\s*[-–—:]+\s*$")


def _join_place_datelines(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.words <= 5 and PLACE_DATELINE.match(line.text.strip()):
            nxt = lines[i + 1]
            out.append(Line(f"{line.text.strip()} {nxt.text}", nxt.kind, nxt.link_chars, nxt.in_table,
                            nxt.container))
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _appeal(sentence: str) -> bool:
    """A sentence that is an appeal or credit in itself (newsletter, follow us, contact the writer)."""
    stripped = _stripped(sentence)
    words = len(WORD_RE.findall(sentence))
    return bool(stripped) and words <= 40 and (OPENING.match(stripped) is not None
                                               or CREDIT.search(sentence) is not None)


def _trim(line: Line, trimmed: list[Removed]) -> Line:
    """Cut a publication stamp opening the line and appeal sentences closing it; keep the story part."""
    text = line.text
    m = DATE_PREFIX.match(text)
    if m and m.end() < len(text) and len(WORD_RE.findall(text[m.end():])) >= 4:
        trimmed.append(Removed(Line(text[: m.end()].strip(), line.kind), "date_prefix"))
        text = text[m.end():]
    if line.kind in ("p", "tail", "quote") and len(text) > 40 and _APPEAL_HINT.search(text, max(0, len(text) - 300)):
        sentences = SENTENCE_SPLIT.split(text)
        keep = len(sentences)
        while keep > 1 and _appeal(sentences[keep - 1]):
            keep -= 1
        if keep < len(sentences):
            cut = " ".join(sentences[keep:])
            trimmed.append(Removed(Line(cut, line.kind), "appeal_sentence"))
            text = " ".join(sentences[:keep])
    if text is line.text:
        return line
    # link characters are not tracked per sentence: scale them with the kept share
    share = len(text) / max(1, len(line.text))
    return Line(text, line.kind, int(line.link_chars * share), line.in_table, line.container)


def _hard_wrapped(lines: list[str]) -> int:
    """The wrap width when the text is hard-wrapped (wire copy, e-mail), else 0."""
    lengths = [len(line) for line in lines]
    if len(lengths) < 8:
        return 0
    width = sorted(lengths)[int(0.8 * (len(lengths) - 1))]
    full = sum(1 for n in lengths if n >= 0.75 * width)
    open_ended = sum(1 for line in lines if not STRICT_END_RE.search(line))
    if 50 <= width <= 100 and full >= 0.6 * len(lengths) and open_ended >= 0.6 * len(lengths):
        return width
    return 0


def lines_from_text(text: str) -> list[Line]:
    """Split plain text into lines for the same second pass.

    One line per non-empty line of the text; hard-wrapped text (most lines filled to about the
    same width, most not ending a sentence) is first unwrapped into its paragraphs, which end at
    a blank line or at a line well short of the width.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    width = _hard_wrapped([line for line in raw if line])
    if not width:
        return [Line(line) for line in raw if line]
    out: list[Line] = []
    current: list[str] = []
    for line in raw + [""]:
        if line:
            current.append(line)
        if current and (not line or len(line) < 0.6 * width):
            out.append(Line(" ".join(current)))
            current = []
    return out


def clean_text(text: str, *, title: str | None = None, authors: Iterable[str] = (),
               site_count: Callable[[str], int] | None = None) -> Cleaned:
    """The second pass on a document that arrived as plain text."""
    return clean_lines(lines_from_text(text), title=title, authors=authors, site_count=site_count)
