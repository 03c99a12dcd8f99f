"""`exchange seed`: a consistent demo market, written once however often it runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.actor import Actor, Role
from domain.bids.models import Bid, BidStatus
from domain.bids.rules import BidTerms
from domain.bids.service import revise_bid
from domain.identity.service import sign_in
from domain.money import Money
from domain.organisations.models import Membership
from domain.organisations.rules import legal_id_is_valid
from domain.tables import metadata
from domain.uow import UnitOfWork
from exchange.seed import DEMO_PASSWORD, OPERATOR_EMAIL, SeedMismatch, admin_email, seed
from tests.clock import FakeClock
from tests.conftest import REFERENCE_TABLES
from tests.integration.seed_rules import BIDDER_FITS

ORGANISATIONS = 60

# Each query counts the rows that break one rule; a consistent market has none.
VIOLATIONS: dict[str, str] = {
    **BIDDER_FITS,
    "bid on an order that does not take bids": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE o.status <> 'open' OR o.bidding_deadline <= now() OR b.status <> 'active'
    """,
    "bid on the bidder's own order": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.manufacturer_organisation_id = o.buyer_organisation_id
    """,
    "bid by a buyer-only organisation": """
        SELECT count(*) FROM bid b JOIN organisation m ON m.id = b.manufacturer_organisation_id
        WHERE m.kind = 'buyer'
    """,
    "bid whose total is not unit price x quantity + tooling, or expires before the deadline": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.total_minor <> b.unit_price_minor * b.quantity + b.tooling_minor
           OR b.currency <> o.currency OR b.valid_until < o.bidding_deadline::date
           OR b.unit_price_minor <= 0
    """,
    "bid for part of an order that is awarded whole, or for more than its quantity": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE b.quantity > o.quantity OR (b.quantity < o.quantity AND NOT o.allow_split)
    """,
    "bid placed by someone outside the bidding organisation": """
        SELECT count(*) FROM bid b
        WHERE NOT EXISTS (
            SELECT 1 FROM membership m
            WHERE m.user_id = b.placed_by_user_id AND m.organisation_id = b.manufacturer_organisation_id
        )
    """,
    "second active bid of one manufacturer on one order": """
        SELECT count(*) FROM (
            SELECT 1 FROM bid WHERE status = 'active'
            GROUP BY order_id, manufacturer_organisation_id HAVING count(*) > 1
        ) AS duplicates
    """,
    "bid on an invited-only order by a shop that was not invited": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE o.visibility = 'invited' AND NOT EXISTS (
            SELECT 1 FROM order_invitation i
            WHERE i.order_id = o.id AND i.manufacturer_organisation_id = b.manufacturer_organisation_id
        )
    """,
    "published invited-only order without invitations": """
        SELECT count(*) FROM production_order o
        WHERE o.status = 'open' AND o.visibility = 'invited'
          AND NOT EXISTS (SELECT 1 FROM order_invitation i WHERE i.order_id = o.id)
    """,
    "order with a past deadline, need-by before it, or a wrong publication date": """
        SELECT count(*) FROM production_order
        WHERE bidding_deadline <= now() OR need_by <= bidding_deadline::date
           OR (status = 'open') <> (published_at IS NOT NULL)
           OR status NOT IN ('open', 'draft') OR currency <> 'RUB'
    """,
    "order posted by a manufacturer-only organisation or by a non-member": """
        SELECT count(*) FROM production_order o JOIN organisation b ON b.id = o.buyer_organisation_id
        WHERE b.kind = 'manufacturer' OR NOT EXISTS (
            SELECT 1 FROM membership m
            WHERE m.user_id = o.created_by_user_id AND m.organisation_id = o.buyer_organisation_id
        )
    """,
    "organisation without exactly one admin": """
        SELECT count(*) FROM organisation o
        WHERE (SELECT count(*) FROM membership m WHERE m.organisation_id = o.id AND m.role = 'admin') <> 1
    """,
    "manufacturer without a profile, or buyer with one": """
        SELECT count(*) FROM organisation o
        LEFT JOIN manufacturer_profile p ON p.organisation_id = o.id
        WHERE (o.kind = 'buyer') = (p.organisation_id IS NOT NULL)
    """,
    "verified organisation without a verification time, or the reverse": """
        SELECT count(*) FROM organisation WHERE verified <> (verified_at IS NOT NULL)
    """,
    "capacity listing for a process the profile does not list": """
        SELECT count(*) FROM capacity_listing c
        JOIN manufacturer_profile p ON p.organisation_id = c.organisation_id
        WHERE NOT (c.process = ANY (p.processes)) OR c.available_to < current_date
    """,
}

