"""EventExtractor: one article in, one Event out, describing the main incident the article reports.

Order of work (each step a small function):
 1. text for spaCy: headline (its site name dropped, told as a sentence: headlines.as_sentence) + blank line +
    body, truecased when the copy is all capitals;
 2. sentences classed as headline / dateline / incident (a violent trigger) / background (an earlier
    attack, a yearly total, an anniversary) / other-incident (after "in a separate attack", "elsewhere");
 3. the main incident's sentences = headline and body up to the first other-incident marker, minus background;
 4. date, casualties, place, perpetrators, targets, type and tactics from those sentences only;
 5. is_incident: a realis violent trigger in the headline or lead, not a court/policy/commemoration piece.
Fields are filled whenever the article names a violent act (so a follow-up story still carries the
incident's place and toll), but only `is_incident` says the article reports a concrete incident.

is_incident needs: a violent act told as having happened (past tense, or a headline's present; not modal, negated,
quoted, in the first person, denied, a crash or a natural disaster) in the headline or the first three sentences (a
shooting nobody meant is one, flagged with the tactic "accidental" for rules that want only attacks); not done by the state's own
forces (police/army operations) and not a battle between armed forces (`armed_clash`, ACLED "Battles");
no court/policy/commemoration framing; an incident date not older than 30 days; and at least two concrete
facts among toll, day, town, perpetrator, target. Precision over recall: a false incident is a false alert.

Place: gazetteer names in the text, weighted by headline / incident sentence / "in X" / dateline; ambiguous
names go to the states and countries the article names, its wording (demonyms, US local-news words) and
the outlet (host name, the site part of the headline) -- the outlet and dateline are evidence, never the
answer. `Location.city` is the town around a neighbourhood ("Englewood" -> "Chicago").
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from worker.events.actors import ActorList, claim_for
from worker.events.casualties import SUFFER, antecedent, extract_casualties
from worker.events.dates import DateMention, find_dates
from worker.events.gazetteer import Gazetteer, fold, gazetteer
from worker.events.headlines import as_sentence, clean_title, court_headline, site_part
from worker.events.outlets import OutletCentre, OutletRegions
from worker.events.phones import PHONE_W, Rung, phone_hints, phone_towns
from worker.events.places import HOST_TOWN_W, call_sign_side, find_mentions, host_town, outlet_hints, resolve, url_words
from worker.events.targets import extract_targets
from worker.events.truecase import is_all_caps, is_title_case, truecase, truecase_title
from worker.events.types import (FUTURE_OR_HYPOTHETICAL, NON_INCIDENT, TRIGGERS, has_trigger, score_types,
                                 tactics_in)
from worker.models import Casualties, Event, Evidence, Location, Perpetrator, Source, Target
from worker.urls import outlet_host, written_date

log = logging.getLogger(__name__)

# Links to other stories left on the page: "Related stories 2 killed, 22 injured in ...", "Video Man and Woman
# Killed in Plantation Crash", "+ Neighbor describes moments before police shot, killed man".
TEASER = re.compile(r"\s*(?:(?i:related(?: stories| articles| coverage| content| links)?|read more|see also|also read|"
                    r"previous story|next story|recommended|trending)\b|(?i:video|watch|photos?)(?::|\s+(?=[A-Z0-9]))|"
                    r"(?i:more|also):|\+\s)")
# A video's running time before its title, in a page's list of videos: "2:07 Mother of toddler declared brain dead". The
# whole line is the link (the parser may cut the time off as a sentence of its own).
RUNNING_TIME = re.compile(r"\s*\d{1,2}:\d\d\s+(?![ap]\.?m\b)(?=[A-Z0-9'\"‘“])")
BACKGROUND = re.compile(
    r"\b(?:last year|last month|earlier this (?:year|month)|in (?:19|20)\d\d|previous(?:ly)?|anniversary|"
    r"c(?:omes?|ame) (?:just )?(?:a|one|two|three|four|five|six|several|\w+) (?:days?|weeks?|months?|years?) after|"
    r"since (?:the (?:start|beginning) of|january|february|march|april|june|july|august|september|october|november|december)|"
    r"so far this year|this year|years? ago|months? ago|a year earlier|(?:in|of|over) recent (?:years|months|weeks)|"
    r"the (?:latest|last) in a (?:string|series)|deadliest|worst (?:attack|shooting)|in all of|homicides? (?:this|in)|"
    r"at least \w+ (?:homicides|shootings|killings)|in the (?:past|last) (?:few |\w+ )?(?:days|weeks|months|years)|"
    r"over the (?:past|last) (?:few |\w+ )?(?:days|weeks|months|years)|a wave of|so far|"
    # aggregate tolls: "hundreds of people have been killed across the province"
    r"(?:hundreds|thousands|tens of thousands) of (?:people|civilians|lives)[^.]{0,40}?\bhave (?:been|died|lost)|"
    # round-ups: "39 people were shot across the city over the holiday weekend", "in 33 separate shooting incidents"
    r"across the (?:city|country|nation|state|region|county)|(?:holiday )?weekend (?:shootings|violence)|"
    r"separate (?:shootings|incidents|shooting incidents|attacks)|since (?:friday|saturday|sunday|thursday)\b|"
    # "More than 3,290 people have been injured in those shootings": a figure for several incidents
    r"(?:in|of|from|by) (?:those|these) (?:\w+ )?(?:shootings|incidents|attacks|killings|homicides|shooting incidents)|"
    # "in the first 41 days of 2017"; a figure the police have since corrected
    r"(?:days|weeks|months) of (?:19|20)\d\d|(?:originally|initially|first) (?:said|reported)|(?:initial|early|earlier) reports?|"
    # a year's figures: "Crime stats for 2015 ... show 165 people were murdered"
    r"(?:for|during|throughout) (?:19|20)\d\d|crime (?:stats|statistics|figures|data)|"
    # statistics: "Since then, there have been 127 mass shootings", "Of the shooters, only three were female"
    r"there (?:have|has) been (?:more than |at least |nearly )?[\d,]+ |^of the \w+s(?=,)|"
    # another shooting nearby: "a man was shot on the same street the day before", "four days after another man was shot"
    r"(?:on|along|in) the (?:exact |very )?same (?:street|block|road|corner)|(?:days?|weeks?|the day) (?:before|after) another|"
    r"(?:gather(?:ed|ing)? for|at) a (?:candlelight )?vigil for)\b", re.I)
# The headline and this many body sentences must tell the act as having happened. MUC-4 (dev+tst1+tst2) at 4: detection
# P 0.908 -> 0.883, R 0.374 -> 0.407; gun-violence stories out 30+ days after the shooting flagged 0.175 -> 0.195.
LEAD_SENTENCES = 3
_END_PUNCT = (".", "!", "?", '"', "”", "'", "’", ")", ":")
_UPDATE = re.compile(r"\s*(?:update[ds]?|breaking|editor'?s note|correction)\b", re.I)


def _link_line(text: str, s: Span, body_seen: int) -> bool:
    """A line of its own past the lead that does not end as a sentence ends: the headline of another story linked
    from the page ("Boy killed with machete; uncle suspected", "0:43 Homeless man found dead in Parkland")."""
    st = text[s.start_char:s.end_char].rstrip()
    if body_seen <= 3 or not st or len(st) > 120 or st.endswith(_END_PUNCT) or _UPDATE.match(st):
        return False
    after = text[s.end_char:s.end_char + 2]
    before = text[max(0, s.start_char - 1):s.start_char]
    return (after == "" or after.startswith("\n")) and (before in ("", "\n"))


SEPARATOR = re.compile(r"\b(?:meanwhile|in (?:a|an) (?:separate|unrelated|second|other) (?:incident|attack|shooting|bombing|case)|"
                       r"separately|in another (?:incident|attack|shooting|bombing)|elsewhere|"
                       r"in an unrelated|in a similar (?:incident|attack)|"
                       # "The incident was the second reported shooting in Homewood in less than 24 hours. Police found a
                       # man ...": the other one follows
                       r"(?:was|is|marked|marks) the (?:second|third|fourth|fifth|2nd|3rd|4th|5th) (?:reported )?"
                       r"(?:shooting|homicide|killing|stabbing|incident)s? (?:in|on|at|within|this|that|since|of the))\b",
                       re.I)
# A page's list of other stories starts here: "More stories you may like on 7News", "You might also like", "Most
# read". Not "Related stories" (pages put those links in the middle of the story, or above it) nor "Latest news".
MORE_STORIES = re.compile(r"\s*(?:more (?:stories|news|headlines|articles)(?: (?:you|from|on))?\b|more from\b|"
                          r"(?:stories )?you (?:may|might) (?:also )?(?:like|be interested)|"
                          r"recommended (?:for you|stories|reading)|trending (?:now|stories|news)\b|"
                          r"most (?:read|popular|viewed|shared)\b)", re.I)
DATELINE = re.compile(r"\s*(?:[A-Z][A-Za-z.'\-]*\s?){1,4}(?:,\s*(?:[A-Z][A-Za-z.]*\s?){1,3})?(?:,\s*\d{1,2}\s+[A-Za-z]{3}\s+\d\d)?"
                      r"\s*(?:\([^)]{1,40}\)\s*)?(?:—|--|–|-)\s*(?:\[[^\]]{0,60}\]\s*)*")
DATELINE_CAPS = re.compile(r"[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+){0,3}(?:,\s*(?:[A-Z][A-Za-z.]*\s?){1,3})?"
                           r"(?:\s*(?:\([^)]{1,40}\)\s*)?(?:—|--|–|-)\s|(?<=\.)-(?=[A-Z][a-z]))")  # "JACKSON, Tenn.-An"
REALIS = re.compile(r"\b(?:was|were|has been|have been|had been|is|are)\b|\b\w+ed\b|\b(?:shot|hit|struck|blew|"
                    r"killed|died|dead|set|took|stormed|opened|seized|left)\b", re.I)
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)|[\W\d]")
CLASH = re.compile(r"\b(?:clash(?:es|ed)?|fighting|combat|battles?|skirmish(?:es)?|fought|firefights?|shoot-?outs?|"
                   r"confrontations?|gun battles?|"
                   r"exchange of fire|offensive|counteroffensive|engaged|military (?:actions?|operations?)|"
                   r"counterinsurgency)\b", re.I)
_STATE_FORCES = re.compile(r"\b(?:army|air force|navy|troops|soldiers|police|policem[ae]n|security forces|military|"
                           r"armed forces|battalion|brigade|national guard|government forces|helicopters?|planes|"
                           r"aircraft|officers?|deputies|agents|patrol|commandos|paratroopers)\b", re.I)
DENIAL = re.compile(r"\b(?:unfounded|denied|denies|false report|rumou?rs?|untrue|fabricat\w+)\b", re.I)
ACCIDENT = re.compile(r"\b(?:crash(?:ed)?|collision|earthquake|flood(?:ing)?|landslide|storm|"
                      r"drowned|overdose)\b", re.I)
_INCIDENT_NEAR = re.compile(r"\b(?:shooting|shot|killed|happened|occurred|fired|stabbed|attack(?:ed)?|"
                            r"exploded|explosion|kidnapped|died|wounded|injured|gunfire|found)\b", re.I)
_AFTERMATH_NEAR = re.compile(r"\b(?:arrested|charged|said|says|announced|identified|booked|sentenced|confirmed|"
                             r"released|arraigned|indicted|appeared|updated|posted|published|vigil|funeral|"
                             r"court|hearing|trial)\b[^.]*$", re.I)
# "... died Sunday at a hospital": the day of a death, which may come days after the shooting; a day or month the
# story names for the shooting ("after a shooting at a dice game in October") is the incident's
_DEATH_BEFORE = re.compile(r"\b(?:died|dies|succumbed|succumbs|passed away|pronounced dead|taken off life support)"
                           r"(?: (?:of|from) (?:his|her|their|the) (?:injuries|wounds))?\s+(?:on\s+)?$", re.I)
# "Authorities Sunday have identified the man", "police said Saturday": the day of the follow-up, not the attack
_AFTERMATH_AFTER = re.compile(r"\s*(?:morning|afternoon|evening|night)?\s*(?:,\s*)?(?:have |has |had |were |was )?"
                              r"(?:identified|arrested|charged|said|says|announced|released|confirmed|booked|"
                              r"arraigned|indicted|sentenced|named|updated|held|asked|urged)\b", re.I)
# "UPDATED:", "BREAKING NEWS:" before a headline: the page's label, not an aftermath of the incident
_LABEL = re.compile(r"^\W*(?:updated?|breaking(?: news)?|developing|latest|new(?: information| details)?)\b[^:.]{0,25}:\s*",
                    re.I)
# "... March 14, 2017 Trentonian Police Blotter": the date of a column, not of the incident
_COLUMN_AFTER = re.compile(r"[^.:;]{0,30}\b(?:blotter|round-?up|digest|briefing|newsletter|edition)\b", re.I)
# "From April 16: Victim of shooting ..." opening a headline: the date of the page
_COLON_AFTER = re.compile(r"\s*:")
_DATE_LABEL_BEFORE = re.compile(r"^\W*(?:from\s+)?$", re.I)
# Reporters do not write "we": a sentence in the first person is someone speaking (a communique, a quote).
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s|I|[Mm]y)\b(?!-|\.\w)")  # not "I-43", "U.S."
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_QUOTES = ('"', "“", "'", "‘")
# The parties of a battle (ACLED "Battles"): an army or an organised armed group.
_GROUP_WORDS = r"guerrillas?|rebels?|insurgents?|militants?|subversives?|terrorists?|fighters|militias?|urban commandos?"
_ARMED_FORCES = re.compile(r"\b(?:army|armies|troops|soldiers|military|armed forces|security forces|national guard|"
                           r"paramilitar\w*|battalions?|brigades?|" + _GROUP_WORDS + r"|armed groups?|jihadists?|"
                           r"separatists?)\b", re.I)
_ARMED_GROUP = re.compile(r"\b(?:" + _GROUP_WORDS + r"|armed group|[A-Z]{3,6})\b")
TRIGGER_VERBS = {"kill", "attack", "bomb", "explode", "kidnap", "abduct", "shoot", "murder", "assassinate", "wound",
                 "injure", "detonate", "burn", "torch", "ambush", "massacre", "stab", "hijack", "blow", "storm", "raid",
                 "slay", "execute", "hurl", "throw", "set", "die", "gun", "dynamite", "behead", "open", "fire", "hit",
                 "strike", "destroy", "damage", "plant", "defuse", "deactivate", "machinegun", "machine-gun", "riddle", "hack", "rob",
                 "hurt", "hospitalize", "graze"}
TRIGGER_NOUNS = {"attack", "bombing", "explosion", "blast", "shooting", "kidnapping", "abduction", "assassination", "bomb",
                 "murder", "killing", "massacre", "ambush", "arson", "raid", "hijacking", "stabbing", "shootout",
                 "homicide", "robbery", "fire", "gunfire"}
_ABSTRACT = {"crisis", "scandal", "tension", "anger", "protest", "conflict", "confrontation", "situation", "debate", "controversy", "row",
             "dispute", "issue", "problem", "violence", "unrest", "outrage", "market", "price", "population", "demand"}
_PAST_AUX = {"was", "were", "been", "has", "have", "had", "got", "'s"}
_PAST_TENSES = ("VBD", "VBN")
_HEADLINE_TENSES = ("VBD", "VBN", "VBZ", "VBP")
_HEADLINE_VERBS = {"kills", "slays", "injures", "wounds", "shoots", "stabs"}

# An attack named as a noun is an event when it happened, killed, was carried out...
_NOUN_TRIGGER_HEADS = {"occur", "happen", "take", "kill", "leave", "wound", "injure", "destroy", "damage", "cause",
                       "carry", "stage", "launch", "perpetrate", "claim", "strike", "hit", "rock", "shake", "target",
                       "erupt", "break", "end", "begin", "start", "report", "investigate", "follow", "die", "injure",
                       "commit", "mount", "conduct", "unleash", "left", "blame", "condemn",
                       # "Shooting sends multiple victims to hospital", "Gun play leads to fatal shooting", "a fight that
                       # resulted in a shooting"
                       "send", "lead", "result"}
# A headline that opens with a toll ("Five shot dead in South Shore", "3 killed, 4 hurt in ...", "2 wounded in drive-by"):
# the parser takes "shot" for a noun there, but the count tells what happened.
_TOLL_N = r"(?:at least |more than )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple)"
_TOLL_WHO = (r"(?:\s+(?:people|persons|men|women|teens|children|kids|boys|girls|others|man|woman|teen|teenager|child|"
             r"boy|girl|adults?))?")
# a headline's kicker before its news: "Police: ", "UPDATE: ", "Atlanta News: "
_HEADLINE_LEAD = r"\s*(?:[A-Z][\w.'’]*(?:\s[A-Z][\w.'’]*){0,2}:\s+)?"
_HEADLINE_TOLL = re.compile(_HEADLINE_LEAD + _TOLL_N + _TOLL_WHO
                            # a list of counts: "2 children, 1 teen shot in Durham"
                            + r"(?:(?:,|,? and)\s+" + _TOLL_N + _TOLL_WHO + r")*\s+"
                            r"(?:shot(?:\s+dead|\s+to\s+death)?|killed|slain|dead|wounded|injured|hurt|hospitalized)\b"
                            # a list of victims among the count: "11-year-old, 2 teens among 4 shot in Mount Oliver"
                            r"|[^:;]{0,60}\bamong\s+" + _TOLL_N + _TOLL_WHO + r"\s+(?:shot|killed|wounded|injured|hurt)\b"
                            # one person shot, and where or how: "9 year-old shot in the head in Ward county", "Teen
                            # shot by officer responding to robbery" (the parser takes "shot" for a noun)
                            r"|(?:an?\s+|the\s+)?(?:\d+[- ]year[- ]old|man|woman|teen|teenager|boy|girl|child|toddler|"
                            r"infant|baby|student|father|mother|son|daughter)\s+(?:was\s+)?(?:shot|stabbed)"
                            r"(?:\s+(?:and\s+)?(?:killed|dead|to\s+death))?\s+(?:in|at|near|on|by|while|during|outside|"
                            r"inside|dead)\s+(?!(?:19|20)\d\d\b)"
                            # or anywhere, what a shooting left: "Bourbon Street shooting leaves 1 dead, 9 hurt"
                            r"|.*\b(?:shooting|gunfire|attack|explosion|blast|stabbing)\s+(?:that\s+)?(?:leaves|left)\s+" + _TOLL_N
                            + _TOLL_WHO + r"\s+(?:dead|killed|wounded|injured|hurt|hospitalized)\b", re.I)
# A headline that counts people shot ("Four teens shot after party", "One person shot outside 7-Eleven")
_HEADLINE_SHOT = re.compile(_HEADLINE_LEAD + _TOLL_N + _TOLL_WHO
                            + r"(?:\s+(?:people|persons?|men|women|teens|teenagers|boys|girls|children|kids|adults))?\s+shot\b"
                            r"(?!\s+(?:down|up)\b)", re.I)
# What the parser misses in a headline or lead: "Family of four found shot dead", "were found slain", "four people are
# recovering from gunshot wounds", "self-defense after four shot" (it takes "shot" and "slain" for adjectives)
_TOLD = re.compile(r"\b(?:found|discovered) (?:shot |stabbed )?(?:dead|slain|to death)\b|"
                   r"\brecovering from (?:gunshot|bullet|stab) wounds?\b|"
                   r"\bafter " + _TOLL_N + _TOLL_WHO + r" (?:were |was )?(?:shot|killed|wounded)\b|"
                   # "two men are in the hospital after a shooting", "a 2-year-old in critical condition from gunshot"
                   r"\b(?:in (?:the )?hospital|in (?:critical|serious|stable|fair|grave) condition|hospitali[sz]ed|"
                   r"recovering|dead) "
                   r"(?:after|following|from|in) (?:an? |the )?(?:[\w-]+ ){0,3}?(?:shooting|gunshot|gunfire|stabbing|"
                   r"murder-suicide)\b|"
                   # "8-year-old shooting victim in critical condition": a victim's present state
                   r"\b(?:shooting|gunshot|stabbing) victims? (?:is |are |remains? )?(?:in|listed in) (?:critical|serious|"
                   r"stable|fair|grave) condition\b|"
                   # "a shooting that sent a man to the hospital", "gunfire that left two wounded" (not "an April
                   # shooting at the bowling alley that left one dead": a phrase between is as often a date)
                   r"\b(?:shooting|gunfire|stabbing) (?:that|which) (?:sent|left) (?:[\w-]+ ){1,4}?(?:to (?:the |a )?"
                   r"hospital|dead|injured|wounded|hurt)\b|"
                   # what an inquiry found the act to be: "the shooting was accidental", "shooting deemed
                   # self-inflicted", "Shooting in Cross Lanes determined to be accident" (not "did not appear to be
                   # random", "will be ruled accidental": no modal or negation between)
                   r"(?<!\bevery )(?<!\bany )(?<!\beach )\b(?:shooting|stabbing)\b(?:(?! (?:not|never|will|would|could|may|might|if)\b)(?:[^.;:?!]|"
                   r"(?<=\b[A-Z][a-z])\.|(?<=\b[A-Z][a-z]{2})\.|(?<=\b[A-Z][a-z]{3})\.)){0,160}?\b(?:was|is|deemed|ruled|determined|believed|called|declared)"
                   r"(?: (?:to be|to have been|as))?(?: (?:an?|the))? (?:accidental|accident|self-inflicted|unintentional|"
                   r"homicide)\b|\bshooting,? (?:accidental|self-inflicted)\b|"
                   # a shooting of a named day: "Teen wanted for deadly Monday night shooting" (one recent act)
                   r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?(?: (?:night|morning|"
                   r"afternoon|evening))?(?: (?:double|triple|quadruple|fatal|deadly))? (?:shooting|stabbing)\b|"
                   r"\b(?:an?|the) (?:overnight|early[- ]morning|late[- ]night)(?: (?:double|triple|quadruple|fatal|"
                   r"deadly|drive-by))? (?:shooting|stabbing)\b", re.I)
# "is dead", "was pronounced dead", "was found dead"
_DEATH_TOLD = {"be", "pronounce", "declare", "find"}
# An inquiry into an act tells that it happened, whatever its tense ("police are investigating the shooting").
_INQUIRY = {"investigate", "probe"}
_MODALS = {"will", "would", "could", "might", "may", "should", "must", "can", "to", "shall"}
_CASUALTY_WORDS = re.compile(r"\b(?:killed|kills|slays|dead|died|wounded|injured|hurt|shot|shoots|casualties|death toll|gunshot wounds?|"
                             r"grazed|(?:shooting|wounding|wounds?) (?:himself|herself|self)|"
                             r"(?:hit|struck) by (?:an? )?(?:stray )?(?:bullets?|gunfire|gunshot|rounds?)|"
                             r"(?:bullets?|rounds?|gunfire) (?:struck|hit|grazed|pierced)|"
                             # "a bullet entered her home ... and hit her daughter", "fires gun, hits his two young sons"
                             r"(?:bullets?|rounds?) [^.;]{0,60}? and (?:struck|hit|grazed)|"
                             r"(?:fired|fires|discharged|went off)(?: (?:a |the |his |her )?gun)?,? (?:and |which |that )?(?:hitting|striking|struck|hit|hits))\b",
                             re.I)
# A victim's condition or a bare "were hit": counts the hurt ("The juvenile ... is currently in stable condition",
# "Seven people ... were hit"), but such a sentence often names the hospital's town, so it is no evidence of the
# place or the day.
_CONDITION_WORDS = re.compile(r"\b(?:(?:critical|stable|serious|fair|good) condition|injuries|(?:was|were) (?:hit|struck))\b",
                              re.I)


@Language.component("newsworker_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence. `prepare` has already joined hard-wrapped lines, so what is left are the
    breaks between headline, captions and paragraphs; the parser alone sometimes runs across them ("Watch
    Janelle Hall's report / The victim was fatally shot" made "report" what was shot)."""
    after_break = False
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            after_break = True
        elif after_break:
            tok.is_sent_start = True
            after_break = False
    return doc


