"""The one settings object: defaults, parsing, and one-line errors naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import SETTINGS_DOC, SettingsError, load_settings, settings_table


def test_defaults_need_no_environment() -> None:
    s = load_settings({})
    assert s.redis_url is None
    assert s.namespace == "newsworker"
    assert s.allow_private_addresses is False
    assert s.feeds_file.name == "feeds.yaml"
    assert s.stream_retention_days == 7


def test_values_are_parsed_and_typed() -> None:
    s = load_settings({"REDIS_URL": "redis://h:1/2", "NEWSWORKER_ALLOW_PRIVATE_ADDRESSES": "yes",
                       "NEWSWORKER_CONCURRENCY": "4", "NEWSWORKER_DATA_DIR": "/tmp/x",
                       "NEWSWORKER_METRICS_PORT": "9100"})
    assert (s.redis_url, s.allow_private_addresses, s.concurrency, s.metrics_port) == ("redis://h:1/2", True, 4, 9100)
    assert s.data_dir == Path("/tmp/x")


@pytest.mark.parametrize("var,value", [("NEWSWORKER_CONCURRENCY", "two"), ("NEWSWORKER_CONCURRENCY", "0"),
                                       ("NEWSWORKER_ALLOW_PRIVATE_ADDRESSES", "maybe"),
                                       ("NEWSWORKER_NAMESPACE", "has space"), ("NEWSWORKER_REQUEST_DEADLINE", "-1")])
def test_bad_values_fail_with_the_variable_named(var: str, value: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({var: value})
    assert var in str(err.value) and "\n" not in str(err.value)


def test_every_setting_is_in_the_readme_table() -> None:
    table = settings_table()
    for var, *_ in SETTINGS_DOC.values():
        assert f"`{var}`" in table
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for var, *_ in SETTINGS_DOC.values():
        assert f"`{var}`" in readme, f"{var} missing from the README settings table"