FACTS: dict[str, str] = {
    "manufacturing organisations": "SELECT count(*) FROM organisation WHERE kind <> 'buyer'",
    "buyer-only organisations": "SELECT count(*) FROM organisation WHERE kind = 'buyer'",
    "regional partners": "SELECT count(*) FROM organisation WHERE membership = 'regional_partner'",
    "verified organisations": "SELECT count(*) FROM organisation WHERE verified",
    "regions": "SELECT count(DISTINCT region) FROM organisation",
    "valid certifications": "SELECT count(*) FROM certification WHERE valid_until >= current_date",
    "expired certifications": "SELECT count(*) FROM certification WHERE valid_until < current_date",
    "open orders": "SELECT count(*) FROM production_order WHERE status = 'open'",
    "draft orders": "SELECT count(*) FROM production_order WHERE status = 'draft'",
    "orders that may be split": "SELECT count(*) FROM production_order WHERE allow_split",
    "bids for part of a split order": (
        "SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id WHERE b.quantity < o.quantity"
    ),
    "orders that require a certification": (
        "SELECT count(*) FROM production_order WHERE cardinality(required_certifications) > 0"
    ),
    "bids on orders that require a certification": """
        SELECT count(*) FROM bid b JOIN production_order o ON o.id = b.order_id
        WHERE cardinality(o.required_certifications) > 0
    """,
    "open orders with at least 3 bids": """
        SELECT count(*) FROM production_order o
        WHERE o.status = 'open' AND (SELECT count(*) FROM bid b WHERE b.order_id = o.id) >= 3
    """,
}


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: int(await conn.scalar(text(f"SELECT count(*) FROM {table.name}")) or 0)
            for table in metadata.sorted_tables
            if table.name not in REFERENCE_TABLES  # seeded by the migrations, not by `exchange seed`
        }


async def scalars(engine: AsyncEngine, queries: dict[str, str]) -> dict[str, int]:
    async with engine.connect() as conn:
        return {name: int(await conn.scalar(text(sql)) or 0) for name, sql in queries.items()}


async def test_seed_builds_a_consistent_market(engine: AsyncEngine, database_url: str) -> None:
    summary = await seed(database_url, organisations=ORGANISATIONS, random_seed=42)

    counts = await row_counts(engine)
    assert counts["organisation"] == ORGANISATIONS
    assert counts["membership"] == ORGANISATIONS
    assert counts["app_user"] == ORGANISATIONS + 1  # one admin each, and the operator
    for table in ("manufacturer_profile", "certification", "capacity_listing", "production_order", "bid"):
        assert counts[table] > 0, table
    assert counts["contract"] == 0
    assert counts["manufacturer_record"] > 0  # the invitations of the published invited-only orders
    async with engine.connect() as conn:  # one match candidate per manufacturing organisation and listed process
        listed = await conn.scalar(
            text(
                "SELECT count(*) FROM manufacturer_profile mp JOIN organisation o ON o.id = mp.organisation_id"
                " CROSS JOIN LATERAL unnest(mp.processes) WHERE o.kind IN ('manufacturer', 'both')"
            )
        )
    assert counts["match_candidate"] == listed > 0
    assert ORGANISATIONS / 2 * 0.6 <= counts["production_order"] <= ORGANISATIONS / 2 * 1.4
    assert await scalars(engine, VIOLATIONS) == dict.fromkeys(VIOLATIONS, 0)
    async with engine.connect() as conn:  # no «исправьте» notice on a demo company page
        legal_ids = (await conn.execute(text("SELECT legal_id, region FROM organisation"))).all()
    assert [row for row in legal_ids if not legal_id_is_valid(*row)] == []

    facts = await scalars(engine, FACTS)
    assert all(value > 0 for value in facts.values()), facts
    assert facts["manufacturing organisations"] > facts["buyer-only organisations"]
    assert facts["regions"] >= 8
    assert facts["open orders"] > facts["draft orders"]
    assert counts["bid"] >= 2 * facts["open orders"]

    async with engine.connect() as conn:
        emails = set(await conn.scalars(text("SELECT email FROM app_user")))
        operators = list(await conn.scalars(text("SELECT email FROM app_user WHERE is_operator")))
    assert emails == {admin_email(n) for n in range(1, ORGANISATIONS + 1)} | {OPERATOR_EMAIL}
    assert operators == [OPERATOR_EMAIL]
    assert f"{ORGANISATIONS} organisations" in summary
    assert f"{counts['bid']} active bids" in summary
    assert f"{sum(counts.values())} new rows written" in summary
    assert DEMO_PASSWORD in summary and OPERATOR_EMAIL in summary


