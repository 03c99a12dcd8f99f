"""DomainError -> typed GraphQL error objects, in one place.

Every mutation returns `<Verb>Success | <errors>`; each error type implements `UserError`, so an SPA can
select `... on UserError { code message field }` once and branch on `__typename` where it cares.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Union

import strawberry

from api.enums import value_enum
from api.files.refusals import ArchiveKind, FileFormat, FileRejectionReason
from api.observability.outcome import note_user_error
from domain.errors import DateLimits, DomainError, Limits
from domain.errors import ErrorCode as DomainErrorCode
from domain.errors import LimitUnit as DomainLimitUnit
from domain.files.refusals import FileRejected, FileRejection

ErrorCode = value_enum(
    "ErrorCode", {code.name: code.value for code in DomainErrorCode}, description="Why an action was refused."
)


@strawberry.interface(description="An action was refused; nothing was changed.")
class UserError:
    message: str
    code: ErrorCode  # type: ignore[valid-type]
    field: str | None = strawberry.field(description="The input field at fault, in the API's spelling.")


def _error_type(name: str, description: str) -> Any:
    """A UserError type made at run time: Any to the type checker, so that other modules may annotate with it."""
    cls = type(name, (UserError,), {"__annotations__": {}})
    return strawberry.type(cls, name=name, description=description)


LimitUnit = value_enum(
    "LimitUnit",
    {unit.name: unit.value for unit in DomainLimitUnit},
    description="What a limit's figures count. MONEY: major units of the limit's currency; BYTES: bytes (a client "
    "words them as KB, MB).",
)


@strawberry.type(
    name="Limits",
    description="The range a refused number had to be in (a quantity, an amount, a length in characters, a file's "
    "size, a count of files). Both ends inclusive; either may be null (no bound that way).",
)
class LimitsType:
    unit: LimitUnit  # type: ignore[valid-type]
    min: Decimal | None = strawberry.field(description="The least allowed, or null.")
    max: Decimal | None = strawberry.field(description="The most allowed, or null.")
    currency: str | None = strawberry.field(description="ISO 4217 code when the unit is MONEY; else null.")

    @classmethod
    def of(cls, limits: Limits | None) -> LimitsType | None:
        if limits is None:
            return None
        return cls(unit=limits.unit.value, min=_plain(limits.min), max=_plain(limits.max), currency=limits.currency)


def _plain(value: Decimal | int | None) -> Decimal | None:
    """Written out in full ("10000000000000.00", never "1.0E+13"): the Decimal scalar sends str(value)."""
    return None if value is None else Decimal(format(Decimal(value), "f"))


@strawberry.type(
    name="DateLimits", description="The dates a refused date had to fall between, both inclusive; either may be null."
)
class DateLimitsType:
    earliest: date | None
    latest: date | None

    @classmethod
    def of(cls, limits: DateLimits | None) -> DateLimitsType | None:
        return None if limits is None else cls(earliest=limits.earliest, latest=limits.latest)


@strawberry.type(name="ValidationError", description="The input is not acceptable as given.")
class _ValidationError(UserError):
    limits: LimitsType | None = strawberry.field(
        default=None, description="OUT_OF_RANGE of a number, an amount or a text's length: the allowed range."
    )
    date_limits: DateLimitsType | None = strawberry.field(
        default=None, description="OUT_OF_RANGE of a date: the dates allowed."
    )
    replaced_by: str | None = strawberry.field(
        default=None,
        description="REGION_WITHDRAWN: the ISO 3166-2 code that replaced the withdrawn one given (KZ-ALA: KZ-75). "
        "Nothing was changed; send that one.",
    )


@strawberry.type(
    name="FileRejectedError",
    description="The file was not accepted; `reason` says why (empty, an archive, cut short, of no accepted type, "
    "too large, over the order's limits, not what the upload announced) and the fields after it carry the figures "
    "for that reason. Nothing was stored.",
)
class _FileRejectedError(UserError):
    reason: FileRejectionReason = strawberry.field(
        description="Why the file was refused: a client words this, with the figures below."
    )
    limits: LimitsType | None = strawberry.field(
        default=None,
        description="TOO_LARGE: the largest file accepted (BYTES). ORDER_FILE_COUNT: the most files an order holds "
        "(FILES). ORDER_SIZE: the most bytes an order's files take in all (BYTES).",
    )
    allowed_formats: list[str] | None = strawberry.field(
        default=None,
        description="EMPTY, ARCHIVE, TRUNCATED, UNKNOWN_CONTENT, WRONG_EXTENSION: the formats accepted here, "
        'lower-case names as in file extensions ("step", "pdf"; "sig", "p7s" for a signature).',
    )
    detected_format: FileFormat | None = strawberry.field(
        default=None, description="TRUNCATED: the format the file starts as."
    )
    archive_kind: ArchiveKind | None = strawberry.field(
        default=None, description="ARCHIVE: which kind of archive it is."
    )


# Any to the type checker, like the types _error_type makes: other modules annotate with them and read their
# Strawberry definition.
ValidationError: Any = _ValidationError
FileRejectedError: Any = _FileRejectedError
NotAuthenticatedError = _error_type("NotAuthenticatedError", "Sign in first.")
InvalidCredentialsError = _error_type("InvalidCredentialsError", "Wrong email or password.")
PermissionDeniedError = _error_type("PermissionDeniedError", "You may not do this.")
NotFoundError = _error_type("NotFoundError", "No such thing, or not one you may see.")
ConflictError = _error_type("ConflictError", "It exists already.")
InvalidStateError = _error_type("InvalidStateError", "Not possible in the thing's current state.")
NotEligibleError = _error_type("NotEligibleError", "Your organisation does not qualify for this.")
NdaRequiredError = _error_type(
    "NdaRequiredError", "Accept the order's current NDA first (the order's `nda` field has its text and version)."
)
StorageUnavailableError = _error_type(
    "StorageUnavailableError", "The file storage cannot be reached just now; nothing was recorded. Try again."
)


@strawberry.type(description="Too many attempts from here or at this account: wait, then try again.")
class RateLimitedError(UserError):
    retry_after_seconds: int = strawberry.field(description="Seconds to wait (also the HTTP Retry-After header).")


C = DomainErrorCode
ERROR_TYPES: dict[DomainErrorCode, type] = {
    C.INVALID: ValidationError,
    C.REGION_WITHDRAWN: ValidationError,
    C.REQUIRED: ValidationError,
    C.OUT_OF_RANGE: ValidationError,
    C.UNKNOWN_CURRENCY: ValidationError,
    C.CURRENCY_MISMATCH: ValidationError,
    C.DEADLINE_IN_PAST: ValidationError,
    C.UNAUTHENTICATED: NotAuthenticatedError,
    C.INVALID_CREDENTIALS: InvalidCredentialsError,
    C.RATE_LIMITED: RateLimitedError,
    C.TOKEN_INVALID: ValidationError,
    C.NOT_FOUND: NotFoundError,
    C.FORBIDDEN: PermissionDeniedError,
    C.ALREADY_EXISTS: ConflictError,
    C.EMAIL_TAKEN: ConflictError,
    C.DUPLICATE_BID: ConflictError,
    C.ORDER_NOT_EDITABLE: InvalidStateError,
    C.ORDER_NOT_OPEN: InvalidStateError,
    C.BIDDING_CLOSED: InvalidStateError,
    C.BID_NOT_ACTIVE: InvalidStateError,
    C.BID_EXPIRED: InvalidStateError,
    C.CAPABILITY_MISMATCH: NotEligibleError,
    C.NOT_A_MANUFACTURER: NotEligibleError,
    C.NOT_A_BUYER: NotEligibleError,
    C.OWN_ORDER: NotEligibleError,
    C.NOT_INVITED: NotEligibleError,
    C.INVALID_TRANSITION: InvalidStateError,
    C.PAYMENT_FAILED: InvalidStateError,
    C.PAYMENTS_FROZEN: InvalidStateError,
    C.FIRST_ARTICLE_APPROVED: InvalidStateError,
    C.CAPACITY_EXCEEDED: InvalidStateError,
    C.SPLIT_NOT_ALLOWED: ValidationError,
    C.CONTRACT_NOT_COMPLETED: InvalidStateError,
    C.REVIEW_PERIOD_OVER: InvalidStateError,
    C.UNSUPPORTED_FILE: FileRejectedError,
    C.FILE_TOO_LARGE: FileRejectedError,
    C.FILE_LIMIT_REACHED: FileRejectedError,
    C.UPLOAD_MISMATCH: FileRejectedError,
    C.NDA_REQUIRED: NdaRequiredError,
    C.NDA_VERSION_MISMATCH: InvalidStateError,
    C.STORAGE_UNAVAILABLE: StorageUnavailableError,
}

# The errors any signed-in action can meet.
ACTION_ERRORS = (ValidationError, NotAuthenticatedError, PermissionDeniedError, NotFoundError)


def result_union(name: str, success: type, *errors: type) -> Any:
    members = tuple(dict.fromkeys((success, *errors)))
    return Annotated[Union[members], strawberry.union(name)]  # noqa: UP007


def to_user_error(error: DomainError) -> Any:
    note_user_error()  # the operation's outcome in /metrics: user_error
    error_type = ERROR_TYPES[error.code]
    if error_type is RateLimitedError:
        retry_after = int(getattr(error, "retry_after", 1))
        return RateLimitedError(
            message=error.message, code=error.code.value, field=error.field, retry_after_seconds=retry_after
        )
    if error_type is ValidationError:
        return ValidationError(
            message=error.message,
            code=error.code.value,
            field=error.field,
            limits=LimitsType.of(error.limits),
            date_limits=DateLimitsType.of(error.date_limits),
            replaced_by=error.replaced_by,
        )
    if error_type is FileRejectedError:
        return _file_rejected(error)
    return error_type(message=error.message, code=error.code.value, field=error.field)


# A file refusal raised as a plain DomainError (not FileRejected) still says a reason: the one its code implies.
_REASON_BY_CODE = {
    C.UNSUPPORTED_FILE: FileRejection.unknown_content,
    C.FILE_TOO_LARGE: FileRejection.too_large,
    C.FILE_LIMIT_REACHED: FileRejection.order_file_count,
    C.UPLOAD_MISMATCH: FileRejection.size_mismatch,
}


def _file_rejected(error: DomainError) -> Any:
    rejected = error if isinstance(error, FileRejected) else None
    return FileRejectedError(
        message=error.message,
        code=error.code.value,
        field=error.field,
        reason=(rejected.reason if rejected else _REASON_BY_CODE[error.code]).value,
        limits=LimitsType.of(error.limits),
        allowed_formats=list(error.allowed) if error.allowed is not None else None,
        detected_format=rejected.detected_format if rejected else None,
        archive_kind=rejected.archive_kind.value if rejected and rejected.archive_kind else None,
    )
