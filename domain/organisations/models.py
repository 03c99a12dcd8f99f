"""Organisations (buyers, manufacturers or both) and their members, plus OrganisationRow, the read type lists of
bidders read them into."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain.actor import Role
from domain.columns import TIMESTAMPTZ, enum_type
from domain.organisations.legal_rules import EntityKind, LegalDetails, SignatoryBasis
from domain.taxes.models import TaxStatus


class OrganisationKind(StrEnum):
    buyer = "buyer"
    manufacturer = "manufacturer"
    both = "both"

    @property
    def buys(self) -> bool:
        return self in (OrganisationKind.buyer, OrganisationKind.both)

    @property
    def manufactures(self) -> bool:
        return self in (OrganisationKind.manufacturer, OrganisationKind.both)


class MembershipKind(StrEnum):
    participant = "participant"
    regional_partner = "regional_partner"


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("region ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'", name="ck_organisation_region_iso3166_2"),
        Index("ix_organisation_kind_region", "kind", "region"),
        Index("ix_organisation_created_at_id", "created_at", "id"),
        # The directory sorted by name (organisations(sort: NAME)): a page read off the index, not all sorted.
        Index("ix_organisation_name_id", "name", "id"),
        # The operator's list of organisations whose legal id fails today's check (the function: migration
        # organisations_legal_id; the rule: rules.legal_id_is_valid).
        Index(
            "ix_organisation_invalid_legal_id",
            "created_at",
            "id",
            postgresql_where=text("NOT organisation_legal_id_valid(legal_id, region)"),
        ),
        # The operators' queue of declared tax statuses nobody has checked (taxes/service.tax_statuses_to_check):
        # only the queue's rows, newest first. The query states the same predicate with the literal, so that a
        # generic plan can use the index too (migration vatzone_0001).
        Index(
            "ix_organisation_tax_status_to_check",
            "updated_at",
            "id",
            postgresql_where=text("tax_status <> 'not_stated' AND tax_status_checked_at IS NULL"),
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    name: str = Field(sa_type=String(200))
    legal_id: str = Field(sa_type=String(32), unique=True)
    region: str = Field(sa_type=String(6))
    kind: OrganisationKind = Field(sa_type=enum_type(OrganisationKind, "kind"))
    membership: MembershipKind = Field(sa_type=enum_type(MembershipKind, "membership"))
    verified: bool = False
    verified_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    # The manufacturer's Stripe Connect account, where card-funded escrow is paid out.
    stripe_account_id: str | None = Field(default=None, sa_type=String(64))
    # Stripe says the account may receive payouts (account.updated); until then payouts go by bank transfer.
    stripe_payouts_enabled: bool = False
    # How it is taxed, as it declares (domain/taxes); an operator checks the declaration like the registration.
    tax_status: TaxStatus = Field(default=TaxStatus.not_stated, sa_type=enum_type(TaxStatus, "tax_status"))
    tax_status_checked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", name="uq_membership_user_org"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id", ondelete="CASCADE")])
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], index=True)
    role: Role = Field(sa_type=enum_type(Role, "role"))
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class OrganisationLegalDetails(SQLModel, table=True):
    """An organisation's legal details (реквизиты), which the contract documents print: validated by
    legal_rules.LegalDetailsDraft, checked by an operator like the registration; a change to checked details waits
    for the check again. The ИНН is also the organisation's legal id."""

    __tablename__ = "organisation_legal_details"
    __table_args__ = (
        CheckConstraint("inn ~ '^([0-9]{10}|[0-9]{12})$'", name="ck_organisation_legal_details_inn"),
        CheckConstraint("ogrn ~ '^([0-9]{13}|[0-9]{15})$'", name="ck_organisation_legal_details_ogrn"),
        CheckConstraint("bik ~ '^[0-9]{9}$'", name="ck_organisation_legal_details_bik"),
        CheckConstraint(
            "settlement_account ~ '^[0-9]{20}$' AND correspondent_account ~ '^[0-9]{20}$'",
            name="ck_organisation_legal_details_accounts",
        ),
        # The operators' queue: details nobody has checked yet, latest first.
        Index("ix_organisation_legal_details_to_check", "updated_at", postgresql_where="checked_at IS NULL"),
    )

    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id", ondelete="CASCADE")], primary_key=True)
    inn: str = Field(sa_type=String(12))
    entity_kind: EntityKind = Field(sa_type=enum_type(EntityKind, "entity_kind"))
    kpp: str | None = Field(default=None, sa_type=String(9))
    ogrn: str = Field(sa_type=String(15))
    legal_address: str = Field(sa_type=String(300))
    postal_address: str | None = Field(default=None, sa_type=String(300))
    signatory_name: str = Field(sa_type=String(200))
    signatory_position: str = Field(sa_type=String(120))
    signatory_basis: SignatoryBasis = Field(sa_type=enum_type(SignatoryBasis, "signatory_basis"))
    power_of_attorney_number: str | None = Field(default=None, sa_type=String(40))
    power_of_attorney_date: date | None = None
    bank_name: str = Field(sa_type=String(200))
    bik: str = Field(sa_type=String(9))
    settlement_account: str = Field(sa_type=String(20))
    correspondent_account: str = Field(sa_type=String(20))
    checked_at: datetime | None = Field(default=None, sa_type=TIMESTAMPTZ)
    updated_at: datetime = Field(sa_type=TIMESTAMPTZ)

    def details(self) -> LegalDetails:
        return LegalDetails(
            inn=self.inn,
            entity_kind=self.entity_kind,
            kpp=self.kpp,
            ogrn=self.ogrn,
            legal_address=self.legal_address,
            postal_address=self.postal_address,
            signatory_name=self.signatory_name,
            signatory_position=self.signatory_position,
            signatory_basis=self.signatory_basis,
            power_of_attorney_number=self.power_of_attorney_number,
            power_of_attorney_date=self.power_of_attorney_date,
            bank_name=self.bank_name,
            bik=self.bik,
            settlement_account=self.settlement_account,
            correspondent_account=self.correspondent_account,
        )


class OrganisationRow(NamedTuple):
    """An organisation as a list reads it (organisations_by_ids): the table's columns in order, read-only."""

    id: UUID
    name: str
    legal_id: str
    region: str
    kind: OrganisationKind
    membership: MembershipKind
    verified: bool
    verified_at: datetime | None
    stripe_account_id: str | None
    stripe_payouts_enabled: bool
    tax_status: TaxStatus
    tax_status_checked_at: datetime | None
    created_at: datetime
    updated_at: datetime
