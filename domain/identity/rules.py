"""Pure rules for accounts: what a valid email, name and password look like."""

from __future__ import annotations

import hashlib
import re

from domain.errors import ErrorCode, InvalidInput

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


def normalise_email(email: str, field: str = "email") -> str:
    email = email.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("not a valid email address", field)
    return email


def check_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"use at least {MIN_PASSWORD_LENGTH} characters", field, ErrorCode.OUT_OF_RANGE)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"use at most {MAX_PASSWORD_LENGTH} characters", field, ErrorCode.OUT_OF_RANGE)
    return password


def check_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput("must not be empty", field, ErrorCode.REQUIRED)
    if len(value) > max_length:
        raise InvalidInput(f"use at most {max_length} characters", field, ErrorCode.OUT_OF_RANGE)
    return value


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
