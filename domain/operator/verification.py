"""The verification queue: organisations whose registration documents no operator has checked yet."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.organisations.models import Organisation
from domain.pagination import Page, PageRequest, SortKey, paginate

NEWEST_FIRST = SortKey(Organisation.created_at, Organisation.id, descending=True)


async def verification_queue(
    session: AsyncSession, *, actor: Actor, page: PageRequest, verified: bool = False, invalid_legal_id: bool = False
) -> Page[Organisation]:
    """Operators only: unverified organisations (or, with `verified`, the checked ones), newest first; with
    `invalid_legal_id` only those whose legal id fails today's check for their country (signed up before it)."""
    actor.require_operator()
    stmt = select(Organisation).where(Organisation.verified.is_(verified))
    if invalid_legal_id:
        # The SQL twin of rules.legal_id_is_valid, which the partial index ix_organisation_invalid_legal_id covers.
        stmt = stmt.where(~func.organisation_legal_id_valid(Organisation.legal_id, Organisation.region))
    return await paginate(session, stmt, NEWEST_FIRST, page)
