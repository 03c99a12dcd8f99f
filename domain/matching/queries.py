"""Matching in SQL: the building blocks the service reads candidates with, and the fit ranking itself.

`fit_ranking` is the SQL twin of `rules.rank` for one order: it applies the same hard filters and computes the
same weighted score for every candidate inside PostgreSQL, so that ranking hundreds of thousands of
manufacturers returns only the best few rows. The pure rules stay the definition: the service re-scores and
explains the rows this returns with them, and tests/integration/test_fit_ranking.py checks on random markets
that both agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    Integer,
    Numeric,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy import true as sql_true
from sqlalchemy.orm import aliased

from domain.bids.models import Bid
from domain.capacity.models import CapacityReservation, ReservationKind
from domain.contracts.models import Contract, ContractEvent
from domain.contracts.process import ContractStatus
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.matching.models import ManufacturerRecord
from domain.matching.rules import (
    NEUTRAL_PRIOR,
    PRIOR_WEIGHT,
    SCORE_DECIMALS,
    Factor,
    Filter,
    Need,
    week_start,
    weeks_before,
)
from domain.orders.models import OrderInvitation, ProductionOrder
from domain.organisations.models import Organisation, OrganisationKind
from domain.reviews.models import Review
from domain.reviews.service import published_at

MANUFACTURING_KINDS = (OrganisationKind.manufacturer, OrganisationKind.both)
ZERO = literal(0, BigInteger)
SEPARATOR = "\x1f"  # ASCII unit separator
HISTORY_COLUMNS = ("delivered", "on_time", "disputed", "invitations", "invitations_bid")
# The exclusion codes fit_ranking returns: 0 fits, otherwise the first hard filter that failed.
FILTER_CODES: dict[int, Filter] = {2: Filter.material, 3: Filter.quantity, 4: Filter.certification, 5: Filter.capacity}


def history_totals(ids: Any) -> Select[Any]:
    """Per manufacturer of `ids` (a list or a subquery): contracts delivered, delivered on time, delivered and
    disputed, invitations to published orders received and answered with a bid. A contract counts as delivered
    once shipped, on time when shipped by the order's need-by date, disputed when its buyer opened a dispute."""
    shipped_at = (
        select(func.min(ContractEvent.created_at))
        .where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "ship")
        .scalar_subquery()
    )
    disputed = exists().where(ContractEvent.contract_id == Contract.id, ContractEvent.transition == "dispute")
    per_contract = (
        select(
            Contract.manufacturer_organisation_id.label("org"),
            shipped_at.label("shipped_at"),
            disputed.label("disputed"),
            ProductionOrder.need_by.label("need_by"),
        )
        .join(ProductionOrder, ProductionOrder.id == Contract.order_id)
        .where(Contract.manufacturer_organisation_id.in_(ids))
        .subquery()
    )
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


def buyer_ratings(ids: Any, now: datetime) -> Select[Any]:
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


def _monday(day: Any) -> Any:
    """SQL: the Monday of the ISO week of a date column (rules.week_start)."""
    return day - (cast(func.extract("isodow", day), Integer) - 1)


def _smoothed(successes: Any, total: Any) -> Any:
    """SQL: rules.smoothed."""
    return (cast(successes, Float) + NEUTRAL_PRIOR * PRIOR_WEIGHT) / (cast(total, Float) + PRIOR_WEIGHT)


def _rating(points: Any, count: Any) -> Any:
    """SQL: rules.rating_value."""
    return (cast(points, Float) / 4 + NEUTRAL_PRIOR * PRIOR_WEIGHT) / (cast(count, Float) + PRIOR_WEIGHT)


def _price_level(estimate: Any, need: Need) -> Any:
    """SQL: rules.price_level of an estimate column that may be NULL."""
    low, high = need.budget_min_minor, need.budget_max_minor
    span = high - low
    within = 1.0 - 0.5 * cast(estimate - low, Float) / float(span) if span else literal(0.5, Float)
    above = (
        literal(0.0, Float) if high <= 0 else func.greatest(0.0, 0.5 - 0.5 * cast(estimate - high, Float) / float(high))
    )
    return case((estimate.is_(None), NEUTRAL_PRIOR), (estimate <= low, 1.0), (estimate <= high, within), else_=above)


