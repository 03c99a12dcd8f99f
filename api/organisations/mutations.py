from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.enums import MembershipKind, OrganisationKind, Role
from api.errors import ACTION_ERRORS, ConflictError, result_union
from api.identity.mutations import OrganisationInput
from api.organisations.types import LegalDetails, Membership, Organisation, SignatoryBasis
from api.relay import decode_id
from domain.actor import Role as DomainRole
from domain.organisations import legal_service, service
from domain.organisations.legal_rules import LegalDetailsDraft
from domain.organisations.legal_rules import SignatoryBasis as DomainSignatoryBasis
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
    legal_id: str | None = strawberry.field(
        default=None,
        description="A corrected registration number, checked for the region's country (`legalIdKind`); another "
        "number takes the operator's verification back. Once legal details are stated it changes with their ИНН.",
    )


@strawberry.input(
    description="An organisation's legal details (реквизиты) for the contract documents. The ИНН decides the rest: "
    "10 digits (a legal entity) want a КПП and a 13-digit ОГРН; 12 digits (a sole proprietor) no КПП and a 15-digit "
    "ОГРНИП. Spaces in numbers are ignored."
)
class LegalDetailsInput:
    inn: str
    kpp: str | None = None
    ogrn: str
    legal_address: str
    postal_address: str | None = strawberry.field(default=None, description="Omit when the same as the legal one.")
    signatory_name: str
    signatory_position: str
    signatory_basis: SignatoryBasis
    power_of_attorney_number: str | None = strawberry.field(default=None, description="With POWER_OF_ATTORNEY.")
    power_of_attorney_date: date | None = strawberry.field(default=None, description="With POWER_OF_ATTORNEY.")
    bank_name: str
    bik: str
    settlement_account: str
    correspondent_account: str

    def to_domain(self) -> LegalDetailsDraft:
        return LegalDetailsDraft(
            inn=self.inn,
            kpp=self.kpp,
            ogrn=self.ogrn,
            legal_address=self.legal_address,
            postal_address=self.postal_address,
            signatory_name=self.signatory_name,
            signatory_position=self.signatory_position,
            signatory_basis=DomainSignatoryBasis(self.signatory_basis),
            power_of_attorney_number=self.power_of_attorney_number,
            power_of_attorney_date=self.power_of_attorney_date,
            bank_name=self.bank_name,
            bik=self.bik,
            settlement_account=self.settlement_account,
            correspondent_account=self.correspondent_account,
        )


@strawberry.type
class LegalDetailsSuccess:
    legal_details: LegalDetails
    organisation: Organisation


SetLegalDetailsResult = result_union("SetLegalDetailsResult", LegalDetailsSuccess, *ACTION_ERRORS, ConflictError)
CheckLegalDetailsResult = result_union("CheckLegalDetailsResult", LegalDetailsSuccess, *ACTION_ERRORS)
CreateOrganisationResult = result_union("CreateOrganisationResult", OrganisationSuccess, *ACTION_ERRORS, ConflictError)
UpdateOrganisationResult = result_union("UpdateOrganisationResult", OrganisationSuccess, *ACTION_ERRORS, ConflictError)
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
                legal_id=input.legal_id,
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

    @strawberry.mutation(
        description="Admins: state the organisation's legal details (реквизиты), which the contract documents print "
        "and wait for. Every number is checked (check digits, the accounts against the БИК); the ИНН becomes the "
        "legal id. Changed details wait for an operator's check again; unchanged ones change nothing."
    )
    async def set_legal_details(self, info: Info, id: strawberry.ID, input: LegalDetailsInput) -> SetLegalDetailsResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> LegalDetailsSuccess:
            organisation_id = decode_id(id, "Organisation", "id")
            saved = await legal_service.set_legal_details(
                uow, actor=ctx.actor, organisation_id=organisation_id, draft=input.to_domain()
            )
            return LegalDetailsSuccess(
                legal_details=LegalDetails.from_row(saved.details),
                organisation=Organisation.from_row(saved.organisation),
            )

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="Operators: the legal details match the state register and the bank (`checked: false` "
        "withdraws that)."
    )
    async def check_legal_details(self, info: Info, id: strawberry.ID, checked: bool = True) -> CheckLegalDetailsResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> LegalDetailsSuccess:
            organisation_id = decode_id(id, "Organisation", "id")
            saved = await legal_service.check_legal_details(
                uow, actor=ctx.actor, organisation_id=organisation_id, checked=checked
            )
            return LegalDetailsSuccess(
                legal_details=LegalDetails.from_row(saved.details),
                organisation=Organisation.from_row(saved.organisation),
            )

        return await ctx.run(use_case)
