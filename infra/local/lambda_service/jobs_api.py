"""The HTTP design's API in front of the function: ``POST /jobs`` and ``GET /jobs/{requestId}``."""

from __future__ import annotations

import json
import logging
import re
import uuid

from flask import Flask, Response, jsonify, request

from .invoker import AsyncDispatcher, Invoker
from .settings import MAX_ASYNC_PAYLOAD_BYTES

log = logging.getLogger("longrun.lambda_service")

# The project's requestId rule, checked here too so that a bad id gets a 400 before any invocation.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
REQUEST_ID_RULE = "a string of 1 to 128 characters from A-Z a-z 0-9 . _ : -"


def _bad_request(message: str) -> Response:
    response = jsonify({"message": message})
    response.status_code = 400
    return response


def _invalid_request_id(value: object) -> Response | None:
    if isinstance(value, str) and REQUEST_ID_PATTERN.fullmatch(value):
        return None
    return _bad_request(f"requestId must be {REQUEST_ID_RULE}; got {value!r:.80}")


def register(app: Flask, invoker: Invoker, dispatcher: AsyncDispatcher) -> None:
    @app.post("/jobs")
    def submit_job() -> Response:
        body = request.get_data(cache=False)
        if len(body) > MAX_ASYNC_PAYLOAD_BYTES:
            response = jsonify({"message": f"request body must be at most {MAX_ASYNC_PAYLOAD_BYTES} bytes"})
            response.status_code = 413
            return response
        try:
            event = json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            return _bad_request(f"request body must be a JSON object: {err}")
        if not isinstance(event, dict):
            return _bad_request(f"request body must be a JSON object; got {type(event).__name__}")
        invalid = _invalid_request_id(event.get("requestId"))
        if invalid is not None:
            return invalid

        dispatcher.submit(event)
        response = jsonify({"requestId": event["requestId"]})
        response.status_code = 202
        return response

    @app.get("/jobs/<request_id>")
    def get_job(request_id: str) -> Response:
        invalid = _invalid_request_id(request_id)
        if invalid is not None:
            return invalid

        event = {"action": "status", "requestId": request_id}
        outcome = invoker.invoke(event, "RequestResponse", str(uuid.uuid4()))
        if outcome.failed:
            log.error("status of requestId %s failed: %s: %s", request_id, outcome.error_type, outcome.error_message)
            response = jsonify({"message": f"status lookup failed: {outcome.error_type}: {outcome.error_message}"})
            response.status_code = 502
            return response

        item = json.loads(outcome.payload).get("item")
        if item is None:
            response = jsonify({"message": f"job {request_id} not found", "requestId": request_id})
            response.status_code = 404
            return response
        return jsonify(item)
