"""The backfill milestone-shares (run after migration contracts_0001) works out what milestones settled before it did
with their money, from the ledger: a milestone its settlement paid out in part reads partly_released, with both
amounts."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.uow import SessionFactory
from exchange.backfill import run_backfill
from tests.api.contracts import MILESTONE_SHARES, awarded, contract, fund, operator, step
from tests.api.graphql import GraphQL
from tests.clock import FakeClock


async def test_the_backfill_reads_each_settled_milestone_off_the_ledger(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine, session_factory: SessionFactory
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    ops = await operator(gql, engine)
    reference = (await contract(gql, contract_id, buyer.token))["fundingInstructions"]["paymentReference"]
    await fund(gql, ops, reference, clock, "150000", "BANK-BACKFILL")
    for party, mutation in [
        (maker, step("startProduction")),
        (maker, step("ship", ', trackingReference: "T1"')),
        (buyer, step("confirmDelivery")),
    ]:
        await gql(mutation, {"id": contract_id}, token=party.token)
    await gql(step("openDispute", ', reason: "scratched"'), {"id": contract_id}, token=buyer.token)
    await gql(step("resolveDispute", ', release: {amount: "120000", currency: "RUB"}'), {"id": contract_id}, ops.token)
    settled = (await gql(MILESTONE_SHARES, {"id": contract_id}, token=buyer.token))["node"]["milestones"]

    async with engine.begin() as conn:  # as the rows stood before the migration
        await conn.execute(
            text(
                "UPDATE contract_milestone SET released_minor = 0, refunded_minor = 0,"
                " status = CASE WHEN status = 'partly_released' THEN 'refunded' ELSE status END"
            )
        )
        before = (await conn.execute(text("SELECT status FROM contract_milestone ORDER BY position"))).scalars().all()
    done = await run_backfill(session_factory, clock, "milestone-shares", batch_size=1)
    backfilled = (await gql(MILESTONE_SHARES, {"id": contract_id}, token=buyer.token))["node"]["milestones"]

    assert done.finished_at is not None and done.rows_done == 2  # one milestone a batch
    assert list(before) == ["released", "refunded"]  # what the old code wrote: the partial payout unsaid
    assert backfilled == settled
    assert [m["status"] for m in backfilled] == ["released", "partly_released"]