def load_nlp(model_name: str) -> Language:
    """Load an installed spaCy pipeline package (never downloads), with `paragraph_sentences` before its parser."""
    import spacy

    try:
        nlp = spacy.load(model_name)
    except OSError as exc:
        raise RuntimeError(f"spaCy model {model_name!r} is not installed: pip install it from the package index") from exc
    if "newsworker_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("newsworker_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


class EventExtractor:
    """Built once per process; `extract(article)` is pure and never raises."""

    def __init__(self, nlp: Language, actors_file: Path, eager: bool = False) -> None:
        self.nlp = nlp
        self.actors = ActorList.load(Path(actors_file))
        self._gaz: Gazetteer | None = None
        self.outlets = OutletRegions()  # where each outlet's stories happen, learned as articles arrive
        if eager:
            self._gaz = gazetteer()

    @property
    def gaz(self) -> Gazetteer:
        """The process-wide gazetteer (built on first use)."""
        if self._gaz is None:
            self._gaz = gazetteer()
        return self._gaz

    # -- public API -----------------------------------------------------------------------------------------

    def _raw_text(self, article) -> tuple[str, int]:  # type: ignore[no-untyped-def]
        """Headline, blank line, body: the text before the length-preserving clean-ups of `prepare`."""
        title = as_sentence(clean_title(article.title or ""))
        if title and title[-1] not in ".!?\"'”’":
            title += "."  # a headline is a sentence: keeps the parser from joining it to the body
        body = article.text or ""
        text = f"{title}\n\n{body}" if title else body
        return text, (len(title) + 2 if title else 0)

    def prepare(self, article) -> tuple[str, int]:  # type: ignore[no-untyped-def]
        """The text spaCy parses (headline, blank line, body; truecased if all capitals) and the body offset.

        Every change keeps the length, so offsets into it are offsets into the raw text too."""
        text, offset = self._raw_text(article)
        # Hard-wrapped lines (wire copy) become spaces.
        text = unwrap_lines(text)
        if is_all_caps(text):
            text = truecase(text, self.gaz, self.actors)
        elif offset and is_title_case(text[:offset]):
            text = truecase_title(text[:offset], text[offset:], self.gaz, self.actors) + text[offset:]
        dl = find_dateline(text, offset)
        if dl:
            # "OGDEN — A girl was shot": end the dateline with a full stop so the parser does not make the
            # town the subject of the first sentence.
            dash = re.search(r"(?:—|--|–|-)\s*(?:\[[^\]]{0,60}\]\s*)*$", dl.group(0))
            if dash:
                a = dl.start() + dash.start()
                b = a + len(re.match(r"—|--|–|-", text[a:]).group(0))  # type: ignore[union-attr]
                stop = " " if text[a - 1:a] == "." else "."  # "JACKSON, Tenn.-An update": the abbreviation's stop
                text = text[:a] + stop + " " * (b - a - 1) + text[b:]
        return text, offset

    def extract(self, article) -> Event:  # type: ignore[no-untyped-def]
        """The event record for one article; an empty or rejected article gives is_incident=False."""
        try:
            if getattr(article, "rejected", None) or not ((article.text or "").strip() or (article.title or "").strip()):
                return self._empty(article)
            text, offset = self.prepare(article)
            return self.extract_doc(article, self.nlp(text), offset, text)
        except Exception:  # a crash here must not stop the stream; the record says "not an incident"
            log.exception("event extraction failed for %s", getattr(article, "id", "?"))
            return self._empty(article)

    def _empty(self, article) -> Event:  # type: ignore[no-untyped-def]
        return Event(article_id=str(getattr(article, "id", "") or ""), is_incident=False, sources=_sources(article))

    # -- the steps ------------------------------------------------------------------------------------------

    def extract_doc(self, article, doc: Doc, body_offset: int,  # type: ignore[no-untyped-def]
                    text: str | None = None) -> Event:
        """Extract from an already parsed `prepare()` text (the bench times this part alone). `text` is that text
        when the caller has it: `Doc.text` is rebuilt token by token on every access (8% of extraction time)."""
        text = doc.text if text is None else text
        sents = split_paragraphs(doc)
        raw, raw_offset = self._raw_text(article)
        found = find_dateline(unwrap_lines(raw), body_offset) if raw_offset == body_offset and len(raw) == len(text) else None
        if found is None and raw_offset == body_offset and len(raw) == len(text) and is_all_caps(raw):
            found = find_dateline(raw, body_offset)
        dl_span = (found.start(), found.end()) if found else None
        dateline_start, dateline_end = dl_span if dl_span else (body_offset, body_offset)
        url = _url_of(article)
        pub, seen = _reference_days(article, url)
        ref = pub or datetime.now(timezone.utc).date()  # a live article without a date is from today

        # 2-3. classify sentences and cut the main incident's scope
        scope: list[Span] = []
        scope_idx: set[int] = set()
        incident_idx: set[int] = set()
        condition_idx: set[int] = set()  # sentences that tell only how the hurt are (see _CONDITION_WORDS)
        stopped = False
        trig_lead = 0
        lead_non_incident = 0
        clash_lead = 0
        state_lead = 0
        body_seen = 0
        lead_idx: list[int] = []
        title_told = False  # the headline itself tells a violent act that happened
        # "Man arrested in connection with 2013 house party murders": the story is about an old incident, however
        # its body retells it
        title_non_incident = _about_old_incident(text[:body_offset], ref)
        court = court_headline(text[:body_offset])  # an arrest, a charge, a court step: dated by that step
        for i, s in enumerate(sents):
            st = text[s.start_char:s.end_char]
            in_title = s.start_char < body_offset
            header = not in_title and (s.end_char <= dateline_end and not has_trigger(st) or s.end_char <= dateline_start
                                       and len(st) < 60 or not _BRACKETS.sub("", st).strip())
            if not in_title and not header:
                body_seen += 1
                if not stopped and body_seen > 1 and (SEPARATOR.search(st) or len(st) < 80 and MORE_STORIES.match(st)):
                    stopped = True
            lead = in_title or (not header and body_seen <= LEAD_SENTENCES)
            if lead:
                lead_idx.append(i)
            if not lead and (stopped or header):
                continue  # neither the lead nor the scope: nothing below reads it (most of a page's furniture)
            trig = has_trigger(st)
            # a sentence dated in another year is about another incident
            background = bool(BACKGROUND.search(st)) or bool(TEASER.match(st)) or _link_line(text, s, body_seen) or bool(
                RUNNING_TIME.match(text, text.rfind("\n", 0, s.start_char) + 1)) or any(
                _old_year(int(y), ref) for y in _YEAR.findall(st))
            if lead:
                if NON_INCIDENT.search(st):
                    lead_non_incident += 1
                    title_non_incident = title_non_incident or in_title
                if CLASH.search(st):
                    clash_lead += 1
                rts = realis_triggers(s, headline=in_title) if (trig or _CASUALTY_WORDS.search(st)) and not background \
                    and not st.lstrip().startswith(_QUOTES) else []
                told = bool(rts) or not background and (in_title and bool(_HEADLINE_TOLL.match(st)) or bool(_TOLD.search(st)))
                if told and not DENIAL.search(st) and not ACCIDENT.search(st) and not _FIRST_PERSON.search(st):
                    if rts and all(state_agent(t) for t in rts):
                        state_lead += 1
                    else:
                        trig_lead += 1
                        title_told = title_told or in_title
            if stopped or background or header:
                continue
            scope.append(s)
            scope_idx.add(i)
            if trig or _CASUALTY_WORDS.search(st):
                incident_idx.add(i)
            elif _CONDITION_WORDS.search(st):
                condition_idx.add(i)
        any_trigger = bool(incident_idx)

        # 4a. date: first date expression in an incident sentence of the scope, headline included (not the dateline)
        when, when_prec, when_span, when_conf = self._date(text, sents, incident_idx, pub, body_offset, dateline_end)
        if when is not None:
            # Scope sentences that name a clearly earlier day are about another incident.
            keep = []
            for s in scope:
                ds = [d for d in find_dates(text[s.start_char:s.end_char], ref) if d.precision == "day"]
                if ds and all((when - d.value).days > 3 for d in ds) and s.start_char >= body_offset:
                    continue
                keep.append(s)
            scope = keep
        # (the sets of starts are built once: a set built inside the filter is built again for every sentence)
        incident_starts = {sents[i].start for i in incident_idx}
        inc_sents = [s for s in scope if s.start in incident_starts]

        # 4b. casualties: the incident sentences and those that tell only how the hurt are
        casualty_starts = incident_starts | {sents[i].start for i in condition_idx}
        cas = extract_casualties([s for s in scope if s.start in casualty_starts], body_offset, text)
        # 4c. place
        host = outlet_host(url)
        hints = outlet_hints(url, site_part(article.title or ""), self.gaz)
        learned = self.outlets.hints(host)
        hints[0].update(learned[0])
        hints[1].update(learned[1])
        rung = phone_towns(text, self.gaz.us_state_names)  # the police department's number
        phone_states, phone_countries = phone_hints(rung, PHONE_W)
        hints[0].update(phone_states)
        hints[1].update(phone_countries)
        loc, loc_span, loc_conf, filed_at = self._place(
            doc, text, sents, incident_idx, body_offset, dateline_start, dateline_end, hints, url_words(url),
            True if raw_offset == body_offset and raw[:raw_offset] != text[:raw_offset] and is_title_case(raw[:raw_offset])
            else None, call_sign_side(host), self.outlets.centre(host) or self._host_home(host), self._rings(rung))
        if loc is not None and any_trigger:
            point = (loc.lat, loc.lon) if loc.lat is not None and loc.lon is not None \
                and loc.precision not in ("admin2", "admin1", "country") else None  # a town or finer
            self.outlets.learn(host, loc.country or "", loc.admin1 if loc.precision != "admin1" else loc.name, point)
        # 4d. perpetrators
        perps, perp_spans = self._perpetrators(text, sents, scope_idx, body_offset)
        # 4e. targets
        tg = extract_targets(inc_sents)
        targets = [Target(name=n, category=c) for n, c, _, _ in tg]
        # 4f. type and tactics
        scores: dict[str, float] = {}
        for k, s in enumerate(inc_sents):
            w = 2.0 if s.start_char < body_offset else (1.5 if k < 4 else 0.5)
            score_types(text[s.start_char:s.end_char], w, scores)
        if not scores and _HEADLINE_SHOT.match(text[:body_offset]):
            scores["shooting"] = 5.0  # "Four teens shot after party", "3 shot on Blue Hill Avenue": the parser's noun
        event_type = max(scores, key=lambda t: (scores[t], -_PRIORITY.index(t))) if scores else None
        if event_type == "armed_assault" and re.search(r"\b(?:shot|shooting|gunfire|gunm[ae]n|opened fire)\b",
                                                       " ".join(s.text for s in inc_sents[:4]), re.I):
            event_type = "shooting"
        if event_type == "armed_assault":
            # "attack" and "killed" appear in every report; a specific act named alongside them
            # ("a car packed with explosives blew up") says what the attack was.
            specific = {t: v for t, v in scores.items() if t not in ("armed_assault", "robbery")}
            if specific and max(specific.values()) >= 0.5 * scores["armed_assault"]:
                event_type = max(specific, key=lambda t: (specific[t], -_PRIORITY.index(t)))
        tactics = tactics_in(" ".join(s.text for s in inc_sents[:6])) if inc_sents else []

        # 5. is it a concrete incident?
        facts = [cas.killed is not None or cas.wounded is not None, when_span is not None and when_prec == "day" and when_conf >= 0.7,
                 loc is not None and (loc.precision in ("town", "city", "neighbourhood", "admin2") or filed_at), bool(perps),
                 bool(targets)]
        has_fact = sum(facts) >= 2  # a concrete incident is told with at least two of: toll, day, place, actor, target
        if not has_fact and title_told and any(span[0] < body_offset for span in cas.spans.values()) \
                and not court:
            # "Drive-by shooter kills 1, injures 3" over a page with no story (a paywall, a sign-in form): the
            # headline tells the act and counts its victims, and a headline is news of the day (not one of a
            # charge: "Georgia man indicted in shooting that injured 7" is dated by the charge)
            has_fact = True
        lead3 = " ".join(s.text for s in inc_sents[:3])
        if clash_lead and event_type in ("armed_assault", "shooting", "remote_violence", "facility_attack", None) \
                and (_ARMED_FORCES.search(lead3) or perps) and not re.search(
                r"\b(?:civilians?|peasants?|villagers?|residents?|passengers?|children|women)\b", lead3, re.I):
            # fighting between armed forces: out of the stream's scope (see types). Only where a side is an army or
            # an armed group (named as such, or one of the actor list's): a "shootout" of police and a gunman, or a
            # "gun battle" at a party, is a shooting.
            event_type = "armed_clash"
        if event_type in ("armed_assault", "shooting", "remote_violence", "facility_attack") and targets \
                and targets[0].category == "military" \
                and _ARMED_GROUP.search(lead3):
            event_type = "armed_clash"  # an armed group against the military: ACLED "Battles"
        stale = when is not None and when_span is not None and (ref - when).days > 30 \
            or seen is not None and (seen - ref).days > 30  # a story written over a month before it was seen
        if not stale and court:
            # "16-year-old charged in 4 slayings at Ohio home in June": a charge story is dated to the charge; a
            # day of the shooting it retells, over 30 days back (a month, over 60), makes it a follow-up of an old
            # incident (the headline and the lead: a record of earlier arrests further down is no such day)
            stale = any((ref - d.value).days > (30 if d.precision == "day" else 60)
                        for i in lead_idx for d in find_dates(text[sents[i].start_char:sents[i].end_char], ref)
                        if d.precision in ("day", "month"))
        is_incident = bool(trig_lead and event_type and event_type != "armed_clash" and has_fact and not stale
                           and not title_non_incident and lead_non_incident < trig_lead)
        log.debug("incident decision %s: trig_lead=%d state_lead=%d non_incident=%d title_non=%s fact=%s type=%s stale=%s",
                  article.id, trig_lead, state_lead, lead_non_incident, title_non_incident, has_fact, event_type, stale)
        confidence = min(1.0, 0.3 + 0.15 * min(trig_lead, 3) + (0.15 if cas.killed or cas.wounded else 0.0)
                         + (0.1 if loc is not None else 0.0) + (0.05 if when_span else 0.0)) if is_incident else (
            0.2 if any_trigger else 0.05)

        evidence: list[Evidence] = []

        def ev(field: str, span: tuple[int, int] | None, conf: float) -> None:
            if span is None:
                return
            s, e = span[0] - body_offset, span[1] - body_offset
            if s >= 0 and e <= len(article.text or ""):
                evidence.append(Evidence(field=field, start=s, end=e, confidence=round(conf, 2)))

        lead = next((s for s in scope if s.start_char >= body_offset and s in inc_sents), None)
        ev("is_incident", (lead.start_char, lead.end_char) if lead is not None else None, confidence)
        for field, span in cas.spans.items():
            ev(field, span, 0.6 if cas.approximate else 0.75)
        ev("date", when_span, when_conf)
        ev("location", loc_span, loc_conf)
        for name, span in perp_spans:
            ev(f"perpetrators[{name}]", span, 0.7)
        for n, c, s, e in tg:
            ev(f"targets[{c}]", (s, e), 0.5)

        summary = ""
        if lead is not None:
            summary = " ".join(lead.text.split())
            if dl_span and lead.start_char < dateline_end:
                summary = " ".join(text[dateline_end:lead.end_char].split())
        elif article.title:
            summary = " ".join(article.title.split())
        return Event(
            article_id=str(article.id), is_incident=is_incident, event_type=event_type if any_trigger else None,
            tactics=tactics, date=when if any_trigger else None, date_precision=when_prec if any_trigger else None,
            location=loc, perpetrators=perps, targets=targets,
            casualties=Casualties(killed=cas.killed, wounded=cas.wounded, perpetrators_killed=cas.perpetrators_killed),
            summary=summary[:400], sources=_sources(article), confidence=round(confidence, 2), evidence=evidence,
        )

    def _date(self, text: str, sents: list[Span], incident_idx: set[int], pub: date | None, body_offset: int,
              dateline_end: int) -> tuple[date | None, str | None, tuple[int, int] | None, float]:
        if pub is None:
            pub_ref = date.today()
        else:
            pub_ref = pub
        # Score every date named in the first incident sentences: a day beats a month, a date next to the
        # shooting beats one next to "arrested" or "said", earlier sentences beat later ones.
        best: tuple[float, DateMention] | None = None
        beside = False
        best_is_death = False
        shooting_days: list[tuple[float, DateMention, bool]] = []  # the candidates not named as a day of a death
        # The incident sentences first; when none names a day, a day named in one of the first sentences
        # around them ("returned home from doing laundry Saturday night, she saw ...") within the past week.
        first = sorted(incident_idx)[:8]
        rest = [i for i in range(min(len(sents), 12)) if i not in incident_idx] if incident_idx and pub else []
        for rank, i in enumerate(first + rest):
            if rank == len(first) and best is not None:
                break
            s = sents[i]
            stext = text[s.start_char:s.end_char]
            label = _LABEL.match(stext)
            for d in find_dates(stext, pub_ref):
                abs_start = s.start_char + d.start
                if body_offset <= abs_start < dateline_end or d.value > pub_ref:
                    continue
                if rank >= len(first) and (d.precision != "day" or (pub_ref - d.value).days > 7):
                    continue
                if _COLUMN_AFTER.match(stext, d.end) or abs_start < body_offset and _COLON_AFTER.match(
                        stext, d.end) and _DATE_LABEL_BEFORE.match(stext[:d.start]):
                    continue  # the date of a column, or of a page ("From April 16:" opening the headline)
                score = (1.0 if d.precision == "day" else 0.3) - 0.12 * min(rank, 8)
                near = stext[max(0, d.start - 70):d.end + 70]
                before = stext[max(label.end() if label else 0, d.start - 45):d.start]
                if _INCIDENT_NEAR.search(near):
                    score += 0.6
                death = False
                if _AFTERMATH_NEAR.search(before) or _AFTERMATH_AFTER.match(stext, d.end):
                    score -= 0.8
                else:
                    death = bool(_DEATH_BEFORE.search(before))
                if (pub_ref - d.value).days > 365:
                    score -= 0.5
                mention = DateMention(d.value, d.precision, abs_start, s.start_char + d.end, d.explicit)
                if not death:
                    shooting_days.append((score, mention, rank >= len(first)))
                if best is None or score > best[0]:
                    best = (score, mention)
                    beside = rank >= len(first)
                    best_is_death = death
        if best is not None and best_is_death:
            # "... in October, police said. The man died Sunday at a hospital": the day he died is not the day of the
            # shooting when the story also names a day at least two days earlier (or an earlier month) for it
            dead_on = best[1].value
            earlier = [c for c in shooting_days if c[0] > 0.0 and (
                c[1].precision == "day" and (dead_on - c[1].value).days >= 2
                or c[1].precision == "month" and (c[1].value.year, c[1].value.month) < (dead_on.year, dead_on.month))]
            if earlier:
                score, mention, beside = max(earlier, key=lambda c: c[0])
                best = (score, mention)
        if best is not None and best[0] > 0.0 and best[1].precision == "month":
            # "charged in shooting ... in Feb." over "the shooting on Feb. 17": the day within that month
            month = (best[1].value.year, best[1].value.month)
            days = [c for c in shooting_days if c[0] > 0.0 and c[1].precision == "day"
                    and (c[1].value.year, c[1].value.month) == month]
            if days:
                score, mention, beside = max(days, key=lambda c: c[0])
                best = (best[0], mention)
        if best is not None and best[0] > 0.0 and best[1].precision == "week" and pub is not None:
            # "found dead earlier this week ... Around 9 a.m. on Tuesday, deputies": the day inside that week
            for i in rest:
                s = sents[i]
                day = next((d for d in find_dates(text[s.start_char:s.end_char], pub_ref) if d.precision == "day"
                            and (pub_ref - d.value).days <= 7 and d.value <= pub_ref
                            and s.start_char + d.start >= dateline_end), None)
                if day is not None:
                    best = (best[0], DateMention(day.value, "day", s.start_char + day.start, s.start_char + day.end,
                                                 day.explicit))
                    beside = True
                    break
        if best is not None and best[0] > 0.0:
            d = best[1]
            conf = (0.8 if d.explicit else 0.7) if d.precision == "day" else 0.5
            if beside:
                conf = 0.45  # named beside the incident, not in a sentence about it: not a fact for is_incident
            return d.value, d.precision, (d.start, d.end), conf
        if pub is not None:
            return pub, "day", None, 0.3  # no date named: news of an incident is usually same-day
        return None, None, None, 0.0

    def _host_home(self, host: str) -> OutletCentre | None:
        """Before the outlet has a home ground of its own stories: the town its host name is named for
        ("goldsborodailynews.com"), at weight HOST_TOWN_W."""
        town = host_town(host, self.gaz) if host else None
        if town is None or town.lat is None or town.lon is None:
            return None
        return OutletCentre(town.lat, town.lon, HOST_TOWN_W, town.admin1)

    def _rings(self, rung: list[Rung]) -> tuple[tuple[float, float], ...]:
        """Where the article's telephone numbers ring: the largest town of each number's town name in its state."""
        points = []
        for state, town in dict.fromkeys((r.state, r.town) for r in rung):
            if town is None:
                continue
            place = next((p for p in self.gaz.lookup(town) if p.kind == "town" and p.country == "US"
                          and p.admin1 == state and p.lat is not None and p.lon is not None), None)
            if place is not None:
                points.append((place.lat, place.lon))
        return tuple(points)  # type: ignore[arg-type]

    def _place(self, doc: Doc, text: str, sents: list[Span], incident_idx: set[int], body_offset: int,
               dateline_start: int, dateline_end: int, hints: tuple[Counter[str], Counter[str]] | None = None,
               slug: str = "", title_case: bool | None = None, side: frozenset[str] = frozenset(),
               home: OutletCentre | None = None, rings: tuple[tuple[float, float], ...] = ()
               ) -> tuple[Location | None, tuple[int, int] | None, float, bool]:
        """(place, its span, confidence, whether the place is the country of a town named only in the dateline: a
        concrete place all the same, for is_incident)."""
        # Doc.text is rebuilt on every access, so the caller's copy is passed down.
        mentions = find_mentions(doc, sents, self.gaz, incident_idx, body_offset, dateline_start, dateline_end, text,
                                 slug, title_case)
        best = resolve(text, mentions, self.gaz, hints, side, home, rings)
        if best is None:
            return None, None, 0.0, False
        p = best.place
        filed_at = False
        if best.dateline_only and p.kind == "town" and p.country != "US" and p.country in self.gaz.countries \
                and self.gaz.capitals.get(p.country) == fold(p.name):
            # "BOGOTA, 6 OCT 89 (AFP) --" over a story that names no town: the wire filed from the capital, the
            # incident is somewhere in the country. Only a capital: a dateline elsewhere ("MEDELLIN, ...") is
            # where a reporter went, and local news abroad writes its own town there
            p, filed_at = self.gaz.countries[p.country], True
        precision = {"town": "town", "admin2": "admin2", "admin1": "admin1", "country": "country"}[p.kind]
        if p.kind == "town" and p.population >= 100_000:
            precision = "city"
        if p.kind == "town" and best.city and best.city != p.name:
            precision = "neighbourhood"
        conf = max(0.2, min(0.9, best.score / 10.0))
        if best.certain:
            conf = max(conf, 0.8)  # the state is written, or the city has no namesake
        loc = Location(name=p.name, country=p.country, admin1=p.admin1 if p.kind != "country" else None,
                       lat=p.lat, lon=p.lon, precision=precision,  # type: ignore[arg-type]
                       city=best.city if p.kind == "town" else None, confidence=round(conf, 2))
        return loc, (best.start, best.end), conf, filed_at

    def _perpetrators(self, text: str, sents: list[Span], scope_idx: set[int],
                      body_offset: int) -> tuple[list[Perpetrator], list[tuple[str, tuple[int, int]]]]:
        order = {"claimed": 4, "denied": 3, "suspected": 2, "unknown": 1}
        found: dict[str, str] = {}
        spans: list[tuple[str, tuple[int, int]]] = []
        allcaps = False
        for i in sorted(scope_idx):
            s = sents[i]
            stext = text[s.start_char:s.end_char]  # (Span.text is rebuilt token by token)
            for m in self.actors.find(stext, all_caps=allcaps):
                actor = m.actor
                claim = claim_for(stext, m.start, m.end)
                if actor.is_outlet:
                    if not actor.outlet_for or claim != "claimed":
                        continue
                    name = actor.outlet_for
                else:
                    name = actor.name
                if order[claim] > order.get(found.get(name, ""), 0):
                    found[name] = claim
                spans.append((name, (s.start_char + m.start, s.start_char + m.end)))
        perps = [Perpetrator(name=n, claim=c) for n, c in found.items()]  # type: ignore[arg-type]
        return perps[:5], spans


