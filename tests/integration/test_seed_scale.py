"""`exchange seed --profile`: bulk-loaded benchmark data that keeps every domain rule (checked on `tiny`)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.bids.models import BidStatus
from domain.contracts import process
from domain.contracts.process import ContractStatus, Party
from domain.orders.models import OrderStatus
from domain.organisations.rules import legal_id_is_valid
from exchange.seed_scale import PROFILES, REGIONS_73, DatabaseNotEmpty, seed_profile
from tests.integration.seed_rules import BIDDER_FITS

# Each query counts the rows that break one rule; consistent data has none.
VIOLATIONS: dict[str, str] = {
    **BIDDER_FITS,
    "bid on the bidder's own order, or on a draft": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.manufacturer_organisation_id = o.buyer_organisation_id OR o.status = 'draft'
    """,
    "bid whose total is not unit price x quantity + tooling, or expires before the deadline": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.total_minor <> b.unit_price_minor * b.quantity + b.tooling_minor
           OR b.currency <> o.currency OR b.valid_until < o.bidding_deadline::date OR b.unit_price_minor <= 0
    """,
    "bid status that does not match its order's": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.status NOT IN ('withdrawn', 'superseded') AND NOT (
               (o.status = 'open' AND b.status = 'active')
            OR (o.status = 'awarded' AND b.status IN ('accepted', 'rejected'))
            OR (o.status = 'cancelled' AND b.status = 'rejected')
            OR (o.status = 'expired' AND b.status = 'expired'))
    """,
    "open order past its deadline, or active bid no longer valid": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE o.status = 'open'
          AND (o.bidding_deadline <= now() OR (b.status = 'active' AND b.valid_until < current_date))
    """,
    "revision that does not follow a superseded bid of the same shop on the same order": """
        SELECT count(*) FROM bid b LEFT JOIN bid p ON p.id = b.previous_bid_id
        WHERE (b.revision > 1 OR b.previous_bid_id IS NOT NULL) AND (
            p.id IS NULL OR p.status <> 'superseded' OR p.order_id <> b.order_id
            OR p.manufacturer_organisation_id <> b.manufacturer_organisation_id OR b.revision <> p.revision + 1)
    """,
    "superseded bid without its revision": """
        SELECT count(*) FROM bid b WHERE b.status = 'superseded'
        AND NOT EXISTS (SELECT 1 FROM bid r WHERE r.previous_bid_id = b.id)
    """,
    "invited-only order whose bidder was not invited": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE o.visibility = 'invited' AND NOT EXISTS (
            SELECT 1 FROM order_invitation i
            WHERE i.order_id = o.id AND i.manufacturer_organisation_id = b.manufacturer_organisation_id)
    """,
    "awarded order without exactly one accepted bid and one contract": """
        SELECT count(*) FROM production_order o WHERE o.status = 'awarded' AND (
            (SELECT count(*) FROM bid b WHERE b.order_id = o.id AND b.status = 'accepted') <> 1
            OR (SELECT count(*) FROM contract c WHERE c.order_id = o.id) <> 1)
    """,
    "contract that is not its order's accepted bid": """
        SELECT count(*) FROM contract c
        JOIN bid b ON b.id = c.bid_id JOIN production_order o ON o.id = c.order_id
        WHERE b.status <> 'accepted' OR b.order_id <> c.order_id OR o.status <> 'awarded'
           OR c.total_minor <> b.total_minor OR c.manufacturer_organisation_id <> b.manufacturer_organisation_id
           OR c.buyer_organisation_id <> o.buyer_organisation_id OR c.quantity <> o.quantity
    """,
    "ledger transaction whose postings do not sum to zero": """
        SELECT count(*) FROM (
            SELECT t.id FROM ledger_transaction t JOIN ledger_posting p ON p.transaction_id = t.id
            GROUP BY t.id HAVING sum(p.amount_minor) <> 0) unbalanced
    """,
    "escrow that is negative, or not what the contract's state holds": """
        SELECT count(*) FROM contract c
        LEFT JOIN LATERAL (SELECT coalesce(sum(amount_minor), 0) AS held FROM ledger_posting
                           WHERE account = 'escrow:' || c.id::text) e ON true
        WHERE e.held < 0
           OR (c.status IN ('pending_funding', 'completed', 'cancelled') AND e.held <> 0)
           OR (c.status IN ('funded', 'first_article_review') AND e.held <> c.total_minor)
           OR (c.status IN ('shipped', 'inspection', 'disputed') AND e.held <> c.total_minor - (
                SELECT coalesce(sum(amount_minor), 0) FROM contract_milestone m
                WHERE m.contract_id = c.id AND m.status = 'released'))
    """,
    "milestones that do not sum to the contract's price and fee": """
        SELECT count(*) FROM contract c WHERE (c.total_minor, c.platform_fee_minor) <> (
            SELECT sum(amount_minor), sum(fee_minor) FROM contract_milestone m WHERE m.contract_id = c.id)
    """,
    "funded contract without its bank transfer": """
        SELECT count(*) FROM contract c WHERE EXISTS (
            SELECT 1 FROM contract_event e WHERE e.contract_id = c.id AND e.transition = 'fund')
        AND NOT EXISTS (SELECT 1 FROM bank_transfer t WHERE t.contract_id = c.id AND t.amount_minor = c.total_minor)
    """,
    "payout or refund without its instruction": """
        SELECT count(*) FROM ledger_transaction t
        WHERE t.kind IN ('release', 'refund') AND t.provider_reference <> '' AND NOT EXISTS (
            SELECT 1 FROM payment_instruction i WHERE i.id::text = t.provider_reference)
    """,
    "waiting contract whose timer is already due": """
        SELECT count(*) FROM contract c
        WHERE c.status IN ('pending_funding', 'shipped', 'inspection') AND (c.due_at IS NULL OR c.due_at <= now())
    """,
}


