"""The manufacturer's record as matching reads it: kept per organisation so that ranking does not recount it.

A materialisation of `queries.history_totals` (the definition), refreshed in the same transaction as every
change that can move it (records.refresh_records): a shipment or dispute on a contract, an invitation to a
published order, a published order with invitations, a first bid on an order the bidder was invited to.
Organisations without any record have no row (read as zeros).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from domain.columns import TEXT_ARRAY, TIMESTAMPTZ


class ManufacturerRecord(SQLModel, table=True):
    __tablename__ = "manufacturer_record"

    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    delivered: int
    delivered_on_time: int
    disputed: int
    invitations: int
    invitations_bid: int
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class MatchCandidate(SQLModel, table=True):
    """One narrow row per manufacturer and process it lists: what the fit ranking filters and scores on, so that
    ranking reads one contiguous range of this table instead of joining profiles, organisations,
    certifications and records for every candidate. A materialisation of the profile (materials lower-cased),
    the organisation's region (manufacturing kinds only), its certificates and its record
    (ManufacturerRecord), refreshed in the same transaction as every change to them (records.refresh_candidates)."""

    __tablename__ = "match_candidate"
    __table_args__ = (
        Index("ix_match_candidate_organisation_id", "organisation_id"),
        # The ranking reads a process's rows from this index alone (index-only), in one contiguous range, whatever
        # order the rows were written in (migration matching_0005). Every column the ranking reads is included.
        Index(
            "ix_match_candidate_process_covering",
            "process",
            "organisation_id",
            postgresql_include=[
                "region",
                "materials",
                "min_quantity",
                "max_quantity",
                "certificates",
                "max_part_mm",
                "delivered",
                "delivered_on_time",
                "disputed",
                "invitations",
                "invitations_bid",
            ],
        ),
    )

    process: str = Field(sa_type=String(64), primary_key=True)
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    region: str = Field(sa_type=String(6))
    materials: list[str] = Field(sa_type=TEXT_ARRAY)  # lower-cased; empty: any material
    min_quantity: int
    max_quantity: int | None = None
    # {standard: valid until, as an ISO date string}; NULL without certificates. ISO dates compare as strings.
    certificates: dict[str, str] | None = Field(default=None, sa_type=JSONB)
    delivered: int = 0
    delivered_on_time: int = 0
    disputed: int = 0
    invitations: int = 0
    invitations_bid: int = 0
    # The profile's largest part: its known sides sorted ascending (empty: no limit given).
    max_part_mm: list[int] = Field(
        default_factory=list, sa_column=Column(ARRAY(Integer), nullable=False, server_default="{}")
    )
