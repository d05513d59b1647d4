"""Bad options and an unreachable Conductor: one line on stderr, exit code 2, nothing started or written."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import main

REPO_ROOT = Path(__file__).resolve().parents[3]


def closed_port() -> int:
    # A port bound and released at once is free, so nothing listens on it.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["--designs", "workers,grpc"], "grpc"),
        (["--designs", ","], "--designs"),
        (["--jobs", "0"], "--jobs"),
        (["--jobs", "-3"], "--jobs"),
        (["--jobs", "many"], "--jobs"),
        (["--concurrency", "0"], "--concurrency"),
        (["--concurrency", "-1"], "--concurrency"),
        (["--interval", "0"], "--interval"),
        (["--interval", "1.5"], "--interval"),
        (["--duration", "uniform:9:1"], "uniform:9:1"),
        (["--duration", "soon"], "soon"),
        (["--grace-s", "-1"], "--grace-s"),
        (["--job-timeout-s", "0"], "--job-timeout-s"),
        (["--prices", "/nonexistent/prices.json"], "prices.json"),
        (["--no-such-option"], "--no-such-option"),
    ],
)
def test_bad_option_exits_2(argv, names, capsys, tmp_path):
    output_dir = tmp_path / "out"

    code = main([*argv, "--output-dir", str(output_dir)])

    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert names in err
    assert not output_dir.exists()


def test_closed_conductor_port_exits_2(tmp_path):
    output_dir = tmp_path / "out"
    env = {**os.environ, "CONDUCTOR_SERVER_URL": f"http://127.0.0.1:{closed_port()}/api"}

    result = subprocess.run(
        [sys.executable, "-m", "bench", "--jobs", "1", "--output-dir", str(output_dir)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot reach Conductor" in result.stderr
    assert not output_dir.exists()
