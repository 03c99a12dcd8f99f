"""Matching on real PostgreSQL: candidates narrowed in SQL, history from contract events, constant statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.contracts.models import ContractEvent
from domain.contracts.process import ContractStatus
from domain.contracts.service import award_bid
from domain.errors import DomainError, ErrorCode
from domain.manufacturers.rules import ProfileDraft
from domain.manufacturers.service import upsert_profile
from domain.matching.rules import DEFAULT_BID_WEIGHTS, DEFAULT_WEIGHTS, Factor, Filter, smoothed
from domain.matching.service import histories, rank_order_bids, recommend_manufacturers, recommend_orders
from domain.organisations.models import OrganisationKind
from tests.conftest import StatementCounter
from tests.integration.factories import Market, org


async def test_recommendations_rank_fitting_makers_and_name_the_filter_for_the_others(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    fits = await market.manufacturer()
    await market.capacity(fits)
    no_capacity = await market.manufacturer()
    too_small = await market.manufacturer()
    await market.capacity(too_small)
    async with market.uow() as uow:
        await upsert_profile(
            uow,
            actor=too_small,
            organisation_id=org(too_small),
            draft=ProfileDraft(processes=["cnc_milling"], max_quantity=50),
        )
    # need-by 2027-04-30: eight weeks of 40 h before it; 80 h needed
    order = await market.open_order(buyer, estimated_machine_hours=80)

    async with market.uow() as uow:
        result = await recommend_manufacturers(
            uow.session,
            actor=buyer,
            order_id=order.id,
            today=market.clock.now().date(),
            first=10,
            weights=DEFAULT_WEIGHTS,
        )

    assert [item.organisation_id for item in result.scored] == [org(fits)]
    assert result.fitting == 1
    values = {e.factor: e.value for e in result.scored[0].explanations}
    # slack (320 - 80) / 320; price 300 RUB x 80 h = 24,000 RUB in a 10,000..50,000 budget
    assert values == {
        Factor.capacity_slack: 0.75,
        Factor.on_time: 0.5,
        Factor.dispute_free: 0.5,
        Factor.region: 1.0,
        Factor.price: 1.0 - 0.5 * 14_000 / 40_000,
        Factor.response: 0.5,
        Factor.rating: 0.5,
    }
    assert sorted((e.organisation_id, e.filter) for e in result.excluded) == sorted(
        [(org(no_capacity), Filter.capacity), (org(too_small), Filter.quantity)]
    )


async def test_only_the_buyer_gets_recommendations(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    order = await market.open_order(buyer)

    async with market.uow() as uow:
        with pytest.raises(DomainError) as refused:
            await recommend_manufacturers(
                uow.session, actor=maker, order_id=order.id, today=date(2027, 3, 1), first=5, weights=DEFAULT_WEIGHTS
            )

    assert refused.value.code == ErrorCode.FORBIDDEN


async def test_history_counts_shipments_on_time_and_disputes_and_invitation_answers(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    order = await market.open_order(buyer)
    bid = await market.bid(maker, order.id)
    async with market.uow() as uow:
        contract = await award_bid(uow, actor=buyer, bid_id=bid.id)
    async with market.uow() as uow:
        # shipped on the need-by date (on time), then disputed
        uow.session.add_all(
            [
                ContractEvent(
                    contract_id=contract.id,
                    transition=name,
                    to_status=status,
                    created_at=market.clock.now().replace(year=2027, month=4, day=30) + timedelta(hours=h),
                )
                for name, status, h in [("ship", ContractStatus.shipped, 1), ("dispute", ContractStatus.disputed, 2)]
            ]
        )
        await uow.commit()
    invited_order = await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(maker)])
    await market.bid(maker, invited_order.id)
    await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(maker)])

    async with market.uow() as uow:
        result = await histories(uow.session, [org(maker)])

    record = result[org(maker)]
    assert (record.delivered, record.delivered_on_time, record.contracts, record.disputed) == (1, 1, 1, 1)
    assert (record.invitations, record.invitations_bid) == (2, 1)


async def test_recommended_orders_are_open_visible_orders_the_maker_can_make(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    other = await market.manufacturer()
    await market.capacity(maker)
    near = await market.open_order(buyer, estimated_machine_hours=10)
    heavy = await market.open_order(buyer, estimated_machine_hours=300)
    await market.open_order(buyer, estimated_machine_hours=1000)  # more than its free hours
    await market.open_order(buyer, process="die_casting")
    await market.open_order(buyer, visibility="invited", invited_manufacturer_ids=[org(other)])

    async with market.uow() as uow:
        matches = await recommend_orders(
            uow.session,
            actor=maker,
            organisation_id=org(maker),
            now=market.clock.now(),
            first=10,
            weights=DEFAULT_WEIGHTS,
        )
        matched = [m.order.id for m in matches]

    assert matched == [near.id, heavy.id]


async def test_ranked_bids_are_for_the_buyer_and_best_first(market: Market) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer)
    dear = await market.bid(await market.manufacturer(), order.id, 400_00)
    cheap = await market.bid(await market.manufacturer(), order.id, 100_00)

    async with market.uow() as uow:
        ranked = await rank_order_bids(
            uow.session, actor=buyer, order_id=order.id, today=date(2027, 3, 1), weights=DEFAULT_BID_WEIGHTS
        )
        ranked_ids = [bid.id for bid, _ in ranked]

    assert ranked_ids == [cheap.id, dear.id]
    # 100 parts: 10,000 RUB is the budget minimum, 40,000 RUB sits 30/40 of the way to the maximum;
    # lead time 20 days of the 60 left; no record yet
    lead_time = 0.5 + 0.5 * 40 / 60
    assert [[e.value for e in scored.explanations] for _, scored in ranked] == [
        [1.0, lead_time, smoothed(0, 0)],
        [0.625, lead_time, smoothed(0, 0)],
    ]


async def test_recommendations_run_a_constant_number_of_statements(market: Market, sql: StatementCounter) -> None:
    buyer = await market.organisation(OrganisationKind.buyer)
    order = await market.open_order(buyer, estimated_machine_hours=10)
    counts = []
    for _ in range(2):
        for _ in range(3):
            await market.capacity(await market.manufacturer())
        async with market.uow() as uow:
            with sql.counting():
                result = await recommend_manufacturers(
                    uow.session,
                    actor=buyer,
                    order_id=order.id,
                    today=date(2027, 3, 1),
                    first=10,
                    weights=DEFAULT_WEIGHTS,
                )
            counts.append(sql.count)
            assert result.fitting in (3, 6)

    # order, plan mode, ranking (in SQL), then the shown candidates (with their listings, holds and ratings)
    assert counts == [4, 4]
