"""Where the incident happened: gazetteer mentions in the text, scored by where and how they occur.

A mention in a sentence about the incident, after "in/near/outside/at", counts most; the headline next; the
dateline ("KABUL, Afghanistan (AP) --") and the rest of the article only as supporting evidence. Ambiguous
names are resolved toward the states and countries the article mentions, then toward the most populous.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LOWER, ORTH, POS, SENT_START
from spacy.tokens import Doc, Span
from wordfreq import zipf_frequency

from worker.events.agencies import AGENCIES
from worker.events.gazetteer import Gazetteer, Place, fold, km_between, us_towns_by_size
from worker.events.outlets import OutletCentre
from worker.events.wordtree import word_tree
from worker.urls import outlet_host, url_path

_PREP = {"in", "near", "outside", "at", "of", "from", "into", "inside", "around", "across", "on", "to"}
_BAD = {"police", "man", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "god",
        "university", "hospital", "street", "county", "city", "road", "avenue", "center", "centre", "mr", "mrs", "ms",
        "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "president",
        "news", "the", "a", "an", "officer", "officers", "sheriff", "department", "office", "army", "march", "may",
        "june", "july", "april", "august", "january", "february", "september", "october", "november", "december",
        "christmas", "gun", "metro",
        "deputy", "chief", "state", "national", "federal", "republic", "party", "front", "lieutenant", "colonel",
        "general", "senate", "congress", "house", "court", "school", "church", "park", "lake", "beach", "mount",
        "fort", "port", "bay", "hill", "valley", "green", "white", "black", "brown", "young", "queen",
        "police department", "ap", "cnn", "nbc", "abc", "fox", "reuters",
        # a headline's number ("Four men shot": Four, France) and a quadrant of a city ("SE shooting": Sé, Macau)
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "se", "sw", "nw"}
# Town names that are also common words: a place only where NER calls them one after "in", or in a dateline.
_WORDLIKE = {"union", "independence", "liberty", "justice", "mission", "victoria", "providence", "surprise", "king"}
_COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern", "southern",
            "eastern", "western"}
# Capitalised words that may stand before a place name without being part of it.
_NAME_PREFIX_OK = _COMPASS | {"central", "downtown", "greater", "suburban", "metro", "rural", "upstate", "downstate",
                              "upper", "lower", "inner", "outer", "midtown", "uptown", "in", "at", "near", "outside", "from",
                              "of", "the", "and", "or", "to", "on", "by", "rt", "sen", "rep", "gov", "mayor"}
# Words before a name that NER calls a person which make it a place after all ("a rural Williston address").
_PLACE_BEFORE = _COMPASS | {"in", "near", "outside", "a", "an", "rural", "suburban", "downtown", "midtown", "uptown"}
# "in his Paterson home", "inside Paterson home": a name between these is the home's town, whatever the tagger says
_HOME_OWNER = {"his", "her", "their", "inside", "at"}
_HOMES = {"home", "house", "apartment", "residence"}
SUBURB_W = 0.5
NEAR_KM = 80.0
# A foreign namesake in a story about another country loses 4; 2 more when only the name itself points abroad.
# Gun-violence dev set: state per incident 0.9448 -> 0.9452, two articles better (a Starr County, Texas story
# "Near Fronton" was placed in Fronton, France), none worse; MUC-4 unchanged.
ABROAD_ALONE_W = 2.0
PAIR_KM = 100.0  # two names' namesakes this close are taken to be neighbours (see _near_states)
PAIR_W = 1.5
# A namesake in a state the story points at gains up to STATE_BONUS, in full from STATE_FULL of support: a
# faint hint (0.15 from a first name that is also a city) must not carry a town past one a hundred times its size.
# Two namesakes whose states both have support share it out: each gains in proportion to the square root of its
# state's support over the best-supported one's, so "Knoxville" (0.75 for Tennessee, from its own size) in a story
# that names Pittsburgh (4.0 for Pennsylvania) is Pittsburgh's Knoxville. Dev loop: state per incident
# 0.9403 -> 0.9412, per article 3 better / 0 worse (linear share: 4 / 1; squared: 5 / 2).
STATE_BONUS, STATE_FULL = 3.0, 1.0
# a town in a state nothing else in the story supports, when the story names another state outright that has no
# town of that name (see resolve); dev loop: state per incident 0.9412 -> 0.9430, 4 articles better / 0 worse
ELSEWHERE_W = 3.0
COUNTY_W = 3.0  # a town namesake that lies in a county the story names (see _in_named_county)
COUNTY_PAIR_W = 2.0  # its state, when the town name exists in several states (see _county_states)
_KIND_RANK = {"town": 4, "admin2": 3, "admin1": 2, "country": 1}


@dataclass
class PlaceMention:
    """A gazetteer hit in the text."""

    start: int
    end: int
    text: str
    candidates: list[Place]
    weight: float
    in_dateline: bool = False
    weak: bool = False
    police: bool = False  # "Cincinnati police said": the department whose area it is
    nearby: bool = False  # "outside Atlanta", "a Phoenix-area home": a reference point, the place is close by
    agency: bool = False  # "NOPD", "GBI": an agency's acronym standing for its city or state (worker.events.agencies)


@dataclass
class Resolved:
    """The chosen place with its support."""

    place: Place
    start: int
    end: int
    score: float
    state_hint: str | None
    city: str | None = None
    certain: bool = False  # the state (or country) is named outright, bound to the town, or a big city's
    dateline_only: bool = False  # named in the dateline and nowhere else


_FACILITY = {"street", "st", "st.", "avenue", "ave", "ave.", "road", "rd", "rd.", "drive", "dr", "dr.", "boulevard",
             "blvd", "lane", "ln", "court", "ct", "place", "pl", "way", "parkway", "pkwy", "highway", "hwy", "mall",
             "park", "school", "high", "elementary", "middle", "academy", "college", "university", "hospital", "church",
             "center", "centre", "plaza", "square", "apartments", "apartment", "homes", "village", "terrace", "circle",
             "trail", "creek", "heights", "estates", "manor", "gardens", "hall", "station", "airport", "bridge",
             "police", "fire", "sheriff", "county", "township", "twp", "twp.", "parish", "news", "times", "post",
             "herald", "tribune", "journal", "gazette", "daily", "press", "bar", "club", "grill", "restaurant",
             "motel", "hotel", "inn", "market", "store", "bank", "lounge", "tavern", "pike", "turnpike", "expressway",
             "freeway", "bypass", "loop", "row", "alley", "crossing", "point", "pointe", "landing", "commons"}


# Abbreviated street types (not alphabetic tokens, so the longer-name check above them misses them).
_STREET_ABBR = {"st.", "ave.", "av.", "rd.", "dr.", "blvd.", "ln.", "pkwy.", "hwy.", "ct.", "pl.", "ter.", "cir."}

# Capitalised words that may follow a place name without being part of it.
_CONTINUE_OK = {"police", "sheriff", "sheriff's", "fire", "county", "township", "twp", "parish", "man", "woman", "men",
                "women", "teen", "teens", "boy", "girl", "girls", "boys", "child", "toddler", "baby", "mother", "father",
                "officer", "officers", "mayor", "residents", "resident", "shooting", "shootings", "homicide", "murder",
                "killed", "dead", "shot", "stabbing", "attack", "bombing", "blast", "monday", "tuesday", "wednesday",
                "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
                "july", "august", "september", "october", "november", "december", "on", "in", "at", "after", "as",
                "area", "home", "house", "police:", "cops", "deputies", "authorities", "officials", "native", "family",
                "couple", "student", "students", "suspect", "victim", "victims", "gunman", "driver", "neighborhood",
                "wounded", "injured", "hurt", "leaves", "left", "kills", "injures", "is", "are", "was", "were", "and"}


def _slug(text: str) -> str:
    """Lower-case words joined and framed by "-" ("Park City" -> "-park-city-"), to find one in another."""
    return "-" + "-".join(re.findall(r"[a-z0-9]+", fold(text))) + "-"


def _in_address(name: str, slug: str) -> bool:
    """The address's words (`url_words`) repeat the name, and it is no common word ("home-invasion", "bed-stuy")."""
    return bool(slug) and _slug(name) in slug and zipf_frequency(fold(name), "en") < 4.5


