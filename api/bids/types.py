from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import strawberry
from strawberry import relay

from api.bids.loaders import BidByIdLoader, FeedbackByBidIdLoader
from api.context import Info
from api.contracts.loaders import ContractByBidIdLoader
from api.enums import BidStatus, graphql_enum
from api.money import Money
from api.nodes import load_nodes
from api.orders.loaders import OrderByIdLoader
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.schema_types import schema_type
from api.taxes.loaders import VatRatesLoader
from api.taxes.types import PriceBasis, TaxedMoney, VatTreatment
from domain.actor import Role
from domain.bids import rules as bid_rules
from domain.bids.feedback import LostReason as DomainLostReason
from domain.bids.feedback import PriceBand as DomainPriceBand
from domain.bids.feedback import RankBand as DomainRankBand
from domain.bids.models import Bid as BidRow
from domain.bids.models import BidStatus as DomainBidStatus
from domain.bids.models import RankedBidRow
from domain.ledger.rules import platform_fee
from domain.taxes.amounts import TaxedAmount, manufacturer_net, planned_fee
from domain.taxes.rules import BID_COMPARISON_BASIS, PLATFORM_FEE_RATE, rate_on
from domain.taxes.rules import VatTreatment as DomainVatTreatment

if TYPE_CHECKING:
    from api.contracts.types import Contract
    from api.orders.types import Order


RankBand = graphql_enum(DomainRankBand, "Where a losing bid ranked by price among the bids at award.")
PriceBand = graphql_enum(DomainPriceBand, "A losing bid's total against the winning bid's.")
LostBidReason = graphql_enum(DomainLostReason, "Why the buyer chose another bid.")


@strawberry.type(
    description="What a losing bidder learns at award: bands and the buyer's reason; never the winner or its price."
)
class BidFeedback:
    rank_band: RankBand  # type: ignore[valid-type]
    price_band: PriceBand  # type: ignore[valid-type]
    reason: LostBidReason | None  # type: ignore[valid-type]
    price_basis: PriceBasis = strawberry.field(
        description="What the bands compare: GROSS, the prices with VAT, what the buyer pays."
    )


