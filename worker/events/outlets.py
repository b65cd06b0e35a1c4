"""Where an outlet's stories usually happen, learned from the outlet's own articles.

Local news names its town and rarely its state ("a Covington man was shot"): eight US towns are called
Covington. The outlet is evidence: a station that placed its last twenty stories in Ohio is probably
reporting from Ohio again. `OutletRegions` counts, per outlet host, the states (and countries) of the
incident stories it placed, and hands the distribution back as a hint for the next article from that host.
A hint is evidence, never the answer: a town named with its state, or a state named in the text, still
wins. The hint grows with the evidence: one story gives a third of the full weight, `full_stories` (3) give
all of it, and a state under half of the host's stories gives none.

Every placed story counts, not only those whose state the text fixes ("Covington, Ohio", Ohio named, or a
large city with no namesake of comparable size): a local station rarely writes its state, and its towns
placed by the gazetteer alone (Cookeville, Gallatin) say where it is as well. On the gun-violence dev set,
learning from the certain stories only placed 0.9377 of incidents in the right state (per article 0.9139);
learning from every placed story 0.9403 (0.9174: 16 articles better, 2 worse). Weighting a story by its
confidence instead did worse (state 1 better / 5 worse against counting each story once), and the hint's
weight (1.5 or 3 instead of 2) and majority share (0.4 or 0.6) moved nothing. (The first version waited for
three certain stories before any hint: 0.8944 as published; a hint from the first story at full weight
0.9001; graded 0.8997 with fewer articles worse, kept.)

An outlet also has a home ground: a local station covers the towns around it, across state lines (a Charlotte
station's Great Falls is South Carolina's, not Virginia's; a Chicago site's Austin is the West Side
neighbourhood). `centre` is the mean position of the last `max_points` placed stories, once there are two and
half of them lie within `home_km` of it (a national outlet has no centre); the place resolver then favours a
namesake near it (`worker.events.places.NEAR_OUTLET_W`), and a county (which has no position) in the state of half
the outlet's stories. On the gun-violence dev set: state per incident 0.9456
-> 0.9461 and city 0.8431 -> 0.8440 (per article, state 2 better / 0 worse, city 4 / 0); half the stories within
60 or 250 km instead of 120 gave the same.

State is per process and bounded: at most `max_outlets` hosts (least recently used dropped first) and
`max_regions` regions per host (the rarest dropped). Nothing is persisted: a new worker process learns
again from its first stories; a forked `replay --workers N` child learns from the documents it handles.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from typing import NamedTuple

from worker.events.gazetteer import km_between


class OutletCentre(NamedTuple):
    """Where an outlet's stories happen: the mean position, the weight of that evidence, and the state when one
    is known (a town named in the host: `worker.events.places.host_town`)."""
    lat: float
    lon: float
    weight: float
    admin1: str | None = None


class OutletRegions:
    """Per-host counts of (country, admin1) of the incident stories placed."""

    def __init__(self, max_outlets: int = 5000, max_regions: int = 8, min_stories: int = 1,
                 full_stories: int = 3, max_points: int = 20, home_km: float = 120.0) -> None:
        self.max_outlets = max_outlets
        self.max_regions = max_regions
        self.min_stories = min_stories
        self.full_stories = max(1, full_stories)
        self.max_points = max(2, max_points)
        self.home_km = home_km
        self._seen: OrderedDict[str, Counter[tuple[str, str]]] = OrderedDict()
        self._points: dict[str, list[tuple[float, float]]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def learn(self, host: str, country: str, admin1: str | None, point: tuple[float, float] | None = None) -> None:
        """Record one incident story from `host` placed in `country` / `admin1`, at `point` (lat, lon) when the
        place is a town or finer."""
        if not host or not country:
            return
        with self._lock:
            if point is not None:
                points = self._points.setdefault(host, [])
                points.append(point)
                del points[:-self.max_points]
            counts = self._seen.pop(host, None) or Counter()
            counts[(country, admin1 or "")] += 1
            if len(counts) > self.max_regions:
                rarest = min(counts, key=lambda k: counts[k])
                del counts[rarest]
            self._seen[host] = counts
            while len(self._seen) > self.max_outlets:
                gone, _ = self._seen.popitem(last=False)
                self._points.pop(gone, None)

    def centre(self, host: str) -> OutletCentre | None:
        """The outlet's home ground, or None while it has under two placed stories or they are spread wide."""
        with self._lock:
            points = list(self._points.get(host, ()))
            counts = Counter(self._seen.get(host, ()))
        if len(points) < 2:
            return None
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        spread = sorted(km_between(lat, lon, p[0], p[1]) for p in points)[len(points) // 2]
        if spread > self.home_km:
            return None
        (_, admin1), n = counts.most_common(1)[0] if counts else (("", ""), 0)
        state = admin1 if admin1 and 2 * n >= sum(counts.values()) else None  # the state of half its stories
        return OutletCentre(lat, lon, min(1.0, len(points) / self.full_stories), state)

    def hints(self, host: str) -> tuple[Counter[str], Counter[str]]:
        """(states, countries) weights for an article from `host`: empty until the host has `min_stories`."""
        states: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        with self._lock:
            counts = self._seen.get(host)
            if counts is None:
                return states, countries
            self._seen.move_to_end(host)
            total = sum(counts.values())
            items = list(counts.items())
        if total < self.min_stories:
            return states, countries
        weight = min(1.0, total / self.full_stories)  # one story is a hint; `full_stories` are a pattern
        for (country, admin1), n in items:
            share = n / total
            if share < 0.5:
                continue  # an outlet that covers several states says nothing about any one of them
            countries[country] += 1.5 * share * weight
            if admin1:
                states[admin1] += 2.0 * share * weight
        return states, countries