def url_words(url: str | None) -> str:
    """The words of a web address's path, "-"-joined ("/2013/09/30/zanesville-hoppys-bar-shooting.html" ->
    "-2013-09-30-zanesville-hoppys-bar-shooting-html-"): a story's address usually repeats its headline."""
    path = url_path(url)
    return _slug(path) if path else ""


_ROW_ATTRS = [ORTH, LOWER, POS, ENT_TYPE, IS_ALPHA, IS_PUNCT, IS_SPACE, IDX, SENT_START]


def _token_rows(doc: Doc) -> list[tuple[str, str, str, str, bool, bool, int, bool | None]]:
    """(text, lower, pos, entity type, is_alpha, is_punct or is_space, idx, is_sent_start) of every token, read in one
    array: creating a Token object per attribute read costs more than the rest of the mention search."""
    strings = doc.vocab.strings
    rows = []
    for orth, low, pos, ent, alpha, punct, space, idx, start in doc.to_array(_ROW_ATTRS).tolist():
        rows.append((strings[orth], strings[low], strings[pos], strings[ent] if ent else "", bool(alpha),
                     bool(punct or space), idx, True if start == 1 else (None if start == 0 else False)))
    return rows


def find_mentions(doc: Doc, sents: list[Span], gaz: Gazetteer, incident_sents: set[int], body_start: int,
                  dateline_start: int, dateline_end: int, text: str | None = None,
                  slug: str = "", title_case: bool | None = None) -> list[PlaceMention]:
    """Every gazetteer name in capitalised token runs, weighted by its context. `slug` is `url_words` of the
    article's address: a name the address repeats is the story's own place, not a stray capitalised word."""
    out: list[PlaceMention] = []
    # One pass over the tokens into plain lists: Token objects are costly to create again and again.
    if text is None:
        text = doc.text  # Doc.text is rebuilt on every access: callers pass it in
    toks = _token_rows(doc)
    n = len(toks)
    starts = [s.start for s in sents]
    # A Title Case headline capitalises every word, so a capitalised next word says nothing there.
    title_toks = [t for t in toks if t[6] < body_start and t[4]]
    if title_case is None:  # the caller knows when it lowered a Title Case headline's common words for the parser
        title_case = bool(title_toks) and sum(t[0][:1].isupper() for t in title_toks) >= 0.7 * len(title_toks)
    inc_starts = {starts[i] for i in incident_sents if i < len(starts)}
    # "Deputies are looking for Laquantae Jordan ... If you know where to find Jordan": a surname of a person the
    # story names in full is that person wherever it stands alone
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].text[:1].isupper()}
    i = 0
    while i < n:
        tt, tl, tpos, tent, talpha, _, tidx, tstart = toks[i]
        if not (tt[:1].isupper() and (talpha or "." in tt)):
            i += 1
            continue
        agency = _agency_place(tt, gaz) if tt in AGENCIES else None
        if agency is not None:
            # "NOPD said": the agency's city (county, state) as "New Orleans police" would name it, and like "outside
            # Atlanta" a reference point: a neighbourhood or town named near it ("LAPD ... in Wilmington") is the place
            si = bisect.bisect_right(starts, i) - 1
            w = 1.0 + (2.0 if si >= 0 and starts[si] in inc_starts else 0.0) + (2.0 if tidx < body_start else 0.0)
            out.append(PlaceMention(tidx, tidx + len(tt), tt, [agency], w, police=True, nearby=True, agency=True))
            i += 1
            continue
        hit = None
        longer = False  # a longer gazetteer name here is part of a longer name still: so are its first words
        for L in range(min(5, n - i), 0, -1):
            if longer:
                break  # "San Salvador Central Market" is not San, Mali
            last = toks[i + L - 1]
            # a name ends on a capitalised word, or on a lower-case one its official spelling has after a hyphen
            # ("Opa-locka": checked against the gazetteer's spelling below)
            lower_end = not last[0][:1].isupper() and not last[0].endswith(".")
            if lower_end and not (L >= 3 and toks[i + L - 2][0] == "-"):
                continue
            key = text[tidx:last[6] + len(last[0])]
            if key.lower() in _BAD or "\n" in key:
                continue
            prev_l = toks[i - 1][1] if i > 0 else ""
            if key.lower() in _WORDLIKE and not (tent == "GPE" and prev_l in ("in", "near", "outside", "of")
                                                 or dateline_start <= tidx < dateline_end):
                continue
            cands = gaz.lookup(key)
            if not cands or lower_end and not any(c.name == key for c in cands):
                continue
            in_title = tidx < body_start
            key_end = last[6] + len(last[0])
            # a headline name the address repeats ("deadly-hamilton-bar-shooting", ".../carbondale/carbondale-chief-...")
            # is a place even where the tagger reads a one-word person or an adjective (which of its namesakes is left
            # to the resolver); not a common noun ("Bullet spares girl"), a surname of someone the story names, nor a
            # word of a longer name ("Connor Evan Gappmayer"). (Cheap tests first: this runs for every name.)
            slug_headline = in_title and L == 1 and tpos != "NOUN" and tt not in surnames \
                and not (i > 0 and toks[i - 1][3] == "PERSON") and not (i + 1 < n and toks[i + 1][3] == "PERSON") \
                and _in_address(key, slug)
            # "Winona police said": a town's own police department names the town;
            # and "Killeen toddler dies", "Pekin girl, 8, shot": a local headline names the victim's town
            nxt = toks[i + L] if i + L < n else None
            nxt_is_police = nxt is not None and nxt[1] in ("police", "sheriff's", "pd", "cops")
            # "Vermont State Police", "the Ohio State Highway Patrol": the state's own police
            after = toks[i + L + 1] if i + L + 1 < n else None
            state_police = nxt is not None and nxt[1] == "state" and after is not None \
                and after[1] in ("police", "patrol", "highway", "troopers", "trooper") \
                and any(c.kind == "admin1" for c in cands)
            nxt_is_police = nxt_is_police or state_police
            police = nxt_is_police or in_title and bool(_RESIDENT_NEXT.match(text, key_end))
            if i > 0 and not tstart and toks[i - 1][4] and toks[i - 1][0][:1].isupper() and not toks[i - 1][0].isupper() \
                    and (not title_case or not in_title or f"{toks[i - 1][0]} {key}" in text[body_start:]) \
                    and prev_l not in _NAME_PREFIX_OK and not toks[i - 1][7]:
                # "in Flour Bluff": the end of a longer name the gazetteer lacks, not Bluff (in a Title Case headline,
                # where every word is capitalised, when the story's text writes the longer name: "in Bay Ridge")
                continue
            # "Sangamon County Coroner Cinda Edwards": NER takes the whole title for a person; a county is no one
            county = last[1] in ("county", "parish") and L > 1 and any(c.kind == "admin2" for c in cands)
            if (all(toks[k][3] == "PERSON" for k in range(i, i + L)) or L == 1 and tt in surnames) and not county \
                    and prev_l not in _PLACE_BEFORE and not police and not _NEIGHBOURHOOD_AFTER.match(text, key_end) \
                    and not slug_headline and not (prev_l in _HOME_OWNER and nxt is not None and nxt[1] in _HOMES) \
                    and not (dateline_start <= tidx < dateline_end and _STATE_AFTER.match(text[key_end:key_end + 30])) \
                    and not _its_state_follows(text, key_end, cands, gaz):
                # (but "JACKSON, Tenn. --" and "North Star Road, Campbellsburg, Indiana", tagged a person, are towns:
                # the state follows, and the town is one of its towns)
                continue
            if last[1] in ("side", "ward", "end", "district", "quarter"):
                continue  # "South Side", "7th Ward": neighbourhood words, not towns
            if nxt is not None and nxt[4] and nxt[0][:1].isupper() and not nxt[7] and nxt[1] not in _CONTINUE_OK \
                    and not county and not state_police \
                    and nxt[3] != "GPE" and not (title_case and tidx < body_start and nxt[1] not in _FACILITY):
                longer = L > 1
                continue  # part of a longer name: "Hickory View Place", "Greenbriar Mall", "Salt Lake man"
            if nxt is not None and nxt[1] in ("war", "wars", "veteran", "veterans", "vet", "vets"):
                continue  # "an Iraq war veteran", "a Vietnam vet": a war abroad, not where it happened
            if L == 1 and len(tt) <= 3 and i > 0 and toks[i - 1][0].isdigit():
                continue  # "a 10 MO" (months old), "5 FT": a unit after its number, not Mo, Norway
            if nxt is not None and nxt[1] in _STREET_ABBR and not nxt[7]:
                continue  # "on Spain St.", "Princeton Ave.": a street named after a place
            strong = police or any(c.kind != "town" or c.population >= 50_000 for c in cands[:3])
            dl = dateline_start <= tidx < dateline_end  # "PITTSBURGH (KDKA) --": tagged NOUN, still a place
            if L == 1 and tstart and tpos != "PROPN" and tent not in ("GPE", "LOC") and not dl and not police \
                    and not slug_headline:
                continue
            # (a big city after "in/near/outside/at" is one, whatever its tag: "outside Philly Chinese restaurant")
            if L == 1 and tpos != "PROPN" and tent not in ("GPE", "LOC", "FAC", "ORG", "NORP") and not dl and not police \
                    and not slug_headline and not (strong and not tstart and prev_l in ("in", "near", "outside", "at")
                             and zipf_frequency(fold(key), "en") < 4.5):  # not "in Most of the murders"
                continue
            # the address repeats the name: evidence it is the story's place, when the name is not a common word
            # ("home-invasion", "bed-stuy") and names one place, or one far bigger than its namesakes
            in_slug = _in_address(key, slug) and (len(cands) == 1 or _dominant(cands, 10_000))
            if in_title and title_case and L == 1 and not strong and tent not in ("GPE", "LOC") and not in_slug:
                continue  # Title Case headlines capitalise every word; a sentence-case one capitalises names
            hit = (L, key, cands, key_end, police, nxt_is_police, in_slug or slug_headline)
            break
        if hit is None:
            i += 1
            continue
        L, key, cands, end, police, nxt_is_police, in_slug = hit
        w = 1.0
        nearby = False
        si = bisect.bisect_right(starts, i) - 1
        in_dateline = dateline_start <= tidx < dateline_end
        if si >= 0 and starts[si] in inc_starts and not in_dateline:
            w += 2.0
        prev = toks[i - 1][1] if i > 0 else ""
        if prev in ("a", "an", "the") and i > 1 and toks[i - 2][1] in ("in", "near", "outside", "at"):
            prev = toks[i - 2][1]  # "in a Zanesville bar", "at the Denver home"
        if prev in _PREP:
            w += 1.0
        if tidx < body_start:
            w += 2.0  # headline
        elif in_dateline:
            w += 1.5  # dateline: evidence, not the answer
        if tent in ("GPE", "LOC", "FAC"):
            w += 0.5
        if tent == "ORG":
            w -= 0.5
        sent_start = doc[starts[si]].idx if si >= 0 else 0
        before = text[max(sent_start, tidx - 80):tidx]
        if _STREET_BEFORE.search(before):
            i += L
            continue  # "the 11000 block of South Ewing": a street
        if _ELSEWHERE_BEFORE.search(before) or _HOMETOWN_BEFORE.search(before) or _ELSEWHERE_AFTER.match(text, end) \
                or not police and _FROM_BEFORE.search(before):
            w -= 3.0  # the hospital the victim was taken to, the victim's home town: not where it happened
        elif _SUBURB_BEFORE.search(before) and not (_OUTSIDE_THING.search(before) and _NOUN_NEXT.match(text, end)) \
                or _SUBURB_AFTER.match(text, end):
            w -= 2.0  # "a suburban Atlanta home", "a suburb of Atlanta": somewhere near Atlanta
            nearby = True
        # A capitalised word that NER does not call a place ("Trail", "Force", "Side") needs corroboration.
        big = cands[0].kind == "town" and _dominant(cands, 100_000)
        weak = L == 1 and not big and not police and not in_slug and tent not in ("GPE", "LOC") and not in_dateline and not (
            prev in ("in", "near", "outside", "at") and tent not in ("PERSON", "ORG")) and not (
            tidx < body_start and tent not in ("PERSON", "ORG") and cands[0].population >= 10_000)
        out.append(PlaceMention(tidx, end, key, cands, w, in_dateline, weak, nxt_is_police, nearby))
        i += L
    return out