def _old_year(year: int, ref: date) -> bool:
    """A year before the publication's (the previous one only from March: "last year's" shooting in January may
    be weeks old)."""
    return year != ref.year and year != ref.year - 1 or year == ref.year - 1 and ref.month > 2


# an incident dated by its year, with what qualifies it ("2014 West Side shooting that left a teen dead")
_YEAR_INCIDENT = re.compile(r"\b((?:19|20)\d\d)(?:['’]s)?\s+(?:[\w'’-]+\s+){0,3}?(?:shootings?|murders?|killings?|"
                            r"slayings?|homicides?|attacks?|massacre|stabbings?|bombings?|deaths?)\b"
                            r"(?:\s+(?:that|which|in which|where)\b.*)?", re.I)


def _about_old_incident(title: str, ref: date) -> bool:
    """The headline tells of an incident of an earlier year and of no other act: "Three charged in 2014 West Side
    shooting that left teen dead" (not "Four men shot near site of 2015 mass shooting")."""
    found = False
    for clause in re.split(r"[;:|]|\s[-–—]\s", title):
        rest = _YEAR_INCIDENT.sub(lambda m: "" if _old_year(int(m.group(1)), ref) else m.group(0), clause)
        found = found or rest != clause
        if has_trigger(rest) or _CASUALTY_WORDS.search(rest):
            return False
    return found


