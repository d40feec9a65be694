"""The index computation, in one place: per lens, per dimension and final, with the cycle's lens weights.

A lens index is the weighted mean of its questions' scores (question weights). A dimension's index combines
its lens indices with the lens weights. The final index combines the region-wide lens indices with the lens
weights; e.g. Kota Kediri 2022: lenses 3.60/3.21/3.23/3.07/3.65 with weights 10/20/30/20/20 → 3.315
(published as 3.31, rounded from more precise sub-scores). Lenses without a scored question are left out and
the remaining weights renormalised, so a partial assessment still gives a meaningful running figure.
Everything stays a Decimal at full precision; rounding to two decimals happens only for display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ScoredItem:
    dimension: str  # Dimension.code
    lens: str  # Lens value
    weight: Decimal  # the question's weight
    score: Decimal | None  # None: not scored yet


@dataclass
class Indices:
    by_lens: dict[str, Decimal | None] = field(default_factory=dict)
    by_dimension: dict[str, Decimal | None] = field(default_factory=dict)
    by_dimension_lens: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)
    final: Decimal | None = None
    scored: int = 0
    total: int = 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.scored == self.total


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ weight·value / Σ weight, or None when nothing carries weight."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for weight, value in pairs:
        total_weight += weight
        total += weight * value
    return total / total_weight if total_weight else None


def combine_lenses(weights: Mapping[str, Decimal], lens_indices: Mapping[str, Decimal | None]) -> Decimal | None:
    """The lens indices combined with the cycle's lens weights (renormalised over lenses that have an index)."""
    return weighted_mean((weights[lens], value) for lens, value in lens_indices.items() if value is not None)


def compute_indices(*, weights: Mapping[str, Decimal], items: Iterable[ScoredItem]) -> Indices:
    per_lens: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    per_dim_lens: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    dimensions: set[str] = set()
    result = Indices()
    for item in items:
        result.total += 1
        dimensions.add(item.dimension)
        if item.score is None:
            continue
        result.scored += 1
        per_lens[item.lens].append((item.weight, item.score))
        per_dim_lens[(item.dimension, item.lens)].append((item.weight, item.score))
    result.by_lens = {lens: weighted_mean(per_lens.get(lens, [])) for lens in weights}
    for dimension in sorted(dimensions):
        lens_values = {lens: weighted_mean(per_dim_lens.get((dimension, lens), [])) for lens in weights}
        result.by_dimension_lens.update({(dimension, lens): v for lens, v in lens_values.items()})
        result.by_dimension[dimension] = combine_lenses(weights, lens_values)
    result.final = combine_lenses(weights, result.by_lens)
    return result


def rounded(value: Decimal | None) -> Decimal | None:
    """Two decimals, half up, as results are published."""
    return None if value is None else value.quantize(TWO_PLACES, ROUND_HALF_UP)
