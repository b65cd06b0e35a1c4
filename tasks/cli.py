"""`newsworker`: the one command line.

    newsworker run        Celery worker + embedded beat polling the feed list, forever
    newsworker demo       offline showcase on a bundled sample site
    newsworker replay     archived JSON lines through the pipeline (backfills, evaluation)
    newsworker extract    one HTML or text file -> cleaned article + event record (JSON)
    newsworker tail | consumers | alerts | health     (tasks/cli_stream.py)
    newsworker feeds ...                              (tasks/cli_feeds.py)

Every failure a user can cause ends in one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

from config.settings import Settings, SettingsError, load_settings
from worker.errors import NewsworkerError

EXIT_USAGE = 2
EXIT_FAILED = 1


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


def _settings_for(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    if getattr(args, "namespace", None):
        settings = settings.with_overrides(namespace=args.namespace)
    return settings


def _export_env(settings: Settings) -> None:
    """Make settings chosen on the command line visible to the Celery app and its children."""
    os.environ["NEWSWORKER_NAMESPACE"] = settings.namespace
    if settings.redis_url:
        os.environ["REDIS_URL"] = settings.redis_url
    os.environ["NEWSWORKER_FEEDS"] = str(settings.feeds_file)


# -- run ----------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start a Celery worker with the beat schedule embedded; stops cleanly on Ctrl-C/SIGTERM."""
    app = _prepare_polling(args, settings)
    port = args.metrics_port or settings.metrics_port
    if port:
        from tasks.app import get_resources
        from worker.metrics import serve

        res = get_resources()
        serve(port, res.redis, res.keys, res.settings)
    concurrency = args.concurrency or settings.concurrency
    argv = ["worker", "--loglevel", args.loglevel, "--concurrency", str(concurrency),
            "--hostname", f"newsworker-{settings.namespace}@%h", "--without-mingle", "--without-gossip"]
    if not args.no_beat:
        argv.append("--beat")
    app.worker_main(argv)
    return 0


def cmd_beat(args: argparse.Namespace, settings: Settings) -> int:
    """Only the scheduler (for deployments that run beat and workers separately)."""
    app = _prepare_polling(args, settings)
    app.Beat(loglevel=args.loglevel).run()
    return 0


def _prepare_polling(args: argparse.Namespace, settings: Settings) -> Any:
    """Validate the feed list, settle the Redis URL, load the feeds into the shared registry."""
    from worker.feeds import load_feed_list
    from worker.redis_conn import resolve_redis_url

    if getattr(args, "feeds", None):
        settings = settings.with_overrides(feeds_file=Path(args.feeds))
    feeds = load_feed_list(settings.feeds_file)  # a bad file fails here, in one line
    settings = settings.with_overrides(redis_url=resolve_redis_url(settings))
    _export_env(settings)

    from tasks.app import app, get_resources
    from worker.feeds import FeedRegistry

    res = get_resources()
    added, _ = FeedRegistry(res.redis, res.keys, res.settings).import_feeds(feeds)
    logging.getLogger("newsworker").info("polling %d feeds from %s (%d new)", len(feeds), settings.feeds_file, added)
    return app


# -- replay -------------------------------------------------------------------------------
def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    """Archived documents through the pipeline in process, one output line per input line."""
    from worker.replay import output_record, read_lines, replay
    from worker.resources import build_resources

    src = Path(args.input)
    if not src.is_file():
        raise CliError(f"replay: no such input file: {src}")
    total = _count_lines(src)
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise CliError("replay: --workers must be at least 1")
    res = build_resources(settings)
    if sys.stderr.isatty() and not args.quiet:
        logging.getLogger().setLevel(logging.WARNING)  # per-article log lines would tear the progress bar
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    progress = _progress(total, enabled=sys.stderr.isatty() and not args.quiet)
    counts = {"documents": 0, "incident_events": 0, "duplicates": 0, "rejected": 0}
    incidents: set[str] = set()
    try:
        with open(src, encoding="utf-8", errors="replace") as handle:
            for result in replay(res, read_lines(handle), workers=workers):
                out.write(json.dumps(output_record(result), ensure_ascii=False) + "\n")
                counts["documents"] += 1
                counts["incident_events"] += result.event is not None
                counts["duplicates"] += result.is_duplicate
                counts["rejected"] += result.article.rejected is not None
                if result.incident_id:
                    incidents.add(result.incident_id)
                progress.update(1)
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
        res.close()
    summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items())
    print(f"replay: {summary}, {len(incidents)} incidents", file=sys.stderr)
    return 0


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


