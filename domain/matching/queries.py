"""Matching in SQL: the building blocks the service reads candidates with, and the fit ranking itself.

`fit_ranking` is the SQL twin of `rules.rank` for one order: it applies the same hard filters and computes the
same weighted score for every candidate inside PostgreSQL, so that ranking hundreds of thousands of
manufacturers returns only the best few rows. The pure rules stay the definition: the service re-scores and
explains the rows this returns with them, and tests/integration/test_fit_ranking.py checks on random markets
that both agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    Integer,
    Numeric,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy import true as sql_true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from domain.bids.models import Bid
from domain.capacity.models import CapacityReservation, ReservationKind
from domain.capacity.rules import week_start, weeks_before
from domain.columns import TIMESTAMPTZ, table_of
from domain.contracts.deliveries import deliveries
from domain.contracts.models import Contract
from domain.contracts.process import ContractStatus
from domain.manufacturers.models import CapacityListing
from domain.matching.models import MatchCandidate
from domain.matching.rules import NEUTRAL_PRIOR, PRIOR_WEIGHT, SCORE_DECIMALS, Factor, Filter, Need
from domain.orders.models import OrderInvitation, ProductionOrder
from domain.organisations.models import OrganisationKind
from domain.reviews.models import Review
from domain.reviews.service import published_at

MANUFACTURING_KINDS = (OrganisationKind.manufacturer, OrganisationKind.both)
ZERO = literal(0, BigInteger)
HISTORY_COLUMNS = ("delivered", "on_time", "disputed", "invitations", "invitations_bid")
# The exclusion codes fit_ranking returns: 0 fits, otherwise the first hard filter that failed.
FILTER_CODES: dict[int, Filter] = {
    2: Filter.material,
    3: Filter.quantity,
    4: Filter.certification,
    5: Filter.capacity,
    6: Filter.envelope,
}


def history_totals(ids: Any) -> Select[Any]:
    """Per manufacturer of `ids` (a list or a subquery): contracts delivered, delivered on time, delivered and
    disputed, invitations to published orders received and answered with a bid. A contract counts as delivered
    once shipped, on time when shipped by the order's need-by date, disputed when its buyer opened a dispute."""
    per_contract = deliveries(ids)
    delivered = per_contract.c.shipped_at.is_not(None)
    contracts = select(
        per_contract.c.org.label("org"),
        func.count().filter(delivered).label("delivered"),
        func.count()
        .filter(delivered, cast(per_contract.c.shipped_at, Date) <= per_contract.c.need_by)
        .label("on_time"),
        func.count().filter(delivered, per_contract.c.disputed).label("disputed"),
        ZERO.label("invitations"),
        ZERO.label("invitations_bid"),
    ).group_by(per_contract.c.org)
    answered = exists().where(
        Bid.order_id == OrderInvitation.order_id,
        Bid.manufacturer_organisation_id == OrderInvitation.manufacturer_organisation_id,
    )
    invitations = (
        select(
            OrderInvitation.manufacturer_organisation_id,
            ZERO,
            ZERO,
            ZERO,
            func.count(),
            func.count().filter(answered),
        )
        .join(ProductionOrder, ProductionOrder.id == OrderInvitation.order_id)
        .where(ProductionOrder.published_at.is_not(None), OrderInvitation.manufacturer_organisation_id.in_(ids))
        .group_by(OrderInvitation.manufacturer_organisation_id)
    )
    both = contracts.union_all(invitations).subquery()
    return select(
        both.c.org,
        *(func.sum(both.c[name]).label(name) for name in HISTORY_COLUMNS),
    ).group_by(both.c.org)


HISTORY_COLUMNS = ("delivered", "on_time", "disputed", "invitations", "invitations_bid")


def day_start(today: date) -> datetime:
    """Reviews count for matching once published; without a moment given, as of the start of `today` (UTC)."""
    return datetime.combine(today, time.min, tzinfo=UTC)


