"""Headlines: the story's own headline out of a page title, and that headline told as a sentence.

A page title carries the site's name beside the story's headline ("Man shot - WMC Action News 5 - Memphis");
`clean_title` keeps the headline and `site_part` the rest (evidence of the outlet's region).

Headlines are telegraphic: "Boy, 3, wounded in shooting", "Teens shot near park", "Girl stable after shooting".
spaCy's small parser reads such a headline's first word as an interjection ("Boy, that was close") and its
participle as the root, so who was hurt is lost. `as_sentence` restores the words a headline drops (the
article, the auxiliary: "A boy, 3, was wounded in shooting", "Teens were shot near park", "A girl is stable
after shooting"), only where the headline opens with a person named by a common noun or an age and goes on
with what befell them. Nothing else in the headline changes.
"""

from __future__ import annotations

import re

from worker.events.numbers import parse_number

# A title segment that names the site or its sections, not the story ("WALB.com, South Georgia News, Weather,
# Sports", "KSLA News 12 Shreveport", "WTOC-TV: Savannah"): a web address, "News"/"Weather"/"Sports", or a
# broadcaster's call letters; a segment that tells of violence is the headline whatever else it holds.
_SITE_SEGMENT = re.compile(r"\.(?:com|net|org)\b|\b(?:News|NEWS|Weather|Sports|Classifieds)\b|"
                           r"\b[KW][A-Z]{3}(?:-TV|-DT)?\b|\b(?:NBC|CBS|ABC|FOX|Fox|CW)\s?\d+\b")
_STORY_WORD = re.compile(r"\b(?:shot|shoots?|shooting|killed|kills?|dead|dies|died|death|murder|wounded|injured|"
                         r"stabb\w*|arrest\w*|charged|suspect|police|victim)\b", re.I)


def _title_parts(title: str) -> tuple[str, list[str]]:
    """(headline, the other segments): the longest segment that does not name the site."""
    parts = re.split(r"\s+[-|–—:]\s+|\|", " ".join(title.split()))
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        return (parts[0] if parts else ""), []
    story = [p for p in parts if _STORY_WORD.search(p) or not _SITE_SEGMENT.search(p)]
    head = max(story or parts, key=len)
    return head, [p for p in parts if p is not head]


def site_part(title: str) -> str:
    """What clean_title drops: the site name and its town ("WMC Action News 5 - Memphis, Tenn")."""
    return " - ".join(_title_parts(title)[1])


def clean_title(title: str) -> str:
    """The headline without the site name that feeds append ("Man shot - WMC Action News 5 - Memphis")."""
    title = " ".join(title.split())
    head, others = _title_parts(title)
    return head if others else title


# -- the headline as a sentence ---------------------------------------------------------------------------------

_SINGULAR = ("man|woman|boy|girl|teen|teenager|child|toddler|baby|infant|kid|youth|juvenile|minor|student|person|"
             "officer|deputy|trooper|cop|policeman|guard|driver|clerk|cashier|worker|employee|customer|bystander|"
             "pedestrian|victim|mother|father|mom|dad|son|daughter|brother|sister|husband|wife|grandmother|"
             "grandfather|grandma|grandpa|uncle|aunt|nephew|niece|cousin|friend|neighbor|neighbour|resident|"
             "homeowner|teacher|coach|pastor|priest|veteran|motorist|passenger|security guard|store clerk|"
             "police officer|gas station clerk")
_PLURAL = ("men|women|boys|girls|teens|teenagers|children|kids|youths|juveniles|minors|students|people|persons|"
           "officers|deputies|troopers|cops|policemen|guards|workers|employees|customers|bystanders|victims|"
           "brothers|sisters|friends|neighbors|neighbours|residents|adults|siblings|cousins|parents|relatives")
_AGE_HEAD = (r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
             r"sixteen|seventeen|eighteen|nineteen)-(?:year|month|week|day)-olds?")
_NUMBER_WORD = (r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|both|"
                r"a|an|the|his|her|their")