@strawberry.type(description="A manufacturer's sealed quote on an order. A revision is a new bid.")
class Bid(relay.Node):
    id: relay.NodeID[str]
    status: BidStatus
    revision: int
    unit_price: Money
    tooling: Money = strawberry.field(description="One-off costs (tooling, fixtures, NRE).")
    quantity: int = strawberry.field(description="The units quoted: the order's quantity, or part of a split order.")
    total: Money = strawberry.field(description="unitPrice x quantity + tooling.")
    vat_treatment: VatTreatment = strawberry.field(
        description="How the prices carry VAT, from the bidder's tax status when it placed the bid."
    )
    lead_time_days: int
    valid_until: date
    notes: str
    reconfirmed_at: datetime | None = strawberry.field(
        description="A bid put back after its order's contract was cancelled: when its bidder confirmed it holds."
    )
    created_at: datetime
    updated_at: datetime
    order_id: strawberry.Private[UUID]
    manufacturer_organisation_id: strawberry.Private[UUID]
    previous_bid_id: strawberry.Private[UUID | None]
    total_minor: strawberry.Private[int]
    vat_rate: strawberry.Private[Decimal | None]
    vat_minor: strawberry.Private[int]
    # The bidder's organisation row when it came with the bid (a page of bids loads its bidders at once).
    manufacturer_row: strawberry.Private[Any] = None

    @classmethod
    def from_row(cls, row: BidRow | RankedBidRow, manufacturer_row: Any = None) -> Bid:
        return cls(
            id=str(row.id),
            status=row.status.value,
            revision=row.revision,
            unit_price=Money.of(row.unit_price_minor, row.currency),
            tooling=Money.of(row.tooling_minor, row.currency),
            quantity=row.quantity,
            total=Money.of(row.total_minor, row.currency),
            lead_time_days=row.lead_time_days,
            valid_until=row.valid_until,
            notes=row.notes,
            reconfirmed_at=row.reconfirmed_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            order_id=row.order_id,
            manufacturer_organisation_id=row.manufacturer_organisation_id,
            previous_bid_id=row.previous_bid_id,
            total_minor=row.total_minor,
            vat_treatment=row.vat_treatment.value,
            vat_rate=row.vat_rate,
            vat_minor=row.vat_minor,
            manufacturer_row=manufacturer_row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await load_nodes(info.context.loader(BidByIdLoader), node_ids, cls.from_row)

    def node_uuid(self) -> UUID:
        """The bid's id as a UUID: its row's own when the bid is read from its row (the engine's row view keeps the
        row in `_row`: api/execution/row_views.py), else parsed back from the id's text."""
        row = self.__dict__.get("_row")
        return row.id if row is not None else UUID(self.id)

    @strawberry.field(
        description="The total with its VAT (net, VAT, gross): prices are gross, VAT worked out per line (parts, "
        "tooling). Bids are ranked and compared on gross, what the buyer pays."
    )
    def total_taxed(self) -> TaxedMoney:
        return TaxedMoney.of(self._total(), self.total.currency)

    @strawberry.field(description="The platform fee if this bid were awarded, with the platform's VAT in it.")
    async def platform_fee_taxed(self, info: Info) -> TaxedMoney:
        return TaxedMoney.of(await self._fee(info), self.total.currency)

    @strawberry.field(
        description="What the manufacturer would receive: total less the platform fee; its VAT is the bidder's own "
        "VAT on the sale."
    )
    async def manufacturer_net_taxed(self, info: Info) -> TaxedMoney:
        return TaxedMoney.of(manufacturer_net(self._total(), await self._fee(info)), self.total.currency)

    def _total(self) -> TaxedAmount:
        treatment = DomainVatTreatment(self.vat_treatment)
        return TaxedAmount.of_gross(self.total_minor, self.vat_minor, self.vat_rate, treatment)

    async def _fee(self, info: Info) -> TaxedAmount:
        ctx = info.context
        rate = rate_on(await ctx.loader(VatRatesLoader).load(None), PLATFORM_FEE_RATE, ctx.tax_day())
        return planned_fee(self.total_minor, ctx.deps.payments.policy, rate)

    @strawberry.field(description="The platform fee the contract would carry if this bid were awarded.")
    def platform_fee(self, info: Info) -> Money:
        fee = platform_fee(self.total_minor, info.context.deps.payments.policy.platform_fee_bps)
        return Money.of(fee, self.total.currency)

    @strawberry.field(description="What the manufacturer would receive in all: total less the platform fee.")
    def manufacturer_net(self, info: Info) -> Money:
        fee = platform_fee(self.total_minor, info.context.deps.payments.policy.platform_fee_bps)
        return Money.of(self.total_minor - fee, self.total.currency)

    @strawberry.field(
        description="Whether you may revise this bid now (reviseBid): your organisation's active bid while bidding "
        "is open."
    )
    async def viewer_can_revise(self, info: Info) -> bool:
        return await self._changeable(info)

    @strawberry.field(
        description="Whether you may withdraw this bid now (withdrawBid): your organisation's active bid while "
        "bidding is open, or put back on an order open for award again."
    )
    async def viewer_can_withdraw(self, info: Info) -> bool:
        ctx = info.context
        if not ctx.actor.is_member(self.manufacturer_organisation_id):
            return False
        order = await ctx.loader(OrderByIdLoader).load(self.order_id)
        return order is not None and bid_rules.withdrawable(DomainBidStatus(self.status), order, ctx.clock.now())

    @strawberry.field(
        description="Whether you may confirm this bid still holds (confirmBid): your organisation's bid put back "
        "after the order's contract was cancelled."
    )
    async def viewer_can_confirm(self, info: Info) -> bool:
        ctx = info.context
        if not ctx.actor.is_member(self.manufacturer_organisation_id):
            return False
        order = await ctx.loader(OrderByIdLoader).load(self.order_id)
        return order is not None and bid_rules.confirmable(DomainBidStatus(self.status), order)

    @strawberry.field(
        description="Whether you may award this bid now (awardBid): an admin of the buyer's organisation, the order "
        "open with units left to award, the bid active and still valid."
    )
    async def viewer_can_award(self, info: Info) -> bool:
        ctx = info.context
        order = await ctx.loader(OrderByIdLoader).load(self.order_id)
        if order is None or ctx.actor.memberships.get(order.buyer_organisation_id) != Role.admin:
            return False
        return bid_rules.awardable(DomainBidStatus(self.status), self.valid_until, order, ctx.clock.now())

    async def _changeable(self, info: Info) -> bool:
        ctx = info.context
        if not ctx.actor.is_member(self.manufacturer_organisation_id):
            return False
        order = await ctx.loader(OrderByIdLoader).load(self.order_id)
        return order is not None and bid_rules.changeable(DomainBidStatus(self.status), order, ctx.clock.now())

    @strawberry.field
    async def order(self, info: Info) -> Annotated[Order, strawberry.lazy("api.orders.types")] | None:
        row = await info.context.loader(OrderByIdLoader).load(self.order_id)
        return schema_type(info, "Order").from_row(row) if row else None

    @strawberry.field
    async def manufacturer(self, info: Info) -> Organisation:
        if self.manufacturer_row is not None:  # a page of bids brings its bidders along
            return Organisation.from_row(self.manufacturer_row)
        row = await info.context.loader(OrganisationByIdLoader).load(self.manufacturer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(
        description="For a bid that lost the award: where it stood. Its own organisation (and operators) only."
    )
    async def feedback(self, info: Info) -> BidFeedback | None:
        row = await info.context.loader(FeedbackByBidIdLoader).load(self.node_uuid())
        if row is None:
            return None
        return BidFeedback(
            rank_band=row.rank_band.value,
            price_band=row.price_band.value,
            reason=row.reason.value if row.reason else None,
            price_basis=BID_COMPARISON_BASIS.value,
        )

    @strawberry.field(description="The revision this bid replaced.")
    async def previous_bid(self, info: Info) -> Bid | None:
        if self.previous_bid_id is None:
            return None
        row = await info.context.loader(BidByIdLoader).load(self.previous_bid_id)
        return Bid.from_row(row) if row else None

    @strawberry.field(description="The contract made when this bid was accepted.")
    async def contract(self, info: Info) -> Annotated[Contract, strawberry.lazy("api.contracts.types")] | None:
        row = await info.context.loader(ContractByBidIdLoader).load(self.node_uuid())
        return schema_type(info, "Contract").from_row(row) if row else None


@strawberry.type
class BidConnection(relay.Connection[Bid]):
    """A page of bids."""
