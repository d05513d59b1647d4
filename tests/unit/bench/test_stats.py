"""Percentiles by linear interpolation between closest ranks, checked against hand-computed values."""

from __future__ import annotations

import pytest

from bench.stats import describe, mean, percentile


def test_one_sample_is_every_percentile():
    for p in (0, 50, 95, 99, 100):
        assert percentile([7.5], p) == 7.5


def test_even_count_median_is_middle_mean():
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5


def test_odd_count_median_is_middle_value():
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0


def test_p100_is_max():
    assert percentile([3.0, 9.0, 1.0], 100) == 9.0


def test_p0_is_min():
    assert percentile([3.0, 9.0, 1.0], 0) == 1.0


def test_p95_interpolates():
    # rank = (4 - 1) * 0.95 = 2.85, so 3 + 0.85 * (4 - 3).
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)


def test_p99_of_ten_values():
    # rank = 9 * 0.99 = 8.91 between 9 and 10.
    assert percentile([float(value) for value in range(1, 11)], 99) == pytest.approx(9.91)


def test_p95_of_two_values():
    # rank = 0.95 between 10 and 20.
    assert percentile([20.0, 10.0], 95) == pytest.approx(19.5)


def test_empty_sample_raises():
    with pytest.raises(ValueError):
        percentile([], 50)


@pytest.mark.parametrize("p", [-1, 100.5, float("nan")])
def test_percentile_out_of_range_raises(p):
    with pytest.raises(ValueError):
        percentile([1.0, 2.0], p)


def test_input_left_unsorted():
    values = [3.0, 1.0, 2.0]
    percentile(values, 50)
    assert values == [3.0, 1.0, 2.0]


def test_describe_skips_none():
    summary = describe([1.0, None, 3.0])
    assert summary["count"] == 2
    assert summary["mean"] == 2.0
    assert summary["p50"] == 2.0
    assert summary["max"] == 3.0


def test_describe_empty_gives_none():
    summary = describe([None])
    assert summary["count"] == 0
    assert summary["p95"] is None
    assert summary["max"] is None


def test_mean_of_nothing_is_none():
    assert mean([]) is None