# An opening attribution ("Police: ", "UPDATE: ", "Tucson police: ") stays as it is; the rewrite starts after it.
_LEAD_IN = r"(?P<lead>(?:[A-Z][\w.'’]*\s?){1,3}:\s+)?"
_NP_ONE = (r"(?:(?:" + _NUMBER_WORD + r")\s+)?(?:(?:" + _AGE_HEAD + r"|teenage|young|elderly|pregnant|off-duty|"
           r"[A-Z][a-z]+(?:-[a-z]+)?)\s+)?(?:" + _SINGULAR + "|" + _PLURAL + "|" + _AGE_HEAD + r")(?:,\s*\d{1,3},)?")
_NP = r"(?P<np>" + _NP_ONE + r"(?:(?:,|\s+and|\s*&)\s+" + _NP_ONE + r")*)"
_PARTICIPLE = (r"(?:(?:critically|seriously|fatally|accidentally|mortally|reportedly|allegedly)\s+)*"
               r"(?:shot|wounded|injured|hurt|killed|slain|stabbed|struck|hit|grazed|hospitalized|hospitalised|"
               r"found|gunned|airlifted|flown|rushed|taken)")
_CONDITION = r"dead|stable|critical|alive|recovering|in (?:critical|serious|stable|fair)"
_PREPOSITION = r"(?:by|in|at|near|on|while|after|during|outside|inside|for|from|with|to|as|over|behind)\b"
_CHAIN = re.compile(r"(?:" + _PARTICIPLE + r")(?:,?\s+(?:and\s+)?(?:" + _PARTICIPLE + r"))*\b\s+", re.I)
_OBJECT = re.compile(r"(?:his|her|their|its|a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|himself|herself|"
                     r"themselves|self|own|(?:(?!" + _PREPOSITION + r")[\w-]+\s+)?(?:" + _SINGULAR + "|" + _PLURAL + r"))\b",
                     re.I)
_TELEGRAPHIC = re.compile(_LEAD_IN + _NP + r"(?P<gap>\s+)(?P<next>(?:" + _PARTICIPLE + r")\b|(?:" + _CONDITION + r")\b)",
                          re.I)
_DETERMINERS = {"a", "an", "the", "his", "her", "their", "several", "multiple", "both"}
# first words that are common nouns or adjectives, lowered after the article put before them
_LOWER_FIRST = set(_SINGULAR.split("|")) | {"police", "shooting", "teenage", "young", "elderly", "pregnant", "off-duty",
                                            "security", "store", "local"}


_NOT_SUBJECT_END = {"of", "the", "a", "an", "his", "her", "their", "gunshot", "stab", "bullet", "knife", "multiple",
                    "fatal", "head", "critical", "serious", "minor", "with", "from", "for", "and", "or", "photo", "no"}
_KIN = {"mother", "father", "mom", "dad", "son", "daughter", "brother", "sister", "husband", "wife", "grandmother",
        "grandfather", "grandma", "grandpa", "uncle", "aunt", "nephew", "niece", "cousin", "friend", "neighbor",
        "neighbour"}  # "kills wife": his wife, not a wife
_PRESENT = re.compile(r"(?<![\w'-])(?P<verb>kills|slays|injures|wounds|shoots|stabs|hurts|kidnaps|abducts)(?P<gap>\s+)"
                      r"(?P<noun>" + "|".join(w for w in _SINGULAR.split("|") if w not in _KIN) + r")\b(?![-'’])", re.I)
# the word before a verb, past an adverb and a comma ("Teen accidentally shoots", "shoots, kills")
_PREVIOUS_WORD = re.compile(r"([\w'’-]+),?\s+(?:(?:accidentally|fatally|critically|seriously|allegedly|reportedly|"
                            r"then|and)\s+)?$", re.I)


_BARE_OPENING = re.compile(_LEAD_IN + r"(?P<word>" + _SINGULAR.replace(" ", r"\s") + r")\b(?!['’])", re.I)


def _article(word: str) -> str:
    """ "A " or "An " before the word."""
    return "An " if word[:1].lower() in "aeiou" else "A "


