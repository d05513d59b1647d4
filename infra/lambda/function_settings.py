"""Settings of the job function, read once per invocation from its environment."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

DEFAULT_TABLE_NAME = "longrun-jobs"
DEFAULT_ITEM_TTL_S = 7 * 24 * 3600
# AWS Lambda's maximum function timeout; used only when the runtime gives no context.
DEFAULT_FUNCTION_TIMEOUT_S = 900.0


class SettingsError(ValueError):
    """An environment variable contains a value the function cannot use."""


def _positive_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number; set it to a positive number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise SettingsError(f"{name}={raw!r} is out of range; set it to a positive number of seconds")
    return value


@dataclass(frozen=True)
class FunctionSettings:
    table_name: str
    item_ttl_s: int
    function_timeout_s: float

    @classmethod
    def from_environment(cls) -> "FunctionSettings":
        table_name = os.environ.get("LONGRUN_TABLE_NAME", "") or DEFAULT_TABLE_NAME
        return cls(
            table_name=table_name,
            item_ttl_s=int(_positive_number("LONGRUN_ITEM_TTL_S", DEFAULT_ITEM_TTL_S)),
            function_timeout_s=_positive_number("LONGRUN_FUNCTION_TIMEOUT_S", DEFAULT_FUNCTION_TIMEOUT_S),
        )
