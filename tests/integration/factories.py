"""Build a market through the domain services (no GraphQL): buyer, manufacturers, an open order, bids."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain.actor import Actor, Role
from domain.bids.models import Bid
from domain.bids.rules import BidTerms
from domain.bids.service import place_bid
from domain.clock import Clock
from domain.contracts import lifecycle
from domain.contracts.models import Contract
from domain.contracts.service import award_bid
from domain.identity.service import sign_up
from domain.manufacturers.rules import ProfileDraft
from domain.manufacturers.service import add_capacity_listing, set_certification, upsert_profile
from domain.money import Money
from domain.orders.models import ProductionOrder
from domain.orders.rules import OrderDraft
from domain.orders.service import create_order
from domain.organisations.models import OrganisationKind
from domain.organisations.rules import OrganisationDraft
from domain.uow import SessionFactory, UnitOfWork
from tests.legal_samples import legal_id

_n = itertools.count(1)


def org(actor: Actor) -> UUID:
    """The (only) organisation an actor made by the Market belongs to."""
    return next(iter(actor.memberships))


@dataclass
class Market:
    session_factory: SessionFactory
    clock: Clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.clock)

    async def organisation(self, kind: OrganisationKind) -> Actor:
        n = next(_n)
        async with self.uow() as uow:
            session = await sign_up(
                uow,
                email=f"it{n}@example.com",
                password="correct horse battery",
                full_name=f"Person {n}",
                organisation=OrganisationDraft(f"Org {n}", legal_id("55", n), "RU-MOW", kind),
                token_ttl=timedelta(days=1),
            )
        assert session.organisation is not None
        return Actor(user_id=session.user.id, memberships={session.organisation.id: Role.admin})

    async def manufacturer(self) -> Actor:
        actor = await self.organisation(OrganisationKind.manufacturer)
        org_id = next(iter(actor.memberships))
        async with self.uow() as uow:
            await upsert_profile(
                uow,
                actor=actor,
                organisation_id=org_id,
                draft=ProfileDraft(processes=["cnc_milling"], max_quantity=10_000),
            )
        async with self.uow() as uow:
            await set_certification(
                uow,
                actor=actor,
                organisation_id=org_id,
                standard="iso_9001",
                certificate_number="C-1",
                issued_by="",
                valid_until=(self.clock.now() + timedelta(days=700)).date(),
            )
        return actor

    async def capacity(self, maker: Actor, *, hours: int = 40, rate_minor: int = 300_00) -> None:
        """Milling capacity for the whole period the tests use (March to December 2027)."""
        async with self.uow() as uow:
            await add_capacity_listing(
                uow,
                actor=maker,
                organisation_id=org(maker),
                process="cnc_milling",
                machine_hours_per_week=hours,
                available_from=date(2027, 3, 1),
                available_to=date(2027, 12, 31),
                hourly_rate=Money(rate_minor, "RUB"),
            )

    async def open_order(self, buyer: Actor, *, publish: bool = True, **overrides: Any) -> ProductionOrder:
        now = self.clock.now()
        values: dict[str, Any] = {
            "title": "Housing",
            "process": "cnc_milling",
            "material": "AlMg3",
            "quantity": 100,
            "need_by": (now + timedelta(days=60)).date(),
            "delivery_region": "RU-MOW",
            "budget_min": Money(10_000_00, "RUB"),
            "budget_max": Money(50_000_00, "RUB"),
            "bidding_deadline": now + timedelta(days=10),
            "required_certifications": ["iso_9001"],
        }
        values.update(overrides)
        async with self.uow() as uow:
            return await create_order(
                uow,
                actor=buyer,
                organisation_id=None,
                draft=OrderDraft(**values),
                publish=publish,
            )

    async def bid(self, manufacturer: Actor, order_id: UUID, unit_minor: int = 300_00) -> Bid:
        async with self.uow() as uow:
            return await place_bid(
                uow,
                actor=manufacturer,
                order_id=order_id,
                organisation_id=None,
                terms=BidTerms(
                    unit_price=Money(unit_minor, "RUB"),
                    lead_time_days=20,
                    valid_until=(self.clock.now() + timedelta(days=30)).date(),
                ),
            )

    async def funded_contract(self, buyer: Actor, maker: Actor, payments: lifecycle.Payments) -> Contract:
        """An open order, the maker's bid on it, awarded, and the escrow funded by one wire (an operator
        recording it): a contract ready for production."""
        order = await self.open_order(buyer)
        bid = await self.bid(maker, order.id)
        async with self.uow() as uow:
            contract = await award_bid(uow, actor=buyer, bid_id=bid.id, policy=payments.policy)
        operator = Actor(user_id=buyer.user_id, is_operator=True, memberships={})
        async with self.uow() as uow:
            await lifecycle.record_bank_transfer(
                uow,
                actor=operator,
                payment_reference=contract.payment_reference,
                bank_transaction_id="BANK-1",
                amount=Money(contract.total_minor, "RUB"),
                received_on=self.clock.now().date(),
                payments=payments,
            )
        return contract
