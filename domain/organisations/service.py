"""Use cases for organisations and their members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import any_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor, Role
from domain.columns import table_of
from domain.errors import DomainError, ErrorCode, NotFound
from domain.identity.models import User
from domain.manufacturers.models import Certification, ManufacturerProfile
from domain.organisations.models import (
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    OrganisationLegalDetails,
    OrganisationRow,
)
from domain.organisations.rules import (
    OrganisationDraft,
    check_organisation_legal_id,
    check_region,
    check_region_filter,
)
from domain.outbox import emit
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.planning import inline, inline_in
from domain.ports.records import refresh_candidates
from domain.ports.search import Topic
from domain.rows import fetch_records, uuid_array
from domain.text import check_text, normalise_email
from domain.uow import UnitOfWork


async def _legal_id_taken(session: AsyncSession, legal_id: str) -> bool:
    return bool(await session.scalar(select(exists().where(Organisation.legal_id == legal_id))))


async def add_organisation(
    uow: UnitOfWork, *, user_id: UUID, draft: OrganisationDraft, field_prefix: str = ""
) -> Organisation:
    """Create the organisation with `user_id` as its admin. The caller commits. `field_prefix` places the
    legal id in the caller's input (`organisation.` in signUp)."""
    if await _legal_id_taken(uow.session, draft.legal_id):
        message = "an organisation with this legal id is registered"
        raise DomainError(ErrorCode.ALREADY_EXISTS, message, f"{field_prefix}legalId")
    now = uow.now()
    organisation = Organisation(
        name=draft.name,
        legal_id=draft.legal_id,
        region=draft.region,
        kind=draft.kind,
        membership=draft.membership,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(organisation)
    await uow.session.flush()
    uow.session.add(Membership(user_id=user_id, organisation_id=organisation.id, role=Role.admin, created_at=now))
    emit(uow, Topic.manufacturer, organisation.id)
    return organisation


async def create_organisation(uow: UnitOfWork, *, actor: Actor, draft: OrganisationDraft) -> Organisation:
    user_id = actor.require_user()
    organisation = await add_organisation(uow, user_id=user_id, draft=draft.checked())
    await uow.commit()
    return organisation


async def get_for_update(uow: UnitOfWork, organisation_id: UUID, field: str = "id") -> Organisation:
    organisation = await uow.session.get(Organisation, organisation_id, with_for_update=True)
    if organisation is None:
        raise NotFound("organisation", field)
    return organisation


@dataclass(frozen=True, slots=True)
class OrganisationChanges:
    name: str | None = None
    region: str | None = None
    kind: OrganisationKind | None = None
    membership: MembershipKind | None = None
    legal_id: str | None = None


async def update_organisation(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, changes: OrganisationChanges
) -> Organisation:
    actor.require_member(organisation_id, admin=True, field="id")
    organisation = await get_for_update(uow, organisation_id)
    if changes.name is not None:
        organisation.name = check_text(changes.name, "name", max_length=200)
    if changes.region is not None:
        organisation.region = check_region(changes.region)
    if changes.legal_id is not None:
        await _change_legal_id(uow, organisation, changes.legal_id)
    if changes.kind is not None:
        organisation.kind = changes.kind
    if changes.membership is not None:
        organisation.membership = changes.membership
    organisation.updated_at = uow.now()
    emit(uow, Topic.manufacturer, organisation.id)
    await refresh_candidates(uow.session, [organisation.id])  # the region or kind may have changed
    await uow.commit()
    return organisation


async def _change_legal_id(uow: UnitOfWork, organisation: Organisation, legal_id: str) -> None:
    """A corrected registration number, checked for the (possibly new) region's country. Once legal details are
    stated their ИНН is the legal id, so it changes there; another number takes the operator's verification back,
    as in set_legal_details: what was verified were the old number's documents."""
    legal_id = check_organisation_legal_id(legal_id, organisation.region)
    if legal_id == organisation.legal_id:
        return
    session = uow.session
    if await session.get(OrganisationLegalDetails, organisation.id) is not None:
        raise DomainError(ErrorCode.INVALID, "the legal id is the ИНН of the legal details: change it there", "legalId")
    taken = await session.scalar(
        select(exists().where(Organisation.legal_id == legal_id, Organisation.id != organisation.id))
    )
    if taken:
        raise DomainError(ErrorCode.ALREADY_EXISTS, "an organisation with this legal id is registered", "legalId")
    organisation.legal_id = legal_id
    organisation.verified, organisation.verified_at = False, None


async def set_verified(uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, verified: bool) -> Organisation:
    """Operators verify an organisation after checking its registration documents."""
    actor.require_operator()
    organisation = await get_for_update(uow, organisation_id)
    now = uow.now()
    organisation.verified = verified
    organisation.verified_at = now if verified else None
    organisation.updated_at = now
    emit(uow, Topic.manufacturer, organisation.id)
    await uow.commit()
    return organisation


async def add_member(uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, email: str, role: Role) -> Membership:
    """An admin adds a user who already has an account to the organisation."""
    actor.require_member(organisation_id, admin=True, field="organisationId")
    email = normalise_email(email)
    user = await uow.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise NotFound("user with this email", "email")
    existing = await uow.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )
    if existing is not None:
        raise DomainError(ErrorCode.ALREADY_EXISTS, "this user is already a member", "email")
    membership = Membership(user_id=user.id, organisation_id=organisation_id, role=role, created_at=uow.now())
    uow.session.add(membership)
    await uow.commit()
    return membership


# Reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrganisationFilter:
    kinds: Sequence[OrganisationKind] = ()
    regions: Sequence[str] = ()
    processes: Sequence[str] = ()
    certifications: Sequence[str] = ()
    verified_only: bool = False
    manufacturers_only: bool = False


ORGANISATION_SORTS: dict[str, SortKey] = {
    "NEWEST": SortKey(Organisation.created_at, Organisation.id, descending=True),
    "NAME": SortKey(Organisation.name, Organisation.id),
}


async def list_organisations(
    session: AsyncSession, *, filter: OrganisationFilter, sort: str, page: PageRequest, today: date
) -> Page[Organisation]:
    """The supplier directory is public: anyone may browse organisations and their capabilities.
    The filter's values (enum values and checked region codes) are in the statement's text (domain/planning.py):
    the best plan depends on how many organisations they keep (a rare region: walk its few; a common one: walk the
    newest and stop at the page), and one plan for any values was 3-10x slower than either at seed scale."""
    stmt = select(Organisation)
    if filter.kinds:
        stmt = stmt.where(Organisation.kind.in_(inline_in([kind.value for kind in filter.kinds])))
    if filter.manufacturers_only:
        stmt = stmt.where(
            Organisation.kind.in_(inline_in([OrganisationKind.manufacturer.value, OrganisationKind.both.value]))
        )
    if filter.regions:
        stmt = stmt.where(Organisation.region.in_(inline_in(check_region_filter(filter.regions))))
    if filter.verified_only:
        stmt = stmt.where(Organisation.verified.is_(True))
    if filter.processes:
        stmt = stmt.where(
            exists().where(
                ManufacturerProfile.organisation_id == Organisation.id,
                ManufacturerProfile.processes.contains(
                    inline(sorted(filter.processes), table_of(ManufacturerProfile).c.processes.type)
                ),
            )
        )
    for standard in filter.certifications:
        stmt = stmt.where(
            exists().where(
                Certification.organisation_id == Organisation.id,
                Certification.standard == inline(standard, table_of(Certification).c.standard.type),
                Certification.valid_until >= today,
            )
        )
    return await paginate(session, stmt, ORGANISATION_SORTS[sort], page)


_ORGANISATIONS_BY_ID = select(table_of(Organisation)).where(table_of(Organisation).c.id == any_(uuid_array("ids")))


async def organisations_by_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, OrganisationRow]:
    """Read-only rows (OrganisationRow, domain/rows.py), not ORM objects: a page of bids loads its bidders, and
    changes none of them."""
    if not ids:
        return {}
    rows = await fetch_records(session, _ORGANISATIONS_BY_ID, OrganisationRow, {"ids": list(ids)})
    return {row.id: row for row in rows}


async def memberships_by_user_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, list[Membership]]:
    rows = await session.scalars(
        select(Membership).where(Membership.user_id.in_(list(ids))).order_by(Membership.created_at)
    )
    grouped: dict[UUID, list[Membership]] = {}
    for row in rows:
        grouped.setdefault(row.user_id, []).append(row)
    return grouped


async def memberships_by_organisation_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, list[Membership]]:
    rows = await session.scalars(
        select(Membership).where(Membership.organisation_id.in_(list(ids))).order_by(Membership.created_at)
    )
    grouped: dict[UUID, list[Membership]] = {}
    for row in rows:
        grouped.setdefault(row.organisation_id, []).append(row)
    return grouped


async def users_by_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, User]:
    rows = await session.scalars(select(User).where(User.id.in_(list(ids))))
    return {row.id: row for row in rows}
