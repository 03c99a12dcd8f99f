"""Pure rules for manufacturer profiles, certifications and capacity, and whether a shop fits an order."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.errors import DateLimits, ErrorCode, InvalidInput, Limits, LimitUnit
from domain.money import Money, below_least
from domain.text import check_text
from domain.vocabulary import CertificationStandard, Process

MAX_LIST = 50
MM = LimitUnit.MILLIMETRES


def check_processes(values: Iterable[str], field: str = "processes") -> list[str]:
    result = []
    for value in values:
        try:
            result.append(Process(value).value)
        except ValueError:
            raise InvalidInput(f"unknown process {value!r}", field) from None
    if len(result) > MAX_LIST:
        raise InvalidInput(
            f"at most {MAX_LIST} entries", field, ErrorCode.OUT_OF_RANGE, limits=Limits(LimitUnit.ENTRIES, max=MAX_LIST)
        )
    return sorted(set(result))


def check_certifications(values: Iterable[str], field: str) -> list[str]:
    result = []
    for value in values:
        try:
            result.append(CertificationStandard(value).value)
        except ValueError:
            raise InvalidInput(f"unknown certification standard {value!r}", field) from None
    return sorted(set(result))


def check_materials(values: Iterable[str], field: str = "materials") -> list[str]:
    """Materials are free text (grades are endless), trimmed and de-duplicated case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        value = check_text(value, field, max_length=64)
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise InvalidInput("control characters are not allowed", field)
        seen.setdefault(value.lower(), value.lower())
    if len(seen) > MAX_LIST:
        raise InvalidInput(
            f"at most {MAX_LIST} entries", field, ErrorCode.OUT_OF_RANGE, limits=Limits(LimitUnit.ENTRIES, max=MAX_LIST)
        )
    return sorted(seen.values())


def check_positive(
    value: int | None, field: str, *, upper: int = 10**9, unit: LimitUnit = LimitUnit.NUMBER
) -> int | None:
    if value is None:
        return None
    if not 1 <= value <= upper:
        raise InvalidInput(
            f"must be between 1 and {upper}", field, ErrorCode.OUT_OF_RANGE, limits=Limits(unit, min=1, max=upper)
        )
    return value


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    processes: Sequence[str]
    materials: Sequence[str] = ()
    max_part_x_mm: int | None = None
    max_part_y_mm: int | None = None
    max_part_z_mm: int | None = None
    min_quantity: int = 1
    max_quantity: int | None = None
    description: str = ""

    def checked(self) -> ProfileDraft:
        processes = check_processes(self.processes)
        if not processes:
            raise InvalidInput("list at least one process", "processes", ErrorCode.REQUIRED)
        min_quantity = check_positive(self.min_quantity, "minQuantity", unit=LimitUnit.PIECES) or 1
        max_quantity = check_positive(self.max_quantity, "maxQuantity", unit=LimitUnit.PIECES)
        if max_quantity is not None and max_quantity < min_quantity:
            raise InvalidInput(
                "must not be below minQuantity",
                "maxQuantity",
                ErrorCode.OUT_OF_RANGE,
                limits=Limits(LimitUnit.PIECES, min=min_quantity, max=10**9),
            )
        return ProfileDraft(
            processes=processes,
            materials=check_materials(self.materials),
            max_part_x_mm=check_positive(self.max_part_x_mm, "maxPartXMm", upper=100_000, unit=MM),
            max_part_y_mm=check_positive(self.max_part_y_mm, "maxPartYMm", upper=100_000, unit=MM),
            max_part_z_mm=check_positive(self.max_part_z_mm, "maxPartZMm", upper=100_000, unit=MM),
            min_quantity=min_quantity,
            max_quantity=max_quantity,
            description=check_text(self.description, "description", max_length=5000, required=False),
        )


def check_capacity(
    *,
    process: str,
    machine_hours_per_week: int,
    available_from: date,
    available_to: date,
    hourly_rate: Money,
    today: date,
) -> None:
    check_processes([process], "process")
    if hourly_rate.minor_units <= 0:  # a listing at no price would rank first and mean nothing
        raise below_least(hourly_rate.currency, "hourlyRate.amount", positive=True)
    if not 1 <= machine_hours_per_week <= 168 * 1000:
        raise InvalidInput(
            "must be between 1 and 168000",
            "machineHoursPerWeek",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.HOURS, min=1, max=168 * 1000),
        )
    if available_to < available_from:
        raise InvalidInput(
            "must not be before availableFrom",
            "availableTo",
            ErrorCode.OUT_OF_RANGE,
            date_limits=DateLimits(earliest=available_from),
        )
    if available_to < today:
        raise InvalidInput("the period is already over", "availableTo", ErrorCode.DEADLINE_IN_PAST)


@dataclass(frozen=True, slots=True)
class Capability:
    """What the fit check needs to know about a manufacturer."""

    processes: Sequence[str]
    min_quantity: int
    max_quantity: int | None
    # standard -> valid until
    certifications: dict[str, date]


@dataclass(frozen=True, slots=True)
class Requirement:
    """What the fit check needs to know about an order."""

    process: str
    quantity: int
    required_certifications: Sequence[str]
    need_by: date


def fit_problems(capability: Capability | None, requirement: Requirement) -> list[str]:
    """Why this manufacturer cannot take this order; empty when it fits."""
    if capability is None:
        return ["the organisation has no manufacturer profile yet"]
    problems = []
    if requirement.process not in capability.processes:
        problems.append(f"the profile does not list the process {requirement.process}")
    if requirement.quantity < capability.min_quantity:
        problems.append(f"quantity {requirement.quantity} is below the profile minimum {capability.min_quantity}")
    if capability.max_quantity is not None and requirement.quantity > capability.max_quantity:
        problems.append(f"quantity {requirement.quantity} is above the profile maximum {capability.max_quantity}")
    for standard in requirement.required_certifications:
        valid_until = capability.certifications.get(standard)
        if valid_until is None:
            problems.append(f"certification {standard} is required")
        elif valid_until < requirement.need_by:
            problems.append(f"certification {standard} expires before the need-by date")
    return problems
