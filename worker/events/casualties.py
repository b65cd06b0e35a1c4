"""Casualty counts from the dependency parse: who was killed or wounded, how many, victim or attacker.

Each casualty predicate ("killed", "died", "shot dead", "wounded", "is dead", "left three dead") is tied to
its patient noun phrase; the phrase is counted ("three people", "a man" -> 1, "at least 12", "dozens" -> 24,
"a man and a woman" -> 2) and classed as victim or perpetrator ("the gunman was shot dead"). Per
sentence the distinct patients are summed; across the article the largest figure wins, so revisions
("the death toll rose to 12") and repeated mentions do not add up. "Three people were shot, one fatally"
splits the three. "No one was hurt" gives zero. The caller passes only sentences about the main incident.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import LOWER, POS
from spacy.symbols import ADJ, AUX, VERB
from spacy.tokens import Doc, Span, Token

from worker.events.numbers import parse_number

FATAL = {"kill", "murder", "slay", "die", "execute", "assassinate", "behead", "massacre", "slaughter", "decapitate"}
WOUND = {"wound", "injure", "hurt", "hospitalize", "maim", "graze", "injur"}
SHOOT = {"shoot", "stab"}
HURT_VERBS = SHOOT | WOUND | {"hit", "strike"}  # what someone hurt was (shot, wounded, hit)
PERP_NOUNS = {
    "gunman", "gunmen", "attacker", "assailant", "shooter", "bomber", "terrorist", "militant", "insurgent",
    "suspect", "perpetrator", "hijacker", "kidnapper", "guerrilla", "guerrillas", "subversive", "extremist",
    "jihadist", "rebel", "robber", "intruder", "fighter", "assassin", "sniper", "killer",
}
PERSON_NOUNS = PERP_NOUNS | {
    "people", "person", "persons", "man", "men", "woman", "women", "child", "children", "kid", "kids", "boy", "boys",
    "girl", "girls", "teen", "teens", "teenager", "teenagers", "baby", "infant", "toddler", "adult", "adults",
    "victim", "victims", "civilian", "civilians", "resident", "residents", "officer", "officers", "policeman",
    "policemen", "police", "policewoman", "deputy", "deputies", "trooper", "troopers", "agent", "agents", "soldier",
    "soldiers", "troops", "guard", "guards", "student", "students", "teacher", "worker", "workers", "employee",
    "employees", "passenger", "passengers", "driver", "bystander", "bystanders", "pedestrian", "member", "members",
    "worshipper", "worshippers", "worshiper", "worshipers", "peasant", "peasants", "farmer", "farmers", "villager",
    "villagers", "official", "officials", "leader", "journalist", "journalists", "reporter", "priest", "priests",
    "nun", "doctor", "nurse", "patient", "customer", "customers", "clerk", "owner", "father", "mother", "son",
    "daughter", "brother", "sister", "wife", "husband", "friend", "friends", "family", "relative", "relatives",
    "neighbor", "neighbour", "individual", "individuals", "male", "males", "female", "females", "juvenile",
    "youth", "youths", "others", "other", "one", "two", "three", "pilgrim", "pilgrims", "tourist", "tourists",
    "staff", "personnel", "mayor", "judge", "councilman", "candidate", "inmate", "inmates", "prisoner", "prisoners",
    "marine", "marines", "commander", "cop", "cops", "gang", "mourners", "shoppers", "fans", "protesters",
    "demonstrators", "children", "kids", "girlfriend", "boyfriend", "uncle", "nephew", "cousin", "grandmother",
    "grandfather", "stepfather", "occupant", "occupants", "resident", "homeowner", "roommate", "senator", "minister",
    "minor", "minors",
    "hunter", "hunters", "motorist", "motorists", "cyclist", "patron", "patrons", "tenant", "aunt", "niece",
    "grandson", "granddaughter", "stepson", "stepdaughter", "fiance", "fiancee", "coworker", "classmate", "pastor",
}
PRONOUN_ONE = {"he", "she", "him", "her"}
REFLEXIVE = {"himself", "herself", "themselves"}
_REL = {"who", "that", "which", "whom"}
_REPORTING = {"suspect", "accuse", "charge", "believe", "allege", "think", "report", "say", "arrest", "want", "try",
              "attempt", "plan", "threaten", "admit", "deny", "confess"}
_NOT_VIOLENCE = {"accident", "crash", "collision", "wreck", "causes", "overdose", "illness", "cancer", "disease"}  # not "fire": arson
NOT_VIOLENCE_RX = re.compile(r"\b(?:natural causes|overdose|illness|cancer|disease|(?:car|traffic|motorcycle|vehicle|road) "
                             r"(?:crash|accident|collision|wreck)|crash(?:ed|ing) (?:into|his|her|a|the))\b", re.I)
_MODAL = {"could", "would", "might", "may", "should", "can", "will", "'d", "'ll"}
# The death of someone already counted as hurt: "was taken to a hospital, where he later died".
LATER_DIED = re.compile(r"\b(?:later died|died (?:later|(?:\w+ )?(?:days?|hours?|weeks?) later|at (?:a|the) (?:[\w-]+ ){0,3}(?:hospital|center)|"
                        r"in (?:the )?hospital|(?:from|of) (?:his|her|their|the) (?:injuries|wounds)|after being (?:taken|rushed|transported))|"
                        r"succumbed|(?:has|have) since died|(?:later|since) (?:been )?pronounced dead|where (?:he|she) (?:was pronounced dead|died))\b", re.I)

# "turned the gun on himself", "turning a gun on", "turned his weapon on"
_GUN_ON = r"(?:the|a|his|her) (?:gun|weapon) on"
# Someone killed himself (the attacker counted among the dead), and someone shot himself (hurt, usually by accident).
SELF_KILLED = re.compile(r"\b(?:kills|killed|fatally shot|fatally shoots|fatally shooting|killing) (?:himself|herself|self)\b|"
                         r"turn(?:s|ed)? " + _GUN_ON + r" (?:himself|herself)|(?:took|takes|taking) (?:his |her )?own life|murder-suicide|"
                         r"blew (?:himself|herself) up|"
                         r"then (?:shot|shoots|shooting|kills|killed|killing) (?:himself|herself|self)\b|"
                         r"\b(?:kills|killed|killing|fatally shoots|fatally shot|shoots and kills|shot and killed) [^.;:]{1,60}?"
                         r",?\s+(?:and\s+)?(?:then\s+)?(?:himself|herself|self)\b",
                         re.I)
# "Four shot to death ..., then gunman kills himself", "by a man who later shot himself": the killer is not among the
# dead counted before
THEN_SELF = re.compile(r"\b(?:then|later)\b[^.;]{0,40}?\b(?:kill(?:s|ed)?|shot|shoots|turn(?:s|ed)? " + _GUN_ON + r") "
                       r"(?:himself|herself)\b", re.I)
COMMITTED_SUICIDE = re.compile(r"\bcommit(?:s|ted|ting)? suicide\b", re.I)
SELF_WOUNDED = re.compile(r"\b(?:shot|shoots|shooting|wounds?|wounded|wounding) (?:himself|herself|self)\b|self-inflicted gunshot|"
                          r"\b(?:shot|shoots|shooting) (?:(?:him|her)?(?:self|his|her) (?:own )?|own )(?:leg|foot|hand|arm|finger|thigh)\b|"
                          r"\b(?:shot|shoots|shooting) (?:his|her) own\b", re.I)
# Someone killed others and then himself (as opposed to a suicide or a fatal accident with the gun).
MURDER_SUICIDE = re.compile(r"\bmurder[- ]suicide|murder and suicide|\b(?:before|then|and then)\s+(?:killing|shooting|"
                            r"turning (?:the )?(?:gun|weapon) on)\s+(?:himself|herself)|,\s*(?:then\s+)?(?:himself|herself|self)\b|"
                            r"\band (?:then )?(?:himself|herself)\b|\bturned " + _GUN_ON + r" (?:himself|herself)|\bblew (?:himself|herself) up|"
                            r"\bsuicide (?:bomber|attacker|attack|bombing)", re.I)
ZERO_WOUNDED = re.compile(r"\b(?:no(?: one|body)(?: else)? (?:was |were |has been )?(?:injured|hurt|wounded|shot|struck|hit)|"
                          r"no (?:other )?(?:injuries|casualties)|without (?:any )?(?:injur|casualt)|"
                          r"no one (?:else )?was (?:injured|hurt|wounded)|none of the \w+ (?:was|were) (?:injured|hurt|struck|hit))",
                          re.I)
ZERO_KILLED = re.compile(r"\b(?:no(?: one|body) (?:was |were )?(?:killed|died)|no (?:deaths|fatalities|casualties)|"
                         r"no one was (?:killed|seriously hurt))", re.I)
_YEAR_DIGITS = r"(?:19|20)\d\d"  # "shooting 2016": a year, never a count
_NUM = (r"(?:(?<![$£€\w.,-])(?!911\b|" + _YEAR_DIGITS + r"\b)\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|twenty(?:-\w+)?|thirty(?:-\w+)?|forty(?:-\w+)?|fifty|a dozen|dozens|several)")
_QUAL = r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|an estimated)\s+)?"
_WHO = r"(?:\s+(?:[\w-]+\s+){0,2}?(?:people|persons|men|women|children|victims|others|civilians|officers|soldiers|policemen|students|teens|teenagers|boys|girls))?"
# "17-year-old" is an age, "12:15 a.m." a time, "killed about two weeks after" a span of time, not a count
_END = r"(?![-\w]|[:.]\d|\s+(?:years?|months?|weeks?|days?|hours?|minutes?|blocks?|miles?|feet|times)\b)"
_NUM_A = r"(?:" + _NUM + r"|an?)"
_COUNT = _QUAL + r"(?P<n>" + _NUM + r")" + _END + _WHO  # "at least 12 people", "four others"
_START = r"(?:^|[,:;]\s*|\b)"  # a count at the start of a clause
_WHO_ONE = r"(?:\s+(?:[\w-]+\s+){0,2}?(?:people|persons|men|women|children|victims|others|civilians|officers|soldiers|man|woman|person|teen|teenager|boy|girl|child|victim|officer|\w+-year-old|toddler|baby|student|students|teens|teenagers|boys|girls))?"
KILLED_RX = [
    # "the number of people killed in an explosion at a bazaar in Peshawar rose to 11": the
    # noun phrase may carry a short complement before the verb (no sentence break inside).
    re.compile(r"\b(?:death toll|toll|number of (?:dead|deaths|people killed|people who died)|dead)(?:\s+[^.;:]{1,80}?)?\s+(?:has\s+|had\s+)?(?:rose|rises|risen|climbed|climbs|jumped|increased|reached|stands|stood|is|was|now)\s+(?:to\s+|at\s+)?" + _QUAL + "(?P<n>" + _NUM + r")" + _END, re.I),
    re.compile(r"\b(?:kill(?:ing|ed|s)|claimed the lives of)\s+" + _COUNT + r"\b", re.I),
    re.compile(r"\b(?:left|leaving|leaves|leave)\s+" + _QUAL + "(?P<n>" + _NUM_A + r")" + _END + _WHO_ONE + r"\s+(?:dead|killed)\b", re.I),
    re.compile(_START + r"(?<!of )" + _COUNT
               + r"\s+(?:(?:were |are |have been )?(?:shot dead|shot to death|gunned down|fatally shot)|dead|killed|slain)\b", re.I),
    # "fatally shoots 3 musicians" (not "was fatally shot 10 times")
    re.compile(r"\bfatally (?:shoots|shooting|shot)\s+" + _QUAL + "(?P<n>" + _NUM + r")" + _END + _WHO[:-1] + r"\b", re.I),
]
WOUNDED_RX = [
    re.compile(r"(?:^|[,:;]\s*|\b(?:and|with)\s+)" + _COUNT + r"\s+(?:others?\s+)?(?:injured|wounded|hurt)\b", re.I),
    # (not "enough rounds to hurt several people", "could hurt two": what might have happened)
    re.compile(r"(?<!\bto )(?<!\bcould )(?<!\bwould )(?<!\bmight )(?<!\bwill )\b(?:injur(?:ing|ed|es)|wound(?:ing|ed|s)|hurt(?:ing|s)?)\s+"
               + _COUNT + r"\b", re.I),
    re.compile(r"\b(?:left|leaving|leaves|leave)\s+" + _QUAL + "(?P<n>" + _NUM_A + r")" + _END + _WHO_ONE + r"\s+(?:\w+\s+)?(?:injured|wounded|hurt|hospitali[sz]ed)\b", re.I),
    # "left two men dead and a 3-year-old hurt"
    re.compile(r"\b(?:dead|killed)(?:,| and)\s+" + _QUAL + "(?P<n>" + _NUM_A + r")" + _END + _WHO_ONE
               + r"\s+(?:\w+\s+)?(?:injured|wounded|hurt)\b", re.I),
    # "a wounded 12-year-old girl calling 911"
    re.compile(r"\b(?P<n>an?)\s+(?:critically\s+|seriously\s+)?wounded\s+(?:\d+-year-old|man|woman|boy|girl|teen|"
               r"teenager|child|officer|victim)\b", re.I),
]
# The compact toll of headlines and leads: "3 dead, 26 wounded", "1 killed and 4 hurt" (the parser makes one
# figure the subject of the other's verb).
TOLL_PAIR = re.compile(r"(?:^|[^\w-])(?<!\bof )" + _QUAL + r"(?P<k>" + _NUM + r")" + _END + r"(?: (?:people|persons|men|women|others))? "
                       r"(?:dead|killed|slain)\s*(?:,|;|and|&)\s*(?:and )?" + _QUAL + r"(?P<w>" + _NUM + r")" + _END
                       + r"(?: (?:others?|more|people|persons))? (?:wounded|injured|hurt|hospitalized|hospitalised)\b", re.I)
# "2 teens shot in Phoenix, 1 killed": the dead are among those shot (the parser makes the shot the killed).
SHOT_SPLIT = re.compile(_START + _QUAL + r"(?P<h>" + _NUM + r")" + _END + _WHO
                        + r"\s+(?:were |are |have been )?shot\b[^.;:,]{0,40},\s*" + _QUAL + r"(?P<k>" + _NUM + r")" + _END
                        + r"(?: (?:of them|people|persons|man|woman|teen|boy|girl|person))? (?:killed|dead|fatally|died)\b", re.I)
# A round-up of a city's shootings ("8 killed, 46 wounded in Labor Day weekend shootings", "18 people shot in
# Philly in 48-hour span", "four separate shootings"): its totals add up several incidents, so no one incident's
# toll can be read from it. So do a day's tally ("4 killed, 11 wounded in city shootings Tuesday", "2 killed, 4 injured
# in Sunday night shootings") and a violent night or weekend. ("a string of shootings" is often one gunman's spree,
# and is not taken as a round-up; nor is a count of shootings, "4 injured in 2 Daytona Beach shootings": measured, as
# often one incident of two scenes as two.)
_SPAN_N = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty-four|forty-eight|seventy-two|several|a few)"
ROUND_UP = re.compile(
    r"\b(?:weekend|holiday|overnight|labor day|memorial day|fourth of july|july 4(?:th)?|new year'?s?(?: eve| day)?|"
    r"christmas|thanksgiving|easter|violent|busy)\b[^.;:]{0,30}?\bshootings\b|"
    r"\b(?:shootings?|shot)\b[^.;:]{0,40}?\b(?:in|within|over) (?:a |the (?:past|last) )?" + _SPAN_N + r"[- ](?:hours?|days?)\b|"
    r"\b\d+[- ]hour (?:span|period|stretch)\b|\bshootings (?:across|around|throughout|citywide)\b|"
    r"\b(?:spate|rash|wave|flurry) of (?:\w+ )?shootings\b|\b(?:separate|several|multiple|unrelated|different) (?:\w+ )?(?:shootings|shooting incidents)\b|"
    r"\bsince (?:\d+(?::\d\d)? ?[ap]\.?m\.?|friday|saturday|sunday)(?: (?:night|evening|afternoon|morning))?\b|"
    r"\b(?:weekend|holiday|overnight)\b[^.;:]{0,30}?\b(?:gunfire|violence)\b|"
    r"\b(?:deadliest|bloodiest|most violent) (?:weekend|day|night|week|month)\b|"
    r"\b(?:gun violence|shootings) citywide\b|"
    r"\bcity shootings\b|\b(?:violent|bloody) (?:night|day|afternoon|evening|weekend)\b|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:night|morning|afternoon|evening))? shootings\b|"
    r"\bshootings (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
# Phrases that name one death without a countable subject.
ONE_KILLED_RX = re.compile(
    r"\b(?:(?i:claim(?:s|ed)?|takes?|took|taken) (?i:the )?(?i:life|lives) of|"
    r"(?:(?i:shooting |stabbing |violent )?(?:death|Death)|(?i:fatal (?:shooting|stabbing))) (?i:of) "
    r"(?:a|an|the|his|her|their|\d+-year-old|[A-Z][a-z]+|(?i:teen|man|woman|boy|girl|child|toddler))\b|"
    r"(?:a|the) body (?:was|has been) found|found (?:a|the) body|"
    r"(?i:(?:man|woman|teen|teenager|boy|girl|child|toddler|person|\d+-year-old)(?:, \d+,)? (?:(?!not |never |nearly |almost )\w+ ){0,3}"
    r"(?:found |was found )?(?:shot,? (?:and )?killed|shot (?:to death|dead)|fatally (?:shot|wounded|stabbed)|killed|slain|dies|died|dead))|"
    r"(?i:(?:shooting|gunshot|stabbing) death)(?!s)|"
    r"(?<![\w-])(?i:fatal|deadly) (?:[A-Z][\w.'-]* ){0,3}(?i:shooting|stabbing)(?!s)|(?i:taken|taking|takes|took) (?i:off life support))\b")
SHOT_RX = re.compile(_START + _COUNT
                     + r"\s+(?:were |have been |are )?shot\b(?!\s+(?:dead|and killed|to death))"
                     # "just one shot was heard", "one shot rang out": a gunshot, not a person shot
                     + r"(?!,?\s+(?:(?:was|were|had been|has been|is|could be|being)\s+)?(?:heard|fired|rang|rung|went|"
                       r"goes|fire[sd]?|hit|struck|came|come|from|that|which|through|into|broke|shattered|pierced)\b)", re.I)
# "Police: 4 hit in shooting", "four people were struck by gunfire": people hit, fate not given
HIT_RX = re.compile(_START + _COUNT
                    + r"\s+(?:were |have been |are |was )?(?:hit|struck)\s+(?:by (?:stray |a |an )?(?:gunfire|bullets?|"
                      r"gunshots?|rounds?)|in (?:[\w.'-]+\s+){0,4}?(?:shooting|gunfire|drive-by))\b", re.I)
# "a shooting that sent five people to the hospital": hurt, fate not given (some may have died there); and "2 critically
# wounded in shooting of five": five shot
HOSPITAL_RX = re.compile(r"\b(?:sent|sends|sending|send)\s+" + _COUNT
                         + r"\s+to\s+(?:the\s+|a\s+|area\s+|local\s+|nearby\s+)?(?:[\w-]+\s+)?hospitals?\b", re.I)
SHOOTING_OF_RX = re.compile(r"\bshooting of " + _COUNT + r"(?!\s+(?:years?|yrs?|y/o|months?|weeks?|days?|hours?|of)\b)(?=[\s,.;:]|$)",
                            re.I)
SPLIT_FATAL = re.compile(r"\b(?P<n>" + _NUM + r")(?: of them| of whom| of the victims)?,? (?:(?:were|was|are|is) )?(?:already )?"
                         r"(?:fatally|died|dead|was killed|were killed|later died)\b", re.I)


@dataclass
class CasualtyFinding:
    """Counts for the main incident plus the spans that support them."""

    killed: int | None = None
    wounded: int | None = None
    perpetrators_killed: int | None = None
    approximate: bool = False
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _number_of(tok: Token) -> tuple[int, bool] | None:
    """The count modifying a noun: its nummod phrase, "a/an/one/the" on a singular, or None."""
    nums = [c for c in tok.children if (c.dep_ in ("nummod", "quantmod") or (c.like_num and c.i < tok.i))
            and not _is_age(c)]
    if nums:
        n = nums[0]
        words = []
        for t in n.subtree:
            if t.lower_ == "of" and words:
                break  # "three of four members": three
            if t.like_num or parse_number(t.text) is not None and t.dep_ != "det":
                words.append(t.text)
        if words:
            val = parse_number(" ".join(words)) or parse_number(words[-1])
            if val:
                return val
    low = tok.lower_
    if low == "another":
        return 1, False
    if low == "family":
        size = next((v for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj" and (v := parse_number(g.text))), None)
        if size:
            return size  # "a family of five was found dead"
    if low in ("they", "them") and any(c.lower_ == "both" for c in tok.children):
        return 2, False  # "They both died of their injuries"
    if low == "old" and tok.i >= 2 and (tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ in ("year", "month", "week")
                                        or tok.doc[tok.i - 1].lower_ in ("year", "month", "week")):
        return 1, False  # "the 5-year-old"
    if low in ("dozens", "scores", "hundreds", "several") or (low in ("one", "two", "three", "four", "five", "six",
                                                                     "seven", "eight", "nine", "ten") or tok.like_num):
        if tok.like_num and _is_age(tok):
            return 1, False  # "Boy, 14, dies": one boy
        return parse_number(low)
    for c in tok.children:
        if c.dep_ == "amod" and c.lower_ in ("several", "multiple"):
            return 3, True
        if c.dep_ == "det":
            if c.lower_ in ("a", "an", "one", "another", "this"):
                return 1, False
            if c.lower_ == "both":
                return 2, False
            if c.lower_ in ("no",):
                return 0, False
            if c.lower_ == "the" and tok.tag_ in ("NN", "NNP"):
                return 1, False
    if tok.tag_ == "NNP" or tok.ent_type_ == "PERSON" or tok.lower_ in PRONOUN_ONE:
        return 1, False
    if tok.tag_ == "NN" and tok.lower_ in PERSON_NOUNS or "year-old" in tok.lower_:
        return 1, False
    return None


def _is_age(num: Token) -> bool:
    """ "a 43 y/o man", "a 25 year old man", "Boy, 14, dies": the number is an age, not a count."""
    nxt = num.doc[num.i + 1:num.i + 4]
    words = [t.lower_ for t in nxt]
    if num.i >= 2 and words[:1] == [","] and num.doc[num.i - 1].text == "," \
            and num.doc[num.i - 2].lower_ in PERSON_NOUNS:
        return True  # "Boy, 14, dies in shooting": the boy's age set off by commas
    age_like = num.text.isdecimal() and 0 < int(num.text) < 110  # (not isdigit: "²" is a digit int() refuses)
    if age_like and num.i >= 2 and num.doc[num.i - 1].text == "," \
            and (num.doc[num.i - 2].ent_type_ == "PERSON" or num.doc[num.i - 2].lower_ in PERSON_NOUNS) \
            and not (nxt and nxt[0].pos_ in ("NOUN", "PROPN", "NUM")):
        return True  # "Calvin Williams, 24 was shot in the chest": an age whose closing comma the writer forgot
    if age_like and num.i >= 1 and words[:1] == [","] and num.doc[num.i - 1].ent_type_ == "PERSON":
        return True  # "Larry Watkins Jr. 26, was also injured": ... or its opening one
    if words[:1] in (["and"], ["-"], ["or"]):
        later = next((t for t in num.doc[num.i + 2:num.i + 4] if t.like_num), None)
        if later is not None and _is_age(later):
            return True  # "a 16 and 17-year-old were shot", "16- and 17-year-old boys"
    return bool(words) and (words[0] in ("y/o", "yo", "y.o.", "yr", "yrs") or words[:3] == ["y", "/", "o"]
                            or words[:2] in (["year", "old"], ["years", "old"])
                            or words[:2] == ["-", "year"])


# What a bullet also hits besides people ("striking a police officer and the police car")
_THINGS_HIT = {"car", "vehicle", "truck", "suv", "van", "bus", "home", "house", "apartment", "building", "window", "door",
               "wall", "windshield", "store", "business", "residence", "cruiser"}


def _count_np(tok: Token) -> tuple[int, bool] | None:
    """Count a patient phrase including coordinations ("a man and a woman" -> 2)."""
    if tok.lower_ in ("nobody", "none") or (tok.lower_ == "one" and any(c.lower_ == "no" for c in tok.children)) \
            or any(c.lower_ == "neither" and c.dep_ in ("preconj", "det", "cc") for c in tok.children):
        return 0, False  # "neither the driver nor the passenger was injured"
    if any(c.lower_ == "either" and c.dep_ == "preconj" for c in tok.children):
        return 1, False  # "either his brother or a friend was dead": one of them
    if any(c.lower_ == "both" and c.dep_ in ("preconj", "det") for c in tok.children) \
            and any(c.dep_ == "conj" for c in tok.children):
        return 2, False  # "Both Bass and his daughter died": two, not both plus the daughter
    first = _number_of(tok)
    if first is None:
        return None
    total, approx = first
    if any(c.dep_ == "cc" and c.lower_ == "or" for c in tok.children):
        return total, approx  # "that gang member or that gang member": one or the other
    # "Dennie Reeves, 66 and Ginger Reeves, 64": the parser hangs the second name on the first one's age
    kids = list(tok.children) + [g for c in tok.children if c.dep_ == "appos" and c.like_num
                                 for g in c.children if g.dep_ == "conj" and g.pos_ == "PROPN"]
    for c in kids:
        if c.dep_ == "conj" and (c.pos_ in ("NOUN", "PROPN", "NUM", "PRON") or c.lower_ == "old" and first[0] == 1) \
                and c.lemma_.lower() not in _THINGS_HIT:  # "an 18-year-old girl and 3-year-old": two
            more = _count_np(c)
            if more:
                total += more[0]
                approx = approx or more[1]
    return total, approx


def _another(tok: Token) -> bool:
    """ "Another man was also shot", "a fourth victim was wounded": someone besides the people already counted
    (a subject only: "a teen accidentally shot another teenage boy" names the one victim; or the subject of a clause
    of its own: "they found another 16-year-old boy who had been shot in the ankle")."""
    told_apart = tok.dep_ in ("nsubj", "nsubjpass") or any(
        c.dep_ in ("relcl", "acl") and c.lemma_.lower() in HURT_VERBS for c in tok.children)
    return told_apart and (tok.lower_ == "another" or any(
        c.dep_ in ("det", "amod") and c.lower_ in ("another", "second", "third", "fourth", "fifth")
        for c in tok.children))


def _summary(tok: Token) -> bool:
    """ "all four", "all of them", "both men": a total of people the sentence has already counted one by one."""
    return any(c.lower_ in ("all", "both") and c.dep_ in ("det", "predet", "nummod", "quantmod", "advmod") for c in tok.children) \
        or tok.lower_ in ("all", "both") and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)


_GROUP_PRONOUNS = {"them", "whom", "those", "these"}
_GROUP_NOUNS = {"victim", "people", "person", "man", "woman", "teen", "teenager", "child"}


def _subset(tok: Token) -> bool:
    """ "including one who ...", "two of them", "one of the victims": some of people counted elsewhere."""
    if tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among"):
        return True
    for c in tok.children:
        if c.dep_ != "prep" or c.lower_ != "of":
            continue
        for g in c.children:
            if g.dep_ == "pobj" and (g.lower_ in _GROUP_PRONOUNS or g.lemma_.lower() in _GROUP_NOUNS and any(
                    d.lower_ in ("the", "those", "these") for d in g.children)):
                return True
    return False


_YEAR = re.compile(r"^" + _YEAR_DIGITS + r"$")


def _is_person(tok: Token) -> bool:
    low = tok.lower_
    if _YEAR.match(low):
        return False  # "High School shooting 2016": a year
    return (low in PERSON_NOUNS or tok.lemma_.lower() in PERSON_NOUNS or tok.ent_type_ in ("PERSON", "NORP")
            or low in PRONOUN_ONE or low in ("they", "them", "nobody", "dozens", "several", "another")
            or tok.like_num
            or tok.pos_ == "PROPN" and any(c.dep_ == "amod" and c.lower_ == "old" for c in tok.children)  # "A Killeen 2-year-old"
            or low == "more" and any(c.dep_ == "nummod" for c in tok.children)  # "two more who were injured"
            # "Raymone West, Brian Dearmond and Marquise McPherson were struck": the first of a list of people
            or tok.pos_ == "PROPN" and any(c.dep_ == "conj" and c.ent_type_ == "PERSON" and any(
                g.dep_ == "compound" and g.ent_type_ == "PERSON" for g in c.children) for c in tok.children)
            or "year-old" in low or low == "old" and tok.i >= 2 and (tok.doc[tok.i - 2].lower_ in ("year", "month")
                                                                     or tok.doc[tok.i - 1].lower_ in ("year", "month")) or parse_number(low) is not None and low not in ("a", "an", "no"))


def _is_perp(tok: Token) -> bool:
    if tok.lemma_.lower() in PERP_NOUNS or tok.lower_ in PERP_NOUNS:
        return True
    for c in tok.children:
        if c.dep_ in ("compound", "amod") and c.lower_ in PERP_NOUNS:
            return True
    # "two of the attackers": the count heads a prep whose object is the attacker noun.
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and (g.lemma_.lower() in PERP_NOUNS or g.lower_ in PERP_NOUNS):
                    return True
    return False


def _patient(pred: Token) -> Token | None:
    """The noun that underwent the predicate (passive subject, object, or subject of 'die'/'is dead')."""
    for c in pred.children:
        if c.dep_ == "nsubjpass":
            return antecedent(c)
    reduced = pred.tag_ == "VBN" and not any(c.dep_ in ("aux", "dobj") for c in pred.children)
    if pred.lemma_ in ("die",) or pred.lower_ == "dead" or pred.lemma_ in ("be",) or reduced:
        for c in pred.children:
            if c.dep_ == "nsubj":
                return antecedent(c)
        if pred.lemma_ == "die" and pred.dep_ == "conj":
            # "he accidentally shot himself and died": the subject is the first verb's
            for c in pred.head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return antecedent(c)
    for c in pred.children:
        if c.dep_ == "dobj":
            if c.lower_ in REFLEXIVE:
                return None
            return c
    for c in pred.children:
        if c.dep_ in ("acomp", "oprd") and c.lower_ == "old" and c.i > pred.i and pred.tag_ in ("VBD", "VBZ"):
            return c  # "Brother accidentally shot 12-year-old", "man kills 4-month-old": the age parsed as a complement
    if pred.tag_ in ("VBZ", "VBD") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in pred.children):
        age = _headline_age(pred)
        if age is not None:
            return age
    for c in pred.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == pred.tag_:
            obj = next((g for g in c.children if g.dep_ == "dobj"), None)
            if obj is not None and obj.lower_ not in REFLEXIVE:
                return obj  # "Stewart shot and killed Jamyha Luss": the object both verbs share
    if pred.tag_ in ("VBD", "VBN") and (pred.dep_ == "ROOT" or pred.dep_ == "ccomp" and pred.i < pred.head.i) \
            and (pred.lemma_ in SHOOT or pred.lemma_ in WOUND):
        # headline passive: "Man shot in leg at training facility", "16-year-old girl accidentally shot",
        # "Teen hospitalized after shooting; suspect sought", "Man shot, police say"
        subj = next((_owner(c) for c in pred.children if c.dep_ == "nsubj"), None)  # "13-year-old's toe grazed"
        if subj is not None and subj.lower_ not in PRONOUN_ONE and not _is_perp(subj) and not any(
                c.dep_ in ("det", "poss") for c in subj.children) and not any(
                c.dep_ in ("ccomp", "xcomp") and c.i > pred.i and c.tag_ != "VBG" for c in pred.children):
            return subj
    if pred.dep_ == "pcomp" and any(c.dep_ == "auxpass" and c.lower_ == "being" for c in pred.children) \
            and pred.head.lower_ in ("after", "before", "from") and pred.head.head.pos_ in ("VERB", "AUX"):
        # "a 10-year-old is recovering after being shot": the one who recovers (the subject nearest the verb:
        # "Winona PD: 20-year-old critical after being shot" has the kicker for a first subject)
        subj = max((c for c in pred.head.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pred.head.head.i),
                   key=lambda c: c.i, default=None) or next(
            (c for c in pred.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return antecedent(subj)
    if pred.dep_ in ("acl", "relcl") and (pred.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM") or pred.head.lower_ == "old") \
            and not any(c.dep_ == "nsubj" for c in pred.children):  # "individuals who shot four people" are agents
        return pred.head
    if pred.dep_ == "conj" and pred.head.pos_ == "VERB":
        if any(c.dep_ == "auxpass" for c in pred.children) and not any(c.dep_ in ("nsubj", "nsubjpass")
                                                                        for c in pred.children):
            # "the three other teens survived but were also hit": a passive of its own, the first verb's subject
            subj = next((c for c in pred.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return antecedent(subj)
        return _patient(pred.head)
    if pred.dep_ == "xcomp" and pred.head.pos_ == "VERB" and pred.head.lemma_.lower() not in _REPORTING:
        return _patient(pred.head)
    return None


def _headline_age(verb: Token) -> Token | None:
    """The age a headline opens with, which the parser hangs on its verb as a modifier: "1-year-old suffers fatal
    gunshot wound" (the age is the subject)."""
    if verb.dep_ != "ROOT":
        return None
    return next((c for c in verb.children if c.dep_ in ("amod", "npadvmod") and c.lower_ == "old" and c.i < verb.i),
                None)