def _plural(np: str) -> bool:
    """Whether a headline's opening people are more than one ("Teens", "Man, woman", "Two men")."""
    if re.search(r",|\band\b|&", re.sub(r",\s*\d{1,3},", "", np)):
        return True
    words = np.split()
    n = parse_number(words[0]) if words and words[0].lower() not in _DETERMINERS else None
    if n and n[0] > 1 or words and words[0].lower() in ("several", "multiple", "both"):
        return True
    head = re.sub(r",\s*\d{1,3},$", "", np).split()[-1].lower()
    return bool(re.fullmatch(_PLURAL, head) or re.fullmatch(_AGE_HEAD, head) and head.endswith("s"))


def as_sentence(headline: str) -> str:
    """The headline told as a sentence: the article and auxiliary it drops restored, when it opens with the people
    it is about ("Boy, 3, wounded in shooting" -> "A boy, 3, was wounded in shooting"), or the article before the
    person a violent verb acts on ("Drive-by shooting injures child" -> "... injures a child"). The tense stays:
    a headline's present tells what happened, and a past participle after a noun reads as a passive there
    ("Man killed" is a death, "Man kills" a killer)."""
    passive = _restore_auxiliary(headline)
    return passive if passive != headline else _with_article(_object_article(headline))


def _object_article(headline: str) -> str:
    """ "injures child" -> "injures a child": the tagger reads "injures child" as two nouns. Only a violent verb after
    a word that can end a subject ("shooting injures", not "gunshot wounds") and before a bare singular noun."""
    def with_article(m: re.Match[str]) -> str:
        before = _PREVIOUS_WORD.search(headline[:m.start()])
        if before is None or before.group(1).lower() in _NOT_SUBJECT_END:
            return m.group(0)
        noun = m.group("noun")
        return m.group("verb") + m.group("gap") + _article(noun).lower() + noun
    return _PRESENT.sub(with_article, headline)


def _with_article(headline: str) -> str:
    """ "Boy, 9, fatally shoots himself" -> "A boy, 9, fatally shoots himself": a bare singular noun opening a
    sentence reads as an interjection."""
    m = _BARE_OPENING.match(headline)
    if m is None:
        return headline
    word = m.group("word")
    return (m.group("lead") or "") + _article(word) + word.lower() + headline[m.end("word"):]


def _restore_auxiliary(headline: str) -> str:
    """"Boy, 3, wounded in shooting" -> "A boy, 3, was wounded in shooting"."""
    m = _TELEGRAPHIC.match(headline)
    if m is None:
        return headline
    after = _CHAIN.match(headline, m.start("next"))
    if after and _OBJECT.match(headline, after.end()):
        return headline  # "Man accidentally shot, killed best friend": past tense with an object, not a passive
    np = m.group("np")
    if parse_number(np.split()[0]) is not None:
        return headline  # "3 adults, 5 minors shot", "1 person injured": counted as they stand (casualties' patterns)
    plural = _plural(np)
    condition = re.match(r"(?:" + _CONDITION + r")\b", m.group("next"), re.I) is not None
    aux = ("are" if plural else "is") if condition else ("were" if plural else "was")
    first = np.split()[0]
    if first.lower() not in _DETERMINERS and parse_number(first) is None and not plural:
        # "Boy shot": a bare singular noun opening a sentence reads as an interjection; "A boy was shot" does not
        if first.strip(",").lower() in _LOWER_FIRST:
            np = np[:1].lower() + np[1:]
        np = _article(np) + np
    lead = m.group("lead") or ""
    return lead + np + " " + aux + m.group("gap") + headline[m.start("next"):]


# A headline that tells of an arrest, a charge or a court step: such a story is dated to that step, not to the
# shooting it follows (the extractor's staleness check, dedup's event dates)
_COURT_HEADLINE = re.compile(
    r"\b(?:charged|charges?|arrested|arrests?|arraigned|arraignment|indicted|indictment|sentenced|sentencing|"
    r"pleads?|pleaded|guilty|convicted|trial|jury|verdict|bond|bail|court|hearing|death penalty|custody)\b", re.I)


def court_headline(title: str | None) -> bool:
    """The headline tells of an arrest, a charge or a court step ("Dad charged after son accidentally shoots ...")."""
    return bool(title and _COURT_HEADLINE.search(title))
