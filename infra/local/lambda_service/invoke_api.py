"""Lambda's Invoke API (``POST /2015-03-31/functions/{name}/invocations``), as boto3's ``invoke`` calls it."""

from __future__ import annotations

import json
import uuid

from flask import Flask, Response, request

from . import aws_errors
from .invoker import AsyncDispatcher, Invoker
from .settings import MAX_ASYNC_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES, ServiceSettings

INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")


def split_function_name(raw: str) -> tuple[str, str | None]:
    """Return (name, qualifier) from a name, ``name:qualifier``, a partial ARN or a full ARN."""
    parts = raw.split(":")
    if parts[0] == "arn" and len(parts) >= 7:
        return parts[6], (parts[7] if len(parts) > 7 else None)
    if len(parts) >= 3 and parts[1] == "function":
        return parts[2], (parts[3] if len(parts) > 3 else None)
    if len(parts) == 2:
        return parts[0], parts[1]
    return raw, None


def register(app: Flask, settings: ServiceSettings, invoker: Invoker, dispatcher: AsyncDispatcher) -> None:
    @app.post("/2015-03-31/functions/<path:function>/invocations")
    def invoke(function: str) -> Response:
        name, qualifier = split_function_name(function)
        qualifier = qualifier or request.args.get("Qualifier") or None
        # Only the unpublished version exists here, so any other version or alias is not found.
        if name != settings.function_name or qualifier not in (None, "$LATEST"):
            return aws_errors.function_not_found(settings.function_arn(name, qualifier))

        invocation_type = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type not in INVOCATION_TYPES:
            return aws_errors.invalid_invocation_type(invocation_type)

        limit = MAX_ASYNC_PAYLOAD_BYTES if invocation_type == "Event" else MAX_SYNC_PAYLOAD_BYTES
        # Check the declared size first, so that an oversized body is rejected without being read.
        declared = request.content_length
        if declared is not None and declared > limit:
            return aws_errors.payload_too_large(declared, invocation_type, limit)
        body = request.get_data(cache=False)
        if len(body) > limit:
            return aws_errors.payload_too_large(len(body), invocation_type, limit)
        if invocation_type == "DryRun":
            return Response(status=204, headers={"x-amzn-RequestId": str(uuid.uuid4())})

        try:
            # boto3 sends an empty body when no Payload is given; Lambda then passes {} to the handler.
            event = json.loads(body) if body.strip() else {}
        except (ValueError, UnicodeDecodeError) as err:
            return aws_errors.invalid_json(str(err))

        if invocation_type == "Event":
            aws_request_id = dispatcher.submit(event)
            return Response(status=202, headers={"x-amzn-RequestId": aws_request_id})

        aws_request_id = str(uuid.uuid4())
        outcome = invoker.invoke(event, invocation_type, aws_request_id)
        headers = {"X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": aws_request_id}
        if outcome.failed:
            headers["X-Amz-Function-Error"] = "Unhandled"
        return Response(outcome.payload, status=200, mimetype="application/json", headers=headers)
