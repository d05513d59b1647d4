"""Settings from flags, environment and defaults."""

from __future__ import annotations

import pytest

from workers import config
from workers.config import SettingsError
from workers.runner import build_parser


def test_defaults():
    settings = config.load({})

    assert settings.table_name == "longrun-jobs"
    assert settings.function_name == "longrun-job"
    assert settings.metrics_host == "127.0.0.1"
    assert settings.metrics_port == 9464
    assert settings.metrics_enabled is True
    assert settings.domain is None
    assert settings.poll_interval_ms == 100


def test_environment_overrides_default():
    settings = config.load({"LONGRUN_POLL_INTERVAL_MS": "250", "LONGRUN_METRICS_ENABLED": "false"})

    assert settings.poll_interval_ms == 250
    assert settings.metrics_enabled is False


def test_flag_overrides_environment():
    settings = config.load({"LONGRUN_TABLE_NAME": "from-env"}, {"table_name": "from-flag"})

    assert settings.table_name == "from-flag"


def test_empty_variable_means_default():
    settings = config.load({"LONGRUN_METRICS_PORT": ""})

    assert settings.metrics_port == 9464


@pytest.mark.parametrize("variable, value, expected", [
    pytest.param("LONGRUN_POLL_INTERVAL_MS", "fast", "not an integer", id="poll-not-int"),
    pytest.param("LONGRUN_POLL_INTERVAL_MS", "0", ">= 1", id="poll-zero"),
    pytest.param("LONGRUN_THREAD_COUNT", "-2", ">= 1", id="threads-negative"),
    pytest.param("LONGRUN_METRICS_PORT", "70000", "65535", id="port-range"),
    pytest.param("LONGRUN_METRICS_ENABLED", "maybe", "true or false", id="bool"),
    pytest.param("LONGRUN_AWS_BACKOFF_BASE_S", "nan", "finite", id="backoff-nan"),
    pytest.param("LONGRUN_STOP_GRACE_S", "-1", ">= 0", id="grace-negative"),
    pytest.param("LONGRUN_LOG_LEVEL", "LOUD", "DEBUG", id="log-level"),
    pytest.param("LONGRUN_TABLE_NAME", "  ", "empty", id="table-blank"),
])
def test_bad_value_names_variable(variable, value, expected):
    with pytest.raises(SettingsError) as caught:
        config.load({variable: value})

    assert variable in str(caught.value)
    assert expected in str(caught.value)


def test_bad_flag_names_flag():
    with pytest.raises(SettingsError, match="--thread-count"):
        config.load({}, {"thread_count": "many"})


def test_backoff_max_below_base_fails():
    with pytest.raises(SettingsError, match="LONGRUN_AWS_BACKOFF_MAX_S"):
        config.load({"LONGRUN_AWS_BACKOFF_BASE_S": "2", "LONGRUN_AWS_BACKOFF_MAX_S": "1"})


def test_help_lists_every_variable_and_default(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())

    for option in config.OPTIONS:
        assert option.flag in text
        assert option.env in text
    assert "default 9464" in text
    assert "in milliseconds" in text
