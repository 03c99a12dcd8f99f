from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.enums import MembershipKind, OrganisationKind, Role, graphql_enum
from api.manufacturers.loaders import (
    CapacityByOrganisationIdLoader,
    CapacityCalendarLoader,
    CertificationsByOrganisationIdLoader,
    ProfileByOrganisationIdLoader,
)
from api.manufacturers.types import CapacityListing, CapacityWeek, Certification, ManufacturerProfile
from api.nodes import load_nodes
from api.organisations.loaders import (
    LegalDetailsByOrganisationIdLoader,
    MembershipsByOrganisationIdLoader,
    MembershipsByUserIdLoader,
    OrganisationByIdLoader,
    UserByIdLoader,
)
from api.pagination import check_first
from api.reviews.loaders import KpiHistoryByOrganisationIdLoader, KpisByOrganisationIdLoader, ReviewsBySubjectIdLoader
from api.reviews.types import KpiMonth, OrganisationKpis, Review, ReviewConnection
from api.taxes.loaders import VatRatesLoader
from api.taxes.types import TaxStatus, VatTerms
from domain.capacity.rules import MAX_CALENDAR_WEEKS, week_start
from domain.errors import ErrorCode, InvalidInput
from domain.identity.models import Language as DomainLanguage
from domain.identity.models import User as UserRow
from domain.kpis.history import MAX_MONTHS
from domain.organisations.legal_rules import EntityKind as DomainEntityKind
from domain.organisations.legal_rules import SignatoryBasis as DomainSignatoryBasis
from domain.organisations.models import Membership as MembershipRow
from domain.organisations.models import Organisation as OrganisationRow
from domain.organisations.models import OrganisationLegalDetails as LegalDetailsRow
from domain.organisations.models import OrganisationRow as OrganisationReadRow
from domain.organisations.rules import LegalIdKind as DomainLegalIdKind
from domain.organisations.rules import legal_id_is_valid, legal_id_kind
from domain.taxes.models import TaxStatus as DomainTaxStatus
from domain.taxes.rules import treatment_on

LegalIdKind = graphql_enum(
    DomainLegalIdKind,
    "Which registration number the legal id is, by the country of the region: INN (Russia, ИНН), BIN "
    "(Kazakhstan, БИН), UNP (Belarus, УНП), REGISTRATION_NUMBER (elsewhere).",
)
EntityKind = graphql_enum(
    DomainEntityKind, "Read from the ИНН: LEGAL_ENTITY (10 digits) or SOLE_PROPRIETOR (ИП, 12 digits)."
)
Language = graphql_enum(
    DomainLanguage,
    "The language a user reads the exchange in: RU (the default) or EN. The web app takes it after sign-in, and "
    "the user's notification e-mails are written in it.",
)
SignatoryBasis = graphql_enum(
    DomainSignatoryBasis,
    "On what authority the signatory signs: CHARTER («Устав»), POWER_OF_ATTORNEY («Доверенность № … от …») or, "
    "for a sole proprietor signing himself, EGRIP_RECORD (запись ЕГРИП).",
)


@strawberry.type(
    description="An organisation's legal details (реквизиты) as the contract documents print them. Every number was "
    "checked when stated (ИНН, ОГРН/ОГРНИП check digits; the accounts' control keys against the БИК); an operator "
    "then checks them against the state register (checkedAt), and a change waits for that check again."
)
class LegalDetails:
    inn: str = strawberry.field(description="ИНН; also the organisation's legalId.")
    entity_kind: EntityKind  # type: ignore[valid-type]
    kpp: str | None = strawberry.field(description="КПП; legal entities only.")
    ogrn: str = strawberry.field(description="ОГРН (13 digits) of a legal entity, ОГРНИП (15) of a sole proprietor.")
    legal_address: str
    postal_address: str | None = strawberry.field(description="Null: the same as the legal address.")
    signatory_name: str
    signatory_position: str
    signatory_basis: SignatoryBasis  # type: ignore[valid-type]
    power_of_attorney_number: str | None
    power_of_attorney_date: date | None
    bank_name: str
    bik: str = strawberry.field(description="БИК of the bank.")
    settlement_account: str = strawberry.field(description="Расчётный счёт, 20 digits.")
    correspondent_account: str = strawberry.field(description="The bank's корреспондентский счёт, 20 digits.")
    checked_at: datetime | None = strawberry.field(
        description="When an operator checked these details; null: not yet, or changed since."
    )
    updated_at: datetime
    organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: LegalDetailsRow) -> LegalDetails:
        return cls(
            inn=row.inn,
            entity_kind=row.entity_kind.value,
            kpp=row.kpp,
            ogrn=row.ogrn,
            legal_address=row.legal_address,
            postal_address=row.postal_address,
            signatory_name=row.signatory_name,
            signatory_position=row.signatory_position,
            signatory_basis=row.signatory_basis.value,
            power_of_attorney_number=row.power_of_attorney_number,
            power_of_attorney_date=row.power_of_attorney_date,
            bank_name=row.bank_name,
            bik=row.bik,
            settlement_account=row.settlement_account,
            correspondent_account=row.correspondent_account,
            checked_at=row.checked_at,
            updated_at=row.updated_at,
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="The organisation they belong to.")
    async def organisation(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)


