"""`newsworker feeds list|add|remove|status|import|check`: the shared feed registry from the shell.

Handlers take `(args, settings)` like every `newsworker` command and return the exit code.
Everything but `check` works on the registry in Redis (the one every worker polls from);
`check` needs no Redis: it fetches and parses one URL with the worker's client and parser.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from config.settings import Settings
from worker.errors import BadInput


def _registry(settings: Settings) -> Any:
    from worker.feeds import FeedRegistry
    from worker.keys import Keys
    from worker.redis_conn import connect, resolve_redis_url

    client = connect(resolve_redis_url(settings))
    return FeedRegistry(client, Keys(settings.key_prefix), settings)


def _ago(ts: float | None, now: float) -> str:
    if ts is None:
        return "never"
    return _span(now - ts) + " ago" if now >= ts else "in " + _span(ts - now)


def _until(ts: float | None, now: float) -> str:
    if ts is None:
        return "-"
    return "due now" if ts <= now else "in " + _span(ts - now)


def _span(seconds: float) -> str:
    seconds = abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}" if unit != "m" or seconds >= 600 else f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the registered feeds (URL, name, interval, tags)."""
    feeds = _registry(settings).list()
    if args.json:
        print(json.dumps([{"url": f.url, "name": f.name, "interval": f.interval, "tags": list(f.tags)}
                          for f in feeds], indent=2))
        return 0
    for f in feeds:
        extra = []
        if f.interval:
            extra.append(f"every {_span(f.interval)}")
        if f.tags:
            extra.append("tags " + ",".join(f.tags))
        print(f"{f.url}  {f.name or ''}" + (f"  ({'; '.join(extra)})" if extra else ""))
    print(f"{len(feeds)} feeds")
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Register one feed (due at once); re-adding updates its name/interval/tags, and restarts a stopped feed."""
    from worker.feeds import feed_config

    cfg = feed_config(args.url, args.name, args.interval, args.tag or [])
    registry = _registry(settings)
    new = registry.add(cfg)
    state = registry.state(cfg.url)
    if state.stopped:  # re-adding a stopped (410) feed is the user asking to try again
        state.stopped = False
        state.reason = None
        state.next_poll = time.time()
        registry.save_state(state, clear=["reason"])
    print(f"{'added' if new else 'updated'} {cfg.url}")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Forget one feed and its state."""
    registry = _registry(settings)
    if not registry.remove(args.url):
        raise BadInput(f"feeds remove: not registered: {args.url}")
    print(f"removed {args.url}")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Register every feed of an OPML file (or a feeds.yaml)."""
    from worker.feeds import load_feed_list, parse_opml

    path = Path(args.file)
    if path.suffix.lower() in (".yaml", ".yml"):
        configs = load_feed_list(path)
    else:
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise BadInput(f"feeds import: no such file: {path}") from None
        try:
            configs = parse_opml(body)
        except BadInput as exc:
            raise BadInput(f"feeds import: {path}: {exc}") from None
    if not configs:
        raise BadInput(f"feeds import: no feeds found in {path}")
    added, updated = _registry(settings).import_feeds(configs)
    print(f"imported {len(configs)} feeds from {path}: {added} new, {updated} already known")
    return 0


def status_rows(registry: Any, now: float | None = None) -> list[dict[str, Any]]:
    """One dict per feed: last poll, last HTTP status, next poll, consecutive failures, reason."""
    now = time.time() if now is None else now
    rows = []
    for cfg, state in registry.states():
        rows.append({
            "url": cfg.url, "name": cfg.name, "last_poll": state.last_poll, "last_status": state.last_status,
            "last_outcome": state.last_outcome, "next_poll": None if state.stopped else state.next_poll,
            "consecutive_failures": state.consecutive_failures, "stopped": state.stopped,
            "reason": state.reason or state.parse_warning, "interval": state.interval,
            "etag": state.etag, "last_modified": state.last_modified, "entries": state.entries_seen,
            "new_total": state.new_total, "moved_from": state.moved_from,
        })
    return rows


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Per feed: last poll, last HTTP status, next poll, consecutive failures and the reason."""
    now = time.time()
    rows = status_rows(_registry(settings), now)
    if args.url:
        rows = [r for r in rows if r["url"] == args.url or args.url in r["url"]]
        if not rows:
            raise BadInput(f"feeds status: no registered feed matches {args.url}")
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    header = f"{'FEED':<48} {'LAST POLL':>10} {'HTTP':>4} {'OUTCOME':<13} {'NEXT POLL':>10} {'FAILS':>5}  REASON"
    print(header)
    for r in rows:
        label = r["name"] or r["url"]
        label = label if len(label) <= 48 else label[:45] + "..."
        outcome = "STOPPED" if r["stopped"] else (r["last_outcome"] or "-")
        print(f"{label:<48} {_ago(r['last_poll'], now):>10} {r['last_status'] or '-':>4} {outcome:<13} "
              f"{('-' if r['stopped'] else _until(r['next_poll'], now)):>10} {r['consecutive_failures']:>5}  "
              f"{(r['reason'] or '')[:120]}")
    failing = sum(1 for r in rows if r["consecutive_failures"] and not r["stopped"])
    stopped = sum(1 for r in rows if r["stopped"])
    print(f"{len(rows)} feeds, {failing} failing, {stopped} stopped")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch and parse one feed as the poller would; print what it sees, or why it refused."""
    from worker.http import HttpClient
    from worker.poller import check_feed

    with HttpClient(settings) as http:
        report = check_feed(http, settings, args.url)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0 if report.get("ok") else 1
    if "http_status" in report and "final_url" in report:
        print(f"GET {report['url']} -> HTTP {report['http_status']} ({report['bytes']} bytes, "
              f"{report['content_type'] or 'no content type'}, {report['elapsed']}s)")
        for status, location in report["redirects"]:
            print(f"  redirect {status} -> {location}")
        if report["moved_permanently"]:
            print(f"  moved permanently: the poller would store {report['final_url']}")
        if report["etag"] or report["last_modified"]:
            print(f"  validators: ETag {report['etag'] or '-'}, Last-Modified {report['last_modified'] or '-'}")
        print(f"feed: {report['version'] or 'unknown format'}, title {report['title']!r}, "
              f"{len(report['entries'])} entries")
        for warning in report["warnings"]:
            print(f"  warning: {warning}")
        for entry in report["entries"]:
            print(f"  - {entry['key']}\n      {entry['url'] or '(no link)'}\n      "
                  f"{entry['published'] or 'undated'}  {entry['title'] or ''}")
        hints = {k: v for k, v in report["hints"].items() if v is not None}
        print(f"next poll in {_span(report['next_poll_seconds'])} (at {report['next_poll']})"
              + (f"; hints: {', '.join(f'{k}={v:.0f}' for k, v in hints.items())}" if hints else ""))
    if not report.get("ok"):
        print(f"refused/failed: {report.get('reason')}: {report.get('error', 'no feed in the document')}")
        for url in report.get("discovered_feeds") or []:
            print(f"  the page advertises a feed: {url}  (newsworker feeds check {url})")
        return 1
    return 0


def register(subparsers: Any) -> None:
    """Add `feeds` and its subcommands to the `newsworker` argument parser."""
    feeds = subparsers.add_parser("feeds", help="the feed registry: list, add, remove, status, import, check")
    feeds.add_argument("--namespace", help="Redis key prefix (default NEWSWORKER_NAMESPACE)")
    sub = feeds.add_subparsers(dest="feeds_command", metavar="SUBCOMMAND")
    sub.required = True

    p = sub.add_parser("list", help="registered feeds")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("add", help="register a feed (due at once)")
    p.add_argument("url")
    p.add_argument("--name", help="display name")
    p.add_argument("--interval", help="fixed poll interval: seconds or 90s/15m/2h/1d (default adaptive)")
    p.add_argument("--tag", action="append", help="tag (repeatable)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="forget a feed and its state")
    p.add_argument("url")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("status", help="per feed: last poll, HTTP status, next poll, failures, reason")
    p.add_argument("url", nargs="?", help="only feeds whose URL contains this")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("import", help="register the feeds of an OPML file (or a feeds YAML)")
    p.add_argument("file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("check", help="fetch and parse one feed as the poller would (no state written)")
    p.add_argument("url")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_check)
