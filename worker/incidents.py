"""Level 3 of deduplication: assign each report to a living incident record, atomically.

    1. features of the report                  (worker.incident_features)
    2. blocking: candidate incidents that share a place, a map cell or a rare word, seen
       within the incident window               (sorted sets scored by day, pruned as time passes)
    3. decision: vetoes, then a score           (worker.incident_score)
    4. write: join the best incident (merging any other the report shows to be the same one)
       or start a new one, and fold the report into the consensus record  (worker.incident_record)
    5. follow-ups (stories that are no incident report: arrests, court dates, funerals) may only
       join: `attach`. One that matches nothing yet is kept pending for the window, filed under
       its rare names; an incident report that later starts or joins an incident adopts the
       pending follow-ups that strongly match it (the story came before the report it follows).
       A "follow-up" that is fresh news of a shooting (`is_fresh_report`) and joins nothing as a
       follow-up is assigned as a report instead (it may start an incident). A follow-up that joins
       nothing but that pending follow-ups corroborate (two stories of one arrest or trial) starts
       the incident with them (`_group`): a shooting no report of which ever reached us.
    0. an outlet's page furniture (station call letters, a comment widget's words: words the outlet
       printed on stories of several different incidents lately) is dropped from the report's names
       before anything else (`_furniture`), learnt online from a short list of the outlet's articles.

Atomicity: the assignment holds short locks on every block it reads (taken all at once by one
Lua script, so there is no lock-order deadlock), so two reports that could find each other
are assigned one after the other, as one process would; the incident records it rewrites are
also WATCHed, so a writer arriving through another block cannot be lost. Idempotency: the
article's incident is recorded with the write; the same article again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Literal

import redis

from config.settings import Settings
from worker.errors import TransientError
from worker.incident_features import (
    IncidentFeatures,
    ReportFeatures,
    day_number,
    report_features,
    term_weight,
    without_terms,
)
from worker.incident_record import fold_report, merge_records, new_incident
from worker.incident_score import WEIGHTS, Verdict, Weights, score, shared_names
from worker.keys import Keys
from worker.models import Article, Casualties, Event, Incident

log = logging.getLogger("newsworker.incidents")

Change = Literal["created", "updated", "unchanged"]
TERM_BLOCKS = 8              # heaviest names of a report used as blocking keys
MIN_TERM_BLOCK_RARITY = 1.5  # only rarer words (Zipf <= 4.5: names, streets) make useful blocks
CELL_DEG = 0.2             # map cell size (~20 km) for reports with coordinates
CANDIDATES_PER_BLOCK = 25  # most recent incidents read per rare-name block
CANDIDATES_PER_PLACE = 15  # ... per town block
CANDIDATES_PER_CELL = 6    # ... per map cell (coarse, crowded in cities)
MAX_CANDIDATES = 80        # scored per report, whatever the blocks hold
PENDING_PER_BLOCK = 10     # most recent pending follow-ups read per rare-name block
MAX_PENDING = 12           # pending follow-ups scored per incident report (those in most blocks first)
LOCK_MS = 5000
NOT_STREAM_TYPES = frozenset({"armed_clash"})  # typed by the extractor, but no incident for the stream
OUTLET_RECENT = 40              # an outlet's last articles kept to learn its page furniture
OUTLET_FURNITURE_INCIDENTS = 3  # a word on articles of this many different incidents of one outlet is furniture
_RETRY = object()  # sentinel: the assignment lost a race and is redone
LOCK_WAIT_S = 15.0

_ACQUIRE_LUA = """
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
return 1
"""
_RELEASE_LUA = """
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
"""


@dataclass(frozen=True)
class Assignment:
    """The outcome of assigning one report: the incident as it now stands and what changed."""

    incident: Incident
    change: Change
    material_changes: list[str] = field(default_factory=list)
    merged: list[Incident] = field(default_factory=list)
    score: float | None = None
    adopted: list[str] = field(default_factory=list)  # pending follow-ups (article ids) folded in


def incident_id_for(article_id: str) -> str:
    """Deterministic id of the incident an article starts (a retried task recreates the same id)."""
    return "inc-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]


def is_fresh_report(article: Article, event: Event, w: Weights = WEIGHTS) -> bool:
    """Whether a story the extractor calls no incident report is fresh news of a shooting all the same:
    it dates the event to within `w.fresh_report_days` before its publication and gives its place and
    a casualty figure. (On the dev set most such stories are reports of the day's shooting; a court
    story dated to its hearing is the exception.)"""
    if w.fresh_report_days < 0 or not event.location or not event.location.name:
        return False
    if not (event.casualties.killed or event.casualties.wounded):
        return False
    published, happened = day_number(article.published), day_number(event.date)
    return published is not None and happened is not None and 0 <= published - happened <= w.fresh_report_days


def pending_record(article: Article, r: ReportFeatures, own: list[str]) -> tuple[str, list[str]]:
    """(stored JSON, rare-name blocks) of a follow-up kept pending: its features and its source."""
    names = [b for b in own if b.startswith("t:")]
    data = {"r": asdict(r), "blocks": names, "url": article.url, "canonical_url": article.canonical_url,
            "title": article.title, "published": article.published.isoformat() if article.published else None}
    data["r"].pop("title_terms", None)
    return json.dumps(data, separators=(",", ":")), names


def report_blocks(r: ReportFeatures) -> tuple[list[str], list[str]]:
    """(blocks to look in, blocks to be filed under) for a report."""
    own: list[str] = []
    look: list[str] = []
    if r.place:
        own.append("p:" + r.place)
    if r.lat is not None and r.lon is not None:
        ci, cj = int(r.lat // CELL_DEG), int(r.lon // CELL_DEG)
        own.append(f"g:{ci}:{cj}")
        look += [f"g:{ci + di}:{cj + dj}" for di in (-1, 0, 1) for dj in (-1, 0, 1)]
    heavy = [t for t, w in sorted(r.terms.items(), key=lambda kv: (-kv[1], kv[0]))
             if term_weight(t) >= MIN_TERM_BLOCK_RARITY]
    own += ["t:" + t for t in heavy[:TERM_BLOCKS]]
    look = sorted(set(look) | set(own))
    return look, own


def _block_priority(block: str) -> int:
    return {"t": 0, "p": 1, "g": 2}.get(block[:1], 3)


def _block_quota(block: str) -> int:
    return {"t": CANDIDATES_PER_BLOCK, "p": CANDIDATES_PER_PLACE}.get(block[:1], CANDIDATES_PER_CELL)


class IncidentStore:
    """Living incident records in Redis, shared by every worker."""

    def __init__(self, client: redis.Redis, keys: Keys, settings: Settings, weights: Weights = WEIGHTS) -> None:
        self.redis = client
        self.keys = keys
        self.window_days = settings.incident_window_days
        # rare-name blocks keep an incident findable longer, for late follow-ups (charges, a trial)
        self.name_window_days = max(settings.incident_window_days, settings.incident_name_window_days)
        self.ttl = max(1, int((self.name_window_days + settings.incident_window_days) * 86400))
        self.weights = weights
        self._acquire = client.register_script(_ACQUIRE_LUA)
        self._release = client.register_script(_RELEASE_LUA)
        # {article id: the report's features as assigned (page furniture removed)}, when a caller
        # (bench/dedup.py --explain) wants to score them again; None: nothing kept
        self.trace: dict[str, ReportFeatures] | None = None

    # -- public ----------------------------------------------------------------------------
    def assign(self, article: Article, event: Event) -> Assignment:
        """File the report under its incident (new, existing or merged); idempotent per article id."""
        result = self._assign(article, event, follow_up=False)
        assert result is not None
        return result

    def attach(self, article: Article, event: Event) -> Assignment | None:
        """File a follow-up (a report that is no incident report itself: an arrest, a court date, a
        vigil) under the incident it strongly matches, or return None; never creates an incident --
        except that a story which is fresh news of a shooting (`is_fresh_report`) and that no incident
        claims as its follow-up is then assigned as an incident report, and may start one.

        The follow-up becomes a source of the incident (counted in its articles and outlets, its
        names join the incident's, so a later follow-up naming only the suspect still finds it);
        of its event fields only its death toll and, at a follow-up's weight, its place count in
        the consensus (incident_record.fold_report). It never merges two incidents either.
        Idempotent per article id, like `assign`.
        """
        return self._assign(article, event, follow_up=True, fresh=is_fresh_report(article, event, self.weights))

    def _assign(self, article: Article, event: Event, follow_up: bool, fresh: bool = False) -> Assignment | None:
        raw = report_features(article, event, with_named_days=follow_up)
        # The outlet's furniture list is read and written inside the same lock as the assignment (the
        # outlet's own lock key with the blocks), so concurrent workers see the outlet's articles in
        # the order they were assigned, as one worker would. The blocks to lock depend on the
        # filtered report; those of the unfiltered report are locked first and, when filtering brings
        # in another rare name, the lock is taken again over both.
        outlet_lock = [self.keys.outlet_lock(raw.outlet)] if raw.outlet else []
        wanted = set(report_blocks(raw)[0])
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            lock_keys = outlet_lock + [self.keys.incident_block_lock(b) for b in sorted(wanted)]
            token = self._lock(lock_keys, deadline)
            result: object = _RETRY
            try:
                furniture, seen = self._furniture(raw)
                r = without_terms(raw, furniture)
                look, own = report_blocks(r)
                if not set(look) <= wanted:
                    wanted |= set(look)  # relock over the filtered report's blocks too
                    continue
                if self.trace is not None:
                    self.trace[article.id] = r
                result = self._assign_locked(article, event, r, look, own, follow_up, fresh)
                if result is not _RETRY and not seen:
                    self._remember_outlet_terms(article, r, furniture, result)  # type: ignore[arg-type]
            except redis.WatchError:
                result = _RETRY  # an incident we read was rewritten through another block: redo
            finally:
                if lock_keys:
                    self._release(keys=lock_keys, args=[token])
            if result is not _RETRY:
                return result  # type: ignore[return-value]
            if time.monotonic() > deadline:
                raise TransientError(f"incident assignment of {article.id} kept conflicting")

    # -- outlet page furniture -------------------------------------------------------------
    def _furniture(self, r: ReportFeatures) -> tuple[set[str], bool]:
        """(words the report's outlet printed in articles of at least OUTLET_FURNITURE_INCIDENTS other
        incidents among its last OUTLET_RECENT articles, whether this article is among them already).

        Station call letters, a comment widget's "Junk"/"Spam", the anchor of a news desk: a word
        one outlet puts on stories of many different incidents names none of them. Learnt online
        from the outlet's own recent articles (a bounded list per outlet), so no site list is kept.
        """
        if not r.outlet or OUTLET_FURNITURE_INCIDENTS <= 0:
            return set(), False
        incidents_of: dict[str, set[str]] = {}
        seen = False
        for raw in self.redis.lrange(self.keys.outlet_terms(r.outlet), 0, OUTLET_RECENT - 1):
            aid, iid, words = json.loads(raw)
            if aid == r.article_id:
                seen = True
                continue
            for t in words:
                incidents_of.setdefault(t, set()).add(iid or aid)
        mine = set(r.terms) | set(r.words)
        return {t for t in mine if len(incidents_of.get(t, ())) >= OUTLET_FURNITURE_INCIDENTS}, seen

    def _remember_outlet_terms(self, article: Article, r: ReportFeatures, furniture: set[str],
                               result: Assignment | None) -> None:
        if not r.outlet or OUTLET_FURNITURE_INCIDENTS <= 0:
            return
        iid = result.incident.incident_id if result is not None else None
        words = sorted(set(r.terms) | set(r.words) | furniture)
        key = self.keys.outlet_terms(r.outlet)
        pipe = self.redis.pipeline(transaction=False)
        pipe.lpush(key, json.dumps([article.id, iid, words], separators=(",", ":")))
        pipe.ltrim(key, 0, OUTLET_RECENT - 1)
        pipe.expire(key, self.ttl)
        pipe.execute()

    def get(self, incident_id: str) -> Incident | None:
        """The stored record of an incident, or None."""
        raw = self.redis.get(self.keys.incident(incident_id))
        return Incident.model_validate_json(raw) if raw else None

    def resolve(self, incident_id: str) -> Incident | None:
        """The incident, following merges to the survivor."""
        seen = set()
        inc = self.get(incident_id)
        while inc is not None and inc.merged_into and inc.incident_id not in seen:
            seen.add(inc.incident_id)
            inc = self.get(inc.merged_into)
        return inc

    def incident_of(self, article_id: str) -> str | None:
        """The (surviving) incident id an article was assigned to, or None."""
        iid = self.redis.get(self.keys.incident_of_article(article_id))
        if iid is None:
            return None
        inc = self.resolve(iid)
        return inc.incident_id if inc else iid

    # -- internals -------------------------------------------------------------------------
    def _lock(self, lock_keys: list[str], deadline: float) -> str:
        token = uuid.uuid4().hex
        if not lock_keys:
            return token
        delay = 0.002
        while not self._acquire(keys=lock_keys, args=[token, LOCK_MS]):
            if time.monotonic() > deadline:
                raise TransientError("incident blocks stayed locked; retry later")
            time.sleep(delay)
            delay = min(0.05, delay * 1.5)
        return token

    def _local_counts(self, r: ReportFeatures, look: list[str]) -> dict[str, int]:
        """How many incidents of the window each of the report's rare-name blocks already holds.

        A name shared by many recent incidents (a neighbourhood, a hospital, a police chief)
        identifies none of them: the score discounts it, like an IDF learnt from the index.
        """
        names = [b for b in look if b.startswith("t:")]
        if not names:
            return {}
        low = r.day - self.window_days
        pipe = self.redis.pipeline(transaction=False)
        for b in names:
            pipe.zcount(self.keys.incident_block(b), low, "+inf")
        return {b[2:]: int(n) for b, n in zip(names, pipe.execute())}

    def _candidates(self, r: ReportFeatures, look: list[str]) -> list[str]:
        """Recent incidents of the report's blocks, most specific blocks first, at most MAX_CANDIDATES.

        Rare-name blocks are small and telling; a town or a map cell in a big city holds many
        incidents, so only its most recent few are read. The cap keeps the cost of one
        assignment flat however full the index is.
        """
        ordered = sorted(look, key=_block_priority)
        pipe = self.redis.pipeline(transaction=False)
        for b in ordered:
            low = r.day - self._block_window(b)
            pipe.zrevrangebyscore(self.keys.incident_block(b), "+inf", low, start=0, num=_block_quota(b))
        found: dict[str, None] = {}
        # a near-duplicate's incident is always a candidate, whatever the blocks say
        root = self.redis.get(self.keys.near_duplicate_of(r.article_id))
        if root:
            iid = self.redis.get(self.keys.incident_of_article(root))
            if iid:
                found.setdefault(iid, None)
        for ids in pipe.execute():
            for iid in ids:
                if len(found) >= MAX_CANDIDATES:
                    break
                found.setdefault(iid, None)
        return list(found)

    def _assign_locked(self, article: Article, event: Event, r: ReportFeatures, look: list[str],
                       own: list[str], follow_up: bool, fresh: bool = False) -> Assignment | None | object:
        pipe = self.redis.pipeline(transaction=True)
        mapping_key = self.keys.incident_of_article(article.id)
        pipe.watch(mapping_key)
        existing = pipe.get(mapping_key)
        if existing:
            pipe.reset()
            inc = self.resolve(existing)
            if inc is None:
                raise TransientError(f"incident {existing} of article {article.id} is missing")
            return Assignment(incident=inc, change="unchanged")

        cand_ids = self._candidates(r, look)
        feats: dict[str, IncidentFeatures] = {}
        if cand_ids:
            raws = self.redis.mget([self.keys.incident_features(i) for i in cand_ids])
            for iid, raw in zip(cand_ids, raws):
                if raw:
                    f = IncidentFeatures.from_json(json.loads(raw))
                    if r.day - f.last_day <= self.name_window_days:
                        feats[iid] = f
        counts = self._local_counts(r, look) if feats else {}
        near_root = self.redis.get(self.keys.near_duplicate_of(article.id))
        near_iid = self.redis.get(self.keys.incident_of_article(near_root)) if near_root else None
        matches = self._matches(r, feats, counts, follow_up, near_iid)
        if not matches and follow_up and fresh:
            # fresh news of a shooting that no incident claims as its follow-up: a report, which may start one
            follow_up = False
            event = event.model_copy(update={"is_incident": True})
            matches = self._matches(r, feats, counts, follow_up, near_iid)

        if not matches:
            if follow_up:
                # a follow-up alone never starts an incident; one that a pending follow-up corroborates does
                grouped = self._group(pipe, article, event, r, own, look, mapping_key, counts)
                if grouped is not None:
                    return grouped
                self._keep_pending(pipe, article, r, own)  # otherwise it waits for a report or a second story
                return None
            return self._create(pipe, article, r, event, own, look, mapping_key, counts)
        best_score, best_id = matches[0]
        others = [] if follow_up else [iid for s, iid in matches[1:] if s >= self.weights.merge_threshold]
        result = self._join(pipe, article, event, r, own, look, mapping_key, best_id, best_score, others, counts,
                            follow_up)
        return _RETRY if result is None else result

    def _matches(self, r: ReportFeatures, feats: dict[str, IncidentFeatures], counts: dict[str, int],
                 follow_up: bool, near_iid: str | None) -> list[tuple[float, str]]:
        """(score, incident id) of the candidates the report may join, best first."""
        verdicts = {iid: score(r, f, self.weights, counts, follow_up, late=r.day - f.last_day > self.window_days)
                    for iid, f in feats.items()}
        threshold = self.weights.follow_threshold if follow_up else self.weights.threshold
        # a copy of a report joins the copied report's incident (unless vetoed); a follow-up has to earn
        # its join by names (a page that is mostly an outlet's boilerplate "copies" many others), and an
        # incident quiet for longer than the window is not forced either
        if (not follow_up and near_iid in verdicts and verdicts[near_iid].veto is None
                and r.day - feats[near_iid].last_day <= self.window_days):
            v = verdicts[near_iid]
            verdicts[near_iid] = Verdict(max(v.score, threshold) + 1.0, None, v.term_sim)
        sole = self._sole_incident(r, feats, verdicts) if follow_up else None
        if sole is not None:
            v = verdicts[sole]
            verdicts[sole] = Verdict(max(v.score, threshold), None, v.term_sim)
        ranked = sorted(((v.score, iid) for iid, v in verdicts.items() if v.veto is None), reverse=True)
        return [(s, iid) for s, iid in ranked if s >= threshold]

    def _sole_incident(self, r: ReportFeatures, feats: dict[str, IncidentFeatures],
                       verdicts: dict[str, Verdict]) -> str | None:
        """The one incident of the follow-up's town on the day it names, when there is exactly one and the
        follow-up shares some words with it: "Myrtle Beach police identify suspect in Saturday shooting" after the
        only Myrtle Beach shooting of that Saturday. In a city with several shootings that day there is none."""
        floor = self.weights.sole_follow_min_term_sim
        if floor < 0 or not r.place or r.event_day is None or not r.dated or not r.event_type:
            return None
        same = [iid for iid, f in feats.items() if r.place in f.places
                and r.event_day in f.event_days]
        if len(same) != 1:
            return None
        v = verdicts[same[0]]
        return same[0] if v.veto is None and v.term_sim >= floor else None

    def _create(self, pipe: redis.client.Pipeline, article: Article, r: ReportFeatures, event: Event,
                own: list[str], look: list[str], mapping_key: str, counts: dict[str, int]) -> Assignment:
        iid = incident_id_for(article.id)
        incident = new_incident(iid, article, event, r)
        f = IncidentFeatures.start(iid, r, own)
        incident, _, adopted = self._adopt(pipe, r, look, incident, f, counts, indexed=False)
        pipe.multi()
        self._write(pipe, incident, f)
        pipe.set(mapping_key, iid, ex=self.ttl)
        self._index(pipe, iid, f, r.day)
        self._write_adopted(pipe, iid, adopted)
        pipe.execute()
        log.debug("incident %s created from %s (adopted %s)", iid, article.id, [a[0] for a in adopted])
        return Assignment(incident=incident, change="created", material_changes=["new_incident"],
                          adopted=[a[0] for a in adopted])

    def _group(self, pipe: redis.client.Pipeline, article: Article, event: Event, r: ReportFeatures,
               own: list[str], look: list[str], mapping_key: str, counts: dict[str, int]) -> Assignment | None:
        """Start an incident from a follow-up that no incident claims but that pending follow-ups (stories
        that came earlier and matched nothing either) corroborate: two stories about the same arrest,
        trial or funeral tell of one real shooting even when no report of it ever reached us.

        The follow-up is scored as a one-story incident against the pending ones, like an incident
        report adopting them (`group_threshold`, `adopt_min_term_sim`, `follow_min_shared_names`),
        and the incident is created only when at least `group_min_outlets` outlets tell it. It is
        filed under rare names only (its place may be the courthouse's), like any follow-up.
        Returns None (nothing written) when nothing corroborates it.
        """
        w = self.weights
        if not w.group_follow_ups or not event.event_type or event.event_type in NOT_STREAM_TYPES:
            return None  # a story with no violent act in it (a policy piece, an armed clash) starts nothing
        names = [b for b in own if b.startswith("t:")]
        if not names:
            return None
        iid = incident_id_for(article.id)
        ev = event.model_copy(update={"is_incident": True, "incident_id": iid})
        incident = new_incident(iid, article, ev, r)
        f = IncidentFeatures.start(iid, r, names)
        if not w.group_facts:  # the story's date and place may be the hearing's: names only
            f = IncidentFeatures(incident_id=iid, first_day=r.day, last_day=r.day)
            f.add(r, names, follow_up=True)
        incident, _, adopted = self._adopt(pipe, r, look, incident, f, counts, indexed=False,
                                           threshold=w.group_threshold)
        if not adopted or incident.n_outlets < w.group_min_outlets:
            return None
        pipe.multi()
        self._write(pipe, incident, f)
        pipe.set(mapping_key, iid, ex=self.ttl)
        self._index(pipe, iid, f, r.day)
        self._write_adopted(pipe, iid, adopted)
        pipe.delete(self.keys.pending_follow_up(article.id))  # it may have waited on an earlier try
        for b in names:
            pipe.zrem(self.keys.pending_block(b), article.id)
        pipe.execute()
        log.debug("incident %s created from follow-ups %s and %s", iid, article.id, [a[0] for a in adopted])
        return Assignment(incident=incident, change="created", material_changes=["new_incident"],
                          adopted=[a[0] for a in adopted])

    # -- pending follow-ups ----------------------------------------------------------------
    def _keep_pending(self, pipe: redis.client.Pipeline, article: Article, r: ReportFeatures,
                      own: list[str]) -> None:
        """File a follow-up that matched nothing under its rare names, for the window (bounded state)."""
        record, names = pending_record(article, r, own)
        if not names:
            pipe.reset()
            return
        ttl = max(1, int(self.window_days * 86400))
        pipe.multi()
        pipe.set(self.keys.pending_follow_up(article.id), record, ex=ttl)
        for b in names:
            key = self.keys.pending_block(b)
            pipe.zadd(key, {article.id: r.day})
            pipe.zremrangebyscore(key, "-inf", f"({r.day - self.window_days}")
            pipe.expire(key, ttl)
        pipe.execute()

    def _adopt(self, pipe: redis.client.Pipeline, r: ReportFeatures, look: list[str], incident: Incident,
               f: IncidentFeatures, counts: dict[str, int],
               indexed: bool, threshold: float | None = None) -> tuple[Incident, list[str], list[tuple[str, list[str]]]]:
        """Fold in the pending follow-ups (found through the report's own rare-name blocks, which this
        assignment holds locked) that strongly match the incident as it now stands.

        Their keys are WATCHed: a follow-up adopted through another block meanwhile makes this
        transaction fail and the assignment run again. Returns the incident, the changes and
        (article id, pending blocks) of each adopted follow-up.
        """
        names = [b for b in look if b.startswith("t:")]
        if not names:
            return incident, [], []
        rp = self.redis.pipeline(transaction=False)
        for b in names:
            rp.zrevrangebyscore(self.keys.pending_block(b), "+inf", r.day - self.window_days, start=0,
                                num=PENDING_PER_BLOCK)
        hits: dict[str, int] = {}
        for found in rp.execute():
            for pid in found:
                if pid != r.article_id:
                    hits[pid] = hits.get(pid, 0) + 1
        # those in more of the incident's name blocks first (found through a name, adopted on names or words)
        ranked = sorted(hits, key=lambda pid: -hits[pid])  # stable: block order, most recent first
        ids = dict.fromkeys(ranked[:MAX_PENDING])
        if not ids:
            return incident, [], []
        pkeys = [self.keys.pending_follow_up(pid) for pid in ids]
        pipe.watch(*pkeys)
        pending = [(pid, json.loads(raw)) for pid, raw in zip(ids, pipe.mget(pkeys)) if raw is not None]
        reports = [(pid, ReportFeatures(**data["r"]), data) for pid, data in pending]
        # cheap test first: too few shared names can never be adopted, whatever the weights
        reports = [(pid, pr, data) for pid, pr, data in reports
                   if len(shared_names(pr, f)) >= self.weights.follow_min_shared_names]
        if not reports:
            return incident, [], []
        counts = self._shared_counts(r.day, f, [pr for _, pr, _ in reports], counts, indexed)
        scored = []
        for pid, pr, data in reports:
            v = score(pr, f, self.weights, counts, follow_up=True)
            if (v.veto is None and v.score >= (self.weights.adopt_threshold if threshold is None else threshold)
                    and v.term_sim >= self.weights.adopt_min_term_sim):
                scored.append((v.score, pid, pr, data))
        changes: list[str] = []
        adopted = []
        for _, pid, pr, data in sorted(scored, key=lambda x: (-x[0], x[1])):
            art = Article(id=pid, url=data["url"], canonical_url=data.get("canonical_url"), title=data.get("title"),
                          published=data.get("published"))
            toll = Casualties(killed=pr.killed, wounded=pr.wounded)  # of which the death toll counts
            incident, ch = fold_report(incident, art, Event(article_id=pid, is_incident=False, casualties=toll), pr,
                                       follow_up=True)
            changes += [c for c in ch if c not in changes]
            f.add(pr, data["blocks"], follow_up=True)
            adopted.append((pid, data["blocks"]))
        return incident, changes, adopted

    def _shared_counts(self, day: int, f: IncidentFeatures, reports: list[ReportFeatures], counts: dict[str, int],
                       indexed: bool) -> dict[str, int]:
        """Window counts (incidents using the name) of every name the pending reports share with the
        incident, so a city's name on every story there weighs as little as it does between reports."""
        shared = sorted({t for pr in reports for t in pr.terms if t in f.terms and t not in counts})
        out = dict(counts)
        if shared:
            rp = self.redis.pipeline(transaction=False)
            for t in shared:
                rp.zcount(self.keys.incident_block("t:" + t), day - self.window_days, "+inf")
            out.update({t: int(n) for t, n in zip(shared, rp.execute())})
        if not indexed:  # a new incident is not in its blocks yet, but `damping` discounts itself
            out = {t: n + (1 if t in f.terms else 0) for t, n in out.items()}
        return out

    def _write_adopted(self, pipe: redis.client.Pipeline, iid: str, adopted: list[tuple[str, list[str]]]) -> None:
        for pid, blocks in adopted:
            pipe.set(self.keys.incident_of_article(pid), iid, ex=self.ttl)
            pipe.delete(self.keys.pending_follow_up(pid))
            for b in blocks:
                pipe.zrem(self.keys.pending_block(b), pid)

    def _join(self, pipe: redis.client.Pipeline, article: Article, event: Event, r: ReportFeatures,
              own: list[str], look: list[str], mapping_key: str, best_id: str, best_score: float, others: list[str],
              counts: dict[str, int], follow_up: bool = False) -> Assignment | None:
        ids = [best_id, *others]
        pipe.watch(*[self.keys.incident(i) for i in ids], *[self.keys.incident_features(i) for i in ids])
        raws = pipe.mget([self.keys.incident(i) for i in ids])
        if any(raw is None for raw in raws):
            return None
        records = [Incident.model_validate_json(raw) for raw in raws]
        fraws = pipe.mget([self.keys.incident_features(i) for i in ids])
        if any(raw is None for raw in fraws):
            return None
        # re-read under WATCH: what was scored may have changed before the watch began
        feats = {i: IncidentFeatures.from_json(json.loads(raw)) for i, raw in zip(ids, fraws)}
        # the oldest incident survives a merge, so ids already published stay the main ones
        order = sorted(range(len(ids)), key=lambda k: (records[k].first_seen, records[k].incident_id))
        survivor, absorbed = records[order[0]], [records[k] for k in order[1:]]
        sf = feats[survivor.incident_id]
        changes: list[str] = []
        merged_out: list[Incident] = []
        for other in absorbed:
            survivor, merge_changes = merge_records(survivor, other)
            changes += [c for c in merge_changes if c not in changes]
            sf.absorb(feats[other.incident_id])
            merged_out.append(other.model_copy(update={"merged_into": survivor.incident_id}))
        survivor, report_changes = fold_report(survivor, article, event, r, follow_up=follow_up)
        changes += [c for c in report_changes if c not in changes]
        if follow_up:  # filed under its names only: its place may be the courthouse's
            own = [b for b in own if b.startswith("t:")]
        sf.add(r, own, follow_up=follow_up)
        adopted: list[tuple[str, list[str]]] = []
        if not follow_up:
            survivor, adopt_changes, adopted = self._adopt(pipe, r, look, survivor, sf, counts, indexed=True)
            changes += [c for c in adopt_changes if c not in changes]
        if merged_out:
            changes.append("merge")
        material = [c for c in changes if c != "new_article"]
        if material:
            survivor = survivor.model_copy(update={"revision": survivor.revision + 1})
        pipe.multi()
        self._write(pipe, survivor, sf)
        pipe.set(mapping_key, survivor.incident_id, ex=self.ttl)
        self._index(pipe, survivor.incident_id, sf, max(sf.last_day, r.day))
        for gone in merged_out:
            pipe.set(self.keys.incident(gone.incident_id), gone.model_dump_json(), ex=self.ttl)
            pipe.delete(self.keys.incident_features(gone.incident_id))
            for b in feats[gone.incident_id].blocks:
                pipe.zrem(self.keys.incident_block(b), gone.incident_id)
        self._write_adopted(pipe, survivor.incident_id, adopted)
        if follow_up:  # it may have waited, pending, on an earlier try: it is placed now
            pipe.delete(self.keys.pending_follow_up(article.id))
            for b in own:
                pipe.zrem(self.keys.pending_block(b), article.id)
        pipe.execute()
        log.debug("article %s joined incident %s (score %.2f, changes %s, merged %s, adopted %s)", article.id,
                  survivor.incident_id, best_score, material, [m.incident_id for m in merged_out],
                  [a[0] for a in adopted])
        return Assignment(incident=survivor, change="updated" if material else "unchanged",
                          material_changes=material, merged=merged_out, score=best_score,
                          adopted=[a[0] for a in adopted])

    def _write(self, pipe: redis.client.Pipeline, incident: Incident, f: IncidentFeatures) -> None:
        pipe.set(self.keys.incident(incident.incident_id), incident.model_dump_json(), ex=self.ttl)
        pipe.set(self.keys.incident_features(incident.incident_id),
                 json.dumps(f.to_json(), separators=(",", ":")), ex=self.ttl)

    def _block_window(self, block: str) -> float:
        """Days an incident stays in a block after its last report: rare names longer than places."""
        return self.name_window_days if block.startswith("t:") else self.window_days

    def _index(self, pipe: redis.client.Pipeline, iid: str, f: IncidentFeatures, day: int) -> None:
        """File the incident under its blocks, scored by its last day; drop what left the window."""
        for b in f.blocks:
            low = day - self._block_window(b)
            key = self.keys.incident_block(b)
            pipe.zadd(key, {iid: f.last_day})
            pipe.zremrangebyscore(key, "-inf", f"({low}")
            pipe.expire(key, self.ttl)

