from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry import relay

from api.bids.types import BidConnection
from api.context import Info
from api.enums import BidStatus, BuyerAction, CertificationStandard, OrderStatus, Process, ToleranceClass, Visibility
from api.files.loaders import (
    FileDownloadsByOrderIdLoader,
    NdaAcceptancesByOrderIdLoader,
    OrderFilesByOrderIdLoader,
    PartEnvelopeByOrderIdLoader,
)
from api.files.types import FileAccess, FileDownloadRecord, NdaAcceptanceType, OrderFile, OrderNdaType, PartEnvelopeType
from api.matching import resolvers as matching
from api.matching.types import BidWeightsInput, ManufacturerRecommendations, MatchWeightsInput, RankedBid
from api.money import Money
from api.nodes import load_nodes
from api.orders.bids import order_bids
from api.orders.loaders import InvitationsByOrderIdLoader, OrderByIdLoader, TakingPartByOrderIdLoader
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.questions.loaders import QuestionsByOrderIdLoader
from api.questions.types import OrderQuestion
from api.relay import decode_id
from domain.errors import NotFound
from domain.orders import rules as order_rules
from domain.orders.models import OrderRow, ProductionOrder
from domain.orders.models import OrderStatus as DomainOrderStatus
from domain.orders.models import Visibility as DomainVisibility
from domain.orders.rules import buyer_actions
from domain.questions.service import check_page_size


@strawberry.type(description="The price range the buyer expects to pay for the whole order.")
class Budget:
    min: Money
    max: Money
    includes_vat: bool = strawberry.field(
        default=True,
        description="Whether the range is stated with VAT (gross) or without (net); bids are held against it "
        "like for like.",
    )


