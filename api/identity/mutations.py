from __future__ import annotations

from datetime import datetime, timedelta

import strawberry

from api.context import Info
from api.enums import MembershipKind, OrganisationKind
from api.errors import (
    ConflictError,
    InvalidCredentialsError,
    NotAuthenticatedError,
    RateLimitedError,
    ValidationError,
    result_union,
)
from api.organisations.types import Language, Organisation, User
from api.settings import ApiSettings
from domain.identity import recovery, service
from domain.identity.models import Language as DomainLanguage
from domain.identity.recovery import AccountLimits
from domain.identity.throttle import RateLimit
from domain.organisations.models import MembershipKind as DomainMembershipKind
from domain.organisations.models import OrganisationKind as DomainOrganisationKind
from domain.organisations.rules import OrganisationDraft
from domain.uow import UnitOfWork


@strawberry.input(description="A new organisation; its creator becomes its admin.")
class OrganisationInput:
    name: str
    legal_id: str
    region: str = strawberry.field(description="ISO 3166-2 subdivision code, e.g. RU-MOW.")
    kind: OrganisationKind
    membership: MembershipKind = MembershipKind.PARTICIPANT

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
    language: Language = strawberry.field(
        default=Language.RU, description="The language the person reads the exchange in (the web app sends its own)."
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


@strawberry.type(
    description="Taken: if the address has an account, a link is on its way (the answer is the same either way)."
)
class RequestPasswordResetSuccess:
    email: str


@strawberry.type(description="A verification link is on its way (or the address is verified already).")
class RequestEmailVerificationSuccess:
    user: User


@strawberry.type(description="The address is verified.")
class VerifyEmailSuccess:
    email_verified: bool


@strawberry.type(description="The language is saved: the web app and the user's e-mails use it from now on.")
class SetMyLanguageSuccess:
    user: User


@strawberry.type(description="The new password is set and every session of the account has ended: sign in with it.")
class ResetPasswordSuccess:
    email: str


SignUpResult = result_union("SignUpResult", AuthPayload, ValidationError, ConflictError, RateLimitedError)
SignInResult = result_union("SignInResult", AuthPayload, InvalidCredentialsError, ValidationError, RateLimitedError)
SignOutResult = result_union("SignOutResult", SignOutSuccess, NotAuthenticatedError)
RequestPasswordResetResult = result_union(
    "RequestPasswordResetResult", RequestPasswordResetSuccess, ValidationError, RateLimitedError
)
ResetPasswordResult = result_union("ResetPasswordResult", ResetPasswordSuccess, ValidationError, RateLimitedError)
RequestEmailVerificationResult = result_union(
    "RequestEmailVerificationResult", RequestEmailVerificationSuccess, NotAuthenticatedError, RateLimitedError
)
SetMyLanguageResult = result_union("SetMyLanguageResult", SetMyLanguageSuccess, NotAuthenticatedError)
VerifyEmailResult = result_union("VerifyEmailResult", VerifyEmailSuccess, ValidationError, RateLimitedError)


def account_limits(settings: ApiSettings) -> AccountLimits:
    hour = timedelta(hours=1)
    sign_in = timedelta(minutes=settings.sign_in_window_minutes)
    return AccountLimits(
        sign_in_failures_per_account=RateLimit(settings.sign_in_failures_per_account, sign_in),
        sign_in_attempts_per_address=RateLimit(settings.sign_in_attempts_per_address, sign_in),
        sign_ups_per_address=RateLimit(settings.sign_ups_per_address_per_hour, hour),
        emails_per_address=RateLimit(settings.account_emails_per_address_per_hour, hour),
        emails_per_recipient=RateLimit(settings.account_emails_per_recipient_per_hour, hour),
        links_per_address=RateLimit(settings.account_links_per_address_per_hour, hour),
        password_reset_ttl=timedelta(minutes=settings.password_reset_ttl_minutes),
        email_verification_ttl=timedelta(hours=settings.email_verification_ttl_hours),
    )


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
                throttle=ctx.throttle(),
                limits=account_limits(ctx.settings),
                address=ctx.client_address,
                language=DomainLanguage(input.language.value),
            )
            return _payload(session)

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(description="Exchange email and password for a bearer token.")
    async def sign_in(self, info: Info, email: str, password: str) -> SignInResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> AuthPayload:
            session = await service.sign_in(
                uow,
                email=email,
                password=password,
                token_ttl=ctx.settings.token_ttl,
                throttle=ctx.throttle(),
                limits=account_limits(ctx.settings),
                address=ctx.client_address,
            )
            return _payload(session)

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(
        description="Save the language you read the exchange in: the web app takes it after sign-in, and your "
        "notification e-mails are written in it."
    )
    async def set_my_language(self, info: Info, language: Language) -> SetMyLanguageResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> SetMyLanguageSuccess:
            user = await service.set_language(uow, actor=ctx.actor, language=DomainLanguage(language.value))
            return SetMyLanguageSuccess(user=User.from_row(user))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Revoke the token this request was made with.")
    async def sign_out(self, info: Info) -> SignOutResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> SignOutSuccess:
            await service.sign_out(uow, actor=ctx.actor)
            return SignOutSuccess(signed_out=True)

        return await ctx.run(use_case)

    @strawberry.mutation(
        description="E-mail a link to set a new password. The answer does not say whether the address has an account."
    )
    async def request_password_reset(self, info: Info, email: str) -> RequestPasswordResetResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> RequestPasswordResetSuccess:
            await recovery.request_password_reset(
                uow,
                email=email,
                throttle=ctx.throttle(),
                limits=account_limits(ctx.settings),
                address=ctx.client_address,
            )
            return RequestPasswordResetSuccess(email=email.strip().lower())

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(description="Set a new password with the token from the e-mailed link; ends every session.")
    async def reset_password(self, info: Info, token: str, new_password: str) -> ResetPasswordResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> ResetPasswordSuccess:
            user = await recovery.reset_password(
                uow,
                token=token,
                password=new_password,
                throttle=ctx.throttle(),
                limits=account_limits(ctx.settings),
                address=ctx.client_address,
            )
            return ResetPasswordSuccess(email=user.email)

        return await ctx.run(use_case, signed_in=False)

    @strawberry.mutation(description="E-mail the signed-in user a link that verifies the account's address.")
    async def request_email_verification(self, info: Info) -> RequestEmailVerificationResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> RequestEmailVerificationSuccess:
            user = await recovery.request_email_verification(
                uow, actor=ctx.actor, throttle=ctx.throttle(), limits=account_limits(ctx.settings)
            )
            return RequestEmailVerificationSuccess(user=User.from_row(user))

        return await ctx.run(use_case)

    @strawberry.mutation(description="Verify an address with the token from the e-mailed link (signed in or not).")
    async def verify_email(self, info: Info, token: str) -> VerifyEmailResult:  # type: ignore[valid-type]
        ctx = info.context

        async def use_case(uow: UnitOfWork) -> VerifyEmailSuccess:
            await recovery.verify_email(
                uow,
                token=token,
                throttle=ctx.throttle(),
                limits=account_limits(ctx.settings),
                address=ctx.client_address,
            )
            return VerifyEmailSuccess(email_verified=True)

        return await ctx.run(use_case, signed_in=False)