_AGENCY_PLACES: dict[tuple[int, str], Place | None] = {}


def _agency_place(acronym: str, gaz: Gazetteer) -> Place | None:
    """The place a police agency's acronym stands for (see `worker.events.agencies`), looked up once."""
    key = (id(gaz), acronym)
    if key not in _AGENCY_PLACES:
        name, state, kind = AGENCIES[acronym]
        found = [p for p in gaz.lookup(name) if p.kind == kind and p.admin1 == state and p.country == "US"]
        _AGENCY_PLACES[key] = max(found, key=lambda p: p.population) if found else None
    return _AGENCY_PLACES[key]


_ELSEWHERE_BEFORE = re.compile(r"(?:\b(?:taken|transported|airlifted|flown|rushed|driven)\s+to\s+[^.;,]{0,50}|"
                               r"\b(?:hospital|medical center|medical centre|trauma center|clinic))\s+in\s+$|"
                               r"\b(?:transported|airlifted|flown|rushed)\s+(?:\w+\s+)?to\s+$", re.I)
_ELSEWHERE_AFTER = re.compile(r"(?:-area)?\s+(?:area\s+)?(?:hospital|medical center|trauma center|burn (?:unit|center)|"
                               r"hospice)\b", re.I)
_HOMETOWN_BEFORE = re.compile(r"\b\d{1,3},\s+(?:both\s+|all\s+)?of\s+$")
# "a tattoo artist from Baton Rouge": where someone comes from (not "miles from", not "from Tucson police")
_FROM_BEFORE = re.compile(r"(?<!miles )(?<!mile )(?<!kilometers )(?<!away )\bfrom\s+$")
_SUBURB_BEFORE = re.compile(r"\b(?:suburban|suburbs? of|outside(?: of)?|outskirts of|miles? (?:\w+ )?(?:of|from)|"
                            r"kilometers? (?:\w+ )?(?:of|from))\s+$", re.I)
_RESIDENT_NEXT = re.compile(r"\s+(?:\d{1,3}-year-old|(?:man|woman|men|women|teen|teens|teenager|teenagers|boy|boys|girl|"
                            r"girls|toddler|child|children|baby|infant|couple|family|mother|father|mom|dad|student|"
                            r"students|resident|residents|native|youth)\b)", re.I)
# "the 11000 block of South Ewing"; and a cross street: "Bentanna Drive at Elmont", "Tift Avenue and Madison"
_STREET_BEFORE = re.compile(r"(?i:\bblock of (?:(?:[NSEW]\.?|North|South|East|West)\s+)?)$|"
                            r"\b[A-Z][\w.]* (?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Drive|Dr\.|Boulevard|Blvd\.|Lane|"
                            r"Ln\.|Parkway|Pkwy\.|Court|Ct\.) (?:at|and|&) $|"
                            r"\b\d+(?:st|nd|rd|th) (?:Street |St\. |Avenue |Ave\. )?(?:and|&) $")  # "near 21st & Cleveland"