class _NoProgress:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, *, enabled: bool) -> Any:
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr)


# -- extract ------------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """One document in, the cleaned article and the event record out (no Redis needed)."""
    from worker.article import clean_document
    from worker.events import EventExtractor, load_nlp
    from worker.models import Document
    from worker.replay import parse_published

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"extract: no such file: {path}")
    raw = path.read_bytes()
    body = raw.decode("utf-8", errors="replace")
    is_html = path.suffix.lower() in {".html", ".htm", ".xhtml"} or "<html" in body[:4096].lower() \
        or "<body" in body[:8192].lower() or "<p" in body[:8192].lower()
    published = parse_published(args.published) if args.published else None
    doc = Document(id=path.stem, url=args.url or path.resolve().as_uri(), published=published,
                   published_source="input" if published else None,
                   html=body if is_html else None, text=None if is_html else body)
    article = clean_document(doc)
    event = None
    if article.ok:
        event = EventExtractor(load_nlp(settings.spacy_model), settings.actors_file).extract(article)
    print(json.dumps({"article": article.model_dump(mode="json"),
                      "event": event.model_dump(mode="json") if event else None}, indent=2, ensure_ascii=False))
    return 0


# -- demo ---------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from tasks.demo import run_demo

    return run_demo(settings, timeout=args.timeout, quiet=args.quiet)


# -- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsworker", description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--log-level", dest="loglevel", default="INFO", help="DEBUG, INFO, WARNING, ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("run", help="run a worker with embedded beat, polling the feed list")
    p.add_argument("--feeds", help="feed list YAML (default config/feeds.yaml or NEWSWORKER_FEEDS)")
    p.add_argument("--concurrency", type=int, help="worker processes (default NEWSWORKER_CONCURRENCY)")
    p.add_argument("--metrics-port", type=int, help="serve Prometheus metrics on this port")
    p.add_argument("--namespace", help="Redis key prefix (default NEWSWORKER_NAMESPACE)")
    p.add_argument("--no-beat", action="store_true", help="do not embed the scheduler (run `newsworker beat`)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("beat", help="run only the poll scheduler")
    p.add_argument("--feeds", help="feed list YAML (default config/feeds.yaml or NEWSWORKER_FEEDS)")
    p.add_argument("--namespace", help="Redis key prefix (default NEWSWORKER_NAMESPACE)")
    p.set_defaults(func=cmd_beat)

    p = sub.add_parser("demo", help="offline showcase: bundled sample site through a real worker")
    p.add_argument("--timeout", type=float, default=180.0, help="give up after this many seconds")
    p.add_argument("--quiet", action="store_true", help="print only the incidents")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("replay", help="run archived JSON-lines documents through the pipeline")
    p.add_argument("input", help="JSON lines: id, url, title, published, html|text")
    p.add_argument("--out", help="write output JSON lines here (default stdout)")
    p.add_argument("--namespace", help="isolate all Redis keys and streams of this run")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, help="processes that clean and extract ahead (default: CPU count); "
                                               "dedup and publishing stay in input order")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("extract", help="one HTML or text file -> article + event as JSON")
    p.add_argument("file")
    p.add_argument("--url", help="the document's URL (for canonical URL and site)")
    p.add_argument("--published", help="publication date, ISO (resolves 'yesterday', 'on Monday')")
    p.set_defaults(func=cmd_extract)

    from tasks import cli_feeds, cli_stream

    cli_stream.register(sub)
    cli_feeds.register(sub)
    return parser


def _configure_logging(level: str, settings: Settings | None) -> None:
    from worker.logs import formatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(bool(settings and settings.log_json)))
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO), handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings_for(args)
        _configure_logging(args.loglevel, settings)
        handler: Callable[[argparse.Namespace, Settings], int] = args.func
        return int(handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("newsworker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (CliError, SettingsError, NewsworkerError) as exc:
        print(f"newsworker: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"newsworker: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a crash is a bug: say so in one line, keep the traceback opt-in
        if os.environ.get("NEWSWORKER_DEBUG"):
            traceback.print_exc()
        print(f"newsworker: internal error: {type(exc).__name__}: {exc} (NEWSWORKER_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
