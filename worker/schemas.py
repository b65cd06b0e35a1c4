"""JSON Schemas of everything on the streams, generated from worker/models.py and committed under worker/schemas/.

    python -m worker.schemas           regenerate the files
    python -m worker.schemas --check   exit 1 when the committed files are stale

`envelope.json` describes every stream entry (with `payload` parsed from its JSON string);
`messages.json` maps each message type to the schema of its payload. The schemas leave out
`additionalProperties: false` on purpose: within a major version changes are additive, so a
consumer validating with an older 1.x schema must still accept a newer 1.y message that has
extra fields. (The producer's own models do reject unknown fields.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from worker.models import (SCHEMA_VERSION, Alert, Article, Envelope, Incident, IncidentMerged, MessageType,
                           OpsEvent)

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# schema file -> model
MODELS: dict[str, type[BaseModel]] = {
    "envelope.json": Envelope,
    "incident.json": Incident,
    "incident_merged.json": IncidentMerged,
    "article.json": Article,
    "alert.json": Alert,
    "ops_event.json": OpsEvent,
}

# message type -> schema file of its payload
PAYLOADS: dict[str, str] = {
    "incident.created": "incident.json",
    "incident.updated": "incident.json",
    "incident.merged": "incident_merged.json",
    "article.cleaned": "article.json",
    "article.rejected": "article.json",
    "alert.fired": "alert.json",
    "ops.feed_failure": "ops_event.json",
    "ops.dead_letter": "ops_event.json",
    "ops.lag": "ops_event.json",
    "ops.network": "ops_event.json",
    "ops.heartbeat": "ops_event.json",
    "ops.webhook_failure": "ops_event.json",
}


def _open(node: Any) -> Any:
    """Drop `additionalProperties: false` everywhere (see the module docstring)."""
    if isinstance(node, dict):
        return {k: _open(v) for k, v in node.items() if not (k == "additionalProperties" and v is False)}
    if isinstance(node, list):
        return [_open(v) for v in node]
    return node


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one file, as generated from its model."""
    model = MODELS[name]
    schema = _open(model.model_json_schema(mode="serialization"))
    return {"$schema": DIALECT, "$id": name, "x-schema-version": SCHEMA_VERSION, **schema}


def messages_index() -> dict[str, Any]:
    """Message type -> payload schema file, with the stream each type is published on."""
    streams = {"incident": "incidents", "article": "articles", "alert": "alerts", "ops": "ops"}
    return {
        "x-schema-version": SCHEMA_VERSION,
        "envelope": "envelope.json",
        "messages": {t: {"stream": streams[t.split(".")[0]], "payload": f} for t, f in sorted(PAYLOADS.items())},
    }


def generate() -> dict[str, str]:
    """File name -> file text of every schema file."""
    files = {name: schema_for(name) for name in MODELS}
    files["messages.json"] = messages_index()
    return {name: json.dumps(data, indent=2, sort_keys=True) + "\n" for name, data in files.items()}


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Files that differ from what the models generate (or are missing)."""
    out = []
    for name, text in generate().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out


def write(directory: Path = SCHEMA_DIR) -> list[str]:
    """Write every schema file; return the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for name, text in generate().items():
        (directory / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def load(name: str, directory: Path = SCHEMA_DIR) -> dict[str, Any]:
    """A committed schema file, parsed."""
    return json.loads((directory / name).read_text(encoding="utf-8"))


def payload_schema_name(type_: str) -> str:
    """The schema file of a message type's payload (KeyError for an unknown type)."""
    return PAYLOADS[type_]


def _check_types_covered() -> None:
    from typing import get_args

    missing = set(get_args(MessageType)) - set(PAYLOADS)
    if missing:
        raise SystemExit(f"message types without a payload schema: {sorted(missing)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker.schemas", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed schemas are stale")
    args = parser.parse_args(argv)
    _check_types_covered()
    if args.check:
        names = stale()
        if names:
            print(f"stale schemas: {', '.join(names)} (run python -m worker.schemas)", file=sys.stderr)
            return 1
        print("schemas are current")
        return 0
    for name in write():
        print(f"wrote {SCHEMA_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