def fit_ranking(
    order: ProductionOrder,
    need: Need,
    today: date,
    weights: Mapping[Factor, float],
    first: int,
    now: datetime | None = None,
) -> Select[Any]:
    """One statement: the ids of the `first` best fitting candidates and of the first `first` excluded ones
    (by id), each with its exclusion code (FILTER_CODES; 0 fits) and score, and on every row the numbers of
    fitting and excluded candidates. Candidates are manufacturers listing the order's process, as in the
    service; every rule below mirrors rules.exclusion / rules.factor_values."""
    P, Org, L, C, R = ManufacturerProfile, Organisation, CapacityListing, Certification, CapacityReservation
    weeks = weeks_before(today, need.need_by)
    first_week = weeks[0] if weeks else week_start(today)
    last_week = weeks[-1] if weeks else first_week - timedelta(days=7)  # an empty window
    required = need.estimated_machine_hours or 0

    candidates = (
        select(P.organisation_id.label("id"), Org.region, P.materials, P.min_quantity, P.max_quantity)
        .join(Org, Org.id == P.organisation_id)
        .where(
            Org.kind.in_(MANUFACTURING_KINDS),
            P.processes.contains([need.process]),
            P.organisation_id != order.buyer_organisation_id,
        )
        .cte("candidates")
    )
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
            R.process == need.process,
            R.week_start.between(first_week, last_week),
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
            week_listing.process == need.process,
            week_listing.available_to >= today,
            week_listing.available_from <= firm.c.week + 6,
            week_listing.available_to >= firm.c.week,
        )
        .scalar_subquery()
    )
    used = (
        select(firm.c.id, func.sum(func.least(firm.c.hours, listed_that_week)).label("hours"))
        .group_by(firm.c.id)
        .cte("used")
    )
    # Stage 1, every candidate: the cheap filters (material, quantity, certificates — these probe the unique
    # index on (organisation, standard) only for the candidates that got that far).
    # The materials as one lower-cased string between unit separators (which text input cannot hold): a
    # string search is far cheaper per row than parsing an array back from text.
    material = need.material.strip().lower()
    joined = SEPARATOR + func.lower(func.array_to_string(candidates.c.materials, SEPARATOR)) + SEPARATOR
    material_ok = (func.cardinality(candidates.c.materials) == 0) | (
        func.strpos(joined, SEPARATOR + material + SEPARATOR) > 0
    )
    quantity_ok = and_(
        candidates.c.min_quantity <= need.quantity,
        candidates.c.max_quantity.is_(None) | (candidates.c.max_quantity >= need.quantity),
    )
    required_certifications = sorted(set(need.required_certifications))
    certified = (
        select(func.count())
        .where(
            C.organisation_id == candidates.c.id,
            C.standard.in_(required_certifications),
            C.valid_until >= need.need_by,
        )
        .scalar_subquery()
    )
    checks = [(~material_ok, 2), (~quantity_ok, 3)]
    if required_certifications:
        checks.append((certified != len(required_certifications), 4))
    filtered = select(candidates.c.id, candidates.c.region, case(*checks, else_=0).label("code")).cte("filtered")

    # Stage 2, the candidates that passed: capacity (listed hours over the window: each current listing of the
    # process times the window's weeks it covers, less firm holds), the cheapest rate in the order's currency
    # among the listings covering any week of it, the record, and the score.
    covered = func.greatest(
        0,
        (
            func.least(literal(last_week, Date), _monday(L.available_to))
            - func.greatest(literal(first_week, Date), _monday(L.available_from))
        )
        // 7
        + 1,
    )
    listed = (
        select(
            func.sum(L.machine_hours_per_week * covered).label("hours"),
            func.min(L.hourly_rate_minor).filter(and_(L.currency == need.currency, covered > 0)).label("rate"),
        )
        .where(L.organisation_id == filtered.c.id, L.process == need.process, L.available_to >= today)
        .lateral("listed")
    )
    history = ManufacturerRecord.__table__  # type: ignore[attr-defined]  # history_totals, kept per manufacturer
    rated = buyer_ratings(select(filtered.c.id).where(filtered.c.code == 0), now or day_start(today)).cte("rated")
    free = func.coalesce(listed.c.hours, 0) - func.coalesce(used.c.hours, 0)
    delivered = func.coalesce(history.c.delivered, 0)
    estimate = listed.c.rate * need.estimated_machine_hours if need.estimated_machine_hours is not None else None
    values: dict[Factor, Any] = {
        Factor.capacity_slack: case(
            (free <= 0, 0.0),
            else_=func.greatest(0.0, func.least(1.0, cast(free - required, Float) / cast(free, Float))),
        ),
        Factor.on_time: _smoothed(func.coalesce(history.c.delivered_on_time, 0), delivered),
        Factor.dispute_free: 1.0 - _smoothed(func.coalesce(history.c.disputed, 0), delivered),
        Factor.region: case(
            (filtered.c.region == need.delivery_region, 1.0),
            (func.split_part(filtered.c.region, "-", 1) == need.delivery_region.split("-")[0], 0.5),
            else_=0.0,
        ),
        Factor.price: literal(NEUTRAL_PRIOR, Float) if estimate is None else _price_level(estimate, need),
        Factor.response: _smoothed(
            func.coalesce(history.c.invitations_bid, 0), func.coalesce(history.c.invitations, 0)
        ),
        Factor.rating: _rating(func.coalesce(rated.c.points, 0), func.coalesce(rated.c.count, 0)),
    }
    total_weight = sum(weights.get(factor, 0.0) for factor in values)
    weighted = [value * weights.get(factor, 0.0) for factor, value in values.items() if weights.get(factor, 0.0)]
    score = sum(weighted[1:], weighted[0]) / total_weight
    capacity_checked = (
        select(
            filtered.c.id,
            case(((free <= 0) | (free < required), 5), else_=0).label("code"),
            score.label("score"),
        )
        .select_from(
            filtered.outerjoin(listed, sql_true())
            .outerjoin(used, used.c.id == filtered.c.id)
            .outerjoin(history, history.c.organisation_id == filtered.c.id)
            .outerjoin(rated, rated.c.id == filtered.c.id)
        )
        .where(filtered.c.code == 0)
    )
    scored = capacity_checked.union_all(
        select(filtered.c.id, filtered.c.code, literal(None, Float)).where(filtered.c.code != 0)
    ).cte("scored")
    best = (
        select(scored.c.id, scored.c.code, scored.c.score)
        .where(scored.c.code == 0)
        .order_by(func.round(cast(scored.c.score, Numeric), SCORE_DECIMALS).desc(), scored.c.id)
        .limit(first)
    )
    excluded = (
        select(scored.c.id, scored.c.code, scored.c.score).where(scored.c.code != 0).order_by(scored.c.id).limit(first)
    )
    shown = best.union_all(excluded).subquery("shown")
    counts = select(
        func.count().filter(scored.c.code == 0).label("fitting"),
        func.count().filter(scored.c.code != 0).label("excluded"),
    ).subquery("counts")
    return select(shown.c.id, shown.c.code, shown.c.score, counts.c.fitting, counts.c.excluded).select_from(
        counts.outerjoin(shown, sql_true())
    )