def find_dateline(text: str, body_offset: int) -> re.Match[str] | None:
    """The dateline ("KABUL, Afghanistan (AP) —"): at the body's start, or opening one of its first paragraphs
    when page junk comes first (then only an all-capitals place counts)."""
    m = DATELINE.match(text, body_offset, body_offset + 160)
    if m:
        return m
    for p in re.finditer(r"\n\s*\n", text[body_offset:body_offset + 1200]):
        start = body_offset + p.end()
        m = DATELINE_CAPS.match(text, start, start + 120)
        if m:
            return m
    return None


def realis_triggers(sent: Span, headline: bool = False) -> list[Token]:
    """Violent acts in the sentence told as having happened (past tense, not modal, not negated).

    A headline tells past events in the present and drops articles ("Gunman kills 3", "Shooting leaves 2 dead",
    "Man kills parents"), so there the present tense counts too, a bare plural object is no generic charge, and
    a violent verb the tagger takes for a plural noun before its object ("shooter kills 1": NNS) is a verb."""
    out: list[Token] = []
    tenses = _HEADLINE_TENSES if headline else _PAST_TENSES
    for tok in sent:
        lem = tok.lemma_.lower()
        subject_noun = tok.tag_ == "VBG" and tok.dep_ == "nsubj" and tok.lower_ in TRIGGER_NOUNS  # "Shooting leaves"
        # "police are investigating the shooting death of a teenage boy": the death names the act
        subject_noun = subject_noun or tok.lemma_.lower() == "death" and any(
            c.dep_ in ("amod", "compound") and c.lower_ in ("shooting", "stabbing") for c in tok.children)
        if headline and tok.tag_ in ("NNS", "NNPS") and tok.lower_ in _HEADLINE_VERBS and tok.i + 1 < sent.end \
                and (tok.nbor().like_num or tok.nbor().tag_ in ("DT", "PRP$")):
            out.append(tok)
        elif tok.lower_ == "dead" and tok.dep_ in ("acomp", "oprd") and tok.head.lemma_ in _DEATH_TOLD \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.head.children) and _not_modal_or_negated(tok.head):
            out.append(tok)  # "a teenager is dead after a shooting", "was pronounced dead at the scene"
        elif tok.pos_ == "VERB" and lem in SUFFER and tok.tag_ in tenses \
                and _not_modal_or_negated(tok) and any(
                    o.dep_ == "dobj" and o.lemma_.lower() in ("wound", "injury") and any(
                        m.lower_ in ("gunshot", "gunshots", "bullet", "stab") for m in o.children) for o in tok.children):
            out.append(tok)  # "3-year-old boy suffers gunshot wound"
        elif tok.pos_ == "VERB" and lem in TRIGGER_VERBS and not subject_noun:
            if tok.tag_ not in tenses or tok.dep_ == "amod":
                continue
            auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
            after_being = "being" in auxes and tok.head.lower_ in ("after", "since")  # "critical after being shot"
            if tok.tag_ == "VBN" and auxes and not any(a in _PAST_AUX for a in auxes) and not after_being:
                continue  # "are being killed", "is attacked": not a report of something that happened
            if any(c.dep_ in ("aux", "auxpass", "neg") and (c.lower_ in _MODALS or c.dep_ == "neg") for c in tok.children):
                continue
            if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("threaten", "plan", "try", "vow", "want", "seek"):
                continue
            if lem == "attack" and any(c.lower_ in ("harshly", "verbally", "sharply", "strongly") for c in tok.children):
                continue  # a politician "harshly attacked" a rival
            if lem in ("explode", "blow") and any(c.dep_ == "nsubj" and antecedent(c).lemma_.lower() in _ABSTRACT
                                                   for c in tok.children):
                continue  # "the political crisis which had exploded": a figure of speech
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not headline and objs and all(o.tag_ == "NNS" and not any(
                    g.dep_ in ("det", "nummod", "poss", "amod", "compound") for g in o.children) for o in objs):
                continue  # "they have murdered judges": a generic charge, not one incident
            out.append(tok)
        elif (tok.pos_ == "NOUN" and lem in TRIGGER_NOUNS or subject_noun) and (
                tok.tag_ in ("NN", "VBG") or tok.head.lemma_.lower() in (
                "launch", "carry", "stage", "perpetrate", "commit", "conduct", "mount", "unleash")):
            head = tok.head
            hops = 0
            path: set[str] = set()
            while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i and hops < 4:
                path.add(head.lemma_.lower())
                head, hops = head.head, hops + 1
            told = _noun_trigger_head(head, path) and (head.tag_ in tenses or head.lemma_.lower() in _INQUIRY) \
                and _not_modal_or_negated(head)
            # "Lorain fatal shooting under investigation", "A fatal shooting ... is under investigation": it happened
            investigated = _under_investigation(tok) or (
                head.lemma_.lower() == "be" and _under_investigation(head) and _not_modal_or_negated(head))
            if told or investigated:
                out.append(tok)
    return out


