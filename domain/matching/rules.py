"""Pure matching rules: hard filters, weighted factors and their explanations. No I/O.

A manufacturer either fails a hard filter (and we say which) or gets a score in [0, 1]: the weighted
mean of factor values, each in [0, 1], with every factor's value, weight and contribution reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from domain.capacity.rules import Listing, weeks_before
from domain.errors import ErrorCode, InvalidInput
from domain.matching.estimate import HoursEstimate
from domain.taxes.rules import PriceBasis, budget_basis

F = TypeVar("F", bound=StrEnum)


class Filter(StrEnum):
    """The hard filters, in the order they are checked; the first that fails is reported."""

    process = "process"
    material = "material"
    quantity = "quantity"
    certification = "certification"
    envelope = "envelope"
    capacity = "capacity"


class ExclusionReason(StrEnum):
    """Why a candidate fails its first hard filter, as a code (clients render it in their language from the
    Exclusion's parameters; Exclusion.reason is the English rendering)."""

    process_not_listed = "process_not_listed"
    material_not_listed = "material_not_listed"
    quantity_below_minimum = "quantity_below_minimum"
    quantity_above_maximum = "quantity_above_maximum"
    certification_missing = "certification_missing"
    certification_expires = "certification_expires"
    part_too_large = "part_too_large"
    capacity_short = "capacity_short"


class Factor(StrEnum):
    capacity_slack = "capacity_slack"
    on_time = "on_time"
    dispute_free = "dispute_free"
    region = "region"
    price = "price"
    response = "response"
    rating = "rating"


DEFAULT_WEIGHTS: Mapping[Factor, float] = {
    Factor.capacity_slack: 1.0,
    Factor.on_time: 2.0,
    Factor.dispute_free: 2.0,
    Factor.region: 1.0,
    Factor.price: 2.0,
    Factor.response: 1.0,
    Factor.rating: 1.0,
}

# Smoothing: a rate with n observations is (successes + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT), so a
# newcomer starts at the neutral prior and its own record takes over as contracts accumulate.
PRIOR_WEIGHT = 5.0
NEUTRAL_PRIOR = 0.5
# Scores are compared at this many decimals (here and in the SQL ranking, queries.fit_ranking), so that float
# rounding in PostgreSQL and in Python cannot order two equal scores differently.
SCORE_DECIMALS = 9


class BidFactor(StrEnum):
    price = "price"
    lead_time = "lead_time"
    reliability = "reliability"


DEFAULT_BID_WEIGHTS: Mapping[BidFactor, float] = {
    BidFactor.price: 3.0,
    BidFactor.lead_time: 1.0,
    BidFactor.reliability: 2.0,
}


def check_weights(
    weights: Mapping[str, float], *, kind: type[F], field_name: str = "weights", complete: bool = True
) -> dict[F, float]:
    """Weights by factor name; negative, unknown or (for a complete set) all-zero weights are refused."""
    checked: dict[F, float] = {}
    for name, weight in weights.items():
        try:
            factor = kind(name)
        except ValueError:
            raise InvalidInput(f"unknown factor {name!r}", field_name) from None
        if not weight >= 0 or weight == float("inf"):
            raise InvalidInput(f"weight of {name} must be a finite number >= 0", field_name, ErrorCode.OUT_OF_RANGE)
        checked[factor] = float(weight)
    if complete and not any(checked.values()):
        raise InvalidInput("at least one weight must be above zero", field_name, ErrorCode.OUT_OF_RANGE)
    return checked


def merge_weights(base: Mapping[F, float], override: Mapping[str, float] | None, *, kind: type[F]) -> dict[F, float]:
    """The per-request override replaces only the factors it names."""
    merged: dict[F, float] = {factor: base.get(factor, 0.0) for factor in kind}
    if override:
        merged.update(check_weights(override, kind=kind, complete=False))
    return check_weights({factor.value: weight for factor, weight in merged.items()}, kind=kind)


def smoothed(successes: int, total: int, prior: float = NEUTRAL_PRIOR, prior_weight: float = PRIOR_WEIGHT) -> float:
    return (successes + prior * prior_weight) / (total + prior_weight)


# Capacity weeks ---------------------------------------------------------------------------------------


def free_hours(
    listings: Sequence[Listing], process: str, weeks: Sequence[date], reserved: Mapping[date, int] | None = None
) -> int:
    """Listed hours for the process over the weeks, less what is already reserved in each week (never < 0)."""
    reserved = reserved or {}
    total = 0
    for monday in weeks:
        listed = sum(item.hours_per_week for item in listings if item.process == process and item.covers(monday))
        total += max(0, listed - reserved.get(monday, 0))
    return total


# The candidate and the order, as values -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Need:
    """What matching needs to know about an order."""

    process: str
    material: str
    quantity: int
    required_certifications: Sequence[str]
    need_by: date
    delivery_region: str
    budget_min_minor: int
    budget_max_minor: int
    currency: str
    estimated_machine_hours: int | None
    # The part's size in mm (the order's envelope: its largest model's bounding box, or the buyer's figures).
    part_envelope: tuple[float, float, float] | None = None
    # Where the envelope comes from ("the bounding box of the STEP model housing.step", "the buyer's figures").
    envelope_basis: str = ""
    # How estimated_machine_hours was arrived at when the buyer gave none (matching/estimate.py); "" otherwise.
    hours_basis: str = ""
    # The same estimate as figures (None when the buyer gave the hours or there is no estimate).
    hours_estimate: HoursEstimate | None = None
    # Where the envelope comes from, as data: its source (EnvelopeSource's value) and, for a model, its file name.
    envelope_source: str | None = None
    envelope_model_name: str | None = None
    # The budget is stated with VAT: bids are held against it gross; without VAT, net (like for like).
    budget_includes_vat: bool = True


@dataclass(frozen=True, slots=True)
class History:
    """A manufacturer's record: contracts delivered (shipped) and on time, disputes, invitations answered."""

    delivered: int = 0
    delivered_on_time: int = 0
    contracts: int = 0
    disputed: int = 0
    invitations: int = 0
    invitations_bid: int = 0


@dataclass(frozen=True, slots=True)
class Ratings:
    """The published reviews buyers gave a manufacturer: how many, and the sum of (stars - 1), 0..4 each."""

    count: int = 0
    points: int = 0


def rating_value(ratings: Ratings) -> float:
    """Stars mapped to [0, 1] (1 star 0, 5 stars 1), averaged and smoothed toward the neutral prior."""
    return (ratings.points / 4 + NEUTRAL_PRIOR * PRIOR_WEIGHT) / (ratings.count + PRIOR_WEIGHT)


@dataclass(frozen=True, slots=True)
class Candidate:
    organisation_id: UUID
    region: str
    processes: Sequence[str]
    materials: Sequence[str]
    min_quantity: int
    max_quantity: int | None
    certifications: Mapping[str, date]
    listings: Sequence[Listing]
    reserved: Mapping[date, int] = field(default_factory=dict)
    history: History = field(default_factory=History)
    rating: Ratings = field(default_factory=Ratings)
    # The largest part the profile takes, its known sides sorted ascending (a side left out is unlimited).
    max_part: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    factor: StrEnum
    value: float
    weight: float
    contribution: float
    price_basis: PriceBasis | None = None  # for the price factor: whether it held gross or net prices to the budget


@dataclass(frozen=True, slots=True)
class Exclusion:
    organisation_id: UUID
    filter: Filter
    reason: str  # the English rendering of code and its parameters
    code: ExclusionReason = ExclusionReason.process_not_listed
    # The parameters, where the code has them.
    process: str | None = None
    material: str | None = None
    quantity: int | None = None
    quantity_limit: int | None = None  # the profile's minimum or maximum
    standard: str | None = None
    part_mm: tuple[float, ...] | None = None
    largest_part_mm: tuple[int, ...] | None = None  # sorted ascending, sides left out unlimited
    part_source: str | None = None  # where part_mm comes from (EnvelopeSource's value)
    part_model_name: str | None = None  # the model's file name when part_mm is its bounding box
    free_hours: int | None = None
    required_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    organisation_id: UUID
    score: float
    explanations: list[Explanation]


# Hard filters -----------------------------------------------------------------------------------------


def exclusion(candidate: Candidate, need: Need, today: date) -> Exclusion | None:
    """The first hard filter the candidate fails, or None when it fits. The envelope: the order's part must fit
    the profile's largest part in some orientation (sides the profile leaves out are unlimited)."""

    def out(filter_: Filter, reason: str, code: ExclusionReason, **parameters: Any) -> Exclusion:
        return Exclusion(candidate.organisation_id, filter_, reason, code, **parameters)

    if need.process not in candidate.processes:
        return out(
            Filter.process,
            f"the profile does not list the process {need.process}",
            ExclusionReason.process_not_listed,
            process=need.process,
        )
    materials = {m.lower() for m in candidate.materials}
    if materials and need.material.strip().lower() not in materials:
        return out(
            Filter.material,
            f"the profile does not list the material {need.material}",
            ExclusionReason.material_not_listed,
            material=need.material,
        )
    if need.quantity < candidate.min_quantity:
        return out(
            Filter.quantity,
            f"quantity {need.quantity} is below the profile minimum {candidate.min_quantity}",
            ExclusionReason.quantity_below_minimum,
            quantity=need.quantity,
            quantity_limit=candidate.min_quantity,
        )
    if candidate.max_quantity is not None and need.quantity > candidate.max_quantity:
        return out(
            Filter.quantity,
            f"quantity {need.quantity} is above the profile maximum {candidate.max_quantity}",
            ExclusionReason.quantity_above_maximum,
            quantity=need.quantity,
            quantity_limit=candidate.max_quantity,
        )
    for standard in need.required_certifications:
        valid_until = candidate.certifications.get(standard)
        if valid_until is None:
            return out(
                Filter.certification,
                f"certification {standard} is required",
                ExclusionReason.certification_missing,
                standard=standard,
            )
        if valid_until < need.need_by:
            return out(
                Filter.certification,
                f"certification {standard} expires before the need-by date",
                ExclusionReason.certification_expires,
                standard=standard,
            )
    if need.part_envelope is not None and not envelope_fits(need.part_envelope, candidate.max_part):
        return out(
            Filter.envelope,
            f"the part ({_mm(need.part_envelope)}{', ' + need.envelope_basis if need.envelope_basis else ''}) "
            "does not fit the largest part the profile takes "
            f"({_mm(candidate.max_part)}, sides left out unlimited) in any orientation",
            ExclusionReason.part_too_large,
            part_mm=tuple(need.part_envelope),
            largest_part_mm=tuple(sorted(candidate.max_part)),
            part_source=need.envelope_source,
            part_model_name=need.envelope_model_name,
        )
    free = free_hours(candidate.listings, need.process, weeks_before(today, need.need_by), candidate.reserved)
    required = need.estimated_machine_hours or 0
    if free <= 0 or free < required:
        return out(
            Filter.capacity,
            f"{free} free machine-hours before the need-by date, {required} needed",
            ExclusionReason.capacity_short,
            free_hours=free,
            required_hours=required,
        )
    return None


def envelope_fits(part: Sequence[float], max_part: Sequence[float]) -> bool:
    """Sorted side against sorted side, a side the profile leaves out unlimited: the part fits in some
    orientation exactly when this holds."""
    limits = [*sorted(max_part), *([math.inf] * (3 - len(max_part)))]
    return all(side <= limit for side, limit in zip(sorted(part), limits, strict=True))


def _mm(sides: Sequence[float]) -> str:
    return " x ".join(f"{side:g}" for side in sides) + " mm"


# Factors ----------------------------------------------------------------------------------------------


def capacity_slack(free: int, required: int) -> float:
    """Share of the free hours left over after this order: 0 when it would fill the shop, 1 when unused."""
    if free <= 0:
        return 0.0
    return max(0.0, min(1.0, (free - required) / free))


def region_match(candidate_region: str, delivery_region: str) -> float:
    if candidate_region == delivery_region:
        return 1.0
    if candidate_region.split("-")[0] == delivery_region.split("-")[0]:
        return 0.5
    return 0.0


def price_level(estimate_minor: int | None, budget_min_minor: int, budget_max_minor: int) -> float:
    """1 at or under the budget minimum, 0.5 at the budget maximum, 0 at twice the maximum; linear between.
    Without an estimate (no hours or rate in another currency) the factor is neutral, 0.5."""
    if estimate_minor is None:
        return NEUTRAL_PRIOR
    if estimate_minor <= budget_min_minor:
        return 1.0
    if estimate_minor <= budget_max_minor:
        span = budget_max_minor - budget_min_minor
        return 1.0 - 0.5 * (estimate_minor - budget_min_minor) / span if span else 0.5
    if budget_max_minor <= 0:
        return 0.0
    return max(0.0, 0.5 - 0.5 * (estimate_minor - budget_max_minor) / budget_max_minor)


def price_estimate(candidate: Candidate, need: Need, weeks: Sequence[date]) -> int | None:
    """The cheapest hourly rate among the candidate's listings for the process in the window x the hours."""
    if need.estimated_machine_hours is None:
        return None
    rates = [
        item.hourly_rate_minor
        for item in candidate.listings
        if item.process == need.process and item.currency == need.currency and any(item.covers(w) for w in weeks)
    ]
    if not rates:
        return None
    return min(rates) * need.estimated_machine_hours


def factor_values(candidate: Candidate, need: Need, today: date) -> dict[Factor, float]:
    weeks = weeks_before(today, need.need_by)
    free = free_hours(candidate.listings, need.process, weeks, candidate.reserved)
    history = candidate.history
    return {
        Factor.capacity_slack: capacity_slack(free, need.estimated_machine_hours or 0),
        Factor.on_time: smoothed(history.delivered_on_time, history.delivered),
        Factor.dispute_free: 1.0 - smoothed(history.disputed, history.contracts),
        Factor.region: region_match(candidate.region, need.delivery_region),
        Factor.price: price_level(price_estimate(candidate, need, weeks), need.budget_min_minor, need.budget_max_minor),
        Factor.response: smoothed(history.invitations_bid, history.invitations),
        Factor.rating: rating_value(candidate.rating),
    }


def explain(values: Mapping[F, float], weights: Mapping[F, float]) -> tuple[float, list[Explanation]]:
    """The weighted mean of the values, and each factor's part of it (contributions sum to the score)."""
    total_weight = sum(weights.get(factor, 0.0) for factor in values)
    explanations = []
    for factor, value in values.items():
        weight = weights.get(factor, 0.0)
        contribution = weight * value / total_weight if total_weight else 0.0
        explanations.append(Explanation(factor, value, weight, contribution))
    return sum(item.contribution for item in explanations), explanations


def rank(
    candidates: Sequence[Candidate], need: Need, today: date, weights: Mapping[Factor, float]
) -> tuple[list[Scored], list[Exclusion]]:
    """Fitting candidates best first (ties by id, so the order is stable), and why the others were excluded."""
    scored, excluded = [], []
    for candidate in candidates:
        reason = exclusion(candidate, need, today)
        if reason is not None:
            excluded.append(reason)
            continue
        score, explanations = explain(factor_values(candidate, need, today), weights)
        scored.append(Scored(candidate.organisation_id, score, explanations))
    scored.sort(key=lambda item: (-round(item.score, SCORE_DECIMALS), str(item.organisation_id)))
    return scored, excluded


# Bids -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BidOffer:
    bid_id: UUID
    manufacturer_id: UUID
    total_minor: int
    lead_time_days: int
    history: History = field(default_factory=History)
    vat_minor: int = 0  # the VAT included in total_minor


def offer_price(offer: BidOffer, need: Need) -> int:
    """The bid's price as the budget states prices: gross when the budget includes VAT, else net."""
    return offer.total_minor if need.budget_includes_vat else offer.total_minor - offer.vat_minor


@dataclass(frozen=True, slots=True)
class ScoredBid:
    bid_id: UUID
    score: float
    explanations: list[Explanation]


def lead_time_fit(lead_time_days: int, days_left: int) -> float:
    """0 when the bid would deliver after the need-by date; on time, 0.5 plus half the share of margin left."""
    if days_left <= 0 or lead_time_days > days_left:
        return 0.0
    return 0.5 + 0.5 * (days_left - lead_time_days) / days_left


def reliability(history: History) -> float:
    """The mean of the smoothed on-time rate and the smoothed dispute-free rate."""
    on_time = smoothed(history.delivered_on_time, history.delivered)
    dispute_free = 1.0 - smoothed(history.disputed, history.contracts)
    return (on_time + dispute_free) / 2


def rank_bids(
    offers: Sequence[BidOffer], need: Need, today: date, weights: Mapping[BidFactor, float]
) -> list[ScoredBid]:
    """Bids best first: price against the budget, lead time against the need-by date, the bidder's record."""
    days_left = (need.need_by - today).days
    scored = []
    for offer in offers:
        values = {
            BidFactor.price: price_level(offer_price(offer, need), need.budget_min_minor, need.budget_max_minor),
            BidFactor.lead_time: lead_time_fit(offer.lead_time_days, days_left),
            BidFactor.reliability: reliability(offer.history),
        }
        score, explanations = explain(values, weights)
        basis = budget_basis(need.budget_includes_vat)
        explanations = [
            replace(item, price_basis=basis) if item.factor == BidFactor.price else item for item in explanations
        ]
        scored.append(ScoredBid(offer.bid_id, score, explanations))
    scored.sort(key=lambda item: (-item.score, str(item.bid_id)))
    return scored