# A hurt person the story marks as someone besides the dead ("another man was also shot", "is in stable condition")
_ALIVE = r"survived?|survives|surviving|non-life|stable|expected to (?:survive|recover|live)|recovering"
_DISTINCT = re.compile(r"\b(?:another|also|second|third|other|others|" + _ALIVE + r"|treated|minor)\b", re.I)
# verbs of carrying someone to a hospital: the one carried is the one hurt
_CARRY = {"take", "transport", "rush", "airlift", "fly", "drive", "bring", "carry"}
_TO_HOSPITAL = _CARRY | {"hospitalize", "treat"}  # "was taken / hospitalized / treated at a hospital"
_DIED_OF_IT = re.compile(r"\b(?:died|dies|dying|succumbed|succumbs)\b[^.;]{0,40}?\b(?:from|of|to) (?:his|her|their|the) "
                         r"(?:injuries|wounds|gunshot wounds?)\b|\b(?:taken|taking|takes|took) off life support\b", re.I)
_WHERE_DIED = re.compile(r"\bwhere (?:\w+ ){1,3}(?:later )?(?:died|was pronounced dead)\b", re.I)
# the hurt of a sentence some of whom died: "where three of the men died", "two of them later died"
_OF_THEM_DIED = re.compile(r"\b(?:\w+ of (?:them|whom|the (?:\w+ )?(?:men|women|victims|people|wounded))|where \w+ of the \w+) "
                           r"(?:(?:later|have|has|had) )?(?:died|succumbed)\b", re.I)
