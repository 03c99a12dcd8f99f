"""VAT rates as data (rates change by law) and the tax statuses an organisation may declare."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, Index, Numeric, String
from sqlmodel import Field, SQLModel

from domain.columns import enum_type


class VatTreatment(StrEnum):
    """How a price carries VAT. The member names are what the documents and the API speak."""

    VAT = "vat"  # VAT at the general rate, included in the price
    REDUCED = "reduced"  # a reduced rate (the simplified system's 5 % or 7 %), included in the price
    SIMPLIFIED_NO_VAT = "simplified_no_vat"  # «без НДС»: simplified system under the threshold
    EXEMPT = "exempt"  # «без НДС»: exempt on another ground
    NOT_STATED = "not_stated"  # the seller has not declared its tax status: no VAT is shown as charged


class RateKind(StrEnum):
    """Which rate of the tax code: the law sets a percentage for each, for a period."""

    general = "general"  # art. 164 p. 3 of the Tax Code: 20 % until 2025, 22 % from 2026 (law 425-FZ)
    reduced = "reduced"  # art. 164 p. 2: 10 % (food, children's goods, medicines…)
    simplified_5 = "simplified_5"  # art. 164 p. 8: simplified-system payers above the exemption threshold
    simplified_7 = "simplified_7"  # art. 164 p. 9: the same, at the higher revenue band
    zero = "zero"  # art. 164 p. 1: exports and the like


class TaxStatus(StrEnum):
    """How an organisation is taxed, as it declares on its profile; an operator checks the declaration."""

    not_stated = "not_stated"
    vat_general = "vat_general"  # on the general system, charges VAT at the general rate
    simplified_no_vat = "simplified_no_vat"  # simplified system, under the threshold: exempt (art. 145)
    simplified_vat_5 = "simplified_vat_5"  # simplified system, charges the reduced 5 %
    simplified_vat_7 = "simplified_vat_7"  # simplified system, charges the reduced 7 %
    exempt = "exempt"  # exempt from VAT on another ground (art. 145, 149)


class VatRate(SQLModel, table=True):
    """A rate of the tax code in force from `valid_from` up to (not including) `valid_until`."""

    __tablename__ = "vat_rate"
    __table_args__ = (
        CheckConstraint("percent >= 0 AND percent < 100", name="ck_vat_rate_percent"),
        CheckConstraint("valid_until IS NULL OR valid_until > valid_from", name="ck_vat_rate_period"),
        Index("ix_vat_rate_kind_valid_from", "kind", "valid_from", unique=True),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    kind: RateKind = Field(sa_type=enum_type(RateKind, "kind"))
    percent: Decimal = Field(sa_type=Numeric(5, 2))
    valid_from: date
    valid_until: date | None = None
    # Where the rate comes from, for the person who checks it: the article and the law that set it.
    source: str = Field(default="", sa_type=String(200))
