"""Police and state investigation agencies known by an acronym that names one place.

Local news writes "NOPD said" or "LMPD is investigating" and never spells the city out; "GBI agents" and "the
TBI" put a story in Georgia and Tennessee. An agency here stands for its city, county or state as
"New Orleans police" would (a police mention in `worker.events.places`): evidence for the place, weighed
with the rest of the story.

Only acronyms that name one agency in US news are listed. Many that look as useful are left out on purpose
because several big agencies share them: APD (Atlanta, Austin, Albuquerque), BPD (Boston, Baltimore), CPD
(Chicago, Columbus, Cleveland), DPD (Detroit, Dallas, Denver), HPD (Houston, Honolulu), MPD (Memphis, Milwaukee,
Minneapolis, Washington), SAPD (San Antonio, St. Augustine), FWPD (Fort Worth, Fort Wayne), OPD, SPD, TPD, MSP
and ISP (several state police), DPS (Texas, Arizona), CBI and SBI (India's too), CHP (California's highway
patrol, and Turkey's main opposition party: the stream covers attacks abroad), and every county sheriff's "xCSO".
"""

from __future__ import annotations

# acronym -> (place name as the gazetteer spells it, state, kind: "town", "admin2" or "admin1")
AGENCIES: dict[str, tuple[str, str, str]] = {
    # city and county police
    "NYPD": ("New York City", "New York", "town"),
    "LAPD": ("Los Angeles", "California", "town"),
    "LASD": ("Los Angeles County", "California", "admin2"),
    "SFPD": ("San Francisco", "California", "town"),
    "SDPD": ("San Diego", "California", "town"),
    "SJPD": ("San Jose", "California", "town"),
    "LBPD": ("Long Beach", "California", "town"),
    "NOPD": ("New Orleans", "Louisiana", "town"),
    "BRPD": ("Baton Rouge", "Louisiana", "town"),
    "IMPD": ("Indianapolis", "Indiana", "town"),
    "CMPD": ("Charlotte", "North Carolina", "town"),
    "KCPD": ("Kansas City", "Missouri", "town"),
    "KCKPD": ("Kansas City", "Kansas", "town"),
    "LVMPD": ("Las Vegas", "Nevada", "town"),
    "MNPD": ("Nashville", "Tennessee", "town"),
    "SLMPD": ("St. Louis", "Missouri", "town"),
    "LMPD": ("Louisville", "Kentucky", "town"),
    "SLCPD": ("Salt Lake City", "Utah", "town"),
    "OKCPD": ("Oklahoma City", "Oklahoma", "town"),
    "NNPD": ("Newport News", "Virginia", "town"),
    "VBPD": ("Virginia Beach", "Virginia", "town"),
    "GRPD": ("Grand Rapids", "Michigan", "town"),
    "MDPD": ("Miami-Dade County", "Florida", "admin2"),
    "PBSO": ("Palm Beach County", "Florida", "admin2"),
    "PGPD": ("Prince George's County", "Maryland", "admin2"),
    "JSO": ("Jacksonville", "Florida", "town"),
    # state police and bureaus of investigation
    "NJSP": ("New Jersey", "New Jersey", "admin1"),
    "NYSP": ("New York", "New York", "admin1"),
    "GBI": ("Georgia", "Georgia", "admin1"),
    "TBI": ("Tennessee", "Tennessee", "admin1"),
    "SLED": ("South Carolina", "South Carolina", "admin1"),
    "FDLE": ("Florida", "Florida", "admin1"),
    "FHP": ("Florida", "Florida", "admin1"),
    "OSBI": ("Oklahoma", "Oklahoma", "admin1"),
    "KBI": ("Kansas", "Kansas", "admin1"),
    "LSP": ("Louisiana", "Louisiana", "admin1"),
    "NCSHP": ("North Carolina", "North Carolina", "admin1"),
}
