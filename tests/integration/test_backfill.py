"""Backfills run batch by batch, resume where they stopped, and do nothing twice."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.contracts.service import award_bid
from domain.organisations.models import OrganisationKind
from exchange.backfill import UnknownBackfill, run_backfill, statuses
from exchange.cli import main
from tests.integration.factories import Market


async def candidate_orgs(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT DISTINCT organisation_id::text FROM match_candidate"))
        return {row[0] for row in rows}


async def test_a_stopped_backfill_resumes_after_its_last_batch_and_then_is_done(
    market: Market, engine: AsyncEngine
) -> None:
    makers = [await market.manufacturer() for _ in range(3)]
    await market.organisation(OrganisationKind.buyer)
    maker_orgs = {str(next(iter(maker.memberships))) for maker in makers}
    assert await candidate_orgs(engine) == maker_orgs
    async with engine.begin() as conn:  # as if what match_candidate holds had changed its definition
        await conn.execute(text("DELETE FROM match_candidate"))
    async with engine.connect() as conn:
        ordered = [row[0] for row in await conn.execute(text("SELECT id::text FROM organisation ORDER BY id"))]

    first = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2, max_batches=1)

    assert (first.rows_done, first.last_key, first.finished_at) == (2, ordered[1], None)
    assert await candidate_orgs(engine) == maker_orgs & set(ordered[:2])
    assert [(s.name, s.state, s.rows_done) for s in await statuses(market.session_factory)] == [
        ("matching-records", "in progress", 2),
        ("milestone-shares", "not started", 0),
        ("provider-payment-references", "not started", 0),
        ("search-terms", "not started", 0),
    ]

    resumed = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2)

    assert resumed.rows_done == 4 and resumed.last_key == ordered[3] and resumed.finished_at is not None
    assert await candidate_orgs(engine) == maker_orgs

    again = await run_backfill(market.session_factory, market.clock, "matching-records", batch_size=2)
    assert (again.rows_done, again.finished_at) == (4, resumed.finished_at)  # done: nothing ran

    restarted = await run_backfill(market.session_factory, market.clock, "matching-records", restart=True)
    assert restarted.rows_done == 4 and restarted.finished_at is not None


async def test_an_unknown_backfill_is_refused_and_records_nothing(market: Market, engine: AsyncEngine) -> None:
    with pytest.raises(UnknownBackfill, match="no backfill named 'nope'"):
        await run_backfill(market.session_factory, market.clock, "nope")

    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM backfill_progress"))).scalar_one() == 0


async def test_the_cli_lists_runs_and_refuses_an_unknown_backfill(
    market: Market, engine: AsyncEngine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    await market.manufacturer()
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", database_url)

    before = await asyncio.to_thread(main, ["backfill", "list"])
    listed_before = capsys.readouterr().out
    ran = await asyncio.to_thread(main, ["backfill", "run", "matching-records", "--batch", "1"])
    ran_out = capsys.readouterr().out
    after = await asyncio.to_thread(main, ["backfill", "list"])
    listed_after = capsys.readouterr().out
    unknown = await asyncio.to_thread(main, ["backfill", "run", "nope"])
    refused = capsys.readouterr().err

    assert (before, ran, after, unknown) == (0, 0, 0, 2)
    assert listed_before.startswith("matching-records: not started, 0 rows — recompute")
    assert ran_out.splitlines()[-1] == "matching-records: done, 1 rows"
    assert listed_after.startswith("matching-records: done, 1 rows — ")
    assert refused.splitlines()[-1] == "refused: no backfill named 'nope'; `exchange backfill list` names them"


async def _contract_id(market: Market, deps: AppDeps) -> UUID:
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    bid = await market.bid(maker, (await market.open_order(buyer)).id)
    async with market.uow() as uow:
        return (await award_bid(uow, actor=buyer, bid_id=bid.id, policy=deps.payments.policy)).id


async def _provider_payments(engine: AsyncEngine) -> dict[str, tuple[str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT idempotency_key, ledger_reference, funding_reference FROM provider_payment")
        )
        return {key: (ledger, funding) for key, ledger, funding in rows}


async def test_provider_payment_references_fill_the_rows_recorded_before_them_once(
    market: Market, engine: AsyncEngine, deps: AppDeps
) -> None:
    contract_id = await _contract_id(market, deps)
    # Stripe calls recorded before payments_0005: no ledger line named, the card payment only in the request (a
    # refund's `payment_intent`, a transfer's `funding_intent`, or none for a payout of a wired contract); and one
    # recorded after, which already names both and must stay as it is.
    old = {
        "refund-1": {"payment_intent": "pi_refunded"},
        "payout-1": {"funding_intent": "pi_paid_out", "destination": "acct_1"},
        "payout-2": {"destination": "acct_1"},
    }
    async with engine.begin() as conn:
        for key, request in [*old.items(), ("payout-new", {"funding_intent": "pi_new"})]:
            await conn.execute(
                text(
                    "INSERT INTO provider_payment (id, contract_id, kind, amount_minor, currency, idempotency_key, "
                    "request, status, provider_reference, attempts, last_error, created_at, ledger_reference, "
                    "funding_reference) VALUES (gen_random_uuid(), :contract, :kind, 100, 'RUB', :key, "
                    "CAST(:request AS jsonb), 'made', :reference, 1, '', now(), :ledger, :funding)"
                ),
                {
                    "contract": contract_id,
                    "key": key,
                    "kind": key.split("-")[0],
                    "reference": f"ref_{key}",
                    "request": json.dumps(request),
                    "ledger": "release:m1" if key == "payout-new" else "",
                    "funding": "pi_new" if key == "payout-new" else "",
                },
            )
        ids = {
            row[0]: row[1] for row in await conn.execute(text("SELECT idempotency_key, id::text FROM provider_payment"))
        }

    first = await run_backfill(
        market.session_factory, market.clock, "provider-payment-references", batch_size=2, max_batches=1
    )
    halfway = await _provider_payments(engine)
    resumed = await run_backfill(market.session_factory, market.clock, "provider-payment-references", batch_size=2)
    filled = await _provider_payments(engine)
    again = await run_backfill(market.session_factory, market.clock, "provider-payment-references", restart=True)

    assert (first.rows_done, first.finished_at) == (2, None)
    assert sum(ledger != "" for key, (ledger, _) in halfway.items() if key in old) == 2
    assert (resumed.rows_done, resumed.finished_at is not None) == (3, True)
    assert {key: (ledger.replace(ids[key], "<id>"), funding) for key, (ledger, funding) in filled.items()} == {
        "refund-1": ("pending:<id>", "pi_refunded"),
        "payout-1": ("pending:<id>", "pi_paid_out"),
        "payout-2": ("pending:<id>", ""),
        "payout-new": ("release:m1", "pi_new"),  # recorded with its references: untouched
    }
    assert (again.rows_done, await _provider_payments(engine)) == (0, filled)  # nothing left to fill
