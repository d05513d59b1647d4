"""Run the service until SIGTERM or SIGINT, then stop gracefully."""

from __future__ import annotations

import logging
import os
import signal
import threading

from werkzeug.serving import make_server

from .app import create_app
from .environment import EnvironmentPool
from .invoker import AsyncDispatcher, Invoker
from .settings import HOST, ServiceSettings

log = logging.getLogger("longrun.lambda_service")


def handler_environment(settings: ServiceSettings) -> dict[str, str]:
    """Return the handler's environment: the service's own, plus the variables Lambda sets."""
    env = dict(os.environ)
    env.update(
        {
            "AWS_LAMBDA_FUNCTION_NAME": settings.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_REGION": settings.region,
            "LONGRUN_FUNCTION_TIMEOUT_S": f"{settings.timeout_s:g}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def serve(settings: ServiceSettings) -> int:
    pool = EnvironmentPool(settings, handler_environment(settings))
    invoker = Invoker(settings, pool)
    dispatcher = AsyncDispatcher(settings, invoker)
    app = create_app(settings, pool, invoker, dispatcher)
    server = make_server(HOST, settings.port, app, threaded=True)

    def request_stop(signum: int, _frame: object) -> None:
        log.info("received %s; no longer accepting requests", signal.Signals(signum).name)
        # shutdown() waits for serve_forever() to return, which runs on this (the main) thread.
        threading.Thread(target=server.shutdown, name="shutdown", daemon=True).start()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    dispatcher.start()
    log.info(
        "serving function %s (handler %s:%s, timeout %g s) on http://%s:%d",
        settings.function_name, settings.handler_file, settings.handler_function, settings.timeout_s,
        HOST, server.server_port,
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
        _stop(settings, dispatcher, pool)
    return 0


def _stop(settings: ServiceSettings, dispatcher: AsyncDispatcher, pool: EnvironmentPool) -> None:
    dropped = dispatcher.stop()
    if dropped:
        # NOTE: queued events live in memory only, so they are lost here. AWS would still run them.
        log.warning("dropped %d queued asynchronous events because the service is stopping", dropped)
    if not pool.wait_idle(settings.stop_grace_s):
        log.warning("invocations still running after the %g s grace period are killed", settings.stop_grace_s)
    pool.close()
    log.info("stopped")