# "were also hit by gunfire": more people shot than the dead of another sentence
_ALSO_HIT = re.compile(r"\b(?:were|was) also (?:hit|shot|struck)\b|^\W*also\b", re.I)  # "Also, an 8-year-old boy was taken"
_UNBORN = re.compile(r"\b(?:unborn|fetus|foetus)\b", re.I)
# ... and one who is alive: shot, not among the dead
_SURVIVING = re.compile(r"\b(?:" + _ALIVE + r"|treated and released|minor injur)", re.I)


_VICTIM_WORDS = {"victim", "boy", "girl", "child", "teen", "teenager", "toddler", "baby", "infant", "youth", "student", "person"}


def _known_person(pat: Token) -> set[str] | None:
    """A person the story has already introduced: a pronoun, "the boy", "the victim" (an empty set), or a name (the
    name's words, to be found among the dead); None for anyone else ("a man")."""
    if pat.pos_ == "PROPN" or pat.ent_type_ == "PERSON":
        return {t.lower_ for t in pat.subtree if t.pos_ == "PROPN"} or None
    if pat.lower_ in PRONOUN_ONE:
        return set()
    if pat.lemma_.lower() in _VICTIM_WORDS and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in pat.children):
        return set()
    ages = _ages(pat.doc[pat.left_edge.i:pat.i + 1].text)
    ages |= {"age:" + c.text for c in pat.children if c.i > pat.i and c.dep_ in ("appos", "nummod") and c.text.isdigit()}
    return ages or None