def buyer_ratings(ids: Any, now: datetime) -> Select[UUID, int, int]:
    """Per manufacturer of `ids` (a list or a subquery): the reviews buyers gave it that are published by
    `now` (both sides reviewed, or the blind period over): how many, and the sum of (stars - 1)."""
    return (
        select(
            Review.subject_organisation_id.label("id"),
            func.count().label("count"),
            func.sum(Review.rating - 1).label("points"),
        )
        .where(Review.by_buyer, Review.subject_organisation_id.in_(ids), published_at(now))
        .group_by(Review.subject_organisation_id)
    )


# A Monday: weeks are numbered from it. (Not date.min: asyncpg sends that as -infinity.) Only current listings are
# summed (available_to >= today); an available_from before it numbers wrong (division truncates toward zero) but
# still below the window's first week, which is all the ranking compares it with.
EPOCH_MONDAY = date(2000, 1, 3)


def week_number(day: date) -> int:
    """The number of the ISO week of `day`, counted from EPOCH_MONDAY."""
    return (day - EPOCH_MONDAY).days // 7


def _week_number(day: Any) -> Any:
    """SQL: week_number of a date column (date - date is a whole number of days)."""
    return cast(day - literal(EPOCH_MONDAY, Date), Integer) // 7


def _smoothed(successes: Any, total: Any) -> Any:
    """SQL: rules.smoothed."""
    return (cast(successes, Float) + NEUTRAL_PRIOR * PRIOR_WEIGHT) / (cast(total, Float) + PRIOR_WEIGHT)


def _rating(points: Any, count: Any) -> Any:
    """SQL: rules.rating_value."""
    return (cast(points, Float) / 4.0 + NEUTRAL_PRIOR * PRIOR_WEIGHT) / (cast(count, Float) + PRIOR_WEIGHT)


def _param(name: str, type_: Any) -> Any:
    return bindparam(name, type_=type_)


