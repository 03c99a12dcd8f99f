from __future__ import annotations

from uuid import uuid4

import pytest

from domain.bids.feedback import Feedback, PriceBand, RankBand, feedback, price_band, rank_band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (99_999, PriceBand.below_winner),
        (100_000, PriceBand.within_5_pct),
        (105_000, PriceBand.within_5_pct),
        (105_001, PriceBand.within_15_pct),
        (115_000, PriceBand.within_15_pct),
        (130_000, PriceBand.within_30_pct),
        (130_001, PriceBand.over_30_pct),
    ],
)
def test_price_bands_are_against_the_winning_total_with_exact_boundaries(total: int, band: PriceBand) -> None:
    assert price_band(total, 100_000) == band


def test_a_free_winning_bid_does_not_divide_by_zero() -> None:
    assert (price_band(0, 0), price_band(1, 0)) == (PriceBand.within_5_pct, PriceBand.over_30_pct)


@pytest.mark.parametrize(
    ("rank", "bidders", "band"),
    [
        (2, 2, RankBand.top_3),
        (3, 10, RankBand.top_3),
        (4, 7, RankBand.top_half),
        (5, 10, RankBand.top_half),
        (6, 10, RankBand.lower_half),
        (5, 7, RankBand.lower_half),
    ],
)
def test_rank_bands(rank: int, bidders: int, band: RankBand) -> None:
    assert rank_band(rank, bidders) == band


def test_every_loser_gets_feedback_and_ties_share_a_rank() -> None:
    winner, cheaper, tied_a, tied_b, dear = (uuid4() for _ in range(5))
    totals = {winner: 1000, cheaper: 900, tied_a: 1100, tied_b: 1100, dear: 2000}

    result = feedback(totals, winner)

    assert result == {
        cheaper: Feedback(RankBand.top_3, PriceBand.below_winner),
        tied_a: Feedback(RankBand.top_3, PriceBand.within_15_pct),
        tied_b: Feedback(RankBand.top_3, PriceBand.within_15_pct),
        dear: Feedback(RankBand.lower_half, PriceBand.over_30_pct),
    }
