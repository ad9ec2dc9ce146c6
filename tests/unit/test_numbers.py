"""tutor.engine.numbers.fmt: how a float reads to a learner."""

from __future__ import annotations

import math

import pytest

from tutor.engine.numbers import fmt


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.2000000000000002, "2.2"),
        (220.00000000000003, "220"),
        (110.00000000000001, "110"),
        (3.3000000000000003, "3.3"),
        (715.0000000000001, "715"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333"),
        (2 / 3, "0.666667"),
        (100.0, "100"),
        (1.0, "1"),
        (-2.5, "-2.5"),
        (0.5, "0.5"),
        (123456.7, "123457"),
        (0.0001, "0.0001"),
        (0.000123456789, "0.000123457"),
    ],
)
def test_float_noise_removed(value, text):
    assert fmt(value) == text


def test_zero_and_negative_zero():
    assert fmt(0.0) == "0"
    assert fmt(-0.0) == "0"
    assert fmt(0) == "0"


def test_non_finite():
    assert fmt(math.inf) == "inf"
    assert fmt(-math.inf) == "-inf"
    assert fmt(math.nan) == "nan"
    assert fmt(-math.nan) == "nan"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.5e12, "1.5e12"),
        (1e6, "1e6"),
        (1234567.0, "1.23457e6"),
        (-1234567.0, "-1.23457e6"),
        (1e300, "1e300"),
        (1.5e-7, "1.5e-7"),
        (-1e-300, "-1e-300"),
        (2.5e-5, "2.5e-5"),
        (1.7976931348623157e308, "1.79769e308"),
    ],
)
def test_large_and_small_use_exponent_form(value, text):
    assert fmt(value) == text


def test_form_follows_the_rounded_value():
    # A number that rounds to 1e6 reads like 1e6; one that rounds up to
    # 1e-4 reads like 1e-4. No 7-digit "1000000" from a 6-digit format.
    assert fmt(999999.7) == fmt(1e6) == "1e6"
    assert fmt(-999999.7) == "-1e6"
    assert fmt(9.99999999e-5) == fmt(1e-4) == "0.0001"


def test_digits_argument():
    assert fmt(3.14159, 3) == "3.14"
    assert fmt(3.14159, 1) == "3"
    assert fmt(123456.7, 3) == "1.23e5"
    assert fmt(2.0, 3) == "2"


def test_round_trip_within_digits():
    for value in (0.15, -0.35, 2.2, 1e-3, 12345.6, 0.2350037122015945, 7.0, 5e-8, 3e9):
        text = fmt(value)
        assert float(text) == pytest.approx(value, rel=1e-5)
        assert "e+" not in text and not text.endswith(".")