@strawberry.type(description="A company on the exchange: a buyer, a manufacturer, or both.")
class Organisation(relay.Node):
    id: relay.NodeID[str]
    name: str
    legal_id: str = strawberry.field(description="Registration number: which one, `legalIdKind` says.")
    region: str = strawberry.field(description="ISO 3166-2 subdivision code, e.g. RU-MOW.")
    kind: OrganisationKind
    membership: MembershipKind
    verified: bool = strawberry.field(description="An operator checked its registration documents.")
    verified_at: datetime | None
    tax_status: TaxStatus = strawberry.field(
        description="How it is taxed, as it declares: decides the VAT its bids carry."
    )
    tax_status_checked_at: datetime | None = strawberry.field(
        description="When an operator checked the declared tax status against the tax register; null: not yet."
    )
    created_at: datetime

    @strawberry.field(description="Which registration number `legalId` is, by the country of the region.")
    def legal_id_kind(self) -> LegalIdKind:  # type: ignore[valid-type]
        return LegalIdKind(legal_id_kind(self.region).value)

    @strawberry.field(
        description="Whether `legalId` passes today's check for its country (an ИНН's check digits, a БИН's, an "
        "УНП's). False for organisations that signed up before the check: their admins are asked to correct it."
    )
    def legal_id_valid(self) -> bool:
        return legal_id_is_valid(self.legal_id, self.region)

    @classmethod
    def from_row(cls, row: OrganisationRow | OrganisationReadRow) -> Organisation:
        return cls(
            id=str(row.id),
            name=row.name,
            legal_id=row.legal_id,
            region=row.region,
            kind=row.kind.value,
            membership=row.membership.value,
            verified=row.verified,
            verified_at=row.verified_at,
            tax_status=row.tax_status.value,
            tax_status_checked_at=row.tax_status_checked_at,
            created_at=row.created_at,
        )

    @property
    def uuid(self) -> UUID:
        return UUID(self.id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await load_nodes(info.context.loader(OrganisationByIdLoader), node_ids, cls.from_row)

    @strawberry.field(
        description="The VAT its bids carry if placed today (its prices include it), from its declared tax status."
    )
    async def vat_terms(self, info: Info) -> VatTerms:
        ctx = info.context
        row = await ctx.loader(OrganisationByIdLoader).load(self.uuid)
        status = row.tax_status if row else DomainTaxStatus.not_stated
        rates = await ctx.loader(VatRatesLoader).load(None)
        treatment, rate = treatment_on(rates, status, ctx.tax_day())
        return VatTerms(treatment=treatment.value, rate=rate)

    @strawberry.field(
        description="Its legal details (реквизиты), which the contract documents print; visible to its own members and "
        "to operators only (null for anyone else, and until an admin states them: setLegalDetails)."
    )
    async def legal_details(self, info: Info) -> LegalDetails | None:
        actor = info.context.actor
        if not (actor.is_operator or actor.is_member(self.uuid)):
            return None
        row = await info.context.loader(LegalDetailsByOrganisationIdLoader).load(self.uuid)
        return LegalDetails.from_row(row) if row else None

    @strawberry.field(description="What it makes; null for buyers without a profile.")
    async def manufacturer_profile(self, info: Info) -> ManufacturerProfile | None:
        row = await info.context.loader(ProfileByOrganisationIdLoader).load(self.uuid)
        return ManufacturerProfile.from_row(row) if row else None

    @strawberry.field(description="Certificates held, expired ones included (see `valid`).")
    async def certifications(self, info: Info) -> list[Certification]:
        rows = await info.context.loader(CertificationsByOrganisationIdLoader).load(self.uuid)
        return [Certification.from_row(row) for row in rows]

    @strawberry.field(description="Spare capacity on offer, current and future periods.")
    async def capacity(self, info: Info) -> list[CapacityListing]:
        rows = await info.context.loader(CapacityByOrganisationIdLoader).load(self.uuid)
        return [CapacityListing.from_row(row) for row in rows]

    @strawberry.field(
        description="Its machine-hours per process and ISO week, for `weeks` weeks (1..53) from the week of `fromWeek` "
        "(default: this week): listed, held for contracts and bids, and free. Every process with a listing or a "
        "hold in those weeks has a row for each week. Visible to its own members and to operators only (holds "
        "tell which orders it bid on)."
    )
    async def capacity_calendar(
        self, info: Info, from_week: date | None = None, weeks: int = 12
    ) -> list[CapacityWeek] | None:
        actor = info.context.actor
        if not (actor.is_operator or actor.is_member(self.uuid)):
            return None
        if not 1 <= weeks <= MAX_CALENDAR_WEEKS:
            raise InvalidInput(f"weeks must be between 1 and {MAX_CALENDAR_WEEKS}", "weeks", ErrorCode.OUT_OF_RANGE)
        first = week_start(from_week or info.context.clock.now().date())
        found = await info.context.loader(CapacityCalendarLoader).load((self.uuid, first, weeks))
        return [CapacityWeek.of(week, found.listings) for week in found.weeks]

    @strawberry.field(description="Its record on the exchange, computed from contract events, bids and reviews.")
    async def kpis(self, info: Info) -> OrganisationKpis:
        return OrganisationKpis.of(await info.context.loader(KpisByOrganisationIdLoader).load(self.uuid))

    @strawberry.field(
        description="Its record month by month over the last `months` (1 to 36, the current month last), for "
        "charts: contracts shipped, on time and disputed, and the published reviews' rating."
    )
    async def kpi_history(self, info: Info, months: int = 12) -> list[KpiMonth]:
        if not 1 <= months <= MAX_MONTHS:
            raise InvalidInput(f"months must be between 1 and {MAX_MONTHS}", "months", ErrorCode.OUT_OF_RANGE)
        history = await info.context.loader(KpiHistoryByOrganisationIdLoader).load((self.uuid, months))
        return [KpiMonth.of(month) for month in history]

    @strawberry.field(
        description="Its newest published reviews (`first` <= 100). Not paginated further: pageInfo.hasNextPage "
        "tells whether more exist; kpis.ratingCount counts them all."
    )
    async def reviews(self, info: Info, first: int = 20) -> ReviewConnection:
        check_first(first)
        now = info.context.clock.now()
        rows, more = await info.context.loader(ReviewsBySubjectIdLoader).load((self.uuid, first))
        return ReviewConnection(
            edges=[relay.Edge(cursor=str(row.id), node=Review.from_row(row, now)) for row in rows],  # type: ignore[type-var]
            page_info=relay.PageInfo(
                has_next_page=more,
                has_previous_page=False,
                start_cursor=str(rows[0].id) if rows else None,
                end_cursor=str(rows[-1].id) if rows else None,
            ),
        )

    @strawberry.field(description="Its members; visible to its own members and to operators only.")
    async def members(self, info: Info) -> list[Membership] | None:
        actor = info.context.actor
        if not (actor.is_operator or actor.is_member(self.uuid)):
            return None
        rows = await info.context.loader(MembershipsByOrganisationIdLoader).load(self.uuid)
        return [Membership.from_row(row) for row in rows]


@strawberry.type(description="A user's place in an organisation.")
class Membership:
    role: Role
    created_at: datetime
    organisation_id: strawberry.Private[UUID]
    user_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: MembershipRow) -> Membership:
        return cls(
            role=row.role.value,
            created_at=row.created_at,
            organisation_id=row.organisation_id,
            user_id=row.user_id,
        )

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field
    async def user(self, info: Info) -> User:
        row = await info.context.loader(UserByIdLoader).load(self.user_id)
        assert row is not None
        return User.from_row(row)


@strawberry.type(description="A person with an account. Reachable only as yourself or as a co-member.")
class User(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str
    is_operator: bool
    created_at: datetime
    email_verified: bool = strawberry.field(
        description="The owner opened a link e-mailed to this address (requestEmailVerification sends one)."
    )
    language: Language = strawberry.field(  # type: ignore[valid-type]
        description="The language the user reads the exchange in (setMyLanguage changes it)."
    )

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            id=str(row.id),
            email=row.email,
            full_name=row.full_name,
            is_operator=row.is_operator,
            created_at=row.created_at,
            email_verified=row.email_verified_at is not None,
            language=Language(DomainLanguage(row.language).value),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        actor = info.context.actor
        loader = info.context.loader(UserByIdLoader)
        # Only yourself: users are not a public directory.
        return [
            (await load_nodes(loader, [node_id], cls.from_row))[0]
            if actor.user_id is not None and str(actor.user_id) == str(node_id)
            else None
            for node_id in node_ids
        ]

    @strawberry.field
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loader(MembershipsByUserIdLoader).load(UUID(self.id))
        return [Membership.from_row(row) for row in rows]


@strawberry.type
class OrganisationConnection(relay.Connection[Organisation]):
    """A page of organisations."""
