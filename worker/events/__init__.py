"""Event extraction: what happened, where, when, who, to whom, how many (taxonomy in worker.events.types)."""

from worker.events.extractor import EventExtractor, load_nlp

__all__ = ["EventExtractor", "load_nlp"]