def _under_investigation(tok: Token) -> bool:
    """'under investigation' hangs on the word: "shooting under investigation", "the shooting is under investigation"."""
    return any(c.dep_ == "prep" and c.lower_ == "under" and any(
        g.dep_ == "pobj" and g.lemma_.lower() in ("investigation", "review") for g in c.children) for c in tok.children)


def _not_modal_or_negated(verb: Token) -> bool:
    """No "will", "could", "not" on the verb: "could have died", "was not dead" tell nothing that happened."""
    return not any(c.dep_ in ("aux", "neg") and (c.lower_ in _MODALS or c.dep_ == "neg") for c in verb.children)


def _noun_trigger_head(head: Token, path: set[str]) -> bool:
    """The verb above an attack named as a noun tells that it happened: "the attack killed", "a bomb went off",
    "there was an explosion", "the house was the target of an attack"."""
    lemma = head.lemma_.lower()
    if lemma in _NOUN_TRIGGER_HEADS:
        return True
    if lemma == "go":
        return any(c.dep_ == "prt" and c.lower_ == "off" for c in head.children)
    if lemma == "be":
        return any(c.dep_ == "expl" for c in head.children) or bool(path & {"target", "victim", "scene"})
    return False


def realis(sent: Span) -> bool:
    """True when a violent act in the sentence is told as having happened."""
    return bool(realis_triggers(sent))


