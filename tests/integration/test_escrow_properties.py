"""Property test over random programs: transitions by every kind of actor, wires (with bank retries),
card-payment webhooks (replayed, late, or paying twice), timers and cancellations across several contracts.
After every step the escrow invariants hold: the ledger sums to zero, escrow never goes negative nor holds
more than the price, released + refunded never exceeds funded, settled contracts hold nothing, each
contract's audit events replay to its current state, and none submits a first article after one was approved."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.actor import Actor
from domain.contracts import lifecycle
from domain.contracts.models import Contract, ContractEvent
from domain.contracts.process import FINAL_STATES, TRANSITIONS, Party
from domain.contracts.service import award_bid
from domain.errors import DomainError
from domain.ledger.models import LedgerPosting, LedgerTransaction
from domain.money import Money
from domain.organisations.models import OrganisationKind
from domain.uow import SessionFactory
from exchange.worker import run_timers_once
from tests.clock import FakeClock
from tests.conftest import empty_all_tables
from tests.integration.factories import Market

CONTRACTS = 3
STEPS = [
    "start_production",
    "submit_first_article",
    "approve_first_article",
    "reject_first_article",
    "ship",
    "confirm_delivery",
    "accept",
    "dispute",
    "resolve",
    "cancel",
]
ROLES = ["buyer", "manufacturer", "operator"]

operations = st.one_of(
    # Drive a contract through up to ten allowed steps in a row, the choices drawn from `choices`.
    st.tuples(st.just("drive"), st.integers(0, CONTRACTS - 1), st.lists(st.integers(0, 10), min_size=10, max_size=10)),
    # Take one of the steps the contract's current state allows, as a party that may: programs get far.
    st.tuples(st.just("advance"), st.integers(0, CONTRACTS - 1), st.integers(0, 10), st.integers(0, 100)),
    st.tuples(st.just("advance"), st.integers(0, CONTRACTS - 1), st.integers(0, 10), st.integers(0, 100)),
    st.tuples(st.just("advance"), st.integers(0, CONTRACTS - 1), st.integers(0, 10), st.integers(0, 100)),
    st.tuples(st.just("advance"), st.integers(0, CONTRACTS - 1), st.integers(0, 10), st.integers(0, 100)),
    st.tuples(st.just("advance"), st.integers(0, CONTRACTS - 1), st.integers(0, 10), st.integers(0, 100)),
    st.tuples(
        st.just("step"),
        st.integers(0, CONTRACTS - 1),
        st.sampled_from(STEPS),
        st.sampled_from(ROLES),
        st.integers(0, 100),
    ),
    st.tuples(st.just("wire"), st.integers(0, CONTRACTS - 1), st.integers(1, 100), st.integers(0, 4)),
    st.tuples(st.just("time"), st.integers(1, 6)),
    # A card payment's webhook, processed (ids repeat: redeliveries; may arrive after a cancellation).
    st.tuples(st.just("card"), st.integers(0, CONTRACTS - 1), st.integers(1, 100), st.integers(0, 3)),
)


async def _market(market: Market, deps: AppDeps) -> tuple[dict[str, Actor], list[Contract]]:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    operator = Actor(user_id=buyer.user_id, is_operator=True, memberships={})
    contracts = []
    for _ in range(CONTRACTS):
        order = await market.open_order(buyer)
        bid = await market.bid(maker, order.id)
        async with market.uow() as uow:
            contracts.append(await award_bid(uow, actor=buyer, bid_id=bid.id, policy=deps.payments.policy))
    return {"buyer": buyer, "manufacturer": maker, "operator": operator}, contracts


async def _run(
    op: tuple[Any, ...],
    actors: dict[str, Actor],
    contracts: list[Contract],
    market: Market,
    clock: FakeClock,
    deps: AppDeps,
) -> None:
    if op[0] == "time":
        clock.advance(timedelta(days=op[1]))
        await run_timers_once(deps)
        return
    contract = contracts[op[1]]
    if op[0] == "drive":
        for choice in op[2]:
            await _run(("advance", op[1], choice, 10 * choice), actors, contracts, market, clock, deps)
        return
    if op[0] == "advance":
        async with market.uow() as read:
            status = await read.session.scalar(select(Contract.status).where(Contract.id == contract.id))
        choices = [t for t in TRANSITIONS if status in t.sources and t.actors - {Party.timer}]
        if not choices:
            return
        chosen = choices[op[2] % len(choices)]
        if chosen.name == "fund":
            op = ("wire", op[1], 100, op[2] % 5)
        else:
            party = sorted(chosen.actors - {Party.timer}, key=lambda p: p.value)[0]
            op = ("step", op[1], chosen.name, party.value, op[3])
    async with market.uow() as uow:
        try:
            if op[0] == "card":
                amount = max(1, contract.total_minor * op[2] // 100)
                await lifecycle.record_card_payment(
                    uow,
                    contract_id=contract.id,
                    payment_intent_id=f"pi_{op[1]}_{op[3]}_{amount}",
                    amount_minor=amount,
                    currency=contract.currency,
                    payments=deps.payments,
                )
            elif op[0] == "wire":
                amount = max(1, contract.total_minor * op[2] // 100)
                await lifecycle.record_bank_transfer(
                    uow,
                    actor=actors["operator"],
                    payment_reference=contract.payment_reference,
                    bank_transaction_id=f"{contract.id}:{op[3]}",
                    amount=Money(amount, contract.currency),
                    received_on=clock.now().date(),
                    payments=deps.payments,
                )
            else:
                _, _, step, role, percent = op
                await lifecycle.take_step(
                    uow,
                    actor=actors[role],
                    contract_id=contract.id,
                    transition=step,
                    payments=deps.payments,
                    note="because",
                    tracking_reference="TRK",
                    release=Money(contract.total_minor * percent // 100, contract.currency),
                )
        except DomainError:
            pass  # refused: the invariants below must hold all the same


async def _check_invariants(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        postings = (
            await session.execute(
                select(LedgerTransaction.kind, LedgerPosting).join(
                    LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id
                )
            )
        ).all()
        contracts = list(await session.scalars(select(Contract)))
        events = list(await session.scalars(select(ContractEvent).order_by(ContractEvent.sequence)))
    assert sum(p.amount_minor for _, p in postings) == 0
    flows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, posting in postings:
        if posting.account.startswith("escrow:"):
            flows[posting.account][kind] += posting.amount_minor
    for contract in contracts:
        flow = flows[f"escrow:{contract.id}"]
        held = sum(flow.values())
        assert held >= 0
        assert -flow["release"] - flow["refund"] <= flow["fund"]
        assert held <= contract.total_minor
        if contract.status in FINAL_STATES:
            assert held == 0, contract.status
        state = None
        approved = False
        for row in (e for e in events if e.contract_id == contract.id):
            assert row.from_status == state, (row.transition, row.from_status, state)
            state = row.to_status
            # A first article, once approved, is not submitted again (process.PASSED_BY).
            assert not (approved and row.transition == "submit_first_article"), contract.id
            approved = approved or row.transition == "approve_first_article"
        assert state == contract.status


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=st.lists(operations, min_size=1, max_size=60))
async def test_escrow_invariants_hold_over_random_programs(
    program: list[tuple[Any, ...]],
    engine: AsyncEngine,
    session_factory: SessionFactory,
    deps: AppDeps,
    clock: FakeClock,
) -> None:
    async with engine.begin() as conn:
        await empty_all_tables(conn)
    clock.set(FakeClock().now())
    market = Market(session_factory, clock)
    actors, contracts = await _market(market, deps)

    for op in program:
        await _run(op, actors, contracts, market, clock, deps)
        await _check_invariants(session_factory)
    async with session_factory() as session:
        for status in await session.scalars(select(Contract.status)):
            event(f"a contract ended {status.value}")  # `pytest --hypothesis-show-statistics` shows the spread
