"""Operators are made from the command line: a new one's e-mail counts as verified (the administrator vouches for
it); a user promoted to operator keeps its own verification state."""

from __future__ import annotations

from sqlalchemy import select

from domain.identity.models import User
from domain.identity.service import create_operator
from domain.organisations.models import OrganisationKind
from tests.integration.factories import Market


async def test_a_new_operator_is_verified_and_a_promoted_user_keeps_its_state(market: Market) -> None:
    async with market.uow() as uow:
        fresh = await create_operator(uow, email="ops@example.com", password="correct horse battery", full_name="Ops")
    member = await market.organisation(OrganisationKind.buyer)
    async with market.uow() as uow:
        email = await uow.session.scalar(select(User.email).where(User.id == member.user_id))
    async with market.uow() as uow:
        promoted = await create_operator(uow, email=str(email), password="correct horse battery", full_name="Them")

    assert fresh.is_operator and fresh.email_verified_at is not None
    assert promoted.is_operator and promoted.email_verified_at is None
