"""Certificates to check: an operator compares each with the issuer's register and marks it checked."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import NotFound
from domain.manufacturers.models import Certification
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.ports.search import Topic
from domain.uow import UnitOfWork

OLDEST_FIRST = SortKey(Certification.created_at, Certification.id)


async def certificates_to_check(session: AsyncSession, *, actor: Actor, page: PageRequest) -> Page[Certification]:
    """Operators only: certificates nobody has checked yet (new, or renewed since), oldest first."""
    actor.require_operator()
    stmt = select(Certification).where(Certification.verified_at.is_(None))
    return await paginate(session, stmt, OLDEST_FIRST, page)


async def set_certificate_checked(
    uow: UnitOfWork, *, actor: Actor, certification_id: UUID, verified: bool
) -> Certification:
    """Operators only: the certificate matches the issuer's register (or, `verified=False`, no longer does)."""
    actor.require_operator()
    certification = await uow.session.get(Certification, certification_id, with_for_update=True)
    if certification is None:
        raise NotFound("certification", "id")
    certification.verified_at = uow.now() if verified else None
    certification.verified_by_user_id = actor.user_id if verified else None
    emit(uow, Topic.manufacturer, certification.organisation_id)
    await uow.commit()
    return certification
