"""Pure rules for accounts: what a valid password looks like, and how a bearer token is stored (hashed).

Emails and free text are checked by domain/text.py, shared by every area."""

from __future__ import annotations

import hashlib

from domain.errors import ErrorCode, InvalidInput, Limits, LimitUnit

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
PASSWORD_LIMITS = Limits(LimitUnit.CHARACTERS, min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)


def check_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"use at least {MIN_PASSWORD_LENGTH} characters", field, ErrorCode.OUT_OF_RANGE, limits=PASSWORD_LIMITS
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"use at most {MAX_PASSWORD_LENGTH} characters", field, ErrorCode.OUT_OF_RANGE, limits=PASSWORD_LIMITS
        )
    return password


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
