"""Truecasing for all-upper-case wire copy, so the tagger and NER see normal text.

Length-preserving (only letter case changes), so character offsets stay valid for the original text.
Words are lower-cased, sentence starts capitalised, and known names restored: gazetteer places (multi-word
first), actor aliases and acronyms, weekdays and months, and bracketed acronyms like "[FMLN]".
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from worker.events.actors import ActorList
from worker.events.gazetteer import Gazetteer

_ALWAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
           "april", "june", "july", "august", "september", "october", "november", "december", "i", "jan",
           "feb", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs", "gen", "col", "lt", "capt", "sgt", "dr"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")
_COMMON = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "by", "for", "with", "from", "as", "is",
           "was", "were", "be", "are", "it", "he", "she", "they", "we", "you", "his", "her", "their", "its", "this",
           "that", "these", "those", "not", "no", "but", "if", "so", "all", "one", "two", "who", "which", "said",
           "also", "has", "have", "had", "will", "would", "can", "could", "may", "army", "police", "state", "city",
           "san", "la", "el", "de", "del", "los", "las", "union", "guard", "national", "people", "front", "town",
           "mission", "president", "government", "peace", "victoria", "progreso", "esperanza", "libertad", "paz"}

# Words a person's name follows ("GENERAL OSVALDO DIAZ SALVADOR", "MAYOR ISMAEL PENA").
_TITLES = {"minister", "president", "vice-president", "general", "gen", "colonel", "col", "major", "maj", "captain",
           "capt", "lieutenant", "lt", "sergeant", "sgt", "commander", "mayor", "governor", "judge", "director",
           "father", "msgr", "monsignor", "archbishop", "bishop", "priest", "senator", "deputy", "ambassador",
           "attorney", "lawyer", "journalist", "mr", "mrs", "ms", "dr", "doctor", "engineer", "professor", "leader",
           "spokesman", "councilman", "candidate", "reverend", "rev", "congressman", "secretary", "rector", "chief"}


def is_all_caps(text: str) -> bool:
    """True for text written in capitals (old wire copy)."""
    letters = "".join(filter(str.isalpha, text[:4000]))  # C-level loops: this runs twice per article
    return len(letters) > 40 and sum(map(str.isupper, letters)) / len(letters) > 0.85


def truecase(text: str, gaz: Gazetteer, actors: ActorList) -> str:
    """A same-length copy of `text` with plausible letter case."""
    chars = list(text.lower())
    words = list(_WORD.finditer(text))
    # Multi-word gazetteer names first (up to four words), then single words.
    i = 0
    while i < len(words):
        matched = 0
        for L in (4, 3, 2, 1):
            if i + L > len(words):
                continue
            seg = words[i:i + L]
            if any(seg[k + 1].start() - seg[k].end() != 1 or text[seg[k].end()] != " " for k in range(L - 1)):
                continue
            key = text[seg[0].start():seg[-1].end()].lower()
            if L == 1 and (key.rstrip(".") in _COMMON or len(key.rstrip(".")) < 4):
                continue
            # a sentence's full stop is not part of the name ("... IN LOS ANGELES.")
            cands = gaz.lookup(key) or (gaz.lookup(key.rstrip(".")) if key.endswith(".") else [])
            if not cands:
                continue
            if L == 1 and not any(c.population >= 20_000 or c.kind != "town" for c in cands):
                continue
            for k, w in enumerate(seg):
                # inner particles stay lower ("San Miguel de Mercedes"); a leading one is the name's ("El Salvador")
                _cap(chars, w.start(), w.end(), k > 0 and w.group(0).lower() in ("de", "del", "la", "las", "los", "el", "y"))
            matched = L
            break
        i += matched or 1
    for w in words:
        low = w.group(0).lower().rstrip(".")
        if low in _ALWAYS:
            _cap(chars, w.start(), w.end(), False)
        elif w.group(0).rstrip(".") in actors.acronyms:
            for k in range(w.start(), w.end()):
                chars[k] = text[k]
    # A title is followed by a name ("MINISTER JOSE ANTONIO RODRIGUEZ PORTH WAS"): capitalised, the name reads as a
    # person's, not as Rodriguez, a town in the Philippines, among lower-case words
    for i, w in enumerate(words[:-1]):
        if w.group(0).lower().rstrip(".") not in _TITLES:
            continue
        for k in range(i + 1, min(i + 6, len(words))):
            nxt, prev = words[k], words[k - 1]
            low = nxt.group(0).lower()
            if text[prev.end():nxt.start()] != " " or low in _COMMON or not low.isalpha() \
                    or zipf_frequency(low, "en") >= 5.5:
                break
            _cap(chars, nxt.start(), nxt.end(), False)
    for m in re.finditer(r"\[([A-Z]{2,6})\]", text):
        for k in range(m.start(1), m.end(1)):
            chars[k] = text[k]
    for pat in (r"^\s*(\w)", r"[.!?]\s+[\"'(\[]?(\w)", r"\n\s*\n\s*[\"'(\[]?(\w)", r"--\s+(?:\[[^\]]*\]\s*)*(\w)"):
        for m in re.finditer(pat, text):
            k = m.start(1)
            chars[k] = chars[k].upper()
    # Multi-word actor names ("Shining Path", "Farabundo Marti National Liberation Front").
    lowered = "".join(chars)
    for m in actors.find(text.title(), all_caps=True):
        for w in _WORD.finditer(text[m.start:m.end]):
            _cap(chars, m.start + w.start(), m.start + w.end(), False)
    out = "".join(chars)
    return out if len(out) == len(text) else lowered


def _cap(chars: list[str], start: int, end: int, keep_lower: bool) -> None:
    if keep_lower or start >= end:
        return
    chars[start] = chars[start].upper()


# Words a headline capitalises that stay capitalised (the small words of headline style are lowered anyway).
_TITLE_SMALL = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "as", "from", "into",
                "after", "over", "near", "outside", "during", "is", "are", "was", "be"}
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z']*(?:-[A-Za-z][A-Za-z']*)*\.?")


def is_title_case(title: str) -> bool:
    """A headline In Which Every Word Is Capitalised (at least four words, four in five of them capitalised)."""
    words = [w for w in _TITLE_WORD.findall(title) if len(w) > 1 and w.lower() not in _TITLE_SMALL]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) and not title.isupper()


def truecase_title(title: str, body: str, gaz: Gazetteer, actors: ActorList) -> str:
    """A same-length copy of a Title Case headline with the common words lowered, so the parser reads
    "Gunman Shoots 4 People Outside Philly Chinese Restaurant" as a sentence ("Gunman shoots 4 people outside
    Philly Chinese restaurant"). The article's own body decides: a word it writes in lower case is lowered, one
    it capitalises inside a sentence stays. A word the body lacks is lowered when it is a common English word and
    not a place of 20,000 people or more or an actor's name."""
    lower_seen = set(re.findall(r"(?<=[a-z,;:] )([a-z][a-z']+)(?=[ ,.;:!?])", body))  # prose, not addresses
    upper_seen = {m.group(1) for m in re.finditer(r"(?<=[a-z] )([A-Z][a-z']+)\b", body)}
    chars = list(title)
    # multi-word places keep their capitals ("New Jersey", "Fort Lauderdale", "High Point")
    words = list(_TITLE_WORD.finditer(title))
    keep: set[int] = set()
    for i in range(len(words)):
        for n in (4, 3, 2):
            seg = words[i:i + n]
            if len(seg) == n and all(seg[k + 1].start() - seg[k].end() == 1 for k in range(n - 1)) \
                    and gaz.lookup(title[seg[0].start():seg[-1].end()].rstrip(".")):
                keep.update(w.start() for w in seg)
                break
    first = True
    for m in words:
        word = m.group(0)
        if first:
            first = False
            continue  # the headline's first word keeps its capital
        if word.endswith(".") and (len(word) <= 4 or "." in word[:-1]):
            continue  # an abbreviation ("N.J.", "Ft.", "St.")
        word = word.rstrip(".")
        if m.start() in keep or not word[0].isupper() or sum(c.isupper() for c in word) > 1:
            continue  # already lower, part of a place, or an acronym ("NYPD")
        low = word.lower()
        if low.split("-")[0] in _ALWAYS:
            continue
        if low in _TITLE_SMALL:
            lower = True
        elif low in lower_seen and word not in upper_seen:
            lower = True
        elif word in upper_seen:
            lower = False
        else:
            big_place = any(p.population >= 20_000 or p.kind != "town" for p in gaz.lookup(low))
            lower = not big_place and not actors.find(word) and zipf_frequency(low, "en") >= 3.0
        if lower:
            for k in range(m.start(), m.start() + len(word)):
                chars[k] = title[k].lower()
    return "".join(chars)
