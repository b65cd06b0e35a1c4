"""US postal towns and their counties, as shipped data.

GeoNames cities500 (the gazetteer's towns) has no county and lacks many small places local news names ("Deer
Lodge, Tennessee"). The US postal code table of the `zipcodes` package (MIT licence) has both: each ZIP code's
town, the other town names the post office accepts for it, its county and its centre. Importing that package at
run time costs about 40 MB per process (its compiled table is unpacked in memory and kept), so the few fields
used are written once into `worker/data/us_postal_towns.tsv.gz` (about 0.5 MB) and read from there:

    pip install zipcodes==3.0.0 && python -m worker.events.postal   # rewrites the shipped file

One line per (town, state): name, postal state code, the counties its ZIP codes lie in (";"-separated), and the
mean latitude/longitude of its standard (street-delivery) ZIP codes, empty for a town with PO boxes only.
`tests/test_places.py` checks that the shipped file is what this module writes from the package.
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "data" / "us_postal_towns.tsv.gz"


@dataclass(frozen=True, slots=True)
class PostalTown:
    name: str
    state: str  # postal code: "TN"
    counties: tuple[str, ...]
    lat: float | None
    lon: float | None


def read_table(path: Path = TABLE) -> list[PostalTown]:
    """The shipped table."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            name, state, counties, lat, lon = line.rstrip("\n").split("\t")
            out.append(PostalTown(name, state, tuple(c for c in counties.split(";") if c),
                                  float(lat) if lat else None, float(lon) if lon else None))
    return out


def table_lines() -> list[str]:
    """The table's lines computed from the `zipcodes` package (a build-time tool, not a run-time dependency)."""
    import zipcodes  # noqa: PLC0415  (only the table's maintainer needs it)

    counties: dict[tuple[str, str], set[str]] = {}
    centre: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for z in zipcodes.list_all():
        state, county, name = z.get("state") or "", z.get("county") or "", z.get("city") or ""
        if not state or not county or not name:
            continue
        for n in [name] + list(z.get("acceptable_cities") or []):
            counties.setdefault((n, state), set()).add(county)
        if z.get("zip_code_type") == "STANDARD" and z.get("lat") and z.get("long"):
            centre.setdefault((name, state), []).append((float(z["lat"]), float(z["long"])))
    lines = []
    for (name, state), cs in sorted(counties.items()):
        pts = centre.get((name, state))
        lat = f"{sum(p[0] for p in pts) / len(pts):.4f}" if pts else ""
        lon = f"{sum(p[1] for p in pts) / len(pts):.4f}" if pts else ""
        lines.append(f"{name}\t{state}\t{';'.join(sorted(cs))}\t{lat}\t{lon}\n")
    return lines


def write_table(path: Path = TABLE) -> int:
    lines = table_lines()
    path.parent.mkdir(parents=True, exist_ok=True)
    # no file name and mtime 0 in the gzip header: the same table gives the same bytes wherever it is written
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write("".join(lines).encode("utf-8"))
    return len(lines)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else TABLE
    print(f"wrote {write_table(out)} postal towns to {out}")
