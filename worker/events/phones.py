"""Where an article's telephone numbers ring: evidence for the state of a North American story, never the answer.

Local crime stories end with the number of the police department or tip line that is investigating ("Anyone with
information is asked to call the Montgomery Police Department at (630) 897-8707"). The exchange of such a number
places it (Google's libphonenumber data, shipped offline by the `phonenumbers` package: "(630) 897" is Aurora,
Illinois), so it tells a Montgomery near Aurora from the Alabama capital. Toll-free and other non-geographic numbers
("Crime Stoppers at (800) 222-8477") place nothing; a national tip line is not local.

Measured on the gun-violence dev set (3,947 articles): 574 name a number that places somewhere, and the state of the
most common one is the gold state in 570 of them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

# "(630) 897-8707", "630-897-8707", "630.897.8707", "1-630-897-8707"; not part of a longer digit run (a case number)
_PHONE = re.compile(r"(?<![\d-])(?:1[\s.-])?\(?([2-9]\d\d)\)?[\s.-]{0,2}([2-9]\d\d)[\s.-](\d{4})(?![\d-])")
_STATE_CODE = re.compile(r",\s*([A-Z]{2})$")
# The weight of a state the numbers ring in, as much as an outlet's full learned home (OutletRegions.hints). On the
# dev set (gun-violence, per incident): state 0.9496 -> 0.9505 at 1.0, 0.9510 at 2.0 (5 articles better, 0 worse),
# 0.9510 at 3.0 (1 more article); 2.0 because a number is as sure a sign as an outlet's home, no surer.
PHONE_W = 2.0


class Rung(NamedTuple):
    """Where a geographic telephone number of the text rings."""
    country: str
    state: str | None  # a US state's name; None outside the US
    town: str | None  # None where the data places the number only in its state


@lru_cache(maxsize=1)
def _geocoder():  # type: ignore[no-untyped-def]
    """The `phonenumbers` parser and geocoder, imported on first use (0.3 s, data loaded per prefix)."""
    import phonenumbers
    from phonenumbers import geocoder
    return phonenumbers, geocoder


def phone_towns(text: str, state_names: dict[str, str]) -> list[Rung]:
    """Each geographic number in `text`, in order: Rung("US", "Illinois", "Aurora") for "(630) 897-8707"."""
    if "-" not in text and "." not in text:
        return []
    out: list[Rung] = []
    for m in _PHONE.finditer(text):
        pn, geo = _geocoder()
        try:
            number = pn.parse("".join(m.groups()), "US")
        except pn.NumberParseException:
            continue
        if not pn.is_valid_number(number):
            continue
        country = pn.region_code_for_number(number)
        where = geo.description_for_number(number, "en")
        if not country or not where or where in ("United States", "Canada"):
            continue  # toll-free, or placed only in the whole country
        if country != "US":
            out.append(Rung(country, None, None))
            continue
        code = _STATE_CODE.search(where)
        state = state_names.get(code.group(1)) if code else (
            "District of Columbia" if where.startswith("Washington D") else where if where in state_names.values()
            else None)
        if state is not None:
            out.append(Rung("US", state, (where[:code.start()].strip() or None) if code else None))
    return out


def phone_hints(rungs: list[Rung], weight: float) -> tuple[Counter[str], Counter[str]]:
    """(states, countries) weights: `weight` for each distinct state and country that `rungs` (`phone_towns`) ring in."""
    states: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for rung in rungs:
        if rung.state is not None:
            states[rung.state] = weight
        countries[rung.country] = weight
    return states, countries