@pytest.fixture
async def seeded(database_url: str, engine: AsyncEngine) -> str:
    return await seed_profile(database_url, profile=PROFILES["tiny"], random_seed=7, progress=False)


async def _scalar(engine: AsyncEngine, sql: str) -> Any:
    async with engine.connect() as conn:
        return await conn.scalar(text(sql))


@pytest.mark.committed
async def test_the_tiny_profile_breaks_no_domain_rule(seeded: str, engine: AsyncEngine) -> None:
    broken = {name: await _scalar(engine, sql) for name, sql in VIOLATIONS.items()}

    assert broken == dict.fromkeys(VIOLATIONS, 0)
    assert await _scalar(engine, "SELECT coalesce(sum(amount_minor), 0) FROM ledger_posting") == 0


@pytest.mark.committed
async def test_every_seeded_organisation_states_a_legal_id_that_passes_todays_check(
    seeded: str, engine: AsyncEngine
) -> None:
    """No demo company page asks its admins to correct the legal id (LegalIdNotice): each passes the domain's check
    for its country and the database's own statement of it (organisation_legal_id_valid, the operator's filter)."""
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT legal_id, region FROM organisation"))).all()
        invalid_in_sql = await conn.scalar(
            text("SELECT count(*) FROM organisation WHERE NOT organisation_legal_id_valid(legal_id, region)")
        )

    assert len(rows) == PROFILES["tiny"].organisations
    assert [legal_id for legal_id, region in rows if not legal_id_is_valid(legal_id, region)] == []
    assert invalid_in_sql == 0
    assert len({legal_id for legal_id, _ in rows}) == len(rows)


@pytest.mark.committed
async def test_the_tiny_profile_has_every_status_and_lifecycle_state(seeded: str, engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        orders = set(await conn.scalars(text("SELECT DISTINCT status FROM production_order")))
        bids = set(await conn.scalars(text("SELECT DISTINCT status FROM bid")))
        contracts = set(await conn.scalars(text("SELECT DISTINCT status FROM contract")))
        regions = await conn.scalar(text("SELECT count(DISTINCT region) FROM organisation"))
        counts = (
            await conn.execute(
                text("SELECT (SELECT count(*) FROM organisation), (SELECT count(*) FROM production_order)")
            )
        ).one()

    assert orders == {s.value for s in OrderStatus}
    assert bids == {s.value for s in BidStatus}
    assert contracts == {s.value for s in ContractStatus}
    assert tuple(counts) == (PROFILES["tiny"].organisations, PROFILES["tiny"].orders)
    assert 0 < regions <= len(REGIONS_73)
    assert "Run `exchange search reindex` next" in seeded


@pytest.mark.committed
async def test_every_contract_event_is_a_step_the_process_allows(seeded: str, engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        statuses: dict[Any, str] = dict((await conn.execute(text("SELECT id, status FROM contract"))).all())
        events = (
            await conn.execute(
                text(
                    "SELECT contract_id, transition, from_status, to_status, payload, created_at FROM contract_event "
                    "ORDER BY contract_id, sequence"
                )
            )
        ).all()
    chains: dict[Any, list[Any]] = {}
    for event in events:
        chains.setdefault(event.contract_id, []).append(event)

    assert set(chains) == set(statuses)
    for contract_id, chain in chains.items():
        status = None
        taken: list[tuple[str, ContractStatus]] = []
        for event in chain:
            payload = event.payload if isinstance(event.payload, dict) else orjson.loads(event.payload)
            decision = process.apply(
                ContractStatus(status) if status else None,
                event.transition,
                Party(payload["party"]),
                event.created_at,
                passed=process.passed_reviews(taken),
            )
            taken.append((event.transition, decision.to_status))
            assert (event.from_status, event.to_status) == (status, decision.to_status.value)
            status = event.to_status
        assert [e.created_at for e in chain] == sorted(e.created_at for e in chain)
        assert status == statuses[contract_id]


@pytest.mark.committed
async def test_a_profile_refuses_a_database_that_holds_data(
    seeded: str, database_url: str, engine: AsyncEngine
) -> None:
    before = await _scalar(engine, "SELECT count(*) FROM bid")

    with pytest.raises(DatabaseNotEmpty, match="empty database only"):
        await seed_profile(database_url, profile=PROFILES["tiny"], progress=False)

    assert await _scalar(engine, "SELECT count(*) FROM bid") == before