_OUTSIDE_THING = re.compile(r"\boutside\s+$", re.I)
# "outside Visalia sports bar": outside a building in the town, not outside the town
_NOUN_NEXT = re.compile(r"\s+(?!(?:on|in|at|and|or|when|where|while|after|before|early|late|last|this|that|said|to|"
                        r"for|with|about|around|as|is|was|were|has|had|overnight|police)\b)[a-z]")
_SUBURB_AFTER = re.compile(r"(?:[-\s]+suburbs?\b|['’]s\s+(?:[a-z]+\s+)?suburbs?\b|-area\b|\s+(?:metro(?:politan)?\s+)?area\b(?!\s+(?:code|of)\b))", re.I)
_NEIGHBOURHOOD_AFTER = re.compile(r"\s+(?:neighbou?rhood|section|community area|district|ward)\b", re.I)
# (a township or borough of that name first: "HAMILTON TWP., N.J.", "a Hamilton Township, New Jersey home")
_STATE_AFTER = re.compile(r"^(?:\s+(?i:township|twp\.?|borough|boro\.?))?\s*,\s*([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")


def _its_state_follows(text: str, end: int, cands: list[Place], gaz: Gazetteer) -> bool:
    """", Indiana" (or ", Ind.") right after the name, and the name is a town of that state."""
    after = _STATE_AFTER.match(text[end:end + 30])
    if not after:
        return False
    word = after.group(1)  # "New Jersey", "Ind."
    states = {p.name for p in gaz.lookup(word) + gaz.lookup(word.split()[0]) if p.kind == "admin1"}
    return any(c.kind == "town" and c.admin1 in states for c in cands)


def _mention_context(m: PlaceMention) -> tuple[Counter[str], Counter[str]]:
    """What one mention says about the state and country of the story."""
    states: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    if m.weak:
        return states, countries
    kinds = {c.kind for c in m.candidates}
    for c in m.candidates:
        if c.kind == "admin1":
            states[c.admin1 or ""] += m.weight
            countries[c.country] += m.weight * (0.5 if "country" in kinds else 1.0)
        elif c.kind == "country":
            countries[c.country] += m.weight * (0.5 if "admin1" in kinds else 1.0)
    towns = [c for c in m.candidates if c.kind in ("town", "admin2")]
    if towns and not kinds & {"admin1", "country"} and len({c.admin1 for c in towns}) == 1 and towns[0].country == "US":
        states[towns[0].admin1 or ""] += m.weight * 0.5  # "Starr County" exists in one state only
    if towns and not kinds & {"admin1", "country"}:
        top = towns[0]
        if _dominant(towns, 50_000):
            countries[top.country] += m.weight * 0.5
            if top.country == "US" and top.admin1:
                states[top.admin1] += m.weight * 0.3
        elif len(towns) == 1:
            countries[top.country] += m.weight * 0.2
    return states, countries


_US_CUES = re.compile(r"\b(?:sheriff'?s?|county|deputies|state police|township|\d{2,5} block of|interstate|"
                      r"I-\d+|\d+ mph|911|police department|district attorney|state trooper|troopers|high school|"
                      r"middle school|elementary school|apartment complex|SWAT|cops|gunshot wounds?|homicide detectives|"
                      r"(?:avenue|boulevard|drive)\b)", re.I)
DEMONYMS = {
    "afghan": "AF", "pakistani": "PK", "iraqi": "IQ", "syrian": "SY", "nigerian": "NG", "somali": "SO",
    "kenyan": "KE", "malian": "ML", "yemeni": "YE", "libyan": "LY", "egyptian": "EG", "indian": "IN",
    "israeli": "IL", "palestinian": "PS", "lebanese": "LB", "turkish": "TR", "iranian": "IR", "saudi": "SA",
    "french": "FR", "german": "DE", "british": "GB", "belgian": "BE", "spanish": "ES", "italian": "IT",
    "russian": "RU", "ukrainian": "UA", "mexican": "MX", "colombian": "CO", "peruvian": "PE", "salvadoran": "SV",
    "guatemalan": "GT", "honduran": "HN", "nicaraguan": "NI", "chilean": "CL", "bolivian": "BO",
    "ecuadorian": "EC", "venezuelan": "VE", "brazilian": "BR", "argentine": "AR", "filipino": "PH",
    "philippine": "PH", "thai": "TH", "burmese": "MM", "bangladeshi": "BD", "sri lankan": "LK", "congolese": "CD",
    "cameroonian": "CM", "burkinabe": "BF", "nigerien": "NE", "sudanese": "SD", "ethiopian": "ET",
    "mozambican": "MZ", "american": "US", "canadian": "CA", "australian": "AU", "chinese": "CN",
    "indonesian": "ID", "kashmiri": "IN", "baloch": "PK", "kurdish": "IQ", "chadian": "TD", "tunisian": "TN",
    "algerian": "DZ", "moroccan": "MA", "haitian": "HT", "jamaican": "JM", "swedish": "SE", "norwegian": "NO",
    "danish": "DK", "dutch": "NL", "austrian": "AT", "swiss": "CH", "polish": "PL", "greek": "GR",
}
_DEMONYM = re.compile(r"\b(" + word_tree(DEMONYMS, lower=True) + r")s?\b", re.I)


def text_country_cues(text: str) -> Counter[str]:
    """Countries the wording points at: demonyms ("Afghan police") and US local-news vocabulary."""
    out: Counter[str] = Counter()
    for m in _DEMONYM.finditer(text):
        out[DEMONYMS[m.group(1).lower()]] += 0.5
    us = 0
    for _ in _US_CUES.finditer(text):  # four count in full: no need to read on
        us += 1
        if us == 4:
            break
    if us:
        out["US"] += us * 0.5
    return out


# US broadcast call signs begin with W east of the Mississippi and K west of it (the FCC's rule since 1923; a few
# older stations predate it and kept their letters: `_OLD_CALL_SIGNS`). A station's web address is usually its
# call sign ("wsmv.com", "kctv5.com", "wistv.com"): a hint of the side of the river the story comes from, between
# namesakes (Meridian, Mississippi or Idaho; Danville, Virginia or California). Minnesota and Louisiana straddle
# the river and count on both sides.
_CALL_SIGN = re.compile(r"^([kw][a-z]{2,3}?)(?:-?tv|-?fm|-?am|\d{1,2})?$")
# Stations licensed before 1923 on the other side of the river: W in the west (WFAA and WBAP Dallas-Fort Worth,
# WOAI San Antonio, WKY Oklahoma City, WIBW Topeka, WDAF Kansas City, WHO and WOI Iowa, WOW Omaha, WDAY Fargo,
# WNAX Yankton, WRR Dallas), K in the east (KDKA and KQV Pittsburgh, KYW Philadelphia). "wfaa.com" stories are
# from Texas, not east of the river.
_OLD_CALL_SIGNS = {"wfaa": "k", "wbap": "k", "woai": "k", "wky": "k", "wibw": "k", "wdaf": "k", "who": "k",
                   "woi": "k", "woc": "k", "wow": "k", "wday": "k", "wnax": "k", "wrr": "k",
                   "kdka": "w", "kqv": "w", "kyw": "w"}
EAST_OF_MISSISSIPPI = frozenset(
    "Maine|New Hampshire|Vermont|Massachusetts|Rhode Island|Connecticut|New York|New Jersey|Pennsylvania|Delaware|"
    "Maryland|District of Columbia|Virginia|West Virginia|North Carolina|South Carolina|Georgia|Florida|Alabama|"
    "Mississippi|Tennessee|Kentucky|Ohio|Indiana|Illinois|Michigan|Wisconsin|Minnesota|Louisiana".split("|"))
WEST_OF_MISSISSIPPI = frozenset(
    "Washington|Oregon|California|Nevada|Idaho|Montana|Wyoming|Utah|Colorado|Arizona|New Mexico|Texas|Oklahoma|"
    "Kansas|Nebraska|South Dakota|North Dakota|Iowa|Missouri|Arkansas|Alaska|Hawaii|Minnesota|Louisiana".split("|"))
