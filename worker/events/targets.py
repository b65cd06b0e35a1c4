"""Targets of the attack with a category, from the victims and objects of the incident's sentences."""

from __future__ import annotations

import re

from spacy.tokens import Span

# Category order matters: the first category whose words appear in the phrase wins.
CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    (c, re.compile(r"\b(?:" + p + r")\b", re.I)) for c, p in [
        ("journalists", r"journalists?|reporters?|newspapers?|radio stations?|tv stations?|television stations?|cameram[ae]n|editors?|media"),
        ("diplomatic", r"embass(?:y|ies)|consulates?|diplomats?|ambassadors?|consuls?"),
        ("election", r"polling (?:stations?|centers?|centres?|places?)|election (?:commission|officials?|offices?|workers?)|electoral|ballot|voters?|candidates?"),
        ("police", r"police(?:m[ae]n|wom[ae]n)?|officers?|deput(?:y|ies)|troopers?|sheriff|cops?|patrolm[ae]n|constables?|gendarmes?|police stations?|precincts?|national police|security forces"),
        ("military", r"soldiers?|troops|army|military|armed forces|marines?|barracks|bases?|garrisons?|checkpoints?|convoys?|battalions?|brigades?|sergeants?|lieutenants?|colonels?|generals?|patrols?|national guard|militiam[ae]n"),
        ("religious", r"mosques?|church(?:es)?|temples?|synagogues?|shrines?|cathedrals?|worshipp?ers?|priests?|imams?|clerics?|pastors?|nuns?|monks?|jesuits?|rabbis?|bishops?|archbishops?|pilgrims?|congregation"),
        ("government", r"government|ministr(?:y|ies)|ministers?|officials?|mayors?|governors?|judges?|prosecutors?|lawmakers?|legislators?|senators?|congressm[ae]n|deputies|politicians?|parliament|city hall|courthouse|courts?|councilm[ae]n|council members?|president|presidential|attorney general|public officials?"),
        ("education", r"schools?|universit(?:y|ies)|colleges?|students?|teachers?|professors?|campus|classrooms?|kindergarten"),
        ("health", r"hospitals?|clinics?|doctors?|nurses?|medics?|paramedics?|health workers?|ambulances?"),
        ("transport", r"bus(?:es)?|trains?|airports?|airplanes?|aircraft|planes?|railway|rail|subway|metro|stations?|taxis?|trucks?|vehicles?|highway|port|ferr(?:y|ies)"),
        ("infrastructure", r"power (?:lines?|plants?|stations?|towers?|pylons?)|pylons?|electric(?:al|ity)|pipelines?|oil|bridges?|dams?|towers?|substations?|telephone|water (?:plant|supply)|energy|installations?"),
        ("business", r"banks?|stores?|shops?|markets?|restaurants?|bars?|hotels?|nightclubs?|clubs?|businesses|business|compan(?:y|ies)|factor(?:y|ies)|offices?|malls?|gas stations?|supermarkets?|businessm[ae]n|merchants?|employees|workers|cafes?|farms?|estates?|plantations?"),
        ("civilians", r"civilians?|people|residents?|villagers?|peasants?|farmers?|famil(?:y|ies)|children|child|wom[ae]n|m[ae]n|boys?|girls?|teens?|teenagers?|passers-?by|bystanders?|crowds?|homes?|houses?|residences?|neighbou?rhoods?|victims?|persons?|individuals?|tourists?|shoppers?|\d+-year-old|toddlers?|bab(?:y|ies)|infants?|sons?|daughters?|wife|husband|mothers?|fathers?|friends?|relatives?|youths?|juveniles?"),
    ]
]

_VERBS = {"kill", "attack", "target", "shoot", "bomb", "ambush", "kidnap", "abduct", "wound", "injure", "murder",
          "assassinate", "storm", "raid", "burn", "torch", "destroy", "damage", "hit", "strike", "stab", "hurt",
          "execute", "slay", "seize", "hold", "blow", "set", "rob", "die", "fire"}
_NOUNS = {"attack", "bombing", "shooting", "assault", "ambush", "raid", "explosion", "blast", "kidnapping",
          "abduction", "assassination", "murder", "killing", "arson", "strike"}
_PERP_WORDS = re.compile(r"\b(?:gunm[ae]n|attackers?|assailants?|suspects?|shooters?|bombers?|terrorists?|militants?|"
                         r"insurgents?|guerrillas?|rebels?|kidnappers?|robbers?|subversives?|perpetrators?)\b", re.I)


def category_of(phrase: str) -> str | None:
    """The target category named by a phrase, or None."""
    for cat, pat in CATEGORIES:
        if pat.search(phrase):
            return cat
    return None


def _phrase(tok) -> tuple[str, int, int]:  # type: ignore[no-untyped-def]
    """The noun phrase headed by `tok`, without trailing relative clauses."""
    left = tok.left_edge.i
    right = tok.i
    for c in tok.rights:
        if c.dep_ in ("compound", "nummod", "amod", "poss") or (c.dep_ == "prep" and c.lower_ == "of"):
            right = max(right, c.right_edge.i)
    span = tok.doc[left:right + 1]
    return span.text, span.start_char, span.end_char


def extract_targets(sents: list[Span], limit: int = 4) -> list[tuple[str, str, int, int]]:
    """(name, category, start, end) of what was attacked, first mentions first, one per category."""
    found: list[tuple[str, str, int, int]] = []
    seen: set[str] = set()
    for sent in sents:
        for tok in sent:
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            head = tok.head
            role_ok = False
            if tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in _VERBS:
                role_ok = True
            elif tok.dep_ == "pobj" and head.lower_ in ("on", "against", "at", "near", "outside", "inside", "in") and (
                    head.head.lemma_.lower() in _NOUNS or head.head.lemma_.lower() in _VERBS):
                role_ok = head.lower_ in ("on", "against") or head.head.lemma_.lower() in _NOUNS and head.lower_ in ("at", "outside", "inside", "near")
            elif tok.dep_ == "nsubj" and head.lemma_.lower() == "die":
                role_ok = True
            elif tok.dep_ == "compound" and tok.head.lemma_.lower() in _NOUNS:
                role_ok = True
            if not role_ok:
                continue
            name, s, e = _phrase(tok)
            if _PERP_WORDS.search(tok.text):
                continue
            cat = category_of(name) or category_of(tok.text)
            if cat is None or cat in seen:
                continue
            seen.add(cat)
            found.append((name.strip(), cat, s, e))
            if len(found) >= limit:
                return found
    return found
