from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.types.nodes import SelectedField

from api.construct import construct
from api.context import Info
from api.enums import BidStatus, CertificationStandard, OrderStatus, Process, ToleranceClass, Visibility
from api.fast_fields import UNRESOLVED, direct
from api.money import Money
from api.nodes import load_nodes
from api.orders.loaders import InvitationsByOrderIdLoader, OrderByIdLoader
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import decode_id
from domain.bids.models import BidStatus as DomainBidStatus
from domain.bids.service import CURRENT
from domain.errors import ErrorCode, InvalidInput, NotFound
from domain.orders.models import ProductionOrder
from domain.questions.service import check_page_size

if TYPE_CHECKING:
    from api.bids.types import BidConnection
    from api.matching.types import BidWeightsInput, ManufacturerRecommendations, MatchWeightsInput, RankedBid
    from api.questions.types import OrderQuestion

MAX_BIDS_PAGE = 100


@strawberry.type(description="The price range the buyer expects to pay for the whole order.")
class Budget:
    min: Money
    max: Money


@strawberry.type(description="A production order (RFQ): what to make, how many, by when, for about how much.")
class Order(relay.Node):
    id: relay.NodeID[str]
    status: OrderStatus  # type: ignore[valid-type]
    visibility: Visibility  # type: ignore[valid-type]
    title: str
    description: str
    process: Process  # type: ignore[valid-type]
    material: str
    quantity: int
    tolerance_class: ToleranceClass  # type: ignore[valid-type]
    required_certifications: list[CertificationStandard]  # type: ignore[valid-type]
    need_by: date
    delivery_region: str
    budget: Budget
    bidding_deadline: datetime
    estimated_machine_hours: int | None
    allow_split: bool = strawberry.field(description="The quantity may be awarded in parts to several bids.")
    awarded_quantity: int = strawberry.field(description="Units awarded so far (split awards add up to quantity).")
    published_at: datetime | None
    closed_at: datetime | None
    cancel_reason: str
    created_at: datetime
    updated_at: datetime
    buyer_organisation_id: strawberry.Private[UUID]
    # The buyer's organisation row when it came with the order (the order board loads a page's buyers at once).
    buyer_row: strawberry.Private[Any] = None

    @classmethod
    def from_row(cls, row: ProductionOrder, buyer_row: Any = None) -> Order:
        return cls(
            buyer_row=buyer_row,
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
            ),
            bidding_deadline=row.bidding_deadline,
            estimated_machine_hours=row.estimated_machine_hours,
            allow_split=row.allow_split,
            awarded_quantity=row.awarded_quantity,
            published_at=row.published_at,
            closed_at=row.closed_at,
            cancel_reason=row.cancel_reason,
            created_at=row.created_at,
            updated_at=row.updated_at,
            buyer_organisation_id=row.buyer_organisation_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await load_nodes(info.context.loader(OrderByIdLoader), node_ids, cls.from_row)

    @strawberry.field(description="Whether bids are accepted right now.")
    def bidding_open(self, info: Info) -> bool:
        return self.status == "open" and info.context.clock.now() < self.bidding_deadline

    @strawberry.field
    @direct(lambda order: UNRESOLVED if order.buyer_row is None else Organisation.from_row(order.buyer_row))
    async def buyer(self, info: Info) -> Organisation:
        # (The compiled executor takes the shortcut above when the page brought the buyer along.)
        row = await info.context.loader(OrganisationByIdLoader).load(self.buyer_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field(description="Invited manufacturers; the buyer and operators only, null for others.")
    async def invited_manufacturers(self, info: Info) -> list[Organisation] | None:
        actor = info.context.actor
        if not (actor.is_operator or actor.is_member(self.buyer_organisation_id)):
            return None
        ids = await info.context.loader(InvitationsByOrderIdLoader).load(UUID(self.id))
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
        statuses: list[BidStatus] | None = None,  # type: ignore[valid-type]
    ) -> Annotated[BidConnection, strawberry.lazy("api.bids.types")]:
        from api.bids.loaders import BidsByOrderIdLoader
        from api.bids.types import Bid, BidConnection

        if not 1 <= first <= MAX_BIDS_PAGE:
            raise InvalidInput(f"first must be between 1 and {MAX_BIDS_PAGE}", "first", ErrorCode.OUT_OF_RANGE)
        wanted = tuple(sorted(DomainBidStatus(s.value) for s in statuses)) if statuses else CURRENT
        # Every order's bidders come with the bids when selected, so that each bid's `manufacturer` resolves
        # synchronously.
        key = (UUID(self.id), first, wanted, _selects_manufacturer(info))
        pairs, has_more = await info.context.loader(BidsByOrderIdLoader).load(key)
        rows = [row for row, _ in pairs]
        return BidConnection(
            edges=[
                construct(relay.Edge, {"cursor": str(row.id), "node": Bid.from_row(row, maker)}) for row, maker in pairs
            ],
            page_info=relay.PageInfo(
                has_next_page=has_more,
                has_previous_page=False,
                start_cursor=str(rows[0].id) if rows else None,
                end_cursor=str(rows[-1].id) if rows else None,
            ),
        )

    @strawberry.field(
        description="Questions and answers, oldest first: answered ones for everyone who sees the order; "
        "unanswered ones for the buyer and the asker only. Never says who asked. At most `first` (<= 100); "
        "for the next ones pass the id of the last one seen as `after` (fewer than `first` means no more)."
    )
    async def questions(
        self, info: Info, first: int = 50, after: strawberry.ID | None = None
    ) -> list[Annotated[OrderQuestion, strawberry.lazy("api.questions.types")]]:
        from api.questions.loaders import QuestionsByOrderIdLoader
        from api.questions.types import OrderQuestion

        check_page_size(first)  # here, not in the batch loader: a refusal must not fail the other orders' loads
        cursor = decode_id(after, "OrderQuestion", "after") if after is not None else None
        rows = await info.context.loader(QuestionsByOrderIdLoader).load((UUID(self.id), first, cursor))
        if isinstance(rows, NotFound):
            raise rows
        return [OrderQuestion.from_row(row, info) for row in rows]

    @strawberry.field(
        description="Manufacturers that fit this order, best first (`first` <= 100), each score explained; and "
        "the ones excluded, with the filter. The buyer and operators only, null for others."
    )
    async def recommended_manufacturers(
        self,
        info: Info,
        first: int = 10,
        weights: Annotated[MatchWeightsInput, strawberry.lazy("api.matching.types")] | None = None,
    ) -> Annotated[ManufacturerRecommendations, strawberry.lazy("api.matching.types")] | None:
        from api.matching.resolvers import recommended_manufacturers

        return await recommended_manufacturers(info, UUID(self.id), self.buyer_organisation_id, first, weights)

    @strawberry.field(
        description="The active bids ranked by price, lead time against the need-by date and the bidder's record, "
        "each score explained. The buyer only, null for others."
    )
    async def ranked_bids(
        self,
        info: Info,
        weights: Annotated[BidWeightsInput, strawberry.lazy("api.matching.types")] | None = None,
    ) -> list[Annotated[RankedBid, strawberry.lazy("api.matching.types")]] | None:
        from api.matching.resolvers import ranked_bids

        return await ranked_bids(info, UUID(self.id), self.buyer_organisation_id, weights)


def _selects_manufacturer(info: Info) -> bool:
    # Decided once per request and field: the selection is the same for every order on the page.
    key = ("bids selects manufacturer", id(info._raw_info.field_nodes[0]))
    if key not in info.context.memo:
        info.context.memo[key] = selects_path(info.selected_fields[0].selections, ("edges", "node", "manufacturer"))
    return bool(info.context.memo[key])


def selects_path(selections: Iterable[Any], path: Sequence[str]) -> bool:
    """Whether the field path (e.g. edges, node, buyer) is selected right below, through fragments too."""
    for selection in selections:
        if not isinstance(selection, SelectedField):  # a fragment (spread or inline): its selections stand here
            if selects_path(selection.selections, path):
                return True
        elif selection.name == path[0] and (len(path) == 1 or selects_path(selection.selections, path[1:])):
            return True
    return False


@strawberry.type
class OrderConnection(relay.Connection[Order]):
    """A page of orders."""