def state_agent(tok: Token) -> bool:
    """True when the doer of a trigger verb is the state's own forces ("the air force bombed ...")."""
    if tok.pos_ == "NOUN":  # "a honduran army attack", "the police operation"
        mods = [c for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod")]
        return bool(mods) and any(_STATE_FORCES.search(" ".join(t.text for t in m.subtree)) for m in mods)
    agents: list[Token] = []
    for c in tok.children:
        if c.dep_ == "nsubj":
            agents.append(c)
        elif c.dep_ == "agent":
            agents += [g for g in c.children if g.dep_ == "pobj"]
    if not agents and tok.dep_ == "conj" and not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        # "the army stormed the village and killed five"; not a passive ("Police are searching for clues after five
        # people were injured": the searchers did not injure them)
        return state_agent(tok.head)
    return bool(agents) and all(_STATE_FORCES.search(" ".join(t.text for t in a.subtree))
                                and a.lower_ not in _OFFICER for a in agents)


# one officer who shoots ("Teen shot by officer responding to robbery", "Officer fired at gunman, grazed two bystanders")
# is a shooting the stream reports, as the Gun Violence Archive does; a force (the army, troops, the police) acting is
# the state's operation
_OFFICER = frozenset({"officer", "deputy", "trooper", "detective", "sergeant", "constable", "marshal"})


def unwrap_lines(text: str) -> str:
    """Join hard-wrapped lines (a newline between two non-blank lines becomes a space); same length."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        out.append(" " if prev.strip() and line.strip() else "\n")
        out.append(line)
    return "".join(out)


def split_paragraphs(doc: Doc) -> list[Span]:
    """spaCy's sentences, also cut at blank lines (headline / dateline / paragraph ends are sentence ends).

    Read from one array of the tokens' whitespace flags, not token by token: creating a Token object for every
    token of every article cost a twentieth of the extraction time."""
    spaces = doc.to_array(IS_SPACE)
    # blank-line tokens, and how many tokens with text precede each position (a part is kept when it has any)
    breaks = [i for i in numpy.nonzero(spaces)[0].tolist() if doc[i].text.count("\n") >= 2]
    worded = [0, *numpy.cumsum(spaces == 0).tolist()]
    out: list[Span] = []
    nb = 0
    for sent in doc.sents:
        start, end = sent.start, sent.end
        while nb < len(breaks) and breaks[nb] < start:
            nb += 1
        while nb < len(breaks) and breaks[nb] < end:
            b = breaks[nb]
            nb += 1
            if b > start:
                if worded[b] > worded[start]:
                    out.append(doc[start:b])
                start = b + 1
        if start < end and worded[end] > worded[start]:
            out.append(doc[start:end])
    return out


_PRIORITY = ["assassination", "kidnapping", "hostage_taking", "hijacking", "bombing", "remote_violence", "arson",
             "shooting", "armed_assault", "facility_attack", "robbery"]


def _pub_date(article) -> date | None:  # type: ignore[no-untyped-def]
    pub = getattr(article, "published", None)
    if isinstance(pub, datetime):
        if pub.tzinfo is not None:
            pub = pub.astimezone(timezone.utc)
        return pub.date()
    if isinstance(pub, date):
        return pub
    return None


def _reference_days(article, url: str | None) -> tuple[date | None, date | None]:  # type: ignore[no-untyped-def]
    """(the day the story's relative dates are read against, the day it was published as seen). They differ when the
    URL dates the story over 2 days before it reached us (an old story a feed lists again, a late crawl): its "Sunday"
    and "last month" are as of the day it was written."""
    seen = _pub_date(article)
    written = written_date(url)
    if seen is not None and written is not None and (seen - written).days > 2:
        return written, seen
    return seen, seen


def _url_of(article) -> str | None:  # type: ignore[no-untyped-def]
    return getattr(article, "canonical_url", None) or getattr(article, "url", None)


def _sources(article) -> list[Source]:  # type: ignore[no-untyped-def]
    url = _url_of(article)
    if not url:
        return []
    return [Source(url=url, title=getattr(article, "title", None), published=getattr(article, "published", None),
                   outlet=getattr(article, "site_name", None))]


__all__ = ["EventExtractor", "load_nlp", "TRIGGERS"]
