"""The duration spec parser and the seeded draws."""

from __future__ import annotations

import pytest

from bench.durations import MAX_DURATION_S, DurationSpec, DurationSpecError, parse_duration_spec


@pytest.mark.parametrize(
    ("spec", "kind", "parameters"),
    [
        ("10", "fixed", (10.0,)),
        ("0", "fixed", (0.0,)),
        ("fixed:2.5", "fixed", (2.5,)),
        ("uniform:5:15", "uniform", (5.0, 15.0)),
        ("uniform:3:3", "uniform", (3.0, 3.0)),
        ("exp:10", "exp", (10.0,)),
        (" 7 ", "fixed", (7.0,)),
    ],
)
def test_valid_spec_parses(spec, kind, parameters):
    assert parse_duration_spec(spec) == DurationSpec(kind, parameters)


@pytest.mark.parametrize(
    "spec",
    ["", "abc", "-1", "nan", "inf", "1000", "fixed", "fixed:1:2", "uniform:5", "uniform:15:5", "uniform:a:b",
     "exp:0", "exp:-3", "gauss:1:2", "uniform:1:900"],
)
def test_invalid_spec_raises(spec):
    with pytest.raises(DurationSpecError):
        parse_duration_spec(spec)


def test_error_names_spec():
    with pytest.raises(DurationSpecError, match="'gauss:1'"):
        parse_duration_spec("gauss:1")


def test_same_seed_same_draws():
    spec = parse_duration_spec("uniform:5:15")
    assert spec.draw(50, seed=3) == spec.draw(50, seed=3)


def test_other_seed_other_draws():
    spec = parse_duration_spec("exp:10")
    assert spec.draw(20, seed=1) != spec.draw(20, seed=2)


def test_uniform_draws_within_bounds():
    draws = parse_duration_spec("uniform:5:15").draw(500, seed=1)
    assert min(draws) >= 5
    assert max(draws) <= 15


def test_exp_draws_capped():
    draws = parse_duration_spec("exp:800").draw(200, seed=1)
    assert max(draws) <= MAX_DURATION_S


def test_fixed_draws_all_equal():
    assert parse_duration_spec("4").draw(3, seed=9) == [4.0, 4.0, 4.0]


def test_describe_round_trips():
    spec = parse_duration_spec("uniform:5:15")
    assert parse_duration_spec(spec.describe()) == spec
