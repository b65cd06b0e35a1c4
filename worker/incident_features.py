"""What a report says that identifies its incident: rare words, place, dates, type, casualty figures.

Rare words carry most of the identity of a local incident (the victim's and the suspect's
names, the street, the neighbourhood), so every word is weighted by how unusual it is in
English at large (wordfreq's Zipf scale, shipped inside the package): a word seen once per
billion words weighs ~6, "police" ~0.7, "the" 0. Only the heaviest words are kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from wordfreq import zipf_frequency

from worker.events.dates import find_dates
from worker.events.headlines import court_headline
from worker.models import Article, Event, Location
from worker.urls import outlet_host

MAX_TERMS = 48
_ZIPF_CEILING = 6.0  # words at least this common weigh nothing
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+[A-Za-z]")
# Words of every crime report, whatever the incident: they say nothing about which one.
_GENERIC = frozenset([
    "shooting", "shootings", "shot", "shots", "gunfire", "gunshot", "gunshots", "gunman", "gunmen", "gun",
    "guns", "firearm", "handgun", "rifle", "shotgun", "police", "officer", "officers", "detective",
    "detectives", "sheriff", "deputy", "deputies", "investigators", "authorities", "spokesman", "spokeswoman",
    "spokesperson", "victim", "victims", "suspect", "suspects", "homicide", "murder", "killed", "killing",
    "wounded", "injured", "hospital", "condition", "scene", "investigation", "investigating", "arrested",
    "arrest", "charged", "charges", "custody", "according", "reported", "identified", "pronounced", "died",
    "dead", "death", "deaths", "fatal", "fatally"
])
# Rough rank of how precise a place is (lower is better), to spot a better location.
PRECISION_RANK = {"point": 0, "neighbourhood": 1, "town": 2, "city": 3, "admin2": 4, "admin1": 5,
                  "country": 6, "region": 7}
# Page furniture that survives boilerplate removal on some sites.
_WEB = frozenset([
    "privacy", "policy", "terms", "click", "sign", "subscribe", "subscription", "facebook", "twitter",
    "instagram", "youtube", "email", "copyright", "reserved", "rights", "newsletter", "advertisement",
    "comments", "comment", "share", "follow", "login", "log", "register", "app", "download", "video", "photo",
    "gallery", "related", "stories", "story", "news", "update", "updated", "breaking", "watch", "read", "more",
    "home", "contact", "cookies",
    # a comment or share widget's words, a paywall's and a script notice's ("Report as: Junk / Spam", "Close",
    # "Whenever X posts new content", "Sorry, this zipcode is not in our deliverable area. Re-enter zip code",
    # "Please enable Javascript"): on every page of some networks' sites, they chained unrelated stories
    "junk", "spam", "close", "whenever", "sorry", "oops", "re-enter", "javascript", "enable", "browser",
    "tweets", "tweet", "caption", "published"
])
_MONTHS = frozenset([
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"
])
_DAYS = frozenset([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
])

_weight_cache: dict[str, float] = {}


def term_weight(word: str) -> float:
    """Rarity of a lower-cased word in English: 0 for common words, up to ~6 for unseen ones."""
    w = _weight_cache.get(word)
    if w is None:
        w = max(0.0, _ZIPF_CEILING - zipf_frequency(word, "en"))
        if len(_weight_cache) < 500_000:
            _weight_cache[word] = w
    return w


# Victims' and suspects' ages ("a 16-year-old boy", "aged 16", "Jones, 16,") as words of a report: two stories of one
# shooting name the same ages in different words ("New Orleans teen shot while playing with gun" / "16-year-old shot
# while playing with a gun"). Counted with the rare words only (not the names: an age is no block key, and two
# shootings of one city often share an age), at this rarity (a word's is 0-6; see bench notes in incident_score).
AGE_RARITY = 4.0
_AGE_WORDS = {w: str(i) for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve thirteen "
                                               "fourteen fifteen sixteen seventeen eighteen nineteen".split(), 1)}
_AGE = re.compile(r"\b(\d{1,2}|" + "|".join(_AGE_WORDS) + r")[- ](?:year|yr)s?[- ]old\b|\baged? (\d{1,2})\b|"
                  r"(?<=[a-z]), (\d{1,2}),", re.I)


def rare_terms(text: str, limit: int = MAX_TERMS, outlet: str = "", names_only: bool = True) -> dict[str, float]:
    """The heaviest capitalised words of a text (names of people, streets, places, businesses); with
    `names_only=False`, any rare word, and the ages the text gives ("age:16").

    Weight = (1 + log count) x rarity, L2-normalised over the kept words, so two reports compare
    by cosine. Lower-case words are skipped: in news prose the identity of an incident is in
    its proper names, and the common nouns mostly describe what every shooting looks like.
    """
    counts: dict[str, int] = {}
    outlet_compact = outlet.replace("-", "").replace(".", " ")
    for match in _WORD.finditer(text):
        raw = match.group(0)
        if names_only and not raw[0].isupper():
            continue
        word = raw.lower()
        word = word.removesuffix("'s")
        word = word.strip("'-")
        if len(word) < 3 or word in _GENERIC or word in _MONTHS or word in _DAYS or word in _WEB:
            continue
        if outlet and word.replace("-", "") in outlet_compact:
            continue  # the outlet's own name ("WMC-TV" on wmctv.com) is on every page it publishes
        counts[word] = counts.get(word, 0) + 1
    if not names_only:
        for m in _AGE.finditer(text):
            n = (m.group(1) or m.group(2) or m.group(3)).lower()
            age = "age:" + _AGE_WORDS.get(n, n)  # "a three-year-old" is the "3-year-old" of another outlet
            counts[age] = counts.get(age, 0) + 1
    weighted = {}
    for word, c in counts.items():
        rarity = AGE_RARITY if word.startswith("age:") else term_weight(word)
        if rarity > 0.5:
            weighted[word] = (1.0 + math.log(c)) * rarity
    top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: round(w / norm, 4) for t, w in top}


def outlet_of(article: Article) -> str:
    """The outlet: the site name, else the host of the URL (archive wrappers unwrapped)."""
    if article.site_name:
        return article.site_name.strip().lower()
    return outlet_host(article.canonical_url or article.url)


def _norm(value: str | None) -> str | None:
    if not value:
        return None
    v = re.sub(r"[^a-z0-9]+", " ", value.lower()).strip()
    return v or None


def place_key(loc: Location | None) -> str | None:
    """Normalised 'country|admin1|name' of a location, None when it names nothing."""
    if loc is None or not loc.name:
        return None
    return "|".join([_norm(loc.country) or "", _norm(loc.admin1) or "", _norm(loc.name) or ""])


def day_number(value: date | datetime | None) -> int | None:
    """Days since 0001-01-01 (comparable integers, used as sorted-set scores)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.date().toordinal()
    return value.toordinal()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class ReportFeatures:
    """Identity features of one report (an article and its event)."""

    article_id: str
    day: int                      # when the report appeared (logical clock of the index)
    event_day: int | None
    event_type: str | None
    place: str | None             # normalised place key
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    killed: int | None
    wounded: int | None
    outlet: str
    terms: dict[str, float] = field(default_factory=dict)
    title_terms: dict[str, float] = field(default_factory=dict)
    words: dict[str, float] = field(default_factory=dict)
    named_days: list[int] = field(default_factory=list)  # days the text writes out ("June 29", "Christmas Eve")
    dated: bool = True  # the event date is one the text names (False: the publication day, for want of one)
    court: bool = False  # the headline tells of an arrest, a charge or a court step: dated as a follow-up is


