"""E-mail verification and password reset: single-use, expiring tokens e-mailed through the outbox.

No answer tells whether an address has an account: asking for a reset answers the same for any well-formed
address (and counts against the same limits), and the e-mail itself is sent by the worker, so the time of the
answer does not depend on a mail server either.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode
from domain.identity.models import AccountToken, AccountTokenPurpose, AuthToken, User
from domain.identity.passwords import hash_password
from domain.identity.rules import check_password, hash_token
from domain.identity.throttle import RateLimit, Throttle
from domain.outbox import emit
from domain.realtime import EventTopic, announce
from domain.text import normalise_email
from domain.uow import UnitOfWork

ACCOUNT_EMAIL_TOPIC = "account_email"
# For callers without settings (seeding, the CLI); the API passes EXCHANGE_EMAIL_VERIFICATION_TTL_HOURS.
DEFAULT_VERIFICATION_TTL = timedelta(hours=72)
INVALID_LINK = "this link is not valid: it was used already, has expired or was mistyped; ask for a new one"


@dataclass(frozen=True, slots=True)
class AccountLimits:
    """The throttles of the unauthenticated account actions (exchange/settings.py gives the figures)."""

    sign_in_failures_per_account: RateLimit
    sign_in_attempts_per_address: RateLimit
    sign_ups_per_address: RateLimit
    emails_per_address: RateLimit
    emails_per_recipient: RateLimit
    links_per_address: RateLimit
    password_reset_ttl: timedelta
    email_verification_ttl: timedelta


def issue_account_token(uow: UnitOfWork, user: User, purpose: AccountTokenPurpose, ttl: timedelta) -> AccountToken:
    """A new token for `user`, e-mailed by the worker (outbox topic account_email) to the user's address."""
    token = secrets.token_urlsafe(32)
    now = uow.now()
    row = AccountToken(
        user_id=user.id,
        purpose=purpose,
        token_hash=hash_token(token),
        email=user.email,
        pending_secret=token,
        created_at=now,
        expires_at=now + ttl,
    )
    uow.session.add(row)
    emit(uow, ACCOUNT_EMAIL_TOPIC, row.id)
    return row


async def request_password_reset(
    uow: UnitOfWork, *, email: str, throttle: Throttle, limits: AccountLimits, address: str
) -> None:
    """E-mail a reset link if `email` has an account; the same answer either way."""
    email = normalise_email(email)
    await throttle.hit(f"account_email:address:{address}", limits.emails_per_address)
    await throttle.hit(f"account_email:recipient:{email}", limits.emails_per_recipient)
    user = await uow.session.scalar(select(User).where(User.email == email))
    if user is not None:
        issue_account_token(uow, user, AccountTokenPurpose.reset_password, limits.password_reset_ttl)
    await uow.commit()


async def request_email_verification(
    uow: UnitOfWork, *, actor: Actor, throttle: Throttle, limits: AccountLimits
) -> User:
    """E-mail the signed-in user a verification link (nothing when the address is verified already)."""
    user_id = actor.require_user()
    user = await uow.session.get_one(User, user_id)
    if user.email_verified_at is None:
        await throttle.hit(f"account_email:recipient:{user.email}", limits.emails_per_recipient)
        issue_account_token(uow, user, AccountTokenPurpose.verify_email, limits.email_verification_ttl)
        await uow.commit()
    return user


async def _redeem(uow: UnitOfWork, token: str, purpose: AccountTokenPurpose) -> tuple[AccountToken, User]:
    row = await uow.session.scalar(
        select(AccountToken)
        .where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
        .with_for_update()
    )
    if row is None or row.used_at is not None or row.expires_at <= uow.now():
        raise DomainError(ErrorCode.TOKEN_INVALID, INVALID_LINK, "token")
    user = await uow.session.get_one(User, row.user_id, with_for_update=True)
    if user.email != row.email:  # sent to an address the account no longer has
        raise DomainError(ErrorCode.TOKEN_INVALID, INVALID_LINK, "token")
    row.used_at = uow.now()
    return row, user


async def verify_email(uow: UnitOfWork, *, token: str, throttle: Throttle, limits: AccountLimits, address: str) -> User:
    await throttle.hit(f"account_link:address:{address}", limits.links_per_address)
    _, user = await _redeem(uow, token, AccountTokenPurpose.verify_email)
    user.email_verified_at = user.email_verified_at or uow.now()
    await uow.commit()
    return user


async def reset_password(
    uow: UnitOfWork, *, token: str, password: str, throttle: Throttle, limits: AccountLimits, address: str
) -> User:
    """Set a new password with an e-mailed token: every session of the account ends (a thief's too), the other
    reset links die, and the address counts as verified (the link reached it)."""
    await throttle.hit(f"account_link:address:{address}", limits.links_per_address)
    _, user = await _redeem(uow, token, AccountTokenPurpose.reset_password)
    check_password(password)
    now = uow.now()
    user.password_hash = await hash_password(password)
    user.email_verified_at = user.email_verified_at or now
    await uow.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == AccountTokenPurpose.reset_password,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now, pending_secret=None)
    )
    revoked = await uow.session.scalars(
        update(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(AuthToken.id)
    )
    for token_id in revoked.all():
        # Open websockets signed in with these tokens close at once (api/realtime/session.py).
        announce(uow, EventTopic.session, str(token_id), ended="password_reset")
    await uow.commit()
    return user
