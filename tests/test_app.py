"""The Celery app module opens no connection and imports no task module at import time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_app_touches_nothing() -> None:
    code = ("import sys, tasks.app as a; "
            "assert 'tasks.processing' not in sys.modules and 'worker.events' not in sys.modules; "
            "assert a._resources is None; "
            "print(a.app.conf.broker_url, a.app.conf.task_default_queue)")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:1/0", "NEWSWORKER_NAMESPACE": "ns-import"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["redis://127.0.0.1:1/0", "ns-import"]


def test_broker_keys_live_under_the_namespace(settings) -> None:
    from tasks.app import create_app

    app = create_app(settings)
    assert app.conf.broker_transport_options["global_keyprefix"].startswith(settings.namespace + ":")
    assert app.conf.task_default_queue == settings.namespace


def test_embedded_socket_is_the_default_broker(tmp_path: Path) -> None:
    from config.settings import load_settings
    from tasks.app import create_app

    app = create_app(load_settings({"NEWSWORKER_DATA_DIR": str(tmp_path)}))
    assert app.conf.broker_url == f"redis+socket://{tmp_path}/redis.sock"


def test_task_backoff_grows_is_capped_and_jittered() -> None:
    from tasks.processing import BACKOFF_CAP, backoff

    draws = [backoff(2) for _ in range(200)]
    assert all(0 <= d <= 20 for d in draws) and len({round(d, 3) for d in draws}) > 50  # 5 * 2**2, jittered
    assert max(backoff(30) for _ in range(200)) <= BACKOFF_CAP
    assert max(backoff(6) for _ in range(200)) > 20
