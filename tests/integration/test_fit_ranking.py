"""The SQL fit ranking (queries.fit_ranking) agrees with the pure rules (rules.rank) on random markets.

Random manufacturers are written straight into the tables (profiles, certificates, capacity listings in two
currencies and partly outside the window), a few get a contract record and firm holds through the real award
path, and then random orders are ranked both ways: the best `first`, the fitting and excluded counts and the
first excluded ones with their filter must be the same.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from domain.contracts.models import ContractEvent
from domain.contracts.process import ContractStatus
from domain.contracts.service import award_bid
from domain.manufacturers.models import ManufacturerProfile
from domain.matching.queries import FILTER_CODES, fit_ranking
from domain.matching.records import refresh_records
from domain.matching.rules import DEFAULT_WEIGHTS, Factor, rank
from domain.matching.service import _profiles, candidates, need_of, recommend_manufacturers
from domain.orders.models import ProductionOrder
from domain.organisations.models import OrganisationKind
from domain.reviews.models import Review
from tests.integration.factories import Market, org
from tests.integration.ranking import random_makers, random_order


async def _record(market: Market) -> None:
    """Two makers with history: awarded contracts (firm holds), one shipped late and disputed, invitations,
    and buyers' reviews: published ones count, a blind one (not yet published) must not."""
    buyer = await market.organisation(OrganisationKind.buyer)
    now = market.clock.now()
    for shipped_day, dispute, stars, published in [(20, False, 5, True), (90, True, 2, False)]:
        maker = await market.manufacturer()
        await market.capacity(maker, hours=30)
        order = await market.open_order(buyer, estimated_machine_hours=60)
        bid = await market.bid(maker, order.id)
        async with market.uow() as uow:
            contract = await award_bid(uow, actor=buyer, bid_id=bid.id)
        events = [("ship", ContractStatus.shipped, shipped_day)] + (
            [("dispute", ContractStatus.disputed, 95)] if dispute else []
        )
        async with market.uow() as uow:
            uow.session.add_all(
                ContractEvent(
                    contract_id=contract.id,
                    transition=name,
                    to_status=status,
                    created_at=market.clock.now() + timedelta(days=day),
                )
                for name, status, day in events
            )
            uow.session.add(
                Review(
                    contract_id=contract.id,
                    author_organisation_id=org(buyer),
                    subject_organisation_id=org(maker),
                    author_user_id=buyer.require_user(),
                    by_buyer=True,
                    rating=stars,
                    created_at=now,
                    visible_from=now + timedelta(days=14),
                    published_at=now if published else None,
                )
            )
            # written straight to the table, so the record is refreshed here as the lifecycle would
            await refresh_records(uow.session, [org(maker)], market.clock.now())
            await uow.commit()
        await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(maker)])


async def test_sql_ranking_agrees_with_the_rules_on_random_markets(market: Market) -> None:
    rng = random.Random(20261125)
    await _record(market)
    await random_makers(market, rng, 150)
    buyer = await market.organisation(OrganisationKind.buyer)
    today = market.clock.now().date()
    weight_sets = [dict(DEFAULT_WEIGHTS), {Factor.price: 1.0}, {f: rng.random() for f in Factor}]
    compared = fitting_seen = 0
    for case in range(24):
        order = await market.open_order(
            buyer, bidding_deadline=market.clock.now() + timedelta(days=2), **random_order(rng, today)
        )
        weights = weight_sets[case % len(weight_sets)]
        first = rng.choice([1, 5, 40])
        async with market.uow() as uow:
            session = uow.session
            need = need_of(order)
            everyone = await candidates(
                session,
                _profiles().where(
                    ManufacturerProfile.processes.contains([need.process]),
                    ManufacturerProfile.organisation_id != order.buyer_organisation_id,
                ),
                processes=[need.process],
                today=today,
            )
            expected_scored, expected_excluded = rank(everyone, need, today, weights)
            rows = (await session.execute(*fit_ranking(order, need, today, weights, first))).all()
            result = await recommend_manufacturers(
                session, actor=buyer, order_id=order.id, today=today, first=first, weights=weights, order=order
            )

        expected_excluded.sort(key=lambda e: str(e.organisation_id))
        sql_excluded = sorted((row.id, FILTER_CODES[row.code]) for row in rows if row.id is not None and row.code)
        assert sql_excluded == [(e.organisation_id, e.filter) for e in expected_excluded[:first]]
        assert [s.organisation_id for s in result.scored] == [s.organisation_id for s in expected_scored[:first]]
        assert [s.score for s in result.scored] == [s.score for s in expected_scored[:first]]
        sql_scores = {row.id: row.score for row in rows if row.id is not None and not row.code}
        assert [sql_scores[s.organisation_id] for s in expected_scored[:first]] == pytest.approx(
            [s.score for s in expected_scored[:first]], abs=1e-12
        )
        assert (result.fitting, result.excluded_count) == (len(expected_scored), len(expected_excluded))
        compared += 1
        fitting_seen += len(expected_scored)
    # The random markets must exercise both outcomes, or the comparison proves little.
    assert compared == 24 and fitting_seen > 50


async def test_an_order_no_one_can_make_is_an_empty_answer_with_reasons(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()  # certified, but lists no capacity
    order: ProductionOrder = await market.open_order(buyer)

    async with market.uow() as uow:
        result = await recommend_manufacturers(
            uow.session,
            actor=buyer,
            order_id=order.id,
            today=market.clock.now().date(),
            first=5,
            weights=DEFAULT_WEIGHTS,
        )

    assert result.scored == [] and result.fitting == 0
    assert [(e.organisation_id, e.filter.value) for e in result.excluded] == [(org(maker), "capacity")]
    assert result.excluded_count == 1


async def test_an_order_needing_exactly_the_free_hours_fits_and_one_hour_more_does_not(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    await market.capacity(maker, hours=40)  # eight weeks of 40 h before the need-by date: 320 h
    outcomes = []
    for hours in (320, 321):
        order = await market.open_order(buyer, estimated_machine_hours=hours)
        async with market.uow() as uow:
            result = await recommend_manufacturers(
                uow.session,
                actor=buyer,
                order_id=order.id,
                today=market.clock.now().date(),
                first=5,
                weights=DEFAULT_WEIGHTS,
            )
        outcomes.append((result.fitting, [e.filter.value for e in result.excluded]))

    assert outcomes == [(1, []), (0, ["capacity"])]


async def test_only_published_buyer_reviews_move_the_rating_factor(market: Market) -> None:
    await _record(market)  # maker 1: a published 5-star review; maker 2: a blind 2-star one
    today = market.clock.now().date()
    async with market.uow() as uow:
        found = await candidates(
            uow.session,
            _profiles().where(ManufacturerProfile.processes.contains(["cnc_milling"])),
            processes=["cnc_milling"],
            today=today,
            now=market.clock.now(),
        )
        later = await candidates(
            uow.session,
            _profiles().where(ManufacturerProfile.processes.contains(["cnc_milling"])),
            processes=["cnc_milling"],
            today=today,
            now=market.clock.now() + timedelta(days=15),  # the blind period is over
        )

    assert sorted((c.rating.count, c.rating.points) for c in found) == [(0, 0), (1, 4)]
    assert sorted((c.rating.count, c.rating.points) for c in later) == [(1, 1), (1, 4)]