_AGE = re.compile(r"\b(\d{1,3})-(?:year|yr)-old\b|,\s*(\d{1,3}),")


def _ages(text: str) -> set[str]:
    """The ages a phrase gives ("a 16-year-old boy", "Boy, 14,"), as words to match a person by: an age names
    one person across the sentences of a story ("critically injured a 16-year-old" ... "killed a 16-year-old")."""
    return {"age:" + next(g for g in m.groups() if g) for m in _AGE.finditer(text)}


def antecedent(tok: Token) -> Token:
    """The noun a relative pronoun stands for ("the crisis which exploded": crisis), else the token itself."""
    if tok.lower_ in _REL and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


BODY_PARTS = {"head", "chest", "leg", "legs", "arm", "arms", "hand", "hands", "foot", "feet", "back", "stomach", "abdomen",
              "shoulder", "neck", "face", "thigh", "buttocks", "hip", "side", "torso", "knee", "ankle", "wrist", "eye",
              "jaw", "groin", "lower", "upper", "toe", "toes", "finger", "fingers", "heel", "elbow", "cheek", "ear", "calf",
              "lung", "spine", "pelvis", "hips", "shoulders", "forearm", "butt", "rear", "backside"}


def _owner(tok: Token) -> Token:
    """The person whose body part `tok` is ("13-year-old's toe grazed by bullet": the 13-year-old), else `tok`."""
    if tok.lower_ not in BODY_PARTS:
        return tok
    return next((c for c in tok.children if c.dep_ == "poss" and c.lower_ not in PRONOUN_ONE), tok)


SUFFER = {"suffer", "sustain", "receive"}  # "suffered / sustained / received a gunshot wound"
_SHOTS_WORDS = re.compile(r"\b(?:shots|fired|gunfire|bullets?)\b", re.I)  # "shots were fired ..., striking a child"
_FATAL_WOUND = {"fatal", "deadly", "mortal"}  # "a fatal gunshot wound"
_FIRE = {"fire", "discharge"}  # "fired a gun and hit his two sons"
_PROJECTILES = {"gunfire", "gunshot", "gunshots", "bullet", "bullets", "shrapnel", "round", "rounds", "shot", "shots", "pellets", "buckshot"}


def _with_gunshot_wound(prep: Token) -> bool:
    """ "with gunshot wounds", "with a gunshot wound": a prepositional phrase that says someone was shot."""
    return prep.dep_ == "prep" and prep.lower_ == "with" and any(
        g.lower_ in ("wound", "wounds") and any(a.lower_ in ("gunshot", "gunshots", "bullet", "stab") for a in g.children)
        for g in prep.children)


_PREDICATE_POS = [VERB, AUX, ADJ]


def _predicate_index(doc: Doc) -> list[int]:
    """Positions of the document's tokens that `_predicate_status` can call a casualty predicate (verbs,
    auxiliaries, adjectives, "dead"), read from one array, so no Token object is made for the rest (making one
    per token of every sentence was a tenth of the extraction time)."""
    arr = doc.to_array([POS, LOWER])
    return numpy.nonzero(numpy.isin(arr[:, 0], _PREDICATE_POS) | (arr[:, 1] == doc.vocab.strings["dead"]))[0].tolist()


def _predicate_candidates(sent: Span, index: list[int]) -> list[Token]:
    """The sentence's tokens among `index` (`_predicate_index` of its document), in order."""
    return [sent.doc[i] for i in index[bisect_left(index, sent.start):bisect_left(index, sent.end)]]


