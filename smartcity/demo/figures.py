"""The demo's made-up figures: realisations, budgets and agenda numbers, plausible and the same on every run.

"Random" values come from a hash of what they describe, so a second load computes the same numbers and finds
everything it wrote the first time.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from masterplan.models import Indicator

CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1000)
# Units whose values keep two decimals even when the targets happen to be whole numbers.
DECIMAL_UNITS = {"%", "indeks", "ton/ha", "ha", "ton/tahun"}


def fraction(*parts: object) -> Decimal:
    """A number in [0, 1) fixed by `parts`: the same demo on every run, different across programmes."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def between(low: str, high: str, *parts: object) -> Decimal:
    return Decimal(low) + (Decimal(high) - Decimal(low)) * fraction(*parts)


def rupiah(value: Decimal) -> str:
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def number(value: Decimal) -> str:
    """Indonesian notation: dots group thousands, a comma marks decimals."""
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# --- Values ----------------------------------------------------------------------------------------------


def _whole_numbers(indicator: Indicator, targets: dict[int, Decimal]) -> bool:
    values = [indicator.baseline or Decimal(0), *targets.values()]
    return indicator.unit not in DECIMAL_UNITS and all(v == v.to_integral_value() for v in values)


def realisation(
    indicator: Indicator,
    targets: dict[int, Decimal],
    year: int,
    period: int,
    periods: int,
    *,
    lead: bool,
    skew: Decimal = Decimal(1),
) -> Decimal | None:
    """A plausible value for the period: on the way from last year's target to this year's, give or take."""
    target = targets.get(year)
    if target is None:
        return None
    share = Decimal(period) / Decimal(periods)
    factor = between("0.82", "1.08", indicator.pk, indicator.name, year, period, lead)
    yearly_flow = "per tahun" in indicator.name or "/tahun" in indicator.unit
    if yearly_flow:  # counted afresh each year: a quarter's figure is a share of the year's target
        value = target * share * factor
    else:
        start = targets.get(year - 1, indicator.baseline if indicator.baseline is not None else Decimal(0))
        value = start + (target - start) * share * factor
    value *= skew
    if indicator.unit == "%":
        value = min(value, Decimal(100))
    value = max(value, Decimal(0))
    step = Decimal(1) if _whole_numbers(indicator, targets) else CENT
    return value.quantize(step, ROUND_HALF_UP).quantize(CENT)


def budget(code: str, acronym: str, year: int, period: int, periods: int, *, lead: bool) -> tuple[Decimal, Decimal]:
    """The year's budget (DPA) and what was spent by the end of the period: slow at first, as usual in APBD."""
    low, high = ("400", "2500") if lead else ("60", "350")
    plan = between(low, high, code, acronym, year).quantize(Decimal(1)) * MILLION
    share = Decimal(period) / Decimal(periods)
    absorbed = Decimal(float(share) ** 1.3) * Decimal("0.95") * between("0.88", "1.04", code, acronym, year, period)
    spent = min(plan * absorbed, plan)
    return plan, (spent / THOUSAND).quantize(Decimal(1)) * THOUSAND


def agenda_number(*parts: object) -> int:
    """A plausible agenda number (nomor urut surat) that stays the same on every run."""
    return 100 + int(fraction(*parts) * 800)
