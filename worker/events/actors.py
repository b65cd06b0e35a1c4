"""Perpetrator names canonicalised through config/actors.yaml, and the claim status around each mention.

Claim statuses: "claimed" (the group says it did it: "X claimed responsibility"), "suspected" (someone else
names it: "officials blamed X", "X is suspected", "X was behind"), "denied" ("X denied involvement"),
"unknown" (named as the actor with no claim or attribution around it). A news agency that carries a claim
(Amaq) is never the perpetrator; its claim is credited to the group it speaks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from worker.events.wordtree import word_tree

CLAIM_VERBS = re.compile(r"\b(claim(?:ed|s|ing)? (?:the )?(?:responsibility|credit|the (?:attack|bombing|killing|assault))|"
                         r"took responsibility|takes responsibility|claimed (?:it|that it)|said it (?:had )?carried out|"
                         r"admitted (?:responsibility|carrying out))", re.I)
BLAME_VERBS = re.compile(r"\b(blam(?:ed|es|ing)|accus(?:ed|es|ing)|suspect(?:ed|s)?|attribut(?:ed|es)|"
                         r"(?:was|were|is|are) (?:believed|thought|said) to be behind|behind the|linked to|"
                         r"responsible for|carried out by|perpetrated by|by (?:suspected )?(?:members|militants|fighters|gunmen|rebels|guerrillas) of|"
                         r"held responsible)", re.I)
DENY_VERBS = re.compile(r"\b(den(?:ied|ies|y)|rejected|disavowed)\b", re.I)


@dataclass
class Actor:
    """One canonical actor."""

    name: str
    parent: str | None = None
    kind: str = "group"
    outlet_for: str | None = None  # set for news agencies: the group whose claims they carry
    is_outlet: bool = False


@dataclass
class ActorMention:
    """An alias found in text."""

    actor: Actor
    start: int
    end: int
    text: str


@dataclass
class ActorList:
    """Compiled alias list; `find` returns non-overlapping mentions, longest alias first."""

    actors: dict[str, Actor] = field(default_factory=dict)
    _ci: re.Pattern[str] | None = None
    _cs: re.Pattern[str] | None = None
    _exact: re.Pattern[str] | None = None
    _by_alias: dict[str, Actor] = field(default_factory=dict)
    _by_alias_cs: dict[str, Actor] = field(default_factory=dict)
    acronyms: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> "ActorList":
        """Read the YAML alias list; a missing or malformed file gives an empty list with a clear error."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        out = cls()
        ci: list[str] = []
        cs: list[str] = []
        exact: list[str] = []
        for section, is_outlet in (("actors", False), ("outlets", True)):
            for entry in data.get(section) or []:
                actor = Actor(name=entry["name"], parent=entry.get("parent"), kind=entry.get("kind", "group"),
                              outlet_for=entry.get("speaks_for"), is_outlet=is_outlet)
                out.actors[actor.name] = actor
                for alias in [entry["name"], *(entry.get("aliases") or [])]:
                    alias = str(alias).strip()
                    # Acronyms ("FMLN", "LeT") are matched case-sensitively so "let" or "site" never match.
                    if sum(c.isupper() for c in alias[1:]) >= 1 and " " not in alias:
                        cs.append(alias)
                        out._by_alias_cs[alias] = actor
                        if alias.replace("-", "").isupper():
                            out.acronyms.add(alias)
                    else:
                        ci.append(alias)
                        out._by_alias[alias.lower()] = actor
                for alias in entry.get("exact_case") or []:
                    exact.append(str(alias))
                    out._by_alias_cs[str(alias)] = actor
        out._ci = _compile(ci, re.I)
        out._cs = _compile(cs, 0)
        out._exact = _compile(exact, 0)
        return out

    def family(self, name: str) -> str:
        """The top-level family of a canonical actor (ISKP -> Islamic State)."""
        seen = set()
        while name in self.actors and self.actors[name].parent and name not in seen:
            seen.add(name)
            name = self.actors[name].parent or name
        return name

    def find(self, text: str, all_caps: bool = False) -> list[ActorMention]:
        """Every alias mention in `text`, non-overlapping, longest first."""
        found: list[ActorMention] = []
        for pat, table, lower in ((self._ci, self._by_alias, True), (self._cs, self._by_alias_cs, False),
                                  (None if all_caps else self._exact, self._by_alias_cs, False)):
            if pat is None:
                continue
            for m in pat.finditer(text):
                key = m.group(0).lower() if lower else m.group(0)
                actor = table.get(key)
                if actor is None:
                    continue
                if any(f.start < m.end() and m.start() < f.end for f in found):
                    continue
                found.append(ActorMention(actor, m.start(), m.end(), m.group(0)))
        found.sort(key=lambda f: f.start)
        return found


def _compile(aliases: list[str], flags: int) -> re.Pattern[str] | None:
    """One pattern for every alias, longest first where one alias starts another ("ISIS-K" before "ISIS"), written
    as a letter tree (`word_tree`): the actor search runs on every sentence of every article, and the flat list of
    ~150 aliases cost a twentieth of the extraction time."""
    if not aliases:
        return None
    return re.compile(r"(?<![\w-])" + word_tree(aliases, lower=bool(flags & re.I)) + r"(?![\w-])", flags)


def claim_for(sentence: str, start: int, end: int) -> str:
    """Claim status of the actor mention at [start, end) inside one sentence (offsets relative to it)."""
    before = sentence[max(0, start - 90):start]
    after = sentence[end:end + 90]
    # "X claimed responsibility" / "X denied" put the actor before the verb; "blamed X" after it.
    if CLAIM_VERBS.search(after[:70]) and not re.search(r"\b(?:blamed|accused|said)\b", after[:12], re.I):
        if not DENY_VERBS.search(after[:25]):
            return "claimed"
    if DENY_VERBS.search(after[:40]) and re.search(r"involvement|responsib|role|link|part|behind|carry|carried", after[:90], re.I):
        return "denied"
    if re.search(r"claim(?:ed)? by\s+(?:the\s+)?$", before[-25:], re.I):
        return "claimed"
    if BLAME_VERBS.search(before[-60:]) or re.search(r"^\W*(?:is|are|was|were|has been|have been) (?:being )?"
                                                    r"(?:blamed|suspected|accused|believed|thought|said)", after, re.I):
        return "suspected"
    if re.search(r"^\W*(?:was|were|is|are) (?:probably |likely )?behind", after, re.I):
        return "suspected"
    return "unknown"
