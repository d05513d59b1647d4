"""A small Conductor REST client on top of the SDK's ApiClient, working with plain JSON dictionaries.

The SDK's Configuration reads CONDUCTOR_SERVER_URL, CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET, and its
ApiClient fetches and refreshes the Orkes token, so the same code talks to Conductor OSS or Orkes Cloud.
Definitions stay plain JSON (as checked in) instead of the SDK's model classes.
"""

from __future__ import annotations

import json
from typing import Any

from conductor.client.configuration.configuration import Configuration
from conductor.client.http.api_client import ApiClient
from conductor.client.http.rest import ApiException

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class ConductorError(RuntimeError):
    """A Conductor API call failed; ``status`` is the HTTP status, or None when the server was unreachable."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class ConductorClient:
    def __init__(self, configuration: Configuration | None = None):
        self.configuration = configuration or Configuration()
        self._api = ApiClient(self.configuration)

    @property
    def server_url(self) -> str:
        return self.configuration.host

    @property
    def ui_url(self) -> str:
        """Return the UI's address, assuming it is served where the API is, without the /api suffix."""
        return self.server_url.removesuffix("/").removesuffix("/api")

    def call(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        try:
            return self._api.call_api(
                path,
                method,
                query_params=list((query or {}).items()),
                header_params=dict(JSON_HEADERS),
                body=body,
                auth_settings=["api_key"],
                response_type="object",
                _return_http_data_only=True,
            )
        except ApiException as exc:
            # The SDK reports a connection failure as an ApiException with status 0.
            if not exc.status:
                raise self._unreachable(exc) from exc
            raise ConductorError(f"{method} {path} failed with HTTP {exc.status}: {_message(exc)}", exc.status) from exc
        except OSError as exc:
            raise self._unreachable(exc) from exc

    def _unreachable(self, exc: Exception) -> ConductorError:
        return ConductorError(
            f"cannot reach Conductor at {self.server_url} ({_message(exc) if isinstance(exc, ApiException) else exc}); "
            "start the local stack with `make up`, or set CONDUCTOR_SERVER_URL to a running server"
        )

    def register_task_def(self, task_def: dict[str, Any]) -> None:
        """Create or update a task definition."""
        try:
            self.call("PUT", "/metadata/taskdefs", body=task_def)
        except ConductorError as exc:
            if exc.status not in (400, 404):
                raise
            self.call("POST", "/metadata/taskdefs", body=[task_def])

    def register_workflow_defs(self, workflow_defs: list[dict[str, Any]]) -> None:
        """Create or update workflow definitions (the bulk PUT overwrites the same name and version)."""
        self.call("PUT", "/metadata/workflow", body=workflow_defs)

    def running_workflows(self, name: str, correlation_id: str) -> list[dict[str, Any]]:
        found = self.call(
            "GET",
            f"/workflow/{name}/correlated/{correlation_id}",
            query={"includeClosed": "false", "includeTasks": "false"},
        )
        return [workflow for workflow in found or [] if workflow.get("status") in ("RUNNING", "PAUSED")]

    def start_workflow(
        self,
        name: str,
        workflow_input: dict[str, Any],
        correlation_id: str,
        task_to_domain: dict[str, str] | None = None,
    ) -> str:
        request = {"name": name, "input": workflow_input, "correlationId": correlation_id}
        if task_to_domain:
            request["taskToDomain"] = task_to_domain
        return str(self.call("POST", "/workflow", body=request))

    def workflow(self, workflow_id: str, include_tasks: bool = True) -> dict[str, Any]:
        return self.call("GET", f"/workflow/{workflow_id}", query={"includeTasks": str(include_tasks).lower()})

    def terminate_workflow(self, workflow_id: str, reason: str) -> None:
        self.call("DELETE", f"/workflow/{workflow_id}", query={"reason": reason})


def _message(exc: ApiException) -> str:
    try:
        return json.loads(exc.body).get("message") or exc.body
    except (TypeError, ValueError, AttributeError):
        return str(exc.body or exc.reason)
