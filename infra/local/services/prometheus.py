"""Debian's Prometheus server, scraping the workers and the Conductor server of the local stack.

It is optional: when the `prometheus` binary is not installed, `up` skips it with a note.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..service import Service, http_probe
from ..settings import HOST, REPO_ROOT, LocalSettings

SERVICE_NAME = "prometheus"
CONFIG_DIR = REPO_ROOT / "infra" / "prometheus"

# The checked-in configuration names the default ports; they are rewritten when the stack uses others.
DEFAULT_TARGETS = {"127.0.0.1:8080": "conductor_port", "127.0.0.1:9464": "metrics_port", "127.0.0.1:9090": "prometheus_port"}


def missing() -> str | None:
    if shutil.which("prometheus") is None:
        return "the prometheus binary is not installed (apt-get install prometheus)"
    if not (CONFIG_DIR / "prometheus.yml").exists():
        return f"no scrape configuration at {CONFIG_DIR / 'prometheus.yml'}"
    return None


def render_config(settings: LocalSettings) -> Path:
    target_dir = settings.local_dir / "prometheus"
    target_dir.mkdir(parents=True, exist_ok=True)
    ports = {"conductor_port": settings.conductor_port, "metrics_port": settings.metrics_port, "prometheus_port": settings.prometheus_port}

    config = (CONFIG_DIR / "prometheus.yml").read_text()
    for address, port_name in DEFAULT_TARGETS.items():
        config = config.replace(address, f"{HOST}:{ports[port_name]}")
    for extra in CONFIG_DIR.glob("*.yml"):
        if extra.name != "prometheus.yml":
            shutil.copyfile(extra, target_dir / extra.name)

    path = target_dir / "prometheus.yml"
    path.write_text(config)
    return path


def command(settings: LocalSettings) -> list[str]:
    config = render_config(settings)
    return [
        "prometheus",
        f"--config.file={config}",
        f"--storage.tsdb.path={settings.local_dir / 'prometheus' / 'data'}",
        f"--web.listen-address={HOST}:{settings.prometheus_port}",
        "--web.enable-lifecycle",
    ]


def service(settings: LocalSettings) -> Service:
    return Service(
        name=SERVICE_NAME,
        port=settings.prometheus_port,
        command=command,
        probe=lambda settings: http_probe(f"{settings.prometheus_url}/-/ready"),
        start_timeout_s=30.0,
        available=missing,
    )
