from __future__ import annotations

import strawberry

from api.context import Info
from api.enums import MembershipKind, OrganisationKind, Role
from api.errors import ACTION_ERRORS, ConflictError, result_union
from api.identity.mutations import OrganisationInput
from api.organisations.types import Membership, Organisation
from api.relay import decode_id
from domain.actor import Role as DomainRole
from domain.organisations import service
from domain.organisations.models import MembershipKind as DomainMembershipKind
from domain.organisations.models import OrganisationKind as DomainOrganisationKind
from domain.uow import UnitOfWork


@strawberry.type
class OrganisationSuccess:
    organisation: Organisation


@strawberry.type
class AddOrganisationMemberSuccess:
    membership: Membership


@strawberry.input(description="Fields to change; omitted fields stay as they are.")
class UpdateOrganisationInput:
    name: str | None = None
    region: str | None = None
    kind: OrganisationKind | None = None
    membership: MembershipKind | None = None


CreateOrganisationResult = result_union("CreateOrganisationResult", OrganisationSuccess, *ACTION_ERRORS, ConflictError)
UpdateOrganisationResult = result_union("UpdateOrganisationResult", OrganisationSuccess, *ACTION_ERRORS)
VerifyOrganisationResult = result_union("VerifyOrganisationResult", OrganisationSuccess, *ACTION_ERRORS)
AddOrganisationMemberResult = result_union(
    "AddOrganisationMemberResult", AddOrganisationMemberSuccess, *ACTION_ERRORS, ConflictError
)


@strawberry.type
class OrganisationMutation:
    @strawberry.mutation(description="Register another organisation; you become its admin.")
    async def create_organisation(self, info: Info, input: OrganisationInput) -> CreateOrganisationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrganisationSuccess:
            row = await service.create_organisation(uow, actor=ctx.actor, draft=input.to_domain())
            return OrganisationSuccess(organisation=Organisation.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Admins only.")
    async def update_organisation(
        self, info: Info, id: strawberry.ID, input: UpdateOrganisationInput
    ) -> UpdateOrganisationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrganisationSuccess:
            changes = service.OrganisationChanges(
                name=input.name,
                region=input.region,
                kind=DomainOrganisationKind(input.kind) if input.kind else None,
                membership=DomainMembershipKind(input.membership) if input.membership else None,
            )
            row = await service.update_organisation(
                uow, actor=ctx.actor, organisation_id=decode_id(id, "Organisation", "id"), changes=changes
            )
            return OrganisationSuccess(organisation=Organisation.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Admins add a user who already has an account.")
    async def add_organisation_member(
        self,
        info: Info,
        organisation_id: strawberry.ID,
        email: str,
        role: Role = Role.MEMBER,
    ) -> AddOrganisationMemberResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AddOrganisationMemberSuccess:
            row = await service.add_member(
                uow,
                actor=ctx.actor,
                organisation_id=decode_id(organisation_id, "Organisation", "organisationId"),
                email=email,
                role=DomainRole(role),
            )
            return AddOrganisationMemberSuccess(membership=Membership.from_row(row))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Operators only: mark an organisation's documents as checked.")
    async def verify_organisation(
        self, info: Info, id: strawberry.ID, verified: bool = True
    ) -> VerifyOrganisationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> OrganisationSuccess:
            row = await service.set_verified(
                uow, actor=ctx.actor, organisation_id=decode_id(id, "Organisation", "id"), verified=verified
            )
            return OrganisationSuccess(organisation=Organisation.from_row(row))

        return await ctx.run(use_case)
