"""Lost-bid feedback, decided at award: each losing bidder learns where it stood — a rank band and a price
band against the winner — and the buyer's optional reason; never who won or at exactly what price.
Pure rules: no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class RankBand(StrEnum):
    top_3 = "top_3"
    top_half = "top_half"
    lower_half = "lower_half"


class PriceBand(StrEnum):
    """The losing bid's total against the winning one."""

    below_winner = "below_winner"  # cheaper, and still lost (lead time, record, terms…)
    within_5_pct = "within_5_pct"
    within_15_pct = "within_15_pct"
    within_30_pct = "within_30_pct"
    over_30_pct = "over_30_pct"


class LostReason(StrEnum):
    """Why the buyer chose another bid, if it says."""

    price = "price"
    lead_time = "lead_time"
    track_record = "track_record"
    capability = "capability"
    certifications = "certifications"
    location = "location"
    terms = "terms"
    other = "other"


@dataclass(frozen=True, slots=True)
class Feedback:
    rank_band: RankBand
    price_band: PriceBand


def rank_band(rank: int, bidders: int) -> RankBand:
    """`rank` is 1 for the cheapest of `bidders` (ties share a rank)."""
    if rank <= 3:
        return RankBand.top_3
    if rank <= math.ceil(bidders / 2):
        return RankBand.top_half
    return RankBand.lower_half


def price_band(total_minor: int, winner_minor: int) -> PriceBand:
    if total_minor < winner_minor:
        return PriceBand.below_winner
    if winner_minor == 0:
        return PriceBand.within_5_pct if total_minor == 0 else PriceBand.over_30_pct
    # In integers: no float rounding decides a band boundary.
    over = (total_minor - winner_minor) * 100
    for band, pct in ((PriceBand.within_5_pct, 5), (PriceBand.within_15_pct, 15), (PriceBand.within_30_pct, 30)):
        if over <= pct * winner_minor:
            return band
    return PriceBand.over_30_pct


def feedback(totals: Mapping[UUID, int], winner: UUID) -> dict[UUID, Feedback]:
    """Feedback for every bid in `totals` (the bids active at award, the winner among them) but the winner."""
    winner_minor = totals[winner]
    values = sorted(totals.values())
    out = {}
    for bid_id, total in totals.items():
        if bid_id == winner:
            continue
        rank = 1 + sum(1 for v in values if v < total)
        out[bid_id] = Feedback(rank_band(rank, len(totals)), price_band(total, winner_minor))
    return out
