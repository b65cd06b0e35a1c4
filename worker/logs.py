"""Log formatting: plain text by default, one JSON object per line with NEWSWORKER_LOG_JSON=1.

Structured fields passed as `extra={"fields": {...}}` (the pipeline's one line per article
does this) become top-level keys of the JSON object, so a log shipper can filter on them.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, structured fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            data.update(fields)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def formatter(json_lines: bool) -> logging.Formatter:
    return JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT)


def apply_formatter(logger: logging.Logger, json_lines: bool) -> None:
    """Give every handler of `logger` the chosen format (used after Celery set its handlers up)."""
    for handler in logger.handlers:
        handler.setFormatter(formatter(json_lines))
