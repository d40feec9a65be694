"""Numbers in the active language, as django.utils.formats.number_format writes them, for pages that write hundreds.

`local_number(value, places)` gives exactly what `number_format(value, decimal_pos=places, use_l10n=True,
force_grouping=True)` gives ("1.234,50" in Indonesian, "1,234.50" in English): number_format looks up three
formats and walks the digits one by one on every call, which on the dashboard (a few hundred figures in its
tables and charts) cost more than some of its queries. Here the common cases are formatted once by Python's
own grouping and the separators swapped; anything else goes through Django's formatter with the same arguments.
tests/test_numbers.py compares the two.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language

# {language: (decimal separator, grouping, thousand separator, str.translate table)}
_FORMATS: dict[str | None, tuple[str, object, str, dict[int, str]]] = {}
_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(7)}


@receiver(setting_changed)
def _forget_formats(**kwargs: object) -> None:
    # As django.utils.formats resets its own cache: a test may change the formats' settings.
    _FORMATS.clear()


def _formats() -> tuple[str, object, str, dict[int, str]]:
    language = get_language()
    found = _FORMATS.get(language)
    if found is None:
        decimal_sep = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
        grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        thousand_sep = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
        # Python writes "1,234.5": both separators swapped at once, so neither replaces the other.
        table = str.maketrans({",": str(thousand_sep), ".": str(decimal_sep)})
        found = _FORMATS[language] = (decimal_sep, grouping, thousand_sep, table)
    return found


def local_number(value: Decimal | int | float, places: int | None = None) -> str:
    """number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True), faster (see the module)."""
    decimal_sep, grouping, thousand_sep, table = _formats()
    if grouping == 3:  # groups of three, as Python writes them (Indonesian and English)
        kind = type(value)
        if kind is int and places is None:
            return f"{value:,}".translate(table)
        if kind is Decimal and places is not None and places in _EXPONENTS and value.is_finite():  # type: ignore[union-attr]
            # number_format's steps: a figure too small to show is 0, the decimals beyond `places` are cut off
            # (not rounded) and missing ones padded with zeros, which quantize(ROUND_DOWN) does in one step.
            exponent = _EXPONENTS[places]
            number: Decimal = value  # type: ignore[assignment]
            if abs(number) < (exponent if places else Decimal("0.1")):
                number = Decimal(0)
            if number.adjusted() < 20:  # far within quantize's precision (and number_format's 200 digits)
                return f"{number.quantize(exponent, ROUND_DOWN):,f}".translate(table)
    return numberformat.format(value, decimal_sep, places, grouping, thousand_sep, force_grouping=True, use_l10n=True)