SIDE_W = 1.0
# A namesake within NEAR_OUTLET_KM of the outlet's home ground (`OutletRegions.centre`) gains up to NEAR_OUTLET_W.
# Dev loop, per article, against no such bonus: 2 gave state 2 better / 0 worse, city 4 / 0; 3 the same; 4 gave
# state 3 / 1 and city 5 / 0.
NEAR_OUTLET_W = 3.0
NEAR_OUTLET_KM = 150.0
# Before an outlet has a home ground of its own stories, the town its host is named for stands in, at twice the
# learned weight (a masthead names its town surely): dev loop, state per incident 0.9461 -> 0.9470 with it (and the
# dateline's town chosen with the home ground), per article 2 better / 0 worse; at the learned weight only the
# dateline change counted (0.9465). A county, which has no position, gains in the home state: 0.9470 -> 0.9479.
HOST_TOWN_W = 2.0
# A namesake farther than NEAR_OUTLET_KM but in the outlet's home state gains less: a Denver paper's Yuma is
# Colorado's (220 km out), not Arizona's 95,000. Dev loop: state per incident 0.9487 -> 0.9492, per article 2
# better / 0 worse (the same at 2.0); city 3 / 1.
HOME_STATE_W = 1.0
# The dateline's or speaking police's town anchors the story (places far from it need their state written) only
# when its namesake's state has support, or no state has this much: dev loop, per article state 2 better / 0
# worse (the same at 2.0).
ANCHOR_DOUBT = 1.0
# A town of fewer people than this in another state than the outlet's home, beyond its home ground, that nothing
# in the story nor the outlet's address supports but the name itself, is a local name the gazetteer lacks
# ("Lawndale" in the Chicago Tribune, "Kensington" on a St. Louis station, "Stanton" Street in the New York Post),
# not the namesake 2,000 km away: no place rather than a wrong one. Dev loop: 3 articles, all wrong, lose their
# place; state per incident 0.9492 -> 0.9496, city 0.8462 -> 0.8467 (the same at 50,000). Without the "nothing
# supports its state" condition: 7 right states lost. Only against a home of full weight (see `_stranger`).
AWAY_TOWN_MAX = 100_000
# A namesake within NEAR_OUTLET_KM of the town a telephone number of the story rings in (`worker.events.phones`: the
# police tip line) gains as much as one on the outlet's home ground: "Montgomery, near Aurora" with a (630) number
# is Montgomery, Illinois, not Alabama's capital. Dev loop, per article: state and city 1 better / 0 worse.
RING_W = NEAR_OUTLET_W


def call_sign_side(host: str) -> frozenset[str]:
    """The states on the call sign's side of the Mississippi when the host looks like a station's call sign."""
    m = _CALL_SIGN.match(host.split(".")[0]) if host.count(".") == 1 else None
    if m is None:
        return frozenset()
    side = _OLD_CALL_SIGNS.get(m.group(1), m.group(1)[0])
    return EAST_OF_MISSISSIPPI if side == "w" else WEST_OF_MISSISSIPPI


_WORLD_SECTIONS = {"world", "international", "europe", "asia", "africa", "americas", "middle-east", "mideast"}


_HOST_PLACES: dict[str, list[Place]] = {}


def _host_places(host: str, gaz: Gazetteer) -> list[Place]:
    """The big cities and states a host name holds ("mysanantonio.com"), found once per host (a bounded cache:
    an outlet sends many stories)."""
    found = _HOST_PLACES.get(host)
    if found is None:
        labels = host.replace("-", "").split(".")
        labels = labels[:-1] if len(labels) > 1 else labels
        keys = gaz.host_keys()
        # the names that stand at a label's start (after a prefix such as "my") or at its end: the only ones
        # `_host_word` can accept, found by slicing the label rather than by searching it for every name
        near = {label[len(pre):end] for label in labels for pre in _HOST_PREFIXES if label.startswith(pre)
                for end in range(len(pre) + 1, len(label) + 1)}
        near |= {label[i:] for label in labels for i in range(len(label))}
        found = [p for key, places in keys.items()
                 if key in near and any(_host_word(label, key, keys) for label in labels) for p in places]
        if len(_HOST_PLACES) >= 20_000:
            _HOST_PLACES.clear()
        _HOST_PLACES[host] = found
    return found


# what follows a town's name in a local outlet's host name ("billingsgazette", "goldsborodailynews", "salina")
_MASTHEAD = re.compile(r"(?:news|daily|times|herald|tribune|gazette|journal|post|star|sun|press|free|online|now|today|"
                       r"crime|proud|sentinel|telegram|bee|blade|register|record|observer|chronicle|dispatch|mirror|"
                       r"advocate|enterprise|eagle|homepage|live|gov|tv|radio|\d+)*")
_HOST_TOWNS: dict[str, Place | None] = {}


def host_town(host: str, gaz: Gazetteer) -> Place | None:
    """The US town a local outlet's host name is named for ("johnsoncitypress.com": Johnson City, Tennessee): the
    longest town name a label of the host starts with, followed by nothing but masthead words, when that name
    points to one town (`Gazetteer.town_keys`). Found once per host (a bounded cache)."""
    if host in _HOST_TOWNS:
        return _HOST_TOWNS[host]
    keys = gaz.town_keys()
    found = None
    for label in host.replace("-", "").split(".")[:-1]:
        for end in range(len(label), 3, -1):
            if label[:end] in keys:
                town = keys[label[:end]]
                if town is not None and _MASTHEAD.fullmatch(label[end:]):
                    found = town
                break  # the longest name the label starts with decides, even when it names no one town
        if found is not None:
            break
    if len(_HOST_TOWNS) >= 20_000:
        _HOST_TOWNS.clear()
    _HOST_TOWNS[host] = found
    return found


# what may stand before a place's name inside a host label ("mysanantonio", "northwestgeorgianews", "semissourian")
_HOST_PREFIXES = {"", "my", "the", "in", "west", "east", "north", "south", "northwest", "northeast", "southwest",
                  "southeast", "central", "upper", "lower", "greater", "se", "sw", "ne", "nw"}


def _host_word(label: str, key: str, keys: dict[str, list[Place]]) -> bool:
    """`key` is a word of the host label: at its start, after a prefix such as "my" or "west", or at its end, and
    not part of a longer name found there ("arkansasonline" names no Kansas); not inside another word
    ("winningdemocrats" names no Ningde, "cumberlink" no Berlin)."""
    i = label.find(key)
    if i < 0 or not (label[:i] in _HOST_PREFIXES or label.endswith(key)):
        return False
    return not any(key in other and other != key and other in label for other in keys)


def outlet_hints(url: str | None, extra: str, gaz: Gazetteer) -> tuple[Counter[str], Counter[str]]:
    """Where the outlet is (evidence, never the answer): a big city or state named in the site's host name
    ("chicago.suntimes.com", "mysanantonio.com"), a section of its address named for a state (".../news/iowa/...")
    or in the site part of the headline ("... - Memphis, Tenn")."""
    states: Counter[str] = Counter()
    countries: Counter[str] = Counter()

    def hint(country: str, admin1: str | None) -> None:
        countries[country] += 0.5
        if admin1 is not None:
            states[admin1] += 1.0

    host = outlet_host(url)
    if host:
        for p in _host_places(host, gaz):
            hint(p.country, p.admin1 or None)
    # a section of the address named for a state ("freep.com/story/news/local/michigan/...",
    # "courant.com/news/connecticut/hc-..."): the outlet files the story under that state
    # (not under a world-news section: ".../world/europe/georgia/...")
    sections = url_path(url).lower().split("/")[:-1]
    for seg in dict.fromkeys(sections if _WORLD_SECTIONS.isdisjoint(sections) else ()):
        if seg in gaz.us_state_slugs:
            hint("US", gaz.us_state_slugs[seg])
    named = False
    for m in re.finditer(r"[A-Z][\w.]*(?:\s[A-Z][\w.]*)?", extra):
        # "New York", else the first word alone ("Columbus, GA News Weather & Sports": GA)
        for word in dict.fromkeys((m.group(0), m.group(0).split()[0])):
            code = word.rstrip(".,")
            found = gaz.lookup(gaz.us_state_names[code]) if code in gaz.us_state_names else (
                gaz.lookup(word) or gaz.lookup(word + "."))
            state = next((c for c in found if c.kind == "admin1"), None)
            if state is not None:
                hint(state.country, state.admin1 or "")
                named = True
                break
    if not named:
        # no state in the site's name: its home town ("Erie News Now", "KCBD NewsChannel 11 Lubbock"), when the
        # largest US town of that name is a city twice the size of the next
        for m in re.finditer(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}", extra):
            town = next((t for t in map(lambda w: _site_town(w, gaz), dict.fromkeys([m.group(0)] + m.group(0).split()))
                         if t is not None), None)
            if town is not None:
                hint(town.country, town.admin1)
                break
    return states, countries