_YEAR_WRITTEN = re.compile(r"(?:19|20)\d\d")
NAMED_DAYS_CHARS = 6000  # the dates of a story's first pages of text (a court story retells its shooting's early)
MAX_NAMED_DAYS = 12


def named_days(text: str, published: date | None) -> list[int]:
    """The days a story writes out as dates ("on June 29, 2014", "Sept. 3", "Christmas Eve"), on or before its
    publication: a court story dated to its hearing still names the day of the shooting it follows."""
    if published is None:
        return []
    text = text[:NAMED_DAYS_CHARS]
    days = set()
    for d in find_dates(text, published):
        if not d.explicit or d.precision != "day" or d.value > published:
            continue
        # a day without its year that would fall after publication was put in the year before: in a court story
        # it is more often the next hearing ("back in court on May 3"), so only a written year vouches for it
        if d.value.year == published.year or (published - d.value).days <= 120 or _YEAR_WRITTEN.search(
                text, d.start, d.end):
            days.add(d.value.toordinal())
    return sorted(days)[-MAX_NAMED_DAYS:]


def report_features(article: Article, event: Event, now: datetime | None = None,
                    with_named_days: bool = True) -> ReportFeatures:
    """Features of one report; the report's day is its publication date (else the event date, else now).
    `with_named_days=False` leaves out `named_days` unless the headline tells of a charge (`court_headline`): only a
    follow-up's scoring and such a report's read them (`event_gap`), and another incident report need not scan its
    text for dates a second time."""
    # A story that names no violent act (a court or funeral story) still gets a place in its event record, but
    # its place is often the courthouse's or the victim's home: left out here, as it was before such stories
    # had one (with it: B3 recall 0.859 -> 0.858 on the dev replay).
    loc = event.location if event.event_type else None
    event_day = day_number(event.date)
    day = day_number(article.published) or event_day or day_number(now or datetime.now(timezone.utc))
    assert day is not None
    text = f"{article.title or ''}\n{article.text}"
    outlet = outlet_of(article)
    court = court_headline(article.title)
    return ReportFeatures(
        article_id=article.id, day=day, event_day=event_day,
        event_type=(event.event_type or None),
        place=place_key(loc), admin1=_norm(loc.admin1) if loc else None, country=_norm(loc.country) if loc else None,
        lat=loc.lat if loc else None, lon=loc.lon if loc else None,
        killed=event.casualties.killed, wounded=event.casualties.wounded,
        outlet=outlet, terms=rare_terms(text, outlet=outlet), title_terms=rare_terms(article.title or "", 12, outlet),
        words=rare_terms(text, MAX_TERMS, outlet, names_only=False),
        named_days=named_days(text, date.fromordinal(day)) if with_named_days or court else [],
        dated=any(e.field == "date" for e in event.evidence), court=court,
    )


