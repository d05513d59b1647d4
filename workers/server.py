"""HTTP server of the parent process: ``/metrics`` for Prometheus and ``/health`` for probes."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    healthy: bool
    body: dict = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: "StatusServer"

    def do_GET(self) -> None:  # noqa: N802 (name fixed by BaseHTTPRequestHandler)
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._metrics()
        elif path == "/health":
            self._health()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found; use /metrics or /health\n")

    def _metrics(self) -> None:
        registry = self.server.registry_factory()
        if registry is None:
            body = b"metrics are disabled; set LONGRUN_METRICS_ENABLED=true to collect them\n"
            self._send(404, "text/plain; charset=utf-8", body)
            return
        self._send(200, CONTENT_TYPE_LATEST, generate_latest(registry))

    def _health(self) -> None:
        health = self.server.health_check()
        body = json.dumps(health.body, sort_keys=True).encode() + b"\n"
        self._send(200 if health.healthy else 503, "application/json", body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature fixed by the base class)
        log.debug("%s %s", self.address_string(), format % args)


class StatusServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        host: str,
        port: int,
        registry_factory: Callable[[], Optional[CollectorRegistry]],
        health_check: Callable[[], Health],
    ) -> None:
        super().__init__((host, port), _Handler)
        self.registry_factory = registry_factory
        self.health_check = health_check
        self._thread: Optional[threading.Thread] = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="status-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
