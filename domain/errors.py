"""The one exception type the domain raises for a refused action, and the codes it carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ErrorCode(StrEnum):
    # input
    INVALID = "invalid"
    REQUIRED = "required"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_CURRENCY = "unknown_currency"
    CURRENCY_MISMATCH = "currency_mismatch"
    DEADLINE_IN_PAST = "deadline_in_past"
    # A region code ISO 3166-2 withdrew (domain/organisations/regions.py); `replaced_by` names the current one.
    REGION_WITHDRAWN = "region_withdrawn"
    # identity
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    EMAIL_TAKEN = "email_taken"
    RATE_LIMITED = "rate_limited"
    TOKEN_INVALID = "token_invalid"
    # access
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    # state
    ALREADY_EXISTS = "already_exists"
    ORDER_NOT_EDITABLE = "order_not_editable"
    ORDER_NOT_OPEN = "order_not_open"
    BIDDING_CLOSED = "bidding_closed"
    BID_NOT_ACTIVE = "bid_not_active"
    BID_EXPIRED = "bid_expired"
    DUPLICATE_BID = "duplicate_bid"
    CAPABILITY_MISMATCH = "capability_mismatch"
    NOT_A_MANUFACTURER = "not_a_manufacturer"
    NOT_A_BUYER = "not_a_buyer"
    OWN_ORDER = "own_order"
    NOT_INVITED = "not_invited"
    INVALID_TRANSITION = "invalid_transition"
    PAYMENT_FAILED = "payment_failed"
    CAPACITY_EXCEEDED = "capacity_exceeded"
    SPLIT_NOT_ALLOWED = "split_not_allowed"
    CONTRACT_NOT_COMPLETED = "contract_not_completed"
    REVIEW_PERIOD_OVER = "review_period_over"
    PAYMENTS_FROZEN = "payments_frozen"
    # The first article was approved: another is not submitted (contracts/process.py, a passed review).
    FIRST_ARTICLE_APPROVED = "first_article_approved"
    # files
    UNSUPPORTED_FILE = "unsupported_file"
    FILE_TOO_LARGE = "file_too_large"
    FILE_LIMIT_REACHED = "file_limit_reached"
    NDA_REQUIRED = "nda_required"
    NDA_VERSION_MISMATCH = "nda_version_mismatch"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    UPLOAD_MISMATCH = "upload_mismatch"


class LimitUnit(StrEnum):
    """What a limit's figures count, so that a client can word them ("1 000 000 шт.", "50 МБ")."""

    PIECES = "pieces"  # units of a part
    CHARACTERS = "characters"
    BYTES = "bytes"
    FILES = "files"
    ENTRIES = "entries"  # values in a list (processes, invitations, ids)
    DAYS = "days"
    HOURS = "hours"
    SECONDS = "seconds"
    MILLIMETRES = "millimetres"
    TRIANGLES = "triangles"
    MONEY = "money"  # in major units of `currency`
    NUMBER = "number"  # a plain number (a rating, a weight)


@dataclass(frozen=True, slots=True)
class Limits:
    """The range a refused number had to be in: both ends inclusive, either may be open (None)."""

    unit: LimitUnit
    min: Decimal | int | None = None
    max: Decimal | int | None = None
    currency: str | None = None  # for LimitUnit.MONEY


@dataclass(frozen=True, slots=True)
class DateLimits:
    """The dates a refused date had to fall between, both inclusive, either may be open (None)."""

    earliest: date | None = None
    latest: date | None = None


class DomainError(Exception):
    """A refused action: the caller did something the rules do not allow. Nothing was changed.

    Where the refusal has figures a person needs to put it right, they travel typed: `limits` (the allowed
    range of a number, a length, a size or a count), `date_limits` (of a date), `allowed` (the file formats
    accepted), `replaced_by` (the code that replaced a withdrawn one). The English `message` says the same for
    developers."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        *,
        limits: Limits | None = None,
        date_limits: DateLimits | None = None,
        allowed: Sequence[str] | None = None,
        replaced_by: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.limits = limits
        self.date_limits = date_limits
        self.allowed = tuple(allowed) if allowed is not None else None
        self.replaced_by = replaced_by

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.message!r}, field={self.field!r})"


class NotFound(DomainError):
    """Unknown IDs and things the actor may not see look the same: we never confirm they exist."""

    def __init__(self, what: str, field: str | None = None) -> None:
        super().__init__(ErrorCode.NOT_FOUND, f"{what} not found", field)


class Forbidden(DomainError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(ErrorCode.FORBIDDEN, message, field)


class InvalidInput(DomainError):
    def __init__(
        self,
        message: str,
        field: str | None,
        code: ErrorCode = ErrorCode.INVALID,
        *,
        limits: Limits | None = None,
        date_limits: DateLimits | None = None,
        allowed: Sequence[str] | None = None,
        replaced_by: str | None = None,
    ) -> None:
        super().__init__(
            code, message, field, limits=limits, date_limits=date_limits, allowed=allowed, replaced_by=replaced_by
        )
