"""The Celery app. Importing it reads settings (environment only): no connection, no task import.

Task modules are listed in `include` and imported by the worker when it starts. Each worker
process builds its `Resources` once in `worker_process_init`; `get_resources()` builds them
lazily in pools that do not fork (solo, threads) and in tests.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    worker_init,
    worker_process_init,
    worker_process_shutdown,
)

from config.settings import Settings, load_settings
from worker.health import Heartbeat, start_heartbeat
from worker.keys import Keys
from worker.logs import apply_formatter
from worker.redis_conn import celery_broker_url, resolve_redis_url
from worker.resources import Resources, build_resources

log = logging.getLogger(__name__)

TASK_MODULES = ["tasks.polling", "tasks.processing"]


def _broker_url(settings: Settings) -> str:
    """REDIS_URL, else the embedded server's socket (started in `worker_init`, not here)."""
    if settings.redis_url:
        return celery_broker_url(settings.redis_url)
    return celery_broker_url(f"unix://{Path(settings.data_dir) / 'redis.sock'}")


def create_app(settings: Settings | None = None) -> Celery:
    """A Celery app whose broker keys and queue live under the settings' namespace."""
    settings = settings or load_settings()
    keys = Keys(settings.key_prefix)
    celery = Celery("newsworker", broker=_broker_url(settings), include=TASK_MODULES)
    celery.conf.update(
        task_default_queue=settings.namespace,
        broker_transport_options={"global_keyprefix": keys.celery_prefix, "visibility_timeout": 3600},
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_acks_late=True,  # a task killed mid-way is redelivered; the pipeline is idempotent
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=4,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=True,
        beat_schedule_filename=str(Path(settings.data_dir) / f"beat-{settings.namespace}"),
        timezone="UTC",
    )
    celery.conf.newsworker_settings = settings
    return celery


app = create_app()

_resources: Resources | None = None
_heartbeat: Heartbeat | None = None


def get_resources() -> Resources:
    """This process's Resources, built on first use."""
    global _resources
    if _resources is None:
        _resources = build_resources(app.conf.newsworker_settings)
    return _resources


@after_setup_logger.connect
@after_setup_task_logger.connect
def _log_format(logger: logging.Logger, **_: Any) -> None:
    if app.conf.newsworker_settings.log_json:
        apply_formatter(logger, True)


@worker_init.connect
def _start_embedded_redis(**_: Any) -> None:
    # The main worker process owns the embedded server when REDIS_URL is unset.
    settings: Settings = app.conf.newsworker_settings
    if not settings.redis_url:
        url = resolve_redis_url(settings)
        os.environ["REDIS_URL"] = url  # children and helper processes find the same server
        app.conf.newsworker_settings = settings.with_overrides(redis_url=url)


@worker_process_init.connect
def _build_resources(**_: Any) -> None:
    global _resources, _heartbeat
    _resources = None  # never reuse a client inherited across fork
    res = get_resources()
    res.warm_up()
    # Each process beats: `newsworker health` fails when no worker process has beaten recently.
    _heartbeat = start_heartbeat(res.redis, res.keys, f"{socket.gethostname()}:{os.getpid()}")


@worker_process_shutdown.connect
def _close_resources(**_: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()  # before the client closes under a beat in flight
    if _resources is not None:
        _resources.close()
