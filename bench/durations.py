"""Job durations: parse a duration spec and draw one list of durations from a seeded RNG.

Specs: ``10`` or ``fixed:10`` (every job works 10 s), ``uniform:5:15`` (uniform between 5 and 15 s),
``exp:10`` (exponential with a mean of 10 s). Both designs get the very same list.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .errors import ConfigError

# The maximum job duration the Lambda function accepts with its default 900 s timeout, because it keeps
# 1 s back for the terminal write (TERMINAL_WRITE_MARGIN_S in infra/lambda/handler.py).
MAX_DURATION_S = 899.0

SPEC_FORMS = "a number of seconds, fixed:S, uniform:MIN:MAX or exp:MEAN"


class DurationSpecError(ConfigError):
    """A duration spec that cannot be parsed or is out of range."""


@dataclass(frozen=True)
class DurationSpec:
    kind: str  # "fixed", "uniform" or "exp"
    parameters: tuple[float, ...]

    def describe(self) -> str:
        return ":".join([self.kind, *(f"{value:g}" for value in self.parameters)])

    def draw(self, count: int, seed: int) -> list[float]:
        """Return ``count`` durations in seconds, rounded to milliseconds, the same for the same seed."""
        rng = random.Random(seed)
        return [round(self._draw_one(rng), 3) for _ in range(count)]

    def _draw_one(self, rng: random.Random) -> float:
        if self.kind == "fixed":
            return self.parameters[0]
        if self.kind == "uniform":
            low, high = self.parameters
            return rng.uniform(low, high)
        # NOTE: exponential draws are capped at MAX_DURATION_S, so a mean near the cap is not the real mean.
        return min(rng.expovariate(1.0 / self.parameters[0]), MAX_DURATION_S)


def _number(text: str, spec: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DurationSpecError(f"invalid duration spec {spec!r}: {text!r} is not a number; use {SPEC_FORMS}") from None
    if not math.isfinite(value) or value < 0:
        raise DurationSpecError(f"invalid duration spec {spec!r}: {text!r} must be a finite number >= 0")
    if value > MAX_DURATION_S:
        raise DurationSpecError(
            f"invalid duration spec {spec!r}: {text!r} is above {MAX_DURATION_S:g} s, the longest job the Lambda function accepts"
        )
    return value


def parse_duration_spec(spec: str) -> DurationSpec:
    """Parse ``spec`` into a DurationSpec; raise DurationSpecError naming the spec and the accepted forms."""
    text = spec.strip()
    kind, _, rest = text.partition(":")
    if not rest:
        if kind in ("fixed", "uniform", "exp"):
            raise DurationSpecError(f"invalid duration spec {spec!r}: {kind} needs parameters; use {SPEC_FORMS}")
        return DurationSpec("fixed", (_number(kind, spec),))

    parts = rest.split(":")
    expected = {"fixed": 1, "uniform": 2, "exp": 1}
    if kind not in expected:
        raise DurationSpecError(f"invalid duration spec {spec!r}: unknown distribution {kind!r}; use {SPEC_FORMS}")
    if len(parts) != expected[kind]:
        raise DurationSpecError(
            f"invalid duration spec {spec!r}: {kind} takes {expected[kind]} parameter(s), got {len(parts)}; use {SPEC_FORMS}"
        )

    values = tuple(_number(part, spec) for part in parts)
    if kind == "uniform" and values[0] > values[1]:
        raise DurationSpecError(f"invalid duration spec {spec!r}: MIN {values[0]:g} is above MAX {values[1]:g}")
    if kind == "exp" and values[0] <= 0:
        raise DurationSpecError(f"invalid duration spec {spec!r}: the mean must be greater than 0")
    return DurationSpec(kind, values)