async def test_seeding_again_writes_nothing(engine: AsyncEngine, database_url: str) -> None:
    await seed(database_url, organisations=ORGANISATIONS, random_seed=42)
    first = await row_counts(engine)
    async with engine.connect() as conn:
        ids = set(await conn.scalars(text("SELECT id FROM bid")))

    summary = await seed(database_url, organisations=ORGANISATIONS, random_seed=42)

    assert await row_counts(engine) == first
    async with engine.connect() as conn:
        assert set(await conn.scalars(text("SELECT id FROM bid"))) == ids
    assert "0 new rows written" in summary


async def test_seeding_more_organisations_later_keeps_the_market_consistent(
    engine: AsyncEngine, database_url: str
) -> None:
    await seed(database_url, organisations=ORGANISATIONS // 2, random_seed=42)
    async with engine.connect() as conn:
        early = set((await conn.execute(text("SELECT id, name, kind, region FROM organisation"))).all())

    await seed(database_url, organisations=ORGANISATIONS, random_seed=42)

    async with engine.connect() as conn:
        now = set((await conn.execute(text("SELECT id, name, kind, region FROM organisation"))).all())
    assert early < now
    assert len(now) == ORGANISATIONS
    assert await scalars(engine, VIOLATIONS) == dict.fromkeys(VIOLATIONS, 0)


async def test_seeding_with_another_random_seed_is_refused_and_writes_nothing(
    engine: AsyncEngine, database_url: str
) -> None:
    await seed(database_url, organisations=ORGANISATIONS, random_seed=42)
    before = await row_counts(engine)

    with pytest.raises(SeedMismatch):
        await seed(database_url, organisations=ORGANISATIONS * 2, random_seed=7)

    assert await row_counts(engine) == before


async def test_seeding_nothing_leaves_only_the_operator(engine: AsyncEngine, database_url: str) -> None:
    summary = await seed(database_url, organisations=0)

    counts = await row_counts(engine)
    assert counts["app_user"] == 1
    assert sum(counts.values()) == 1
    assert "0 organisations" in summary


async def test_seeded_accounts_sign_in_with_the_demo_password(
    engine: AsyncEngine, database_url: str, uow: UnitOfWork
) -> None:
    await seed(database_url, organisations=3, random_seed=42)

    for email in (admin_email(1), admin_email(3), OPERATOR_EMAIL):
        async with uow:
            session = await sign_in(uow, email=email, password=DEMO_PASSWORD, token_ttl=timedelta(hours=1))
        assert session.user.email == email
        assert session.token
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM auth_token")) == 3


async def test_every_seeded_bid_passes_the_real_bidding_rules(
    engine: AsyncEngine, database_url: str, uow: UnitOfWork, clock: FakeClock
) -> None:
    # Revising runs every check place_bid runs (visibility, deadline, fit, price) on the stored rows.
    await seed(database_url, organisations=ORGANISATIONS, random_seed=42)
    clock.set(datetime.now(UTC))
    async with uow:
        bids = (
            await uow.session.execute(
                select(
                    Bid.id,
                    Bid.manufacturer_organisation_id,
                    Bid.unit_price_minor,
                    Bid.tooling_minor,
                    Bid.currency,
                    Bid.lead_time_days,
                    Bid.valid_until,
                ).order_by(Bid.id)
            )
        ).all()
        admins = dict((await uow.session.execute(select(Membership.organisation_id, Membership.user_id))).all())
    assert bids

    for bid in bids:
        actor = Actor(
            user_id=admins[bid.manufacturer_organisation_id],
            memberships={bid.manufacturer_organisation_id: Role.admin},
        )
        terms = BidTerms(
            unit_price=Money(bid.unit_price_minor + 100, bid.currency),
            tooling=Money(bid.tooling_minor, bid.currency),
            lead_time_days=bid.lead_time_days,
            valid_until=bid.valid_until,
        )
        async with uow:
            revised = await revise_bid(uow, actor=actor, bid_id=bid.id, terms=terms)
        assert revised.revision == 2

    async with engine.connect() as conn:
        statuses: dict[str, int] = dict(
            (await conn.execute(text("SELECT status, count(*) FROM bid GROUP BY status"))).all()
        )
    assert statuses == {BidStatus.active.value: len(bids), BidStatus.superseded.value: len(bids)}