@strawberry.type(description="A production order (RFQ): what to make, how many, by when, for about how much.")
class Order(relay.Node):
    id: relay.NodeID[str]
    status: OrderStatus
    visibility: Visibility
    title: str
    description: str
    process: Process
    material: str
    quantity: int
    tolerance_class: ToleranceClass
    required_certifications: list[CertificationStandard]
    need_by: date
    delivery_region: str
    budget: Budget
    bidding_deadline: datetime
    estimated_machine_hours: int | None
    allow_split: bool = strawberry.field(description="The quantity may be awarded in parts to several bids.")
    awarded_quantity: int = strawberry.field(description="Units awarded so far (split awards add up to quantity).")
    published_at: datetime | None
    closed_at: datetime | None
    award_reopened_at: datetime | None = strawberry.field(
        description="When a cancelled contract gave its quantity back: the award window runs again from then."
    )
    cancel_reason: str
    created_at: datetime
    updated_at: datetime
    buyer_organisation_id: strawberry.Private[UUID]
    # The buyer's organisation row when it came with the order (the order board loads a page's buyers at once).
    buyer_row: strawberry.Private[Any] = None

    @classmethod
    def from_row(cls, row: ProductionOrder | OrderRow, buyer_row: Any = None) -> Order:
        return cls(
            id=str(row.id),
            status=row.status.value,
            visibility=row.visibility.value,
            title=row.title,
            description=row.description,
            process=row.process,
            material=row.material,
            quantity=row.quantity,
            tolerance_class=row.tolerance_class.value,
            required_certifications=list(row.required_certifications),
            need_by=row.need_by,
            delivery_region=row.delivery_region,
            budget=Budget(
                min=Money.of(row.budget_min_minor, row.currency),
                max=Money.of(row.budget_max_minor, row.currency),
                includes_vat=row.budget_includes_vat,
            ),
            bidding_deadline=row.bidding_deadline,
            estimated_machine_hours=row.estimated_machine_hours,
            allow_split=row.allow_split,
            awarded_quantity=row.awarded_quantity,
            published_at=row.published_at,
            closed_at=row.closed_at,
            award_reopened_at=row.award_reopened_at,
            cancel_reason=row.cancel_reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            buyer_organisation_id=row.buyer_organisation_id,
            buyer_row=buyer_row,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await load_nodes(info.context.loader(OrderByIdLoader), node_ids, cls.from_row)

    def node_uuid(self) -> UUID:
        """The order's id as a UUID: its row's own when the order is read from its row (the engine's row view keeps
        the row in `_row`: api/execution/row_views.py), else parsed back from the id's text (~1 µs: the big page's
        100 `bids` fields each asked for it)."""
        row = self.__dict__.get("_row")
        return row.id if row is not None else UUID(self.id)

    @strawberry.field(description="Whether bids are accepted right now.")
    def bidding_open(self, info: Info) -> bool:
        return order_rules.takes_bids(DomainOrderStatus(self.status), self.bidding_deadline, info.context.clock.now())

    @strawberry.field(
        description="Whether you belong to the buyer's organisation: you see every bid, watch them arrive and "
        "answer questions."
    )
    def viewer_is_buyer(self, info: Info) -> bool:
        return info.context.actor.is_member(self.buyer_organisation_id)

    @strawberry.field(
        description="Whether you may edit the order now (updateOrder): the buyer's organisation, while it is a draft "
        "or open (an open one within limits)."
    )
    def viewer_can_edit(self, info: Info) -> bool:
        return info.context.actor.is_member(self.buyer_organisation_id) and order_rules.editable(
            DomainOrderStatus(self.status)
        )

    @strawberry.field(
        description="Whether you may ask the buyer a question now (askQuestion): for a manufacturer of yours other "
        "than the buyer, while bidding is open."
    )
    async def viewer_can_ask_question(self, info: Info) -> bool:
        may_ask, _ = await self._taking_part(info)
        return may_ask

    @strawberry.field(
        description="Whether you may place a bid now (placeBid): for a manufacturer of yours other than the buyer "
        "with no active bid here, while bidding is open. placeBid still checks the fit and says why if it refuses."
    )
    async def viewer_can_bid(self, info: Info) -> bool:
        _, may_bid = await self._taking_part(info)
        return may_bid

    async def _taking_part(self, info: Info) -> tuple[bool, bool]:
        return await info.context.loader(TakingPartByOrderIdLoader).load(self.node_uuid())

    @strawberry.field(
        description="What you may do with the order now, as its buyer (empty for everyone else): the order's "
        "state decides, as the mutations do."
    )
    def viewer_actions(self, info: Info) -> list[BuyerAction]:
        if not info.context.actor.is_member(self.buyer_organisation_id):
            return []
        actions = buyer_actions(DomainOrderStatus(self.status), DomainVisibility(self.visibility))
        return [BuyerAction[action.name.upper()] for action in actions]

    @strawberry.field
    async def buyer(self, info: Info) -> Organisation:
        if self.buyer_row is not None:  # the order board brings its page's buyers along
            return Organisation.from_row(self.buyer_row)
        row = await info.context.loader(OrganisationByIdLoader).load(self.buyer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="Invited manufacturers; the buyer and operators only, null for others.")
    async def invited_manufacturers(self, info: Info) -> list[Organisation] | None:
        actor = info.context.actor
        if not (actor.is_operator or actor.is_member(self.buyer_organisation_id)):
            return None
        ids = await info.context.loader(InvitationsByOrderIdLoader).load(self.node_uuid())
        rows = await info.context.loader(OrganisationByIdLoader).load_many(ids)
        return [Organisation.from_row(row) for row in rows if row is not None]

    @strawberry.field(
        description="The cheapest `first` (<= 100) bids, current ones unless `statuses` says otherwise. Sealed: "
        "the buyer sees all of them, a manufacturer only its own. Not paginated further: pageInfo.hasNextPage "
        "tells whether more exist."
    )
    async def bids(
        self,
        info: Info,
        first: int = 20,
        statuses: list[BidStatus] | None = None,
    ) -> BidConnection:
        return await order_bids(info, self.node_uuid(), first, statuses)

    @strawberry.field(
        description="Questions and answers, oldest first: answered ones for everyone who sees the order; "
        "unanswered ones for the buyer and the asker only. Never says who asked. At most `first` (<= 100); "
        "for the next ones pass the id of the last one seen as `after` (fewer than `first` means no more)."
    )
    async def questions(self, info: Info, first: int = 50, after: strawberry.ID | None = None) -> list[OrderQuestion]:
        check_page_size(first)  # here, not in the batch loader: a refusal must not fail the other orders' loads
        cursor = decode_id(after, "OrderQuestion", "after") if after is not None else None
        rows = await info.context.loader(QuestionsByOrderIdLoader).load((self.node_uuid(), first, cursor))
        if isinstance(rows, NotFound):
            raise rows
        return [OrderQuestion.from_row(row, info) for row in rows]

    @strawberry.field(
        description="The order's files (current revisions, oldest first), when fileAccess is GRANTED; empty otherwise."
    )
    async def files(self, info: Info) -> list[OrderFile]:
        view = await info.context.loader(OrderFilesByOrderIdLoader).load(self.node_uuid())
        return [OrderFile.from_row(row) for row in view.current] if view is not None else []

    @strawberry.field(
        description="The part's size for matching: from the order's largest analysed model, unless the buyer gave "
        "it (setOrderPartEnvelope); null when neither."
    )
    async def part_envelope(self, info: Info) -> PartEnvelopeType | None:
        row = await info.context.loader(PartEnvelopeByOrderIdLoader).load(self.node_uuid())
        return PartEnvelopeType.from_row(row) if row is not None else None

    @strawberry.field(description="Whether you see the order's files, and if not why (an NDA to accept first).")
    async def file_access(self, info: Info) -> FileAccess:

        view = await info.context.loader(OrderFilesByOrderIdLoader).load(self.node_uuid())
        return FileAccess[(view.access.name if view is not None else "hidden").upper()]

    @strawberry.field(description="The NDA the order requires before its files are shown; null when none.")
    async def nda(self, info: Info) -> OrderNdaType | None:
        view = await info.context.loader(OrderFilesByOrderIdLoader).load(self.node_uuid())
        return OrderNdaType.of(view.nda, view) if view is not None and view.nda is not None else None

    @strawberry.field(
        description="Who accepted the order's NDA (every version), newest first. The buyer and operators only, null "
        "for others."
    )
    async def nda_acceptances(self, info: Info) -> list[NdaAcceptanceType] | None:
        rows = await info.context.loader(NdaAcceptancesByOrderIdLoader).load(self.node_uuid())
        return [NdaAcceptanceType.from_row(row) for row in rows] if rows is not None else None

    @strawberry.field(
        description="The download audit: every download URL issued for the order's files, newest first (at most "
        "100). The buyer and operators only, null for others."
    )
    async def file_downloads(self, info: Info) -> list[FileDownloadRecord] | None:
        rows = await info.context.loader(FileDownloadsByOrderIdLoader).load(self.node_uuid())
        return [FileDownloadRecord.from_row(row) for row in rows] if rows is not None else None

    @strawberry.field(
        description="Manufacturers that fit this order, best first (`first` <= 100), each score explained; and "
        "the ones excluded, with the filter. The buyer and operators only, null for others."
    )
    async def recommended_manufacturers(
        self,
        info: Info,
        first: int = 10,
        weights: MatchWeightsInput | None = None,
    ) -> ManufacturerRecommendations | None:
        return await matching.recommended_manufacturers(
            info, self.node_uuid(), self.buyer_organisation_id, first, weights
        )

    @strawberry.field(
        description="The active bids ranked by price, lead time against the need-by date and the bidder's record, "
        "each score explained. The buyer only, null for others."
    )
    async def ranked_bids(
        self,
        info: Info,
        weights: BidWeightsInput | None = None,
    ) -> list[RankedBid] | None:
        return await matching.ranked_bids(info, self.node_uuid(), self.buyer_organisation_id, weights)


@strawberry.type
class OrderConnection(relay.Connection[Order]):
    """A page of orders."""