def without_terms(r: ReportFeatures, drop: set[str]) -> ReportFeatures:
    """The report without some words (an outlet's page furniture), its vectors normalised again."""
    if not drop:
        return r

    def keep(vec: dict[str, float]) -> dict[str, float]:
        kept = {t: w for t, w in vec.items() if t not in drop}
        if len(kept) == len(vec):
            return vec
        norm = math.sqrt(sum(w * w for w in kept.values())) or 1.0
        return {t: round(w / norm, 4) for t, w in kept.items()}

    return replace(r, terms=keep(r.terms), title_terms=keep(r.title_terms), words=keep(r.words))


@dataclass
class IncidentFeatures:
    """Identity features of an incident: what its reports share, kept compact for scoring."""

    incident_id: str
    first_day: int
    last_day: int
    event_days: list[int] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    admin1s: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    killed: list[int] = field(default_factory=list)
    wounded: list[int] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)   # name -> sum of the reports' normalised weights
    words: dict[str, float] = field(default_factory=dict)   # any rare word, likewise
    members: list[dict[str, float]] = field(default_factory=list)  # a few recent reports, truncated
    n_reports: int = 0
    blocks: list[str] = field(default_factory=list)

    MAX_TERMS = 120
    MAX_MEMBERS = 6

    def add(self, r: ReportFeatures, blocks: list[str], follow_up: bool = False) -> None:
        """Fold one report in; a follow-up brings its names, words and blocks, not its date, place or toll
        (a court story's date is the hearing's and its place may be the courthouse's)."""
        self.first_day = min(self.first_day, r.day)
        self.last_day = max(self.last_day, r.day)
        if not follow_up:
            self._add_facts(r)
        self.terms = _sum_vectors(self.terms, r.terms, self.MAX_TERMS)
        self.words = _sum_vectors(self.words, r.words, self.MAX_TERMS)
        self.members = [*self.members, member_vector(r)][-self.MAX_MEMBERS:]
        self.n_reports += 1
        for b in blocks:
            _add_unique(self.blocks, b, 64)

    def _add_facts(self, r: ReportFeatures) -> None:
        _add_unique(self.event_days, r.event_day, 16)
        _add_unique(self.event_types, r.event_type, 8)
        _add_unique(self.places, r.place, 8)
        _add_unique(self.admin1s, r.admin1, 4)
        _add_unique(self.countries, r.country, 4)
        if r.lat is not None and r.lon is not None:
            _add_unique(self.points, (round(r.lat, 3), round(r.lon, 3)), 8)
        _add_unique(self.killed, r.killed, 16)
        _add_unique(self.wounded, r.wounded, 16)

    def absorb(self, other: IncidentFeatures) -> None:
        """Fold a merged incident in."""
        self.first_day = min(self.first_day, other.first_day)
        self.last_day = max(self.last_day, other.last_day)
        for name in ("event_days", "event_types", "places", "admin1s", "countries", "points", "killed", "wounded",
                     "blocks"):
            mine = getattr(self, name)
            for v in getattr(other, name):
                _add_unique(mine, v, 64)
        self.terms = _sum_vectors(self.terms, other.terms, self.MAX_TERMS)
        self.words = _sum_vectors(self.words, other.words, self.MAX_TERMS)
        self.members = [*self.members, *other.members][-self.MAX_MEMBERS:]
        self.n_reports += other.n_reports

    def to_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        if self.n_reports == 1:
            del data["members"]  # one report: its member vector is rebuilt from the centroid (saves ~40%)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IncidentFeatures:
        data = dict(data)
        data["points"] = [tuple(p) for p in data.get("points", [])]
        f = cls(**data)
        if "members" not in data and f.n_reports == 1:
            f.members = [_member_from(f.terms, f.words)]
        return f

    @classmethod
    def start(cls, incident_id: str, r: ReportFeatures, blocks: list[str]) -> IncidentFeatures:
        f = cls(incident_id=incident_id, first_day=r.day, last_day=r.day)
        f.add(r, blocks)
        return f


MEMBER_TERMS = 20


def member_vector(r: ReportFeatures) -> dict[str, float]:
    """A report's names and words in one truncated vector ("n:" / "w:" prefixed), kept per member."""
    return _member_from(r.terms, r.words)


def _member_from(terms: dict[str, float], words: dict[str, float]) -> dict[str, float]:
    top_terms = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:MEMBER_TERMS]
    top_words = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:MEMBER_TERMS]
    return {**{"n:" + t: w for t, w in top_terms}, **{"w:" + t: w for t, w in top_words}}


def _sum_vectors(a: dict[str, float], b: dict[str, float], cap: int) -> dict[str, float]:
    """Sum of two sparse vectors, keeping the `cap` heaviest entries (bounded record)."""
    out = dict(a)
    for t, w in b.items():
        out[t] = round(out.get(t, 0.0) + w, 3)
    if len(out) > cap:
        out = dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))[:cap])
    return out


def _add_unique(items: list[Any], value: Any, cap: int) -> None:
    if value is not None and value not in items and len(items) < cap:
        items.append(value)