def _predicate_status(tok: Token) -> str | None:
    """'killed' / 'wounded' / 'shot' for a casualty predicate token, else None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX", "ADJ") and tok.lower_ != "dead":
        return None
    if tok.tag_ == "VBG" and tok.dep_ in ("amod", "compound"):
        return None
    if tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.i == tok.head.i + 1 and tok.head.pos_ == "PROPN" \
            and not any(c.dep_ == "dobj" for c in tok.children):
        return None  # "Austin shooting kills 1": the shooting in Austin, not Austin shot
    if tok.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("did", "be", "get") for c in tok.children):
        return None  # "dared another to shoot", "will kill": not something that happened
    if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't", "almost", "nearly") and c.dep_ in ("advmod", "neg")
           for c in tok.children):
        return None  # "the girl was not hurt", "no one was killed" is the zero rule's job; "is almost killed"
    if any(c.dep_ == "aux" and c.lower_ in _MODAL for c in tok.children) or tok.dep_ == "conj" and any(
            c.dep_ == "aux" and c.lower_ in _MODAL for c in tok.head.children):
        return None  # "could have killed", "could have hit her in the heart and killed her": did not happen
    if any(c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lower_ in _NOT_VIOLENCE for g in c.children)
           for c in tok.children):
        return None  # "killed in a motorcycle accident", "died of natural causes"
    if lemma in FATAL:
        return "killed"
    if (lemma in WOUND or tok.lower_ in ("wounded", "injured")) and any(
            c.dep_ == "advmod" and c.lower_ in ("fatally", "mortally") for c in tok.children):
        return "killed"  # "fatally injured", "mortally wounded"
    if lemma in _TO_HOSPITAL and any(
            g.lower_ in ("hospital", "hospitals", "center", "centre") for c in tok.children if c.dep_ == "prep"
            for g in c.subtree):
        return "hit_subject"
    if lemma in ("be", "remain", "list") and any(
            c.dep_ == "prep" and c.lower_ == "in" and any(
                g.lower_ == "condition" and any(a.lower_ in ("critical", "serious", "stable", "fair", "grave", "good")
                                                for a in g.children) for g in c.children)
            for c in tok.children):
        return "hit_subject"
    if lemma in ("be", "remain") and any(c.dep_ == "prep" and c.lower_ == "in" and any(
            g.dep_ == "pobj" and g.lower_ == "hospital" for g in c.children) for c in tok.children):
        return "hit_subject"  # "one person is dead and another is in the hospital"
    if lemma == "send" and any(c.dep_ == "dobj" for c in tok.children) and any(
            c.dep_ in ("dative", "prep") and c.lower_ == "to" and any(
            g.lower_ in ("hospital", "hospitals") for g in c.children) for c in tok.children):
        return "shot"  # "sent a teenage girl to the hospital": the one sent is hurt
    if lemma in ("hit", "strike") and tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children) \
            and not any(c.dep_ == "agent" for c in tok.children) and (any(
                c.dep_ == "nsubjpass" and c.tag_ == "NNS" for c in tok.children) or any(
                c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ in BODY_PARTS for g in c.children)
                for c in tok.children)):
        return "shot"  # "Seven people ... were hit", "the second victim was hit in the hand" (not "hit by a car")
    if lemma in ("hit", "strike") and tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > 0 \
            and tok.doc[tok.i - 1].text == "," and _SHOTS_WORDS.search(tok.doc[tok.sent.start:tok.i].text):
        return "shot"  # "several shots were fired into a home ..., striking an 11-year old child in the shoulder"
    if lemma in ("be", "remain") and any(c.dep_ == "acomp" and c.lower_ in ("stable", "critical") for c in tok.children) \
            and any(c.dep_ == "prep" and c.lower_ in ("after", "from") and any(
                g.lower_ in ("shooting", "gunshot", "gunfire", "wound", "wounds") for g in c.children) for c in tok.children):
        return "hit_subject"  # "a boy is stable after accidental shooting"
    if (tok.pos_ == "VERB" or lemma == "be") and lemma not in WOUND and any(
            _with_gunshot_wound(c) or c.dep_ == "prep" and any(_with_gunshot_wound(h) for g in c.children for h in g.children)
            for c in tok.children):
        # "three others showed up at a hospital with gunshot wounds", "was found with a (fatal) gunshot wound",
        # "three more people are at a hospital with gunshot wounds"
        fatal = any(a.lower_ in _FATAL_WOUND for c in tok.children if c.dep_ == "prep" for a in c.subtree)
        return "killed_subject" if fatal else "hit_subject"
    if lemma in SUFFER and any(c.dep_ == "prep" and c.lower_ == "from" and any(
            g.lower_ in ("wound", "wounds", "injuries", "injury") for g in c.children) for c in tok.children):
        return "hit_subject"  # "a man suffering from a gunshot wound"
    if lemma in SUFFER and any(c.dep_ == "dobj" and c.lower_ in ("wound", "wounds", "injuries", "injury")
                                 for c in tok.children):
        if any(c.dep_ == "dobj" and any(a.lower_ in _FATAL_WOUND for a in c.children) for c in tok.children):
            return "killed_subject"  # "suffered a fatal gunshot wound"
        return "hit_subject"
    if tok.lower_ == "dead" and tok.dep_ == "amod" and tok.i > tok.head.i and tok.head.pos_ in ("NOUN", "PROPN"):
        return "killed_amod"  # "found one man dead"
    if tok.lower_ == "dead" and tok.dep_ in ("acomp", "oprd", "xcomp", "advcl", "ccomp", "conj", "amod") and tok.head.pos_ in ("AUX", "VERB"):
        return "killed_dead"
    if lemma in WOUND or tok.lower_ in ("wounded", "injured", "hurt"):
        return "wounded"
    if lemma in SHOOT and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children) and any(
            c.dep_ == "prep" and c.lower_ in ("at", "into", "toward", "towards")
            and all(t.pos_ == "ADV" for t in tok.doc[tok.i + 1:c.i]) for c in tok.children):
        return None  # "shot at the wrong home": no one hit
    if lemma in SHOOT or lemma in ("strike", "hit") and (any(
            c.dep_ == "agent" and any(g.lower_ in _PROJECTILES for g in c.subtree) for c in tok.children) or any(
            c.dep_ == "nsubj" and c.lower_ in _PROJECTILES for c in tok.children) or tok.dep_ == "conj" and not any(
            c.dep_ == "nsubj" for c in tok.children) and any(  # "a bullet entered her home and hit her daughter"
            c.dep_ == "nsubj" and c.lower_ in _PROJECTILES for c in tok.head.children) or tok.tag_ in ("VBZ", "VBD") and (
            tok.dep_ == "conj" and tok.head.lemma_.lower() in _FIRE or any(
                c.dep_ in ("nsubj", "csubj", "conj") and c.lemma_.lower() in _FIRE for c in tok.children)) or tok.tag_ == "VBG"
            and tok.dep_ == "advcl" and (tok.head.lemma_.lower() in _FIRE | SHOOT or any(
                c.dep_ == "dobj" and c.lower_ in ("fire", "shots") for c in tok.head.children))):
        # "struck by gunfire", "a bullet hit her", "accidentally fires gun, hits his two young sons", "shots were
        # fired into a home, striking a child", "opened fire, hitting one victim in both legs"
        for c in tok.children:
            if c.lower_ in ("dead", "fatally", "death") or c.dep_ == "prep" and any(g.lower_ == "death" for g in c.children):
                return "killed"
            if c.dep_ in ("advmod",) and c.lower_ == "fatally":
                return "killed"
        return "shot"
    return None


def _agentive(sent: Span) -> bool:
    """Someone shot or killed someone else here ("shot his wife and three children"): the count is of victims."""
    return any((t.lemma_.lower() in FATAL or t.lemma_.lower() in SHOOT) and any(
        c.dep_ == "dobj" and c.lower_ not in REFLEXIVE | {"self"} for c in t.children)
        for t in sent)


_PERSON_WORD = r"(?:(?:" + "|".join(sorted(PERSON_NOUNS - {"one", "two", "three", "other"}, key=len, reverse=True)) \
    + r")s?|\d+-year-olds?)"
# "wounded an 8-year-old, 2 others", "injures mother, 3 others", "leaves 2-year-old, 3 others shot": one named
# victim and N others are N + 1 hurt
_ONE_AND_OTHERS = r"(?:(?:an?|the|his|her|their)\s+)?(?:[\w-]+\s+){0,2}?" + _PERSON_WORD + r"\s*(?:,|,?\s+and)\s+(?P<n>" \
    + _NUM + r")\s+others\b"
HURT_AND_OTHERS = [
    re.compile(r"\b(?:wound(?:s|ed|ing)?|injur(?:es|ed|ing)|hurt(?:s|ing)?)\s+" + _ONE_AND_OTHERS, re.I),
    re.compile(r"\b(?:left|leaves|leaving|leave)\s+" + _ONE_AND_OTHERS + r"\s+(?:\w+\s+)?(?:shot|wounded|injured|hurt)\b",
               re.I),
]
# Headlines whose count is not the toll: lists of people ("Man, child injured", "Woman, 10-year-old and 6-year-old
# boys killed"), one victim among others ("along with"), a running count ("Third man dies"), a killer counted
# with his victims ("killed his wife, 2 sons, then himself").
_HEAD_LIST = re.compile(r"\b" + _PERSON_WORD + r",\s+(?:and\s+)?(?:\S+\s+){0,2}?" + _PERSON_WORD + r"\b|\b" + _PERSON_WORD
                        + r"\s+(?:and|&)\s+(?:\S+\s+){0,2}?" + _PERSON_WORD + r"\b|\b(?:along with|plus|among)\b|"
                        r"\b(?:second|third|fourth|fifth|sixth|another)\s+(?:\S+\s+)?" + _PERSON_WORD + r"\b|"
                        r"\b(?:then|before|and) (?:killing |shooting |turning the gun on )?(?:himself|herself)\b", re.I)
# Lists of the dead that headlines and leads write with commas, which the parser does not coordinate: "Mother,
# father, toddler dead", "kills wife, son, daughter, then himself", "killed 6-year-old boy, wife, himself".
_LIST_ITEM = (r"(?:(?:his|her|their|a|an|" + _NUM + r")\s+)?(?:(?:young|adult|teenage|infant|baby|little|elderly|"
              r"\d+-year-old|\d+-month-old)\s+)?(?:" + _PERSON_WORD + r"|(?:grand)?parents?|twins|couple)")
_LIST = _LIST_ITEM + r"(?:\s*,\s*(?:and\s+|&\s+)?" + _LIST_ITEM + r")+(?:,?\s+(?:and|&)\s+" + _LIST_ITEM + r")?"
LIST_DEAD = re.compile(r"(?:^|(?<=[:;.]\s))(?P<list>" + _LIST + r")\s+(?:were\s+|are\s+)?(?:found\s+)?(?:shot\s+)?"
                       r"(?:dead|killed|slain|shot to death|fatally shot)\b", re.I)
LIST_KILLED = re.compile(r"\b(?:kills|killed|killing|slays|slew|fatally shoots|fatally shot|shoots and kills|"
                         r"shot and killed|(?:fatal shooting|shooting deaths?|deaths|killings?|murders?) of)\s+(?P<list>" + _LIST + r")(?P<self>,?\s+(?:and\s+)?(?:then\s+)?(?:himself|herself))?",
                         re.I)
# ... and lists of the hurt: "Police: 4 adults, 1 child shot in Evanston", "2 girls, 2 men shot at birthday party".
LIST_HURT = re.compile(r"(?:^|(?<=[:;.]\s))(?P<list>" + _LIST + r")\s+(?:were\s+|are\s+)?(?:all\s+)?"
                       r"(?P<how>shot|wounded|injured|hurt)\b(?!\s*(?:,\s*|and\s+)?(?:dead|to death|killed|fatally))", re.I)
_PERP_WORD = re.compile(r"\b(?:suspects?|gunm[ae]n|shooters?|attackers?|assailants?|militants?|robbers?|intruders?)\b",
                        re.I)
# Deaths counted by a word: "a triple homicide", "double murder-suicide"; "third person dies", "4th victim dies".
MULTIPLE_DEATHS = re.compile(r"\b(?P<m>double|triple|quadruple|quintuple)[- ](?:homicide|murder|slaying|killing|fatal shooting)s?\b",
                             re.I)
# "a triple shooting": three people shot, fate not given ("double fatal shooting" is MULTIPLE_DEATHS)
MULTIPLE_SHOT = re.compile(r"\b(?P<m>double|triple|quadruple|quintuple)[- ](?:non-?fatal )?shootings?\b", re.I)
ORDINAL_DEATH = re.compile(r"\b(?P<o>second|third|fourth|fifth|sixth|seventh|2nd|3rd|4th|5th|6th|7th)\s+(?:[\w-]+\s+)?"
                           r"(?:person|victim|man|woman|child|teen|teenager|boy|girl|officer|student|family member|"
                           r"member|resident)(?:\s+of\s+[^.;:]{1,60}?)?\s+(?:has\s+)?(?:dies|died|dead|killed|succumbs|"
                           r"succumbed|passes away|passed away)\b", re.I)
# "Three men shot, a fourth wounded by shrapnel", "a fourth victim was grazed by a bullet": the victims number four
ORDINAL_HURT = re.compile(r"\b(?:a|the)\s+(?P<o>second|third|fourth|fifth|sixth|seventh)(?:\s+\d+-year-old)?"
                          r"(?:\s+(?:person|victim|man|woman|child|teen|teenager|boy|girl|bystander))?\s+(?:was\s+|is\s+)?"
                          r"(?:also\s+)?(?:wounded|grazed|injured|hurt|shot|struck|hit)\b(?!\s+(?:and\s+)?(?:killed|dead))", re.I)
_MULTIPLE = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
_ORDINAL = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "2nd": 2, "3rd": 3, "4th": 4,
            "5th": 5, "6th": 6, "7th": 7}
_PAIRS = {"parents", "twins", "couple", "grandparents"}
_IRREGULAR_PLURALS = {"children", "men", "women", "people", "police", "policemen", "gunmen"}


# A murder-suicide told in the sentence that counts the people shot: they died ("shot his two young children before
# turning a gun on himself", "before shooting his two children, Henry Jr. and Aleah, and then himself")
_KILLER_SELF = re.compile(r"murder-suicide|murder suicide|\b(?:before|then|and then) (?:killing|shooting|turn(?:ing|ed|s) "
                          + _GUN_ON + r") (?:himself|herself)|\b(?:before|then) shooting\b.{0,80}?,? and then (?:himself|herself)\b",
                          re.I)
_GENERIC_TIME = re.compile(r"\b(?:any ?time|whenever|every time|each time)\b", re.I)
_BARE_AGE = re.compile(r"\d+-(?:year|month)-old$", re.I)


def _list_count(items: str) -> int | None:
    """How many people a comma list names ("his wife, 2 sons" -> 3); None when a bare plural leaves it open."""
    total = 0
    prev: list[str] = []
    for item in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", items):
        words = item.split()
        if not words:
            continue
        if len(words) == 1 and _BARE_AGE.match(words[0]) and len(prev) == 2 and prev[0].lower() in ("his", "her", "their"):
            continue  # "killed his friend, 63-year-old Daniel Caron": the friend's age, before his name
        prev = words
        n = parse_number(words[0]) if words[0].lower() not in ("a", "an", "his", "her", "their") else None
        if n:
            total += n[0]
        elif words[-1].lower() in _PAIRS:
            total += 2
        elif words[-1].lower() in _IRREGULAR_PLURALS or words[-1].lower().endswith("s") and not words[-1].lower().endswith("ss"):
            return None  # "children": how many?
        else:
            total += 1
    return total


# A headline that names or hints at a death.
DEATH_WORDS = re.compile(r"\b(?:kill\w*|dead|deadly|die[sd]?|dying|death|fatal\w*|slain|slay\w*|murder\w*|homicide|"
                         r"suicide|lifeless|body|bodies|himself|herself|themselves|self)\b", re.I)
# The headline's victim has died since: "he was pronounced dead", "the teen died Thursday evening".
DIED = re.compile(r"\b(?:died|dies|pronounced dead|succumbed|passed away)\b", re.I)
# A headline that says the victims' fate is not known yet.
NO_DEATH_YET = re.compile(r"\b(?:critical|life-threatening|grave|fighting for (?:his|her|their) li(?:fe|ves)|on life support)\b", re.I)
REVISED = re.compile(r"\b(?:rose|risen|rises|climbed|climbs|increased|jumped|grew|now|updated?|later died|has died|"
                     r"have died|succumbed)\b", re.I)


def extract_casualties(sents: list[Span], headline_end: int = 0, text: str | None = None) -> CasualtyFinding:
    """Casualties of the main incident from its sentences (title first, background already removed).

    A headline that gives a figure ("Five wounded in Austin shooting") names the main incident's toll; a larger
    figure further down is usually a round-up or another incident ("on the same block where six more people
    have been wounded since last weekend"), unless it is a revision ("the toll rose to", "later died"). A round-up
    of several shootings in its headline or first sentence gives no figure at all (see ROUND_UP).
    `text` is the document's text when the caller has it (Doc.text is rebuilt on every access)."""
    if not sents:
        return CasualtyFinding()
    text = sents[0].doc.text if text is None else text
    if is_round_up(sents[0].doc, headline_end, text):
        return CasualtyFinding()
    first = _first_body_sentence(sents, headline_end)
    sents = [s for s in sents if s.start_char < headline_end or s is first
             or not ROUND_UP.search(text[s.start_char:s.end_char])]
    out = _casualties(sents, text)
    head = [s for s in sents if s.start_char < headline_end]
    if not head or len(head) == len(sents):
        return out
    head_text = " ".join(text[s.start_char:s.end_char] for s in head)
    if _HEAD_LIST.search(head_text):
        return out  # "Man, child injured", "2 teens, man wounded": telegraphic lists the parser undercounts
    top = _casualties(head, text)
    if top.approximate:
        return out  # "Several people shot"
    if top.wounded and top.killed is None and not top.perpetrators_killed and not NO_DEATH_YET.search(head_text) \
            and not DEATH_WORDS.search(head_text) and not MULTIPLE_SHOT.search(head_text):
        # "Four men shot near Kingsessing Park" (not "Man sentenced in quadruple shooting", which gives no fate): a
        # headline leads with any death, so a death further down the story
        # is another incident's, unless the lead tells it (an old headline over an updated story) or it is news
        # of a victim who died since ("later died", "was pronounced dead", "the toll rose"). Its sentence is
        # dropped and the rest counted again.
        lead = [s.start_char for s in sents if s.start_char >= headline_end][:2]  # the body's first two (in order)
        kept = list(sents)
        for _ in range(3):
            span = out.spans.get("casualties.killed")
            if not out.killed or span is None or span[0] < headline_end or span[0] in lead:
                break
            said = text[span[0]:span[1]]
            if REVISED.search(said) or DIED.search(said):  # DIED covers every LATER_DIED phrase
                break
            kept = [s for s in kept if s.start_char != span[0]]
            out = _casualties(kept, text)
    for attr in ("wounded", "killed"):
        h, v = getattr(top, attr), getattr(out, attr)
        span = out.spans.get(f"casualties.{attr}")
        # "killed four people and injured four others" under "Child injured in deadly shootings": a sentence that
        # gives the whole toll, dead and hurt, where the headline counts no dead, is the incident's toll
        whole_toll = attr == "wounded" and top.killed is None and out.killed and span == out.spans.get("casualties.killed")
        # one victim in the headline ("4-year-old girl shot in leg") may be the notable one of two
        if h and v is not None and v > (2 if h == 1 else h) and span is not None and span[0] >= headline_end \
                and not REVISED.search(text[span[0]:span[1]]) and not whole_toll:
            setattr(out, attr, h)
            out.spans[f"casualties.{attr}"] = top.spans.get(f"casualties.{attr}", span)
    return out


def _first_body_sentence(sents: Iterable[Span], headline_end: int) -> Span | None:
    """The lead: the first sentence after the headline that is not blank."""
    return next((s for s in sents if s.start_char >= headline_end and s.text.strip()), None)


def is_round_up(doc: Doc, headline_end: int, text: str | None = None) -> bool:
    """Whether the headline or the first sentence of the body sum up several shootings (see ROUND_UP)."""
    first = _first_body_sentence(doc.sents, headline_end)
    lead = (doc.text if text is None else text)[:headline_end] + " " + (first.text if first is not None else "")
    return bool(ROUND_UP.search(lead))


def _the_one(tok: Token) -> bool:
    """ "the child", "the girl": a victim already introduced, singular."""
    return tok.tag_ == "NN" and tok.lower_ in _VICTIM_WORDS and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) \
        and not any(c.lower_ in ("other", "second", "third") for c in tok.children)


