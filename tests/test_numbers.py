"""common.numbers.local_number writes every figure exactly as Django's number_format does, in both languages."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from common.numbers import local_number

DECIMALS = [
    "0",
    "-0",
    "0.00",
    "-0.00",
    "0.004",
    "-0.004",
    "0.005",
    "-0.015",
    "0.05",
    "-0.05",
    "0.5",
    "-0.5",
    "0.95",
    "1",
    "12.3",
    "999.999",
    "1000",
    "-1000",
    "1234.5",
    "1234.5678",
    "-1234.5678",
    "999999.995",
    "1E+3",
    "1.5E+7",
    "12345678901234567.89",
    "123456789012345678901234.5",
    "1E-30",
]
INTS = [0, 1, -1, 12, 999, 1000, -1000, 1234567, -1234567, 10**20]


@pytest.mark.parametrize("language", ["id", "en"])
def test_same_as_number_format(language: str) -> None:
    rng = random.Random(7)
    decimals = [Decimal(v) for v in DECIMALS]
    decimals += [Decimal(rng.randint(-(10**9), 10**9)).scaleb(-rng.randint(0, 6)) for _ in range(500)]
    with translation.override(language):
        for value in decimals:
            for places in (None, 0, 1, 2, 3, 7):
                expected = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
                assert local_number(value, places) == expected, (value, places)
        for value in INTS + [rng.randint(-(10**12), 10**12) for _ in range(200)]:
            for places in (None, 0, 2):
                expected = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
                assert local_number(value, places) == expected, (value, places)
        for value in (0.0, 1234.5, -0.25, 1e-20, 3.385):
            expected = number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
            assert local_number(value, 2) == expected
