"""Use cases for an organisation's legal details: its admins state them, operators check them (like the registration
and the tax status), and a change to checked details waits for the check again. The contract documents print them,
and wait for them: stating them at last tells the document relay to issue what it held back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.contracts.models import Contract
from domain.documents.models import DOCUMENTS_TOPIC, ContractDocument, DocumentKind
from domain.errors import DomainError, ErrorCode, NotFound
from domain.organisations.legal_rules import LegalDetails, LegalDetailsDraft, changed
from domain.organisations.models import Organisation, OrganisationLegalDetails
from domain.organisations.service import get_for_update
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.ports.search import Topic
from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SavedLegalDetails:
    details: OrganisationLegalDetails
    organisation: Organisation


async def set_legal_details(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, draft: LegalDetailsDraft
) -> SavedLegalDetails:
    """Admins state the organisation's legal details. Every field is validated (check digits, the account against the
    БИК); the ИНН becomes the organisation's legal id. Unchanged details change nothing; changed ones wait for an
    operator's check again."""
    actor.require_member(organisation_id, admin=True, field="id")
    details = draft.checked(uow.now().date())
    organisation = await get_for_update(uow, organisation_id)
    session = uow.session
    if details.inn != organisation.legal_id:
        taken = await session.scalar(
            select(exists().where(Organisation.legal_id == details.inn, Organisation.id != organisation_id))
        )
        if taken:
            raise DomainError(ErrorCode.ALREADY_EXISTS, "an organisation with this ИНН is registered", "inn")
    row = await session.get(OrganisationLegalDetails, organisation_id, with_for_update=True)
    if row is not None and not changed(row.details(), details):
        await uow.commit()
        return SavedLegalDetails(row, organisation)
    first = row is None
    now = uow.now()
    if row is None:
        row = OrganisationLegalDetails(organisation_id=organisation_id, updated_at=now, **_columns(details))
        session.add(row)
    else:
        for name, value in _columns(details).items():
            setattr(row, name, value)
    row.checked_at = None
    row.updated_at = now
    if organisation.legal_id != details.inn:
        # Another registration number: what an operator verified was the old one's documents.
        organisation.legal_id = details.inn
        organisation.verified, organisation.verified_at = False, None
        emit(uow, Topic.manufacturer, organisation.id)
    organisation.updated_at = now
    if first:
        await _release_held_documents(uow, organisation_id)
    await uow.commit()
    return SavedLegalDetails(row, organisation)


def _columns(details: LegalDetails) -> dict[str, Any]:
    return {f.name: getattr(details, f.name) for f in fields(details)}


async def _release_held_documents(uow: UnitOfWork, organisation_id: UUID) -> None:
    """The organisation's contracts that lack a document they have due (the contract at award, the closing act at
    completion) were held back for want of its details: the relay looks at them again (issuing is idempotent, and a
    contract still waiting for the other party stays waiting)."""
    held = await uow.session.scalars(
        select(Contract.id).where(
            or_(
                Contract.buyer_organisation_id == organisation_id,
                Contract.manufacturer_organisation_id == organisation_id,
            ),
            ~exists().where(
                ContractDocument.contract_id == Contract.id, ContractDocument.kind == DocumentKind.contract
            ),
        )
    )
    for contract_id in held:
        emit(uow, DOCUMENTS_TOPIC, contract_id)


async def check_legal_details(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, checked: bool
) -> SavedLegalDetails:
    """Operators confirm the legal details against the state register and the bank (or, `checked=False`, withdraw
    that)."""
    actor.require_operator()
    organisation = await get_for_update(uow, organisation_id)
    row = await uow.session.get(OrganisationLegalDetails, organisation_id, with_for_update=True)
    if row is None:
        raise NotFound("legal details of the organisation", "id")
    row.checked_at = uow.now() if checked else None
    await uow.commit()
    return SavedLegalDetails(row, organisation)


async def legal_details_by_organisation_ids(
    session: AsyncSession, ids: Sequence[UUID]
) -> dict[UUID, OrganisationLegalDetails]:
    rows = await session.scalars(
        select(OrganisationLegalDetails).where(OrganisationLegalDetails.organisation_id.in_(list(ids)))
    )
    return {row.organisation_id: row for row in rows}


LATEST_FIRST = SortKey(OrganisationLegalDetails.updated_at, OrganisationLegalDetails.organisation_id, descending=True)


async def legal_details_to_check(
    session: AsyncSession, *, actor: Actor, page: PageRequest
) -> Page[OrganisationLegalDetails]:
    """Operators only: legal details nobody has checked since they last changed, latest first."""
    actor.require_operator()
    stmt = select(OrganisationLegalDetails).where(OrganisationLegalDetails.checked_at.is_(None))
    return await paginate(session, stmt, LATEST_FIRST, page)