def _elsewhere_before(pred: Token) -> bool:
    """ "a block away from where a 16-year-old had been shot an hour earlier": another shooting, told in passing."""
    kids = list(pred.children)
    return any(c.lower_ == "had" and c.dep_ == "aux" for c in kids) and any(c.lower_ == "where" for c in kids) \
        and pred.dep_ in ("pcomp", "advcl", "relcl")


def _casualties(sents: list[Span], doc_text: str) -> CasualtyFinding:
    """The counts the sentences give; `doc_text` is their document's text (a span's own text is rebuilt token by
    token)."""
    out = CasualtyFinding()
    killed_max: tuple[int, Span | None] = (-1, None)
    wounded_max: tuple[int, Span | None] = (-1, None)
    hit_max: tuple[int, Span | None] = (-1, None)
    perp_max = -1
    perp_sent: Span | None = None
    perp_named = False  # a killed attacker named as such ("the gunman was shot dead"), not only "killed himself"
    murder = False
    later_died = 0
    killed_obj = 0  # of the largest count of the dead, how many were named as someone's victims ("killed his wife")
    distinct_hurt = 0  # most people hurt in a sentence that does not just name someone already introduced
    named_hurt: list[tuple[int, set[str], int]] = []  # ... and those that name one: (count, the name's words, sentence)
    hurt_names: dict[int, set[str]] = {}  # the name or age of the one person hurt, by the sentence's start
    dead_beside_hurt = 0
    dead_names: list[tuple[set[str], int]] = []  # words of names in the sentences that count the dead
    dead_by_reference = True  # every sentence that counts the dead names them only as "he" or "the teen"
    zero_w = zero_k = False
    ordinal_hurt = 0
    most_hurt = 0  # the most people hurt that any one sentence counts
    hurt_apart = False  # a sentence of someone hurt tells them apart ("another", "in stable condition")
    also_hurt = 0  # people a sentence says were "also shot" ("his granddaughter was also shot in the ankle")
    first_hurt = 0  # the most people hurt that a sentence without "also" counts
    died_of_it = False  # a death told as the end of an injury ("died from her injuries", "taken off life support")
    index = _predicate_index(sents[0].doc) if sents else []
    for si, sent in enumerate(sents):
        text = doc_text[sent.start_char:sent.end_char]
        if _GENERIC_TIME.search(text):
            continue  # "any time one of our students is hurt or passes away": no one in particular
        nth = ORDINAL_HURT.search(text)
        if nth:
            ordinal_hurt = max(ordinal_hurt, _ORDINAL[nth.group("o").lower()])
        patients: dict[int | str, tuple[Token, set[str]]] = {}
        orphan_death = False
        carried = False
        for tok in _predicate_candidates(sent, index):
            status = _predicate_status(tok)
            if status is None or _elsewhere_before(tok):
                continue
            if status == "killed_amod":
                pat = tok.head
                status = "killed"
            elif status == "killed_dead":
                head = tok.head
                pat = None
                for c in list(tok.children) + list(head.children):
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.i != tok.i:
                        pat = antecedent(c)
                        break
                if pat is None and head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN"):
                    pat = head.head  # "the identities of two people found dead"
                if pat is None and head.dep_ == "conj" and head.head.lemma_.lower() in HURT_VERBS:
                    # "the man was shot in the head and was pronounced dead": the subject of the first verb
                    pat = next((antecedent(c) for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                status = "killed"
            elif status in ("hit_subject", "killed_subject"):
                # "was taken to a hospital", "is in critical condition", "suffered a gunshot wound"
                pat = next((antecedent(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                if obj is not None and tok.lemma_.lower() in _CARRY:
                    pat = antecedent(obj)  # "her mother took her to a hospital": the one taken, not the mother
                    carried = True
                if pat is None and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                    pat = tok.head  # "found a man suffering from a gunshot wound"
                if pat is None and tok.dep_ == "conj":
                    pat = next((antecedent(c) for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if pat is None:
                    pat = _headline_age(tok)
                status = "killed" if status == "killed_subject" else "shot"
            else:
                pat = _patient(tok)
            if pat is not None:
                pat = _owner(pat)
            if pat is None or not _is_person(pat):
                if status == "killed" and tok.lemma_.lower() == "die" and tok.tag_ in ("VBD", "VBZ", "VBN"):
                    orphan_death = True  # "...but died from his injuries later": someone died
                continue
            # "the gunman killed himself" style reflexives are handled by regex below.
            # a name twice is one person ("Hess was shot when the gun fired, striking Hess in the cheek")
            entry = patients.setdefault(pat.lower_ if pat.pos_ == "PROPN" else pat.i, (pat, set()))
            entry[1].add(status)
        k_s = w_s = h_s = p_s = 0
        k_dep = 0
        k_sub = 0  # the dead named as some of the people counted ("eight people shot, including Goens, who was killed")
        k_bare = 0  # the dead counted by a bare number ("seven people were shot, with six confirmed dead")
        k_obj = 0  # the dead named as what someone killed ("shot his daughter"): not the killer himself
        k_the_one = False  # the dead is "the victim", "the boy": someone the sentence already introduced
        k_ref = 0  # the dead named only by a pronoun or as "the teen": someone introduced before
        pronoun_patient = False
        approx = False
        named_status = set().union(*(st for p, st in patients.values() if p.lower_ not in PRONOUN_ONE))
        named = any(p.lower_ not in PRONOUN_ONE for p, _ in patients.values())
        pronoun_counted = False
        summary: dict[str, int] = {}
        w_dep = h_dep = 0  # hurt counted from named people ("a girl was grazed, and a man was shot"), not numbers
        hurt_pats: list[Token] = []
        # "injured four men: a 50-year-old who was shot in the chest; a 46-year-old ...": the colon's list names
        # the four one by one
        colon = next((t.i for t in sent if t.text == ":"), None)
        group = 0 if colon is None else max(
            [(_count_np(p) or (0, False))[0] for p, _ in patients.values() if p.i < colon], default=0)
        for pat, statuses in patients.values():
            is_pronoun = pat.lower_ in PRONOUN_ONE
            pronoun_patient = pronoun_patient or is_pronoun
            if is_pronoun and (named or pronoun_counted) and (not statuses & {"killed"} or "killed" in named_status):
                # "a girl is in critical condition after he shot her", "he was taken to a hospital after his
                # friend shot him", "a pregnant teen is dead after she was shot to death": one person
                continue
            pronoun_counted = pronoun_counted or is_pronoun
            cnt = _count_np(pat)
            if cnt is None:
                continue
            n, ap = cnt
            if group >= 2 and pat.i > colon and n <= group:  # (group > 0 only when there is a colon)
                continue
            approx = approx or ap
            if _subset(pat) and "killed" not in statuses:
                continue  # "five people were shot, including one who suffered critical injuries": among the five
            if _summary(pat) and not _is_perp(pat):
                # "one was shot in the arm, two in the torso ...; all four were taken to hospital": the total
                key = "killed" if "killed" in statuses else ("wounded" if "wounded" in statuses else "hit")
                summary[key] = max(summary.get(key, 0), n)
                continue
            if "killed" in statuses:
                if _is_perp(pat):
                    p_s += n
                    perp_named = True
                else:
                    k_s += n
                    k_dep += n
                    k_sub += n if _subset(pat) else 0
                    k_bare += n if pat.pos_ == "NUM" and pat.dep_ != "nummod" else 0
                    k_obj += n if pat.dep_ == "dobj" or pat.lower_ == "old" and pat.dep_ in ("acomp", "oprd") else 0
                    the_one = _the_one(pat)
                    k_the_one = k_the_one or the_one
                    k_ref += n if is_pronoun or the_one else 0
            elif _is_perp(pat):
                continue  # a wounded attacker is not a victim count
            elif _the_one(pat) and (k_dep or any(_the_one(h) or h.lemma_ == pat.lemma_ for h in hurt_pats)):
                # "the child" again: the dead one ("was shot and killed ... when a gun discharged and shot the boy in
                # the head"), or the one hurt ("the child had been struck in the neck, but ... the girl was hit")
                continue
            elif "wounded" in statuses or _another(pat):
                # "another 16-year-old boy who had been shot in the ankle": not one of the dead
                w_s += n
                w_dep += n if pat.pos_ != "NUM" else 0
                hurt_pats.append(pat)
            else:
                h_s += n
                h_dep += n if pat.pos_ != "NUM" else 0
                hurt_pats.append(pat)
        k_s, k_dep = max(k_s, summary.get("killed", 0)), max(k_dep, summary.get("killed", 0))
        w_s, h_s = max(w_s, summary.get("wounded", 0)), max(h_s, summary.get("hit", 0))
        for rx in KILLED_RX:
            for m in rx.finditer(text):
                v = parse_number(m.group("n"))
                if v and not _PERP_WORD.search(m.group(0)):
                    k_s = max(k_s, v[0])
                    approx = approx or v[1]
                    if rx is KILLED_RX[1]:
                        k_obj = max(k_obj, v[0])  # "killing two people": the victims
        for rx in (LIST_DEAD, LIST_KILLED):
            for m in rx.finditer(text):
                v = _list_count(m.group("list"))
                if v and v >= 2 and v > k_s:
                    k_s = v
                    if rx is LIST_KILLED:
                        k_obj = max(k_obj, v)  # "kills wife, son, daughter": his victims
                        if m.group("self"):
                            p_s = max(p_s, 1)  # "..., then himself"
                            murder = True
        for m in LIST_HURT.finditer(text):
            if _PERP_WORD.search(m.group("list")):
                continue  # "Officer, suspect injured": a wounded attacker is not a victim count
            v = _list_count(m.group("list"))
            if v and v >= 2 and v > h_s + w_s:
                if m.group("how").lower() == "shot":
                    h_s = v
                else:
                    w_s, h_s = v, 0
        multiple = MULTIPLE_DEATHS.search(text)
        if multiple:
            n_dead = _MULTIPLE[multiple.group("m").lower()]
            k_s, k_obj = max(k_s, n_dead), max(k_obj, n_dead)  # a double murder-suicide: two victims (and the killer)
        ordinal = ORDINAL_DEATH.search(text)
        if ordinal:
            k_s = max(k_s, _ORDINAL[ordinal.group("o").lower()])
        if not k_s and not p_s and (orphan_death or ONE_KILLED_RX.search(text)) and not NOT_VIOLENCE_RX.search(text):
            k_s = 1
            if orphan_death and w_s + h_s == 1:
                w_s = h_s = 0  # "Man wounded in shooting dies": the one hurt is the one who died
            elif h_s == 1:
                h_s = 0  # "Boy shot, killed brother", "toddler shot, killed": the one shot is the one who died
        if k_s and k_s <= 3 and LATER_DIED.search(text) and not KILLED_RX[0].search(text):
            # "he was taken to a hospital, where he later died"; not a toll that "rose to 11 after two of the
            # injured died in hospital" (how many of the wounded died is not said there)
            later_died = max(later_died, k_s)
        if not k_s and w_dep and h_dep and (w_s, h_s) == (w_dep, h_dep):
            w_s, h_s = w_s + h_s, 0  # "a 7-year-old girl was grazed by a bullet, and a man was shot in the leg": two
        for m in [*SHOT_RX.finditer(text), *HIT_RX.finditer(text), *HOSPITAL_RX.finditer(text),
                  *SHOOTING_OF_RX.finditer(text)]:
            v = parse_number(m.group("n"))
            if v and v[0] > h_s + w_s + k_dep:
                if w_s:
                    w_s, h_s = v[0] - k_dep, 0  # "2 critically wounded in shooting of five": the other three too
                else:
                    h_s = v[0] - k_dep
        for rx in WOUNDED_RX:
            for m in rx.finditer(text):
                v = parse_number(m.group("n"))
                if v:
                    w_s = max(w_s, v[0])
        for rx in HURT_AND_OTHERS:
            for m in rx.finditer(text):
                v = parse_number(m.group("n"))
                if v and not _PERP_WORD.search(m.group(0)):
                    w_s = max(w_s, v[0] + 1)
        split = SPLIT_FATAL.search(text)
        if split and not h_s and not re.search(r"\bof (?:them|whom|the victims)|\bfatally", split.group(0), re.I):
            split = None  # "3 hurt, 1 dead": the dead are not among the hurt (they are among those "shot")
        if split and (h_s or w_s):
            v = parse_number(split.group("n"))
            total = max(h_s, w_s)
            if v and v[0] < total:
                k_s = max(k_s, v[0])
                w_s = total - v[0]
                h_s = 0
        if h_s and not k_s and not DIED.search(text) and _SURVIVING.search(text):
            # "the woman's boyfriend was also shot in his leg and is expected to recover": shot and alive, so
            # wounded, not one of the dead of another sentence
            w_s, h_s = max(w_s, h_s), 0
        everyone = summary.get("hit", 0)  # "all five men were shot, Mackey and Haywood died": the dead among the five
        if not everyone and carried and _WHERE_DIED.search(text):
            everyone = h_s  # "medics took the child and the woman to a hospital, where the boy died"
        if not everyone and _OF_THEM_DIED.search(text):
            everyone = summary.get("wounded", 0)  # "all five of the wounded were rushed to hospitals, where three died"
        dead_out = bool(everyone and k_s and everyone > k_s and max(h_s, w_s) == everyone)
        if dead_out:
            w_s, h_s = everyone - k_s, 0
        if h_s and k_s and h_s > k_s and (not k_dep or k_dep == k_bare and h_dep == h_s or k_sub == k_dep):
            # "Four people shot, two dead", "seven people were shot, with six confirmed dead": the dead are among
            # those shot (not when a count of the hospitalised already left out the dead)
            w_s = max(w_s, h_s - k_s)
            h_s = 0
        if h_s and k_s and w_s and h_s == k_s + w_s:
            # "shooting 5 people ...; four people are dead and one is critically injured": the five shot are the
            # dead and the hurt, told apart
            h_s = 0
        multi_shot = MULTIPLE_SHOT.search(text)
        if multi_shot:
            n_shot = _MULTIPLE[multi_shot.group("m").lower()]  # everyone shot, the dead among them
            if k_s and n_shot > k_s + w_s:
                w_s, h_s = n_shot - k_s, 0
            elif not k_s:
                h_s = max(h_s, n_shot)
        if h_s and _KILLER_SELF.search(text):
            k_s = max(k_s, h_s)  # in a murder-suicide the people shot died
            h_s = 0
        if k_s and h_s:
            # "a man was killed and a woman was shot": the shot one survived; but "shot a teen, killing him"
            # names one victim twice.
            # nor "he shot his friend ... now that the victim has died": the victim is the friend
            if not pronoun_patient and not any(t.tag_ == "VBG" and t.lemma_.lower() in FATAL for t in sent) \
                    and not (k_the_one and k_s == 1 and h_s == 1):
                w_s += h_s
            h_s = 0
        self_killed = SELF_KILLED.search(text)
        accidental = re.search(r"\baccidental", text, re.I)
        if self_killed and accidental and not k_s:
            k_s = 1  # "the toddler accidentally shot and killed himself": a victim's death, not a killer's
        elif self_killed and not accidental:
            p_s = max(p_s, 1)
            if THEN_SELF.search(text) and k_s:
                murder = True  # the dead counted before were his victims
            elif k_s > k_obj:
                # "a man and his daughter were found dead in a murder-suicide": the two dead include the killer
                k_s = max(k_obj, k_s - 1)
        elif SELF_WOUNDED.search(text) and not k_s:
            h_s = max(h_s, 1)  # self-inflicted wound, usually an accident: one person hurt
        if COMMITTED_SUICIDE.search(text) and not self_killed:
            p_s = max(p_s, 1)  # "two boys killed, father commits suicide": the killer died too, not one of the two
            murder = murder or k_s > 0
        pair = TOLL_PAIR.search(text)
        if pair:
            pk, pw = parse_number(pair.group("k")), parse_number(pair.group("w"))
            if pk and pw:
                k_s, w_s, h_s = pk[0], pw[0], 0
        split_shot = SHOT_SPLIT.search(text)
        if split_shot and not pair:
            sh, sk = parse_number(split_shot.group("h")), parse_number(split_shot.group("k"))
            if sh and sk and sk[0] <= sh[0]:
                k_s, w_s, h_s = sk[0], sh[0] - sk[0], 0
        murder = murder or bool(MURDER_SUICIDE.search(text)) or k_obj > 0  # "killing two policemen": others died
        if ZERO_WOUNDED.search(text):
            zero_w = True
        if ZERO_KILLED.search(text):
            zero_k = True
        out.approximate = out.approximate or approx
        most_hurt = max(most_hurt, w_s, h_s)
        if not k_s and (w_s or h_s):
            if _ALSO_HIT.search(text):
                also_hurt = max(also_hurt, w_s + h_s)
            else:
                first_hurt = max(first_hurt, w_s, h_s)
        died_of_it = died_of_it or bool(k_s == 1 and _DIED_OF_IT.search(text))
        told_apart = bool((w_s or h_s) and _DISTINCT.search(text))  # "another", "in stable condition"
        hurt_apart = hurt_apart or told_apart
        known = _known_person(hurt_pats[0]) if len(hurt_pats) == 1 and w_s + h_s == 1 else None
        if known:
            hurt_names[sent.start] = known
        if known is None or told_apart:
            distinct_hurt = max(distinct_hurt, w_s, h_s)
        elif known:
            named_hurt.append((w_s + h_s, known, si))
        if k_s:
            ages = _ages(text)  # one age in the sentence is the dead one's ("12-year-old dies; 3-year-old stable")
            dead_names.append(({t.lower_ for t in sent if t.pos_ == "PROPN"} | (ages if len(ages) == 1 else set()), si))
        if k_s > killed_max[0] and k_s > 0:
            killed_max = (k_s, sent)
            killed_obj = k_obj
        if k_s > 0:
            dead_by_reference = dead_by_reference and k_ref >= k_s
        if w_s > wounded_max[0] and w_s > 0:
            wounded_max = (w_s, sent)
            # "a girl has died and her mother remains in the hospital": the hurt are not the dead (but "both were taken to
            # the hospital, where the child later died" counts the dead among the hurt)
            dead_beside_hurt = 0 if LATER_DIED.search(text) and not dead_out else k_s
        if h_s > hit_max[0] and h_s > 0:
            hit_max = (h_s, sent)
        if p_s > perp_max:
            perp_max, perp_sent = p_s, sent
    if perp_max > 0 and not perp_named and not murder:
        # "a 10-year-old boy fatally shot himself", "he took his own life": one death, no one else's killer
        if killed_max[0] < 1:
            killed_max = (1, perp_sent)
        perp_max = 0
    if 0 < perp_max < killed_max[0] and not killed_obj and killed_max[1] is not perp_sent \
            and not _agentive(killed_max[1]):
        # "five people dead, including the gunman", "two adults and three children were found dead" in a story of a
        # gunman who killed himself: a count of everyone who died, the killer among them
        killed_max = (killed_max[0] - perp_max, killed_max[1])
    if 0 < killed_max[0] <= perp_max and perp_named and dead_by_reference:
        # "the officers fired back, fatally wounding the suspect ... he died of multiple gunshot wounds", "his father
        # returned fire, killing the teen" (the intruder): the dead told of by reference are the attackers killed
        killed_max = (0, None)
    if killed_max[0] > 0:
        out.killed = killed_max[0]
        assert killed_max[1] is not None
        out.spans["casualties.killed"] = (killed_max[1].start_char, killed_max[1].end_char)
    elif zero_k:
        out.killed = 0
    if wounded_max[0] > 0:
        out.wounded = wounded_max[0]
        assert wounded_max[1] is not None
        out.spans["casualties.wounded"] = (wounded_max[1].start_char, wounded_max[1].end_char)
    if hit_max[0] > 0:
        # People "shot" with no fate given: those not counted among the dead were wounded.
        # the dead, the killer among them; not when the shot are told apart from the dead in a sentence of their own
        # ("a 15-year-old and a 69-year-old ... were also hit by gunfire")
        # or "the 14-year-old was taken to the hospital" in a story of the 19-year-old's death
        hurt_age = {w for w in hurt_names.get(hit_max[1].start, ()) if w.startswith("age:")}
        aged_apart = hurt_age and any(w.startswith("age:") for dead, _ in dead_names for w in dead) \
            and not any(dead & hurt_age for dead, _ in dead_names)
        # or the dead is the unborn child of the woman shot ("a pregnant woman was shot ... the unborn child was killed")
        unborn = killed_max[1] is not None and _UNBORN.search(killed_max[1].text)
        apart = hit_max[1] is not killed_max[1] and (_ALSO_HIT.search(hit_max[1].text) or unborn or aged_apart)
        extra = hit_max[0] - (0 if apart else out.killed or 0) - max(0, perp_max)
        if extra > (out.wounded or 0):
            out.wounded = extra
            assert hit_max[1] is not None
            out.spans["casualties.wounded"] = (hit_max[1].start_char, hit_max[1].end_char)
    if later_died and out.wounded and killed_max[1] is not None and wounded_max[1] is not None \
            and wounded_max[1] is not killed_max[1] and not (hit_max[1] is killed_max[1]) \
            and not _DISTINCT.search(wounded_max[1].text) and not dead_beside_hurt:
        # counted hurt in one sentence, died of it in another: not also wounded (unless the hurt are told apart from
        # the dead: "two others were wounded", "is in stable condition")
        out.wounded = max(0, out.wounded - later_died)
    # a name hurt in one sentence and counted among the dead in another is one of the dead
    distinct_hurt = max([distinct_hurt] + [n for n, names, si in named_hurt
                                           if not any(names & dead and sj != si for dead, sj in dead_names)])
    if out.killed == 1 and out.wounded == 1 and died_of_it and most_hurt <= 1 and not hurt_apart:
        # "Maleah Williams was injured when shots were fired" in a story whose one death is "the girl has died from
        # her injuries" (or "was taken off life support"): one person, hurt and then dead, whatever the names
        distinct_hurt = 0
    if out.killed and out.wounded == 1 and not distinct_hurt:
        # "Felder was wounded in the head" in a story of Felder's death: the one hurt is the one who died
        out.wounded = None
        out.spans.pop("casualties.wounded", None)
    if also_hurt == 1 and most_hurt == 1 and not out.killed and first_hurt + also_hurt > (out.wounded or 0):
        # "Law enforcement officials say Henry Jackson was shot one time. The Jacksons' 5-year-old granddaughter was
        # also shot": one person, then one more (not where any sentence counts several: "four shot ... a woman was
        # also shot" is among the four)
        out.wounded = first_hurt + also_hurt
    if ordinal_hurt and ordinal_hurt - (out.killed or 0) > (out.wounded or 0):
        out.wounded = ordinal_hurt - (out.killed or 0)  # the n-th victim hurt: the rest of the n are the dead
    if out.wounded is None and zero_w:
        out.wounded = 0
    if out.killed is None and out.wounded is not None and zero_k:
        out.killed = 0
    if perp_max > 0:
        out.perpetrators_killed = perp_max
    return out
