"""Agreement between two observers of the same lesson: pure arithmetic, no database.

The input is either pairs of scores, one per item ``(score of observer A, score of observer B)``, or the
counts of such pairs, ``{(a, b): n}`` (a confusion table, as the board overview aggregates it in SQL).
A pair in which either observer left the item unscored (``None``, "not seen") says nothing about
agreement and is ignored.

- **Exact agreement**: the share of the scored pairs with equal scores (0.0 to 1.0).
- **Cohen's kappa** (unweighted): ``(p_o - p_e) / (1 - p_e)``, with ``p_o`` the exact agreement and
  ``p_e`` the agreement expected by chance from each observer's own distribution over the categories,
  ``p_e = sum_k p_A(k) * p_B(k)``. Computed with integers (``n * agreed - sum r_k c_k`` over
  ``n**2 - sum r_k c_k``), so identical ratings give exactly 1.
- **Linearly weighted kappa** (optional): as above with agreement weights ``1 - |a - b| / (max - min)``
  over the scale, so a 3 against a 4 counts as partial agreement on an ordinal four-point scale.

Edge cases, decided here once:
- no scored pairs: agreement and kappa are ``None`` (nothing to compare; reason ``NO_PAIRS``);
- both observers used one and the same category for every item: ``p_e = 1``, so kappa is 0/0 and is
  ``None`` with reason ``SINGLE_CATEGORY`` ("agreement only": exact agreement is then 1.0);
- each observer used a single category but different ones: ``p_e = 0`` and kappa is 0 (no agreement);
- a weighted kappa needs a scale of at least two values; with ``p_e = 1`` it is undefined as above.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Pair = tuple[int | None, int | None]
Confusion = Mapping[tuple[int, int], int]

NO_PAIRS = "no_pairs"
SINGLE_CATEGORY = "single_category"


def confusion_from_pairs(pairs: Iterable[Pair]) -> dict[tuple[int, int], int]:
    """Count the pairs in which both observers gave a score; unscored items drop out."""
    counts: Counter[tuple[int, int]] = Counter()
    for a, b in pairs:
        if a is not None and b is not None:
            counts[(a, b)] += 1
    return dict(counts)


def _clean(counts: Confusion) -> dict[tuple[int, int], int]:
    cleaned: dict[tuple[int, int], int] = {}
    for (a, b), n in counts.items():
        if n < 0:
            raise ValueError(f"a count cannot be negative: {(a, b)} → {n}")
        if n:
            cleaned[(a, b)] = cleaned.get((a, b), 0) + n
    return cleaned


def _margins(counts: Confusion) -> tuple[Counter[int], Counter[int]]:
    rows: Counter[int] = Counter()
    columns: Counter[int] = Counter()
    for (a, b), n in counts.items():
        rows[a] += n
        columns[b] += n
    return rows, columns


def pair_count(counts: Confusion) -> int:
    return sum(_clean(counts).values())


def exact_agreement(counts: Confusion) -> float | None:
    """The share of scored pairs on which both observers gave the same score; None without pairs."""
    counts = _clean(counts)
    n = sum(counts.values())
    if n == 0:
        return None
    agreed = sum(count for (a, b), count in counts.items() if a == b)
    return agreed / n


def _kappa_fraction(counts: Confusion) -> Fraction | None:
    counts = _clean(counts)
    n = sum(counts.values())
    if n == 0:
        return None
    rows, columns = _margins(counts)
    agreed = sum(count for (a, b), count in counts.items() if a == b)
    chance = sum(rows[k] * columns[k] for k in rows)  # n² · p_e
    denominator = n * n - chance
    if denominator == 0:  # p_e = 1: both used one and the same category throughout
        return None
    return Fraction(n * agreed - chance, denominator)


def cohen_kappa(counts: Confusion) -> float | None:
    """Unweighted Cohen's kappa; None without pairs or when both observers used one same category."""
    kappa = _kappa_fraction(counts)
    return None if kappa is None else float(kappa)


def weighted_kappa(counts: Confusion, scale: Sequence[int] | None = None) -> float | None:
    """Cohen's kappa with linear agreement weights ``1 - |a - b| / (max - min)`` over the scale's range.

    `scale` is the instrument's scale values (the range decides how far apart two scores are); without
    it the values seen are used. None when there are no pairs, the range is a single value, or p_e = 1.
    """
    counts = _clean(counts)
    n = sum(counts.values())
    if n == 0:
        return None
    seen = {a for a, _ in counts} | {b for _, b in counts}
    values = set(scale or ()) | seen
    low, high = min(values), max(values)
    if high == low:
        return None
    span = high - low

    def weight(a: int, b: int) -> Fraction:
        return 1 - Fraction(abs(a - b), span)

    rows, columns = _margins(counts)
    observed = sum(count * weight(a, b) for (a, b), count in counts.items())  # n · p_o(w)
    chance = sum(rows[a] * columns[b] * weight(a, b) for a in rows for b in columns)  # n² · p_e(w)
    denominator = n * n - chance
    if denominator == 0:
        return None
    return float((n * observed - chance) / denominator)


@dataclass(frozen=True)
class Agreement:
    """How far two observers agreed over a set of items."""

    pairs: int  # items both scored
    agreed: int  # of which with the same score
    exact: float | None  # agreed / pairs
    kappa: float | None
    weighted: float | None
    # Why kappa is missing: NO_PAIRS, or SINGLE_CATEGORY ("agreement only"); "" when there is a kappa.
    kappa_missing: str = ""

    @property
    def exact_percent(self) -> float | None:
        return None if self.exact is None else self.exact * 100

    @property
    def agreement_only(self) -> bool:
        return self.kappa_missing == SINGLE_CATEGORY


def agreement_of(counts: Confusion, scale: Sequence[int] | None = None) -> Agreement:
    """Exact agreement, kappa and linearly weighted kappa of one confusion table, with the reason for a gap."""
    counts = _clean(counts)
    n = sum(counts.values())
    agreed = sum(count for (a, b), count in counts.items() if a == b)
    kappa = cohen_kappa(counts)
    missing = "" if kappa is not None else (NO_PAIRS if n == 0 else SINGLE_CATEGORY)
    return Agreement(
        pairs=n,
        agreed=agreed,
        exact=exact_agreement(counts),
        kappa=kappa,
        weighted=weighted_kappa(counts, scale),
        kappa_missing=missing,
    )


def agreement_of_pairs(pairs: Iterable[Pair], scale: Sequence[int] | None = None) -> Agreement:
    """agreement_of for pairs of scores (an unscored side drops the pair)."""
    return agreement_of(confusion_from_pairs(pairs), scale)


def confusion_merge(*tables: Confusion) -> dict[tuple[int, int], int]:
    """Add confusion tables cell by cell (e.g. one observer's pairs over several visits)."""
    merged: Counter[tuple[int, int]] = Counter()
    for table in tables:
        merged.update(_clean(table))
    return dict(merged)


def confusion_transpose(counts: Confusion) -> dict[tuple[int, int], int]:
    """The same table seen from the other observer: (a, b) becomes (b, a)."""
    return {(b, a): n for (a, b), n in _clean(counts).items()}
