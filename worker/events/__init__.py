"""Event extraction: what happened, where, when, who, to whom, how many (taxonomy in worker.events.types).

The extractor (and spaCy with it) loads on first use of `EventExtractor` or `load_nlp`, so that modules which
only need the taxonomy (the alert rules read the tactic names) do not pay spaCy's import.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EventExtractor", "load_nlp"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from worker.events import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
