"""The verification queue: organisations whose registration documents no operator has checked yet."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.organisations.models import Organisation
from domain.pagination import Page, PageRequest, SortKey, paginate

NEWEST_FIRST = SortKey(Organisation.created_at, Organisation.id, descending=True)


async def verification_queue(
    session: AsyncSession, *, actor: Actor, page: PageRequest, verified: bool = False
) -> Page[Organisation]:
    """Operators only: unverified organisations (or, with `verified`, the checked ones), newest first."""
    actor.require_operator()
    return await paginate(session, select(Organisation).where(Organisation.verified.is_(verified)), NEWEST_FIRST, page)
