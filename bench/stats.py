"""Percentiles and the summary of a sample, written out so that the method is explicit.

Method: linear interpolation between closest ranks, the same as numpy.percentile's default
("linear") and Excel's PERCENTILE.INC. For sorted values x[0..n-1] and p in [0, 100], the rank is
r = (n - 1) * p / 100, and the percentile is x[floor(r)] + (r - floor(r)) * (x[floor(r) + 1] - x[floor(r)]).
So p0 is the minimum, p100 the maximum, and p50 of an even count is the mean of the two middle values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

REPORTED_PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], p: float) -> float:
    """Return the p-th percentile of ``values`` by linear interpolation; raise ValueError when empty."""
    if not values:
        raise ValueError("percentile of an empty sample is undefined")
    if not 0 <= p <= 100 or math.isnan(p):
        raise ValueError(f"percentile must be from 0 to 100, got {p}")

    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    lower = math.floor(rank)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = rank - lower
    return ordered[lower] + fraction * (ordered[upper] - ordered[lower])


def describe(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """Return count, mean, p50, p95, p99 and max of the values that are not None (None when there are none)."""
    sample = [value for value in values if value is not None]
    summary: dict[str, float | int | None] = {"count": len(sample)}
    if not sample:
        summary.update({"mean": None, **{f"p{p}": None for p in REPORTED_PERCENTILES}, "max": None})
        return summary

    summary["mean"] = sum(sample) / len(sample)
    for p in REPORTED_PERCENTILES:
        summary[f"p{p}"] = percentile(sample, p)
    summary["max"] = max(sample)
    return summary


def mean(values: Iterable[float | None]) -> float | None:
    sample = [value for value in values if value is not None]
    return sum(sample) / len(sample) if sample else None
