"""Truecasing for all-upper-case wire copy, so the tagger and NER see normal text.

Length-preserving (only letter case changes), so character offsets stay valid for the original text.
Words are lower-cased, sentence starts capitalised, and known names restored: gazetteer places (multi-word
first), actor aliases and acronyms, weekdays and months, and bracketed acronyms like "[FMLN]".
"""

from __future__ import annotations

import re

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


def is_all_caps(text: str) -> bool:
    """True for text written in capitals (old wire copy)."""
    letters = [c for c in text[:4000] if c.isalpha()]
    return len(letters) > 40 and sum(c.isupper() for c in letters) / len(letters) > 0.85


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
            if L == 1 and (key in _COMMON or len(key) < 4):
                continue
            cands = gaz.lookup(key)
            if not cands:
                continue
            if L == 1 and not any(c.population >= 20_000 or c.kind != "town" for c in cands):
                continue
            for w in seg:
                _cap(chars, w.start(), w.end(), w.group(0).lower() in ("de", "del", "la", "las", "los", "el", "y"))
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