def _site_town(name: str, gaz: Gazetteer) -> Place | None:
    """The US city a site name names ("Erie", "Lubbock"): the largest US town so called, of 20,000+ people and
    twice the next."""
    ranked = us_towns_by_size(gaz.lookup(name))
    return ranked[0] if _dominant(ranked, 20_000, ratio=2.0) else None


def resolve(text: str, mentions: list[PlaceMention], gaz: Gazetteer,
            hints: tuple[Counter[str], Counter[str]] | None = None, side: frozenset[str] = frozenset(),
            home: OutletCentre | None = None, rings: tuple[tuple[float, float], ...] = ()) -> Resolved | None:
    """Pick the incident place: best-supported mention, disambiguated by the article's states/countries,
    `side`, the US states on the outlet's side of the Mississippi (`call_sign_side`), `home`, where the
    outlet's stories usually happen, and `rings`, where the article's telephone numbers ring
    (`worker.events.phones`)."""
    if not mentions:
        return None
    # States and countries the article points at (named outright, or through a large unambiguous city), and what
    # each name says on its own, so a town's own weight does not count as support for its state or country.
    states: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    own: dict[str, Counter[str]] = {}
    own_countries: dict[str, Counter[str]] = {}
    for m in mentions:
        said_states, said_countries = _mention_context(m)
        states.update(said_states)
        countries.update(said_countries)
        own.setdefault(fold(m.text), Counter()).update(said_states)
        own_countries.setdefault(fold(m.text), Counter()).update(said_countries)
    if hints:
        states.update(hints[0])
        countries.update(hints[1])
    if side:
        countries["US"] += SIDE_W  # a US broadcaster: "Birmingham police" on wvtm13.com are Alabama's, not England's
    for cc, w in text_country_cues(text).items():
        countries[cc] += min(w, 2.0)
    states.update(_shared_states(mentions))
    states.update(_near_states(mentions))
    in_county = _in_named_county(mentions, gaz)
    states.update(_county_states(mentions, in_county))
    bounds = [_bound_state(text, m, gaz) for m in mentions]
    # "LEXINGTON, S.C. -- ... at a Lexington home": a name once bound to its state keeps that state throughout
    bound_by_name: dict[str, set[Place]] = {}
    for m, b in zip(mentions, bounds):
        if b is not None and any(_inside(c, b) for c in m.candidates):
            bound_by_name.setdefault(fold(m.text), set()).add(b)
    chosen_bounds = [b if b is not None or len(bound_by_name.get(fold(m.text), ())) != 1
                     else next(iter(bound_by_name[fold(m.text)])) for m, b in zip(mentions, bounds)]
    # The dateline's town ("PITTSBURGH (KDKA) --"): places far from it need their state in the text.
    anchor = None
    for m, bound_state in sorted(zip(mentions, chosen_bounds), key=lambda mb: not mb[0].in_dateline):
        # the dateline's town, else the town whose police speak ("Cincinnati police said")
        if m.in_dateline or m.police:
            c = _choose(m.candidates, states, countries, bound_state, side=side, home=home, rings=rings)
            if c is not None and c.kind == "town":
                if not bound_state and c.country == "US" and not states.get(c.admin1 or "") \
                        and max(states.values(), default=0.0) >= ANCHOR_DOUBT:
                    # "West Valley police say" read as West Valley, Washington in a story the rest of which points
                    # at Utah: a namesake guessed against the evidence anchors nothing
                    continue
                anchor = c
                break
    named = {c.admin1 for m in mentions if not m.weak for c in m.candidates if c.kind == "admin1"}
    # a county that exists in one state only ("Onslow County") names its state as surely as the state's name
    named |= {m.candidates[0].admin1 for m in mentions if not m.weak and m.candidates[0].kind == "admin2"
              and m.candidates[0].country == "US" and all(c.kind == "admin2" for c in m.candidates)
              and len({c.admin1 for c in m.candidates}) == 1}
    # and so do two ambiguous counties that have one state in common ("Rutherford County", "Bradley County":
    # Tennessee); towns' shared states are weaker (streets and neighbourhoods share town names) and only add support
    named |= set(_shared_states([m for m in mentions if all(c.kind == "admin2" for c in m.candidates)]))
    # "the Austin neighborhood": every mention of that name is a local name
    local = {fold(m.text) for m in mentions if _NEIGHBOURHOOD_AFTER.match(text, m.end)}
    picks: list[tuple[Place, float, PlaceMention, Place | None]] = []
    for m, own_bound, bound_state in zip(mentions, bounds, chosen_bounds):
        # a name does not vouch for its own namesake: "Cleveland" (Ohio by size) in a story that names Tennessee
        mine = own.get(fold(m.text), Counter())
        rival = any(st in named and st not in mine for st in {c.admin1 for c in m.candidates if c.kind == "town"})
        # nor for its own country when the rest of the story is American: "Birmingham" (England by size) in a
        # story with US local wording and a US outlet
        elsewhere = countries - own_countries.get(fold(m.text), Counter())  # what the rest of the story says
        theirs = elsewhere if elsewhere and elsewhere.most_common(1)[0][0] == "US" else countries
        pick = _choose(m.candidates, states - mine if rival else states, theirs, bound_state, anchor, in_county, side,
                       home, rings)
        if pick is None:
            continue
        score = m.weight + (1.5 if own_bound and not m.in_dateline else 0.0)
        supported = bool(bound_state) or pick in in_county or (pick.admin1 and states.get(pick.admin1)) or (
            pick.kind == "town" and countries.get(pick.country) and pick.country != "US")
        towns = [c for c in m.candidates if c.kind == "town"]
        dominant = _dominant(towns, 30_000)
        if m.weak and pick.kind in ("town", "admin2") and not supported and not (dominant and pick is towns[0]):
            continue
        if pick.kind in ("town", "admin2") and not supported:
            if pick.population < 5000:
                score -= 3.0  # small namesakes of common words need corroboration
        if pick.kind in ("town", "admin2") and countries:
            top_country, top_w = countries.most_common(1)[0]
            if pick.country != top_country and top_w >= 2 * countries.get(pick.country, 0.0) and not bound_state:
                score -= 4.0  # a town abroad in an article about somewhere else ("Bordeaux" in Nashville)
                if not elsewhere.get(pick.country):
                    score -= ABROAD_ALONE_W  # and nothing but the name itself points there ("near Fronton", Texas)
        local_name = fold(m.text) in local
        if local_name and pick.kind in ("admin1", "country"):
            continue  # "the California neighborhood" of Louisville is not the state
        if pick.country == "US" and pick.kind in ("town", "admin2") and not bound_state and (
                local_name or not dominant):
            other = states - own.get(fold(m.text), Counter())
            if other:
                top_state, top_w = other.most_common(1)[0]
                if top_state != pick.admin1 and top_w >= (0.5 if local_name else 1.5) \
                        and 2 * other.get(pick.admin1 or "", 0.0) < top_w:
                    # "a South Austin neighborhood" in a story the rest of which (Chicago Police, Cook County,
                    # the outlet) places in Illinois: a local name the gazetteer lacks, not Austin, Texas.
                    score -= 4.0 if local_name else 3.0
                    if top_state in named and not other.get(pick.admin1 or "") \
                            and not any(c.admin1 == top_state for c in m.candidates):
                        # "Old Town" (Maine's, by the gazetteer) in a story that names Kansas five times and has
                        # no Old Town there: the name is a local one the gazetteer lacks, not a town elsewhere
                        score -= ELSEWHERE_W
        if anchor is not None and not m.in_dateline and not bound_state and pick.kind in ("town", "admin2") \
                and anchor.country == "US" and pick.admin1 not in named and _km(pick, anchor) > 300.0:
            score -= 5.0  # "PITTSBURGH -- ... a bar in Homewood": Pittsburgh's Homewood, not Homewood, Alabama
        picks.append((pick, score, m, own_bound))
    # "outside Atlanta" with Douglasville named: the town near the reference point is the place
    towns_named = [p for p, sc, m, _ in picks if p.kind == "town" and not m.nearby and not m.weak and sc > 0.0]
    picks = [(p, min(sc, SUBURB_W) if m.nearby and _near_other(p, towns_named) else sc, m, b)
             for p, sc, m, b in picks]
    # "Shooting at Wilmington party: LAPD": an agency's city steps aside for any town the story places near it
    towns_picked = [p for p, sc, m, _ in picks if p.kind == "town" and not m.agency and sc > 0.0]
    picks = [(p, sc, m, b) for p, sc, m, b in picks if not (m.agency and _near_other(p, towns_picked))]
    # The same place named several times gathers support: best mention plus half of the others.
    grouped: dict[tuple[str, str, str | None, str], list[tuple[float, PlaceMention, Place | None]]] = {}
    for pick, score, m, bound in picks:
        grouped.setdefault((pick.name, pick.country, pick.admin1, pick.kind), []).append((score, m, bound))
    best: Resolved | None = None
    scored: list[Resolved] = []
    for key, items in grouped.items():
        items.sort(key=lambda it: -it[0])
        place = next(p for p, _, m, _ in picks if (p.name, p.country, p.admin1, p.kind) == key)
        total = items[0][0] + 0.5 * sum(max(0.0, it[0]) for it in items[1:4]) + 0.8 * _KIND_RANK[place.kind]
        first = min(items, key=lambda it: it[1].start)[1]
        bound = items[0][2]
        scored.append(Resolved(place, first.start, first.end, total, bound.admin1 if bound else None,
                               dateline_only=all(it[1].in_dateline for it in items)))
        if best is None or total > best.score:
            best = scored[-1]
    if best is not None and best.score <= 0.0 and countries and best.place.country != countries.most_common(1)[0][0]:
        # "America" (a town in Argentina) at a score below nothing, in a story whose evidence points elsewhere:
        # a guess, not a place
        best = None
    if best is not None and best.place.kind in ("admin2", "admin1"):
        # "Baltimore County police ... in Randallstown": a town named in the same state is more specific.
        towns = [r for r in scored if r.place.kind == "town" and r.place.country == best.place.country
                 and r.place.admin1 == (best.place.admin1 or best.place.name)
                 and (r.score >= 0.5 * best.score or r.state_hint  # "MORRIS, Okla." names its state
                      or r.score > 0.0 and best.place.kind == "admin2" and fold(best.place.name) in gaz.counties_of(r.place))]
        if best.place.kind == "admin1":
            # "Kansas workplace shooting ... Harvey County Sheriff": the county named in the state is more specific
            # (at 0.4 of the state's score, not 0.5: "STAR TOWNSHIP, Mich." gives the state a dateline's weight;
            # dev loop, city per article 2 better / 0 worse)
            counties = [r for r in scored if r.place.kind == "admin2" and r.place.country == best.place.country
                        and r.place.admin1 == best.place.name and r.score >= 0.4 * best.score]
            # and a town the story names in such a county more specific still ("Louisiana ... St. Mary Parish ...
            # Charenton"), whatever its own score
            towns += [r for r in scored if r.place.kind == "town" and r not in towns and r.score > 0.0
                      and r.place.country == best.place.country and r.place.admin1 == best.place.name
                      and any(fold(c.place.name) in gaz.counties_of(r.place) for c in counties)]
            towns = towns or counties
        if towns:
            best = max(towns, key=lambda r: r.score)
    if best is not None and best.place.kind == "admin1" and best.place.name == "District of Columbia":
        dc = [p for p in gaz.lookup("Washington") if p.kind == "town" and p.admin1 == "District of Columbia"]
        if dc:  # the District is the city of Washington
            best = Resolved(dc[0], best.start, best.end, best.score, best.state_hint)
    if best is not None and best.place.kind == "town":
        best.city = _containing_city(best.place, [p for p, _, m, _ in picks if not m.agency], gaz)
    if best is not None:
        best.certain = _certain(best, mentions, states - own.get(fold(text[best.start:best.end]), Counter()))
        if _stranger(best, states, home):
            return None
    return best