def _price_level(estimate: Any, shape: _Shape) -> Any:
    """SQL: rules.price_level of an estimate column that may be NULL (the budget as parameters)."""
    low, high = _param("budget_low", BigInteger), _param("budget_high", BigInteger)
    within = (
        1.0 - 0.5 * cast(estimate - low, Float) / _param("budget_span", Float)
        if shape.budget_span
        else literal(0.5, Float)
    )
    above = (
        func.greatest(0.0, 0.5 - 0.5 * cast(estimate - high, Float) / cast(high, Float))
        if shape.budget_positive
        else literal(0.0, Float)
    )
    return case((estimate.is_(None), NEUTRAL_PRIOR), (estimate <= low, 1.0), (estimate <= high, within), else_=above)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What decides the form of the ranking statement (everything else is a parameter of it)."""

    certificates: int  # how many certificates the order requires
    estimate: bool  # the order estimates its machine hours
    budget_span: bool  # the budget's maximum is above its minimum
    budget_positive: bool  # the budget's maximum is above zero
    factors: tuple[Factor, ...]  # the factors with a weight, in Factor order
    envelope: bool = False  # the order has a part envelope


def fit_ranking(
    order: ProductionOrder,
    need: Need,
    today: date,
    weights: Mapping[Factor, float],
    first: int,
    now: datetime | None = None,
) -> tuple[Select[Any], dict[str, Any]]:
    """One statement and its parameters: the ids of the `first` best fitting candidates and of the first `first`
    excluded ones (by id), each with its exclusion code (FILTER_CODES; 0 fits) and score, and on every row the
    numbers of fitting and excluded candidates. Candidates are the match_candidate rows of the order's process
    (the manufacturers listing it), as in the service; every rule mirrors rules.exclusion / rules.factor_values.

    The statement is built once per _Shape (building and keying it costs more than running it), with the order's values
    as parameters."""
    weeks = weeks_before(today, need.need_by)
    first_week = weeks[0] if weeks else week_start(today)
    last_week = weeks[-1] if weeks else first_week - timedelta(days=7)  # an empty window
    standards = sorted(set(need.required_certifications))
    low, high = need.budget_min_minor, need.budget_max_minor
    shape = _Shape(
        certificates=len(standards),
        estimate=need.estimated_machine_hours is not None,
        budget_span=high != low,
        budget_positive=high > 0,
        factors=tuple(factor for factor in Factor if weights.get(factor, 0.0)),
        envelope=need.part_envelope is not None,
    )
    sides = sorted(need.part_envelope) if need.part_envelope is not None else []
    params: dict[str, Any] = {
        "process": need.process,
        "buyer": order.buyer_organisation_id,
        "today": today,
        "first_week": first_week,
        "last_week": last_week,
        "first_week_number": week_number(first_week),
        "last_week_number": week_number(last_week),
        "required": need.estimated_machine_hours or 0,
        "estimated_hours": need.estimated_machine_hours or 0,
        "currency": need.currency,
        "material": [need.material.strip().lower()],
        "quantity": need.quantity,
        "need_by": need.need_by.isoformat(),
        "region": need.delivery_region,
        "region_country": need.delivery_region.split("-")[0],
        "budget_low": low,
        "budget_high": high,
        "budget_span": float(high - low),
        "total_weight": sum(weights.get(factor, 0.0) for factor in Factor),
        "now": now or day_start(today),
        "first": first,
        **{f"standard_{i}": standard for i, standard in enumerate(standards)},
        **{f"part_side_{i}": side for i, side in enumerate(sides)},
        **{f"weight_{factor.value}": weights[factor] for factor in shape.factors},
    }
    return _fit_statement(shape), params


@lru_cache(maxsize=256)
def _fit_statement(shape: _Shape) -> Select[Any]:
    """The fitting candidates are found in one pass over the contiguous range of match_candidate of the process,
    with the profile filters as conditions of the scan and a hash join with the process's current listings summed
    per manufacturer (read from the covering index); only they are scored. The excluded ones are counted as all
    candidates less the fitting, and the first few by id are walked to in id order and given their code."""
    M, L, R = table_of(MatchCandidate), CapacityListing, CapacityReservation
    process, today = _param("process", String), _param("today", Date)
    required = _param("required", BigInteger)

    # Firm holds take hours off the weeks they fall in, never more than the week lists.
    firm = (
        select(
            R.manufacturer_organisation_id.label("id"),
            R.week_start.label("week"),
            func.sum(R.hours).label("hours"),
        )
        .join(Contract, Contract.bid_id == R.bid_id)
        .where(
            R.kind == ReservationKind.firm,
            R.process == process,
            R.week_start.between(_param("first_week", Date), _param("last_week", Date)),
            Contract.status != ContractStatus.cancelled,
        )
        .group_by(R.manufacturer_organisation_id, R.week_start)
        .subquery()
    )
    week_listing = aliased(CapacityListing)
    listed_that_week = (
        select(func.coalesce(func.sum(week_listing.machine_hours_per_week), 0))
        .where(
            week_listing.organisation_id == firm.c.id,
            week_listing.process == process,
            week_listing.available_to >= today,
            week_listing.available_from <= firm.c.week + 6,
            week_listing.available_to >= firm.c.week,
        )
        .scalar_subquery()
    )
    # (As bigint: the sum of bigints is a numeric, and everything computed with it would be numeric arithmetic.)
    used = (
        select(firm.c.id, cast(func.sum(func.least(firm.c.hours, listed_that_week)), BigInteger).label("hours"))
        .group_by(firm.c.id)
        .cte("used")
    )
    # Listed hours over the window: each current listing of the process times the window's weeks it covers;
    # and the cheapest rate in the order's currency among the listings covering any week of it.
    covered = func.greatest(
        0,
        func.least(_param("last_week_number", Integer), _week_number(L.available_to))
        - func.greatest(_param("first_week_number", Integer), _week_number(L.available_from))
        + 1,
    )

    # The hard filters, in rules.exclusion's order. Materials are stored lower-cased.
    candidate = (M.c.process == process, M.c.organisation_id != _param("buyer", Uuid))
    material_ok = (func.cardinality(M.c.materials) == 0) | M.c.materials.contains(_param("material", ARRAY(String(64))))
    quantity = _param("quantity", Integer)
    quantity_ok = and_(M.c.min_quantity <= quantity, M.c.max_quantity.is_(None) | (M.c.max_quantity >= quantity))
    need_by = _param("need_by", String)
    certified = [
        func.coalesce(M.c.certificates[_param(f"standard_{i}", String)].astext, "") >= need_by
        for i in range(shape.certificates)
    ]
    # rules.envelope_fits: the part's sides sorted against the profile's known sides sorted (a missing one, past the
    # array's end, is NULL: unlimited).
    envelope_ok = (
        [func.coalesce(M.c.max_part_mm[i + 1] >= _param(f"part_side_{i}", Float), sql_true()) for i in range(3)]
        if shape.envelope
        else []
    )
    profile_fits = (
        select(
            M.c.organisation_id.label("id"),
            M.c.region,
            M.c.delivered,
            M.c.delivered_on_time,
            M.c.disputed,
            M.c.invitations,
            M.c.invitations_bid,
        )
        .where(*candidate, material_ok, quantity_ok, *certified, *envelope_ok)
        .cte("profile_fits")
    )
    # The current listings of the process, summed per manufacturer (from the covering index). All of them, not
    # only those of profile_fits: the planner cannot estimate how many candidates fit their profile (it guesses
    # far too few), and a plan built on that guess loops over them; this way every join is a hash join.
    current = (L.process == process, L.available_to >= today)
    listed = (
        select(
            L.organisation_id.label("id"),
            func.sum(L.machine_hours_per_week * covered).label("hours"),
            func.min(L.hourly_rate_minor)
            .filter(and_(L.currency == _param("currency", String), covered > 0))
            .label("rate"),
        )
        .where(*current)
        .group_by(L.organisation_id)
        .subquery("listed")
    )
    free = func.coalesce(listed.c.hours, 0) - func.coalesce(used.c.hours, 0)
    # Buyers' ratings of the candidates that fit their profile (a superset of the fitting ones).
    rated = buyer_ratings(select(profile_fits.c.id), _param("now", TIMESTAMPTZ)).subquery("rated")
    estimate = listed.c.rate * _param("estimated_hours", BigInteger) if shape.estimate else None
    values: dict[Factor, Any] = {
        Factor.capacity_slack: func.greatest(0.0, func.least(1.0, cast(free - required, Float) / cast(free, Float))),
        Factor.on_time: _smoothed(profile_fits.c.delivered_on_time, profile_fits.c.delivered),
        Factor.dispute_free: 1.0 - _smoothed(profile_fits.c.disputed, profile_fits.c.delivered),
        Factor.region: case(
            (profile_fits.c.region == _param("region", String), 1.0),
            (func.split_part(profile_fits.c.region, "-", 1) == _param("region_country", String), 0.5),
            else_=0.0,
        ),
        Factor.price: literal(NEUTRAL_PRIOR, Float) if estimate is None else _price_level(estimate, shape),
        Factor.response: _smoothed(profile_fits.c.invitations_bid, profile_fits.c.invitations),
        Factor.rating: _rating(func.coalesce(rated.c.points, 0), func.coalesce(rated.c.count, 0)),
    }
    weighted = [values[factor] * _param(f"weight_{factor.value}", Float) for factor in shape.factors]
    score = sum(weighted[1:], weighted[0]) / _param("total_weight", Float)
    # Scored once, here (an expression in both the select list and the ORDER BY would be computed twice).
    fitting = (
        select(profile_fits.c.id, score.label("score"))
        .select_from(
            profile_fits.join(listed, listed.c.id == profile_fits.c.id)
            .outerjoin(used, used.c.id == profile_fits.c.id)
            .outerjoin(rated, rated.c.id == profile_fits.c.id)
        )
        .where(free > 0, free >= required)
        .cte("fitting")
    )
    best = (
        select(fitting.c.id, literal(0).label("code"), fitting.c.score)
        .order_by(func.round(cast(fitting.c.score, Numeric), SCORE_DECIMALS).desc(), fitting.c.id)
        .limit(_param("first", Integer))
    )

    # The excluded: every candidate not fitting. The first by id get the first filter they fail; for capacity,
    # their listed hours are summed on their own (a handful of rows).
    own_hours = (
        select(func.coalesce(func.sum(L.machine_hours_per_week * covered), 0))
        .where(L.organisation_id == M.c.organisation_id, *current)
        .scalar_subquery()
    )
    own_used = select(used.c.hours).where(used.c.id == M.c.organisation_id).scalar_subquery()
    own_free = own_hours - func.coalesce(own_used, 0)
    code = case(
        (~material_ok, 2),
        (~quantity_ok, 3),
        *([(~and_(*certified), 4)] if certified else []),
        *([(~and_(*envelope_ok), 6)] if envelope_ok else []),
        ((own_free <= 0) | (own_free < required), 5),
        else_=0,
    )
    excluded = (
        select(M.c.organisation_id.label("id"), code.label("code"), literal(None, Float).label("score"))
        # NOT IN: a hashed subplan, probed once per row however (mis)estimated the fitting rows are
        .where(*candidate, M.c.organisation_id.not_in(select(fitting.c.id)))
        .order_by(M.c.organisation_id)
        .limit(_param("first", Integer))
    )
    shown = best.union_all(excluded).subquery("shown")
    fitting_count = select(func.count()).select_from(fitting).scalar_subquery()
    all_count = select(func.count()).select_from(M).where(*candidate).scalar_subquery()
    counts = select(fitting_count.label("fitting"), (all_count - fitting_count).label("excluded")).subquery("counts")
    return select(shown.c.id, shown.c.code, shown.c.score, counts.c.fitting, counts.c.excluded).select_from(
        counts.outerjoin(shown, sql_true())
    )


def shown_rows(ids: list[Any], need: Need, today: date, now: datetime) -> Select[Any]:
    """The match_candidate rows of `ids` for the order's process, each with what the rules need besides: its
    current listings of the process and its firm holds per week from this week on (JSON arrays), and the count
    and points of the buyers' reviews published by `now`. One statement, for the few rows a ranking shows."""
    M, L, R = table_of(MatchCandidate), CapacityListing, CapacityReservation
    listings = (
        select(
            func.json_agg(
                func.json_build_array(
                    L.machine_hours_per_week, L.available_from, L.available_to, L.hourly_rate_minor, L.currency
                ),
                type_=JSON,
            )
        )
        .where(L.organisation_id == M.c.organisation_id, L.process == need.process, L.available_to >= today)
        .scalar_subquery()
    )
    weekly = (
        select(R.week_start.label("week"), func.sum(R.hours).label("hours"))
        .join(Contract, Contract.bid_id == R.bid_id)
        .where(
            R.manufacturer_organisation_id == M.c.organisation_id,
            R.kind == ReservationKind.firm,
            R.process == need.process,
            R.week_start >= week_start(today),
            Contract.status != ContractStatus.cancelled,
        )
        .group_by(R.week_start)
        .correlate(M)
        .subquery("weekly")
    )
    firm = select(func.json_agg(func.json_build_array(weekly.c.week, weekly.c.hours), type_=JSON)).scalar_subquery()
    rating = (
        select(func.json_build_array(func.count(), func.coalesce(func.sum(Review.rating - 1), 0), type_=JSON))
        .where(Review.by_buyer, Review.subject_organisation_id == M.c.organisation_id, published_at(now))
        .scalar_subquery()
    )
    return select(
        M.c.organisation_id,
        M.c.region,
        M.c.materials,
        M.c.min_quantity,
        M.c.max_quantity,
        M.c.certificates,
        M.c.max_part_mm,
        *(M.c[name] for name in ("delivered", "delivered_on_time", "disputed", "invitations", "invitations_bid")),
        listings.label("listings"),
        firm.label("firm"),
        rating.label("rating"),
    ).where(M.c.process == need.process, M.c.organisation_id.in_(ids))
