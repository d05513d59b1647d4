"""Error responses shaped as the Lambda service sends them (rest-json protocol).

botocore takes the error code from the ``x-amzn-ErrorType`` header and the message from the body's
``message`` or ``Message`` key, so a modeled code becomes ``client.exceptions.<Code>``.
"""

from __future__ import annotations

import json
import uuid

from flask import Response


def aws_error(status: int, code: str, message: str, message_key: str = "message") -> Response:
    body = {"Type": "User", message_key: message}
    return Response(
        json.dumps(body),
        status=status,
        mimetype="application/json",
        headers={"x-amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())},
    )


def function_not_found(arn: str) -> Response:
    # The ResourceNotFoundException shape names its message member "Message".
    return aws_error(404, "ResourceNotFoundException", f"Function not found: {arn}", message_key="Message")


def payload_too_large(size: int, invocation_type: str, limit: int) -> Response:
    # Lambda sends the unmodeled code RequestEntityTooLargeException, which botocore raises as a
    # plain ClientError carrying that code, with these two messages.
    if invocation_type == "Event":
        message = f"{size} byte payload is too large for the Event invocation type (limit {limit} bytes)"
    else:
        message = f"Request must be smaller than {limit} bytes for the InvokeFunction operation"
    return aws_error(413, "RequestEntityTooLargeException", message)


def invalid_json(detail: str) -> Response:
    message = f"Could not parse request body into json: Could not parse payload into json: {detail}"
    return aws_error(400, "InvalidRequestContentException", message)


def invalid_invocation_type(value: str) -> Response:
    message = (
        f"1 validation error detected: Value '{value}' at 'invocationType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
    )
    return aws_error(400, "ValidationException", message)