def _stranger(best: Resolved, states: Counter[str], home: OutletCentre | None) -> bool:
    """A small town far from the outlet's home, in a state nothing but its own name points at (AWAY_TOWN_MAX).
    Only against a settled home: its host's town, or enough stories of its own (full weight), not two or three
    stories of an outlet that may cover the whole country."""
    p = best.place
    if best.certain or home is None or not home.admin1 or home.weight < 1.0 or p.country != "US" or p.kind != "town":
        return False
    if p.admin1 == home.admin1 or p.population >= AWAY_TOWN_MAX or states.get(p.admin1 or ""):
        return False
    return p.lat is None or p.lon is None or km_between(p.lat, p.lon, home.lat, home.lon) > NEAR_OUTLET_KM


def _shared_states(mentions: list[PlaceMention]) -> Counter[str]:
    """States that two or more different ambiguous US names have in common ("Park City" and "Sedgwick County":
    Kansas), each name counting 1/(the number of states it exists in), so names found everywhere say little."""
    by_name: dict[str, set[str]] = {}
    for m in mentions:
        if m.weak:
            continue
        sts = {c.admin1 for c in m.candidates if c.country == "US" and c.kind in ("town", "admin2") and c.admin1
               and (c.population > 0 or c.kind == "admin2")}
        if len(sts) > 1:
            by_name.setdefault(fold(m.text), set()).update(sts)
    share: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for sts in by_name.values():
        for st in sts:
            share[st] += 1.0 / len(sts)
            names[st] += 1
    return Counter({st: w for st, w in share.items() if names[st] >= 2 and w >= 0.5})


def _in_named_county(mentions: list[PlaceMention], gaz: Gazetteer) -> frozenset[Place]:
    """The US town candidates that lie in a county the story names: "Mesa County Coroner ... in Clifton" makes
    Clifton, Colorado (Mesa County) of the fifteen Cliftons the one meant."""
    counties = {(fold(c.name), c.admin1) for m in mentions if not m.weak for c in m.candidates if c.kind == "admin2"}
    if not counties:
        return frozenset()
    return frozenset(c for m in mentions for c in m.candidates
                     if c.kind == "town" and any((k, c.admin1) in counties for k in gaz.counties_of(c)))


def _county_states(mentions: list[PlaceMention], in_county: frozenset[Place]) -> Counter[str]:
    """States where an ambiguous town of the story lies in a county the story names ("Deer Lodge" and "Morgan
    County": both names exist in several states, the pair in Tennessee only): `COUNTY_PAIR_W` each."""
    out: Counter[str] = Counter()
    if not in_county:
        return out
    for m in mentions:
        if m.weak or not any(c.kind == "town" for c in m.candidates):
            continue
        paired = {c.admin1 for c in m.candidates if c in in_county}
        if len(paired) == 1 and len({c.admin1 for c in m.candidates}) > 1:
            out[next(iter(paired)) or ""] = COUNTY_PAIR_W
    return out


