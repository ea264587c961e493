"""The calibration arithmetic (observations/calibration.py): textbook tables worked by hand, the edge cases
the module decides, and properties on random ratings (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bekwaam.observations.calibration import (
    NO_PAIRS,
    SINGLE_CATEGORY,
    agreement_of,
    agreement_of_pairs,
    cohen_kappa,
    confusion_from_pairs,
    confusion_merge,
    confusion_transpose,
    exact_agreement,
    weighted_kappa,
)


def table(rows: list[list[int]], categories: list[int]) -> dict[tuple[int, int], int]:
    """A confusion table written as a matrix: rows are observer A's categories, columns observer B's."""
    return {(a, b): rows[i][j] for i, a in enumerate(categories) for j, b in enumerate(categories)}


# --- textbook examples, worked by hand ------------------------------------------------------------


def test_it_computes_the_classic_two_by_two_example() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # p_o = 35/50 = 0.70; A says yes 25/50, B 30/50: p_e = .5·.6 + .5·.4 = 0.50; kappa = .2/.5 = 0.40.
    counts = table([[20, 5], [10, 15]], [1, 2])
    assert exact_agreement(counts) == pytest.approx(0.70)
    assert cohen_kappa(counts) == pytest.approx(0.40)


def test_it_gives_a_low_kappa_when_agreement_is_mostly_chance() -> None:
    # 100 items: 45 / 15 / 25 / 15. p_o = .60; A yes .60, B yes .70: p_e = .42 + .12 = .54;
    # kappa = .06 / .46 = 0.1304.
    counts = table([[45, 15], [25, 15]], [1, 2])
    assert exact_agreement(counts) == pytest.approx(0.60)
    assert cohen_kappa(counts) == pytest.approx(0.06 / 0.46)
    assert cohen_kappa(counts) == pytest.approx(0.1304, abs=1e-4)


def test_it_gives_a_higher_kappa_for_the_same_agreement_with_unequal_margins() -> None:
    # 25 / 35 / 5 / 35: p_o = .60 again; A yes .60, B yes .30: p_e = .18 + .28 = .46; kappa = .14/.54.
    counts = table([[25, 35], [5, 35]], [1, 2])
    assert exact_agreement(counts) == pytest.approx(0.60)
    assert cohen_kappa(counts) == pytest.approx(0.2593, abs=1e-4)


def test_it_computes_kappa_and_linear_weighted_kappa_on_three_categories() -> None:
    # Rows A (15, 25, 10), columns B (13, 30, 7), n = 50; diagonal 35.
    # Unweighted: p_o = .70, p_e = (15·13 + 25·30 + 10·7) / 2500 = 1015/2500 = .406, kappa = .294/.594.
    # Linear weights 1, .5, 0: p_o(w) = (35 + 15·.5) / 50 = .85; n²·p_e(w) = 15·28 + 25·40 + 10·22 = 1640,
    # p_e(w) = .656; kappa_w = .194 / .344.
    counts = table([[10, 5, 0], [3, 20, 2], [0, 5, 5]], [1, 2, 3])
    assert cohen_kappa(counts) == pytest.approx(0.294 / 0.594)
    assert weighted_kappa(counts, [1, 2, 3]) == pytest.approx(0.194 / 0.344)


def test_it_weights_by_the_whole_scale_not_only_the_values_seen() -> None:
    # Only 2 and 3 used, on a scale of 1-4: one step apart weighs 1 - 1/3, not 0.
    counts = {(2, 2): 1, (3, 3): 1, (2, 3): 1, (3, 2): 1}
    # p_o(w) = (2 + 2·2/3)/4 = 5/6; margins ½ each, p_e(w) = ¼·(1 + 1 + 2/3 + 2/3) = 5/6 → kappa_w = 0.
    assert weighted_kappa(counts, [1, 2, 3, 4]) == pytest.approx(0.0)
    # Seen values alone (2-3): one step is total disagreement, so it equals the unweighted kappa (0).
    assert weighted_kappa(counts) == pytest.approx(cohen_kappa(counts) or 0.0)


def test_it_gives_minus_one_for_perfect_systematic_disagreement() -> None:
    counts = table([[0, 5], [5, 0]], [1, 2])
    assert exact_agreement(counts) == 0.0
    assert cohen_kappa(counts) == pytest.approx(-1.0)


def test_it_counts_pairs_and_drops_unscored_items() -> None:
    pairs = [(1, 1), (2, None), (None, 3), (None, None), (4, 3), (1, 1)]
    assert confusion_from_pairs(pairs) == {(1, 1): 2, (4, 3): 1}
    agreement = agreement_of_pairs(pairs, [1, 2, 3, 4])
    assert (agreement.pairs, agreement.agreed) == (3, 2)
    assert agreement.exact == pytest.approx(2 / 3)


# --- edge cases ---------------------------------------------------------------------------------


def test_it_has_no_figures_without_pairs() -> None:
    for counts in ({}, {(1, 2): 0}, confusion_from_pairs([(None, 1), (2, None)])):
        agreement = agreement_of(counts, [1, 2, 3, 4])
        assert agreement.pairs == 0
        assert agreement.exact is None
        assert agreement.kappa is None
        assert agreement.weighted is None
        assert agreement.kappa_missing == NO_PAIRS
        assert not agreement.agreement_only


def test_it_leaves_kappa_undefined_when_both_used_one_same_category() -> None:
    agreement = agreement_of({(3, 3): 7}, [1, 2, 3, 4])
    assert agreement.exact == 1.0
    assert agreement.kappa is None
    assert agreement.weighted is None
    assert agreement.kappa_missing == SINGLE_CATEGORY
    assert agreement.agreement_only


def test_it_gives_zero_when_each_used_one_category_but_different_ones() -> None:
    agreement = agreement_of({(2, 3): 4}, [1, 2, 3, 4])
    assert agreement.exact == 0.0
    assert agreement.kappa == 0.0
    assert agreement.kappa_missing == ""


def test_it_needs_a_scale_of_two_values_for_a_weighted_kappa() -> None:
    assert weighted_kappa({(1, 1): 3}, [1]) is None


def test_it_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        cohen_kappa({(1, 1): -1})


def test_it_merges_and_transposes_tables() -> None:
    assert confusion_merge({(1, 2): 1}, {(1, 2): 2, (3, 3): 1}) == {(1, 2): 3, (3, 3): 1}
    assert confusion_transpose({(1, 2): 3, (4, 4): 0}) == {(2, 1): 3}


# --- properties on random ratings ------------------------------------------------------------------

SCALE = [1, 2, 3, 4]
score = st.one_of(st.none(), st.sampled_from(SCALE))
pairs_of_scores = st.lists(st.tuples(score, score), max_size=40)


@given(pairs_of_scores)
def test_kappa_is_symmetric_in_the_two_observers(pairs: list[tuple[int | None, int | None]]) -> None:
    swapped = [(b, a) for a, b in pairs]
    one, other = agreement_of_pairs(pairs, SCALE), agreement_of_pairs(swapped, SCALE)
    assert one.exact == other.exact
    assert one.kappa == pytest.approx(other.kappa)
    assert one.weighted == pytest.approx(other.weighted)
    assert one.kappa_missing == other.kappa_missing


@given(pairs_of_scores)
def test_figures_stay_within_their_bounds(pairs: list[tuple[int | None, int | None]]) -> None:
    agreement = agreement_of_pairs(pairs, SCALE)
    if agreement.exact is not None:
        assert 0.0 <= agreement.exact <= 1.0
    if agreement.kappa is not None:
        assert -1.0 - 1e-12 <= agreement.kappa <= 1.0 + 1e-12
    if agreement.weighted is not None:
        assert -1.0 - 1e-12 <= agreement.weighted <= 1.0 + 1e-12
    assert (agreement.kappa is None) == bool(agreement.kappa_missing)


@given(st.lists(st.sampled_from(SCALE), min_size=1, max_size=40))
def test_identical_ratings_agree_fully(ratings: list[int]) -> None:
    agreement = agreement_of_pairs([(r, r) for r in ratings], SCALE)
    assert agreement.exact == 1.0
    if len(set(ratings)) >= 2:
        assert agreement.kappa == 1.0
        assert agreement.weighted == 1.0
    else:
        assert agreement.kappa is None
        assert agreement.agreement_only


@given(pairs_of_scores, st.lists(st.tuples(score, score), max_size=10))
def test_pairs_with_an_unscored_item_change_nothing(
    pairs: list[tuple[int | None, int | None]], extra: list[tuple[int | None, int | None]]
) -> None:
    unscored = [(a, None) for a, _ in extra] + [(None, b) for _, b in extra]
    assert agreement_of_pairs(pairs + unscored, SCALE) == agreement_of_pairs(pairs, SCALE)


@given(pairs_of_scores)
def test_a_table_and_its_pairs_give_the_same_figures(pairs: list[tuple[int | None, int | None]]) -> None:
    counts = confusion_from_pairs(pairs)
    assert agreement_of(counts, SCALE) == agreement_of_pairs(pairs, SCALE)
    assert agreement_of(confusion_transpose(counts), SCALE).kappa == pytest.approx(agreement_of(counts, SCALE).kappa)
