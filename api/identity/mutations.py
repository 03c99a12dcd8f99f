from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.enums import MembershipKind, OrganisationKind
from api.errors import (
    ConflictError,
    InvalidCredentialsError,
    NotAuthenticatedError,
    ValidationError,
    result_union,
)
from api.organisations.types import Organisation, User
from domain.identity import service
from domain.organisations.models import MembershipKind as DomainMembershipKind
from domain.organisations.models import OrganisationKind as DomainOrganisationKind
from domain.organisations.rules import OrganisationDraft
from domain.uow import UnitOfWork


@strawberry.input(description="A new organisation; its creator becomes its admin.")
class OrganisationInput:
    name: str
    legal_id: str
    region: str = strawberry.field(description="ISO 3166-2 subdivision code, e.g. RU-MOW.")
    kind: OrganisationKind  # type: ignore[valid-type]
    membership: MembershipKind = MembershipKind.PARTICIPANT  # type: ignore[valid-type]

    def to_domain(self) -> OrganisationDraft:
        return OrganisationDraft(
            name=self.name,
            legal_id=self.legal_id,
            region=self.region,
            kind=DomainOrganisationKind(self.kind),
            membership=DomainMembershipKind(self.membership),
        )


@strawberry.input
class SignUpInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    full_name: str
    organisation: OrganisationInput | None = strawberry.field(
        default=None, description="Register your company in the same step."
    )


@strawberry.type(description="A signed-in session: send the token as `Authorization: Bearer <token>`.")
class AuthPayload:
    token: str
    expires_at: datetime
    user: User
    organisation: Organisation | None = None


@strawberry.type
class SignOutSuccess:
    signed_out: bool


SignUpResult = result_union("SignUpResult", AuthPayload, ValidationError, ConflictError)
SignInResult = result_union("SignInResult", AuthPayload, InvalidCredentialsError, ValidationError)
SignOutResult = result_union("SignOutResult", SignOutSuccess, NotAuthenticatedError)


def _payload(session: service.Session) -> AuthPayload:
    return AuthPayload(
        token=session.token,
        expires_at=session.expires_at,
        user=User.from_row(session.user),
        organisation=Organisation.from_row(session.organisation) if session.organisation else None,
    )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Create an account (and optionally your organisation) and sign in.")
    async def sign_up(self, info: Info, input: SignUpInput) -> SignUpResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AuthPayload:
            session = await service.sign_up(
                uow,
                email=input.email,
                password=input.password,
                full_name=input.full_name,
                organisation=input.organisation.to_domain() if input.organisation else None,
                token_ttl=ctx.settings.token_ttl,
            )
            return _payload(session)

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(description="Exchange email and password for a bearer token.")
    async def sign_in(self, info: Info, email: str, password: str) -> SignInResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AuthPayload:
            session = await service.sign_in(uow, email=email, password=password, token_ttl=ctx.settings.token_ttl)
            return _payload(session)

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(description="Revoke the token this request was made with.")
    async def sign_out(self, info: Info) -> SignOutResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> SignOutSuccess:
            await service.sign_out(uow, actor=ctx.actor)
            return SignOutSuccess(signed_out=True)

        return await ctx.run(use_case)