def _near_states(mentions: list[PlaceMention]) -> Counter[str]:
    """States where two different town names of the story have namesakes that are neighbours.

    "Shots were fired in Urbana ... a Columbus man was arrested": the gazetteer knows five towns called Urbana and
    fifteen Columbus, but the only pair of them within `PAIR_KM` of each other is in Ohio, so Ohio gets `PAIR_W` of
    support. Two names whose neighbouring namesakes lie in more than one state say nothing. Only names that
    are towns alone count (not "Georgia", not a county), and not weak mentions (capitalised words NER does
    not call a place: people's names would pair with anything)."""
    names: dict[str, list[Place]] = {}
    for m in mentions:
        if m.weak or fold(m.text) in names:
            continue
        towns = [c for c in m.candidates if c.kind == "town" and c.lat is not None]
        if towns and len(towns) == len(m.candidates):
            names[fold(m.text)] = [c for c in towns if c.population > 0]
    out: Counter[str] = Counter()
    keys = list(names)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if len(names[a]) == 1 and len(names[b]) == 1:
                continue  # two unambiguous towns: nothing to choose between
            close = {(p.country, p.admin1) for p in names[a] for q in names[b]
                     if p.country == q.country and p.admin1 == q.admin1 and p.name != q.name
                     and _km(p, q) < PAIR_KM}
            if len(close) == 1:
                country, admin1 = next(iter(close))
                if country == "US" and admin1:
                    out[admin1] = PAIR_W
    return out


def _certain(best: Resolved, mentions: list[PlaceMention], others: Counter[str]) -> bool:
    """True when the text alone fixes the place's state (or, abroad, its country): "Covington, Ohio", Ohio
    named in the story, or a city of 100,000+ with no namesake a fifth its size that nothing else in the
    story places in another state."""
    p = best.place
    if best.state_hint or p.kind in ("admin1", "country"):
        return True
    for m in mentions:
        if m.weak:
            continue
        for c in m.candidates:
            if c.kind == "admin1" and c.country == p.country and c.admin1 == p.admin1 and p.country == "US":
                return True
            if c.kind == "country" and c.country == p.country and p.country != "US":
                return True
        towns = [c for c in m.candidates if c.kind == "town"]
        if _dominant(towns, 100_000) and towns[0] == p and not any(
                st != p.admin1 and w >= 1.0 for st, w in others.items()):
            return True
    return False


def _dominant(places: list[Place], min_population: int, ratio: float = 5.0) -> bool:
    """The first place has `min_population` and `ratio` times the next one's ("Chicago"; not "Covington")."""
    return bool(places) and places[0].population >= min_population and (
        len(places) == 1 or places[0].population >= ratio * places[1].population)


def _near_other(place: Place, towns: list[Place]) -> bool:
    """Another town of `towns` lies within NEAR_KM of `place`."""
    return any(t.name != place.name and _km(t, place) < NEAR_KM for t in towns)


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 1e9
    return km_between(a.lat, a.lon, b.lat, b.lon)


def _containing_city(place: Place, named: list[Place], gaz: Gazetteer) -> str:
    """The city a neighbourhood or enclave belongs to: a larger named town close by, else a big city whose
    centre is within 12 km; a town on its own is its own city."""
    near = [p for p in named if p.kind == "town" and p.country == place.country and p.admin1 == place.admin1
            and p.population > 3 * place.population and _km(p, place) < 30.0]
    if near:
        return max(near, key=lambda p: p.population).name
    if place.population < 100_000:
        # (in the same state: Cherry Hill, New Jersey is not part of Philadelphia across the river)
        for big in gaz.big_cities_in(place.country, place.admin1):
            if big.population > 5 * place.population and _km(big, place) < 12.0:
                return big.name
    return place.name


def _bound_state(text: str, m: PlaceMention, gaz: Gazetteer) -> Place | None:
    """The state or country written right after the name: "Puyallup, Wash.", "ALVIN, TX (KTRK)"."""
    after = _STATE_AFTER.match(text[m.end:m.end + 30])
    if not after:
        return None
    word = after.group(1)
    code = word.split()[0].rstrip(".,")
    found = gaz.lookup(word) or gaz.lookup(word.split()[0])
    if code in gaz.us_state_names and code.isupper():
        found = gaz.lookup(gaz.us_state_names[code])
    bounds = [c for c in found if c.kind in ("admin1", "country")]
    for b in bounds:  # "Savannah, Georgia" is the state, "Gori, Georgia" the country
        if any(_inside(c, b) for c in m.candidates):
            return b
    return bounds[0] if bounds else None


def _inside(place: Place, bound: Place) -> bool:
    """A town or county within the state or country written after it."""
    return place.kind in ("town", "admin2") and (bound.kind == "admin1" and place.admin1 == bound.admin1
                                                 or bound.kind == "country" and place.country == bound.country)


def _choose(cands: list[Place], states: Counter[str], countries: Counter[str], bound: Place | None,
            anchor: Place | None = None, in_county: frozenset[Place] = frozenset(),
            side: frozenset[str] = frozenset(), home: OutletCentre | None = None,
            rings: tuple[tuple[float, float], ...] = ()) -> Place | None:
    if bound is not None:
        inside = [c for c in cands if _inside(c, bound)]
        if inside:
            return max(inside, key=lambda c: c.population)
        return bound  # "Frederick, SD": a town the gazetteer lacks, in the state written, not Frederick, Maryland
    ranked = []
    # the dateline's (or speaking police's) town named again: itself, unless the story points at another country
    # ("Berlin police" taken for Germany's in a Connecticut story)
    anchor_named = anchor is not None and anchor in cands
    again = anchor_named and (not countries or countries.most_common(1)[0][0] == anchor.country)
    # the best-supported namesake's state: a namesake in a state with less support gains less
    top_st = max((states.get(c.admin1 or "", 0.0) for c in cands if c.kind not in ("country", "admin1")), default=0.0)
    for c in cands:
        s = 0.0
        if c.kind == "country":
            s = 4.0 + min(countries.get(c.country, 0.0), 5) * 0.3
        elif c.kind == "admin1":
            s = 4.0 + min(countries.get(c.country, 0.0), 5) * 0.3
        else:
            if c.admin1 and states.get(c.admin1):
                share = max(0.0, states[c.admin1] / top_st) ** 0.5 if top_st > 0 else 0.0
                s += STATE_BONUS * min(1.0, states[c.admin1] / STATE_FULL) * share + min(states[c.admin1], 5) * 0.2
            if countries.get(c.country):
                s += 2.0 + min(countries[c.country], 5) * 0.1
            s += min(c.population, 5_000_000) ** 0.25 / 10.0
            if (c is anchor and again) if anchor_named else anchor is not None and _km(c, anchor) < 150.0:
                # the namesake near the dateline's town; the dateline's town itself when this is its name again
                # ("Kansas City police said ... a Kansas City mother": not Kansas City, Kansas next door)
                s += 3.5
            if c in in_county:
                s += COUNTY_W  # the namesake in the county the story names
            if c.admin1 in side:
                s += SIDE_W  # the namesake on the broadcaster's side of the Mississippi
            if home is not None and (km_between(c.lat, c.lon, home.lat, home.lon) < NEAR_OUTLET_KM
                                     if c.lat is not None and c.lon is not None
                                     else c.kind == "admin2" and home.admin1 is not None and c.admin1 == home.admin1):
                # the namesake on the outlet's home ground (a county, which has no position: in the home state)
                s += NEAR_OUTLET_W * home.weight
            elif home is not None and home.admin1 is not None and c.admin1 == home.admin1:
                s += HOME_STATE_W * home.weight  # farther, but in the outlet's home state
            if c.lat is not None and c.lon is not None and any(
                    km_between(c.lat, c.lon, lat, lon) < NEAR_OUTLET_KM for lat, lon in rings):
                s += RING_W  # the namesake near where the story's telephone numbers ring (Montgomery near Aurora)
        ranked.append((s, c.population, c))
    if not ranked:
        return None
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return ranked[0][2]
