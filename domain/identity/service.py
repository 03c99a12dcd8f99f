"""Accounts and sessions: sign up, sign in, sign out, and who a bearer token belongs to."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.actor import ANONYMOUS, Actor, Role
from domain.driver import DriverSelect, Rider
from domain.errors import DomainError, ErrorCode
from domain.identity.models import AccountTokenPurpose, AuthToken, Language, User
from domain.identity.passwords import hash_password, verify_password
from domain.identity.recovery import DEFAULT_VERIFICATION_TTL, AccountLimits, issue_account_token
from domain.identity.rules import check_password, hash_token
from domain.identity.throttle import Throttle
from domain.organisations.models import Membership, Organisation
from domain.organisations.rules import OrganisationDraft
from domain.organisations.service import add_organisation
from domain.realtime import EventTopic, announce
from domain.text import check_text, normalise_email
from domain.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    token: str
    expires_at: datetime
    organisation: Organisation | None = None


def _issue_token(uow: UnitOfWork, user_id: UUID, ttl: timedelta) -> tuple[str, AuthToken]:
    token = secrets.token_urlsafe(32)
    now = uow.now()
    row = AuthToken(user_id=user_id, token_hash=hash_token(token), created_at=now, expires_at=now + ttl)
    uow.session.add(row)
    return token, row


async def sign_up(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    full_name: str,
    organisation: OrganisationDraft | None,
    token_ttl: timedelta,
    throttle: Throttle | None = None,
    limits: AccountLimits | None = None,
    address: str = "",
    language: Language = Language.ru,
) -> Session:
    """`throttle` and `limits` come with every API call; trusted callers (seeding, the CLI) leave them out.
    `language` is what the person reads the exchange in (the web app sends its own at sign-up)."""
    # Before anything costly (hashing, the organisation's checks): each attempt from an address counts.
    if throttle is not None and limits is not None:
        await throttle.hit(f"sign_up:address:{address}", limits.sign_ups_per_address)
    email = normalise_email(email)
    check_password(password)
    full_name = check_text(full_name, "fullName", max_length=200)
    draft = organisation.checked("organisation.") if organisation is not None else None
    if await uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(ErrorCode.EMAIL_TAKEN, "an account with this email exists", "email")
    user = User(
        email=email,
        full_name=full_name,
        password_hash=await hash_password(password),
        created_at=uow.now(),
        language=language,
    )
    uow.session.add(user)
    await uow.session.flush()
    created = None
    if draft is not None:
        created = await add_organisation(uow, user_id=user.id, draft=draft, field_prefix="organisation.")
    token, row = _issue_token(uow, user.id, token_ttl)
    verification_ttl = limits.email_verification_ttl if limits is not None else DEFAULT_VERIFICATION_TTL
    issue_account_token(uow, user, AccountTokenPurpose.verify_email, verification_ttl)
    try:
        await uow.commit()
    except IntegrityError:
        # Two sign-ups with one email (or legal id) at once: the unique index decides.
        raise DomainError(ErrorCode.EMAIL_TAKEN, "an account with this email exists", "email") from None
    return Session(user=user, token=token, expires_at=row.expires_at, organisation=created)


async def sign_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    token_ttl: timedelta,
    throttle: Throttle | None = None,
    limits: AccountLimits | None = None,
    address: str = "",
) -> Session:
    """Every attempt counts against the client's address; failures count against the account (known or not, so
    that the refusal says nothing about whether it exists), and past its limit even the right password waits."""
    email = email.strip().lower()
    account_key = f"sign_in:account:{email}"
    if throttle is not None and limits is not None:
        await throttle.hit(f"sign_in:address:{address}", limits.sign_in_attempts_per_address)
        await throttle.check(account_key, limits.sign_in_failures_per_account)
    user = await uow.session.scalar(select(User).where(User.email == email))
    if not await verify_password(user.password_hash if user else None, password) or user is None:
        if throttle is not None and limits is not None:
            await throttle.hit(account_key, limits.sign_in_failures_per_account)
        raise DomainError(ErrorCode.INVALID_CREDENTIALS, "wrong email or password")
    token, row = _issue_token(uow, user.id, token_ttl)
    await uow.commit()
    return Session(user=user, token=token, expires_at=row.expires_at)


async def sign_out(uow: UnitOfWork, *, actor: Actor) -> None:
    actor.require_user()
    await uow.session.execute(
        update(AuthToken)
        .where(AuthToken.id == actor.token_id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=uow.now())
    )
    # Websockets signed in with this token close at once, on every API process (api/realtime/session.py).
    announce(uow, EventTopic.session, str(actor.token_id), ended="signed_out")
    await uow.commit()


async def create_operator(uow: UnitOfWork, *, email: str, password: str, full_name: str) -> User:
    """Platform operators are made from the command line, never through the public API. A new one's e-mail counts as
    verified: whoever runs the command on the server vouches for it (a promoted user keeps its own state)."""
    email = normalise_email(email)
    check_password(password)
    user = await uow.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            full_name=check_text(full_name, "fullName", max_length=200),
            password_hash=await hash_password(password),
            created_at=uow.now(),
            email_verified_at=uow.now(),
        )
        uow.session.add(user)
    user.is_operator = True
    await uow.commit()
    return user


# Built once and run on the driver (domain/driver.py): every signed-in request checks its token with it, and building
# and executing the select through SQLAlchemy cost several times what PostgreSQL spends on it. One row or none (the
# memberships aggregated), so that it can also ride in front of a request's first read (domain/driver.py Rider).
_MEMBERSHIPS = (
    select(
        func.array_agg(Membership.organisation_id).label("organisations"),
        func.array_agg(Membership.role).label("roles"),
    )
    .where(Membership.user_id == User.id)
    .lateral("memberships")
)
_TOKEN_ACTOR = DriverSelect(
    select(
        AuthToken.id,
        User.id,
        User.is_operator,
        AuthToken.expires_at,
        _MEMBERSHIPS.c.organisations,
        _MEMBERSHIPS.c.roles,
    )
    .join(User, User.id == AuthToken.user_id)
    .join(_MEMBERSHIPS, true())
    .where(
        AuthToken.token_hash == bindparam("token_hash"),
        AuthToken.revoked_at.is_(None),
        AuthToken.expires_at > bindparam("now"),
    )
)


async def authenticate(session: AsyncSession, *, token: str | None, now: datetime) -> Actor:
    """Resolve a bearer token to an actor in one SQL statement; unknown/expired/revoked -> anonymous."""
    if not token or len(token) > 200:
        return ANONYMOUS
    # On the session's connection (its transaction, or autocommit).
    return await authenticate_on(await session.connection(), token=token, now=now)


async def authenticate_on(connection: AsyncConnection, *, token: str | None, now: datetime) -> Actor:
    """`authenticate` on a connection without a session: one prepared statement on its driver connection."""
    if not token or len(token) > 200:
        return ANONYMOUS
    return await actor_by_token_hash(connection, token_hash=hash_token(token), now=now)


async def actor_by_token_hash(connection: AsyncConnection, *, token_hash: bytes, now: datetime) -> Actor:
    rows = await _TOKEN_ACTOR.fetch(connection, token_check_params(token_hash, now))
    return actor_of_token_check(rows)


def token_check_params(token_hash: bytes, now: datetime) -> dict[str, Any]:
    return {"token_hash": token_hash, "now": now}


def token_check_rider(
    token_hash: bytes,
    now: datetime,
    settle: Callable[[Sequence[Any]], None],
    failed: Callable[[Exception], BaseException],
) -> Rider:
    """The token check riding with a connection's next read (domain/driver.py Rider): `settle` gets its rows
    (`actor_of_token_check` makes the actor of them)."""
    return Rider(_TOKEN_ACTOR, token_check_params(token_hash, now), settle, failed)


def actor_of_token_check(rows: Sequence[Any]) -> Actor:
    """The actor the token check's rows (one or none) say."""
    if not rows:
        return ANONYMOUS
    token_id, user_id, is_operator, expires_at, organisations, roles = rows[0]
    memberships: dict[UUID, Role] = (
        {organisation: Role(role) for organisation, role in zip(organisations, roles, strict=True)}
        if organisations
        else {}
    )
    return Actor(
        user_id=user_id,
        is_operator=is_operator,
        memberships=memberships,
        token_id=token_id,
        token_expires_at=expires_at,
    )


async def set_language(uow: UnitOfWork, *, actor: Actor, language: Language) -> User:
    """The signed-in user's language: the web app's after sign-in, and the one their e-mails are written in."""
    user_id = actor.require_user()
    user = await uow.session.get(User, user_id)
    if user is None:  # the token outlived its user: as good as signed out
        raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
    user.language = language
    await uow.commit()
    return user
