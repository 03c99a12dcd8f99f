"""An organisation's declared tax status, and the operator's check of it."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import String, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import ErrorCode, InvalidInput
from domain.organisations.models import Organisation
from domain.organisations.service import get_for_update
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.planning import inline
from domain.ports.search import Topic
from domain.taxes.models import TaxStatus
from domain.uow import UnitOfWork


async def set_tax_status(uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, status: TaxStatus) -> Organisation:
    """Admins declare how their organisation is taxed; a new declaration waits for an operator's check again."""
    actor.require_member(organisation_id, admin=True, field="id")
    organisation = await get_for_update(uow, organisation_id)
    if organisation.tax_status != status:
        organisation.tax_status = status
        organisation.tax_status_checked_at = None
        organisation.updated_at = uow.now()
        emit(uow, Topic.manufacturer, organisation.id)
    await uow.commit()
    return organisation


async def check_tax_status(uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, checked: bool) -> Organisation:
    """Operators confirm the declared tax status against the tax register (or, `checked=False`, withdraw that)."""
    actor.require_operator()
    organisation = await get_for_update(uow, organisation_id)
    if checked and organisation.tax_status == TaxStatus.not_stated:
        raise InvalidInput("the organisation has not declared a tax status", "id", ErrorCode.INVALID)
    now = uow.now()
    organisation.tax_status_checked_at = now if checked else None
    organisation.updated_at = now
    await uow.commit()
    return organisation


NEWEST_FIRST = SortKey(Organisation.updated_at, Organisation.id, descending=True)
# The queue, as the partial index ix_organisation_tax_status_to_check states it: 'not_stated' written into the SQL
# (domain/planning.py), not sent as a parameter, or the generic plan every connection keeps could not prove the
# index's predicate and would scan every organisation again.
TO_CHECK = and_(
    Organisation.tax_status != inline(TaxStatus.not_stated.value, String()),
    Organisation.tax_status_checked_at.is_(None),
)


async def tax_statuses_to_check(session: AsyncSession, *, actor: Actor, page: PageRequest) -> Page[Organisation]:
    """Operators only: organisations whose declared tax status nobody has checked yet, latest declared first."""
    actor.require_operator()
    stmt = select(Organisation).where(TO_CHECK)
    return await paginate(session, stmt, NEWEST_FIRST, page)
