"""The provenance of a run: software versions, the git commit and the machine."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
from typing import Any

from infra.local.services.conductor import CONDUCTOR_VERSION
from infra.local.settings import REPO_ROOT

PACKAGES = ("conductor-python", "boto3", "requests", "matplotlib", "tqdm")


def _package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def collect(conductor_server_version: str | None) -> dict[str, Any]:
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "python": sys.version.split()[0],
        "packages": {name: _package_version(name) for name in PACKAGES},
        "conductorServer": conductor_server_version,
        "conductorServerPinned": CONDUCTOR_VERSION,
        "gitCommit": _git("rev-parse", "HEAD"),
        "gitDirty": None if status is None else bool(status),
        "platform": platform.platform(),
        "cpuCount": os.cpu_count(),
        "loadAverageAtStart": list(os.getloadavg()),
    }
