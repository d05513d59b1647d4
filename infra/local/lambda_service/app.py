"""The service's WSGI application: Invoke API, /jobs routes and the health check."""

from __future__ import annotations

from flask import Flask, jsonify

from . import invoke_api, jobs_api
from .environment import EnvironmentPool
from .invoker import AsyncDispatcher, Invoker
from .settings import ServiceSettings


def create_app(settings: ServiceSettings, pool: EnvironmentPool, invoker: Invoker, dispatcher: AsyncDispatcher) -> Flask:
    app = Flask("longrun-lambda-service")
    invoke_api.register(app, settings, invoker, dispatcher)
    jobs_api.register(app, invoker, dispatcher)

    @app.get("/health")
    def health():
        return jsonify(
            {
                "status": "ok",
                "functionName": settings.function_name,
                "queueDepth": dispatcher.depth,
                "runningInvocations": pool.busy_count,
            }
        )

    return app
