from __future__ import annotations

from enum import StrEnum

import strawberry

from api.bids.types import Bid
from api.contracts.types import Contract
from api.errors import NotAuthenticatedError, NotFoundError, PermissionDeniedError, ValidationError, result_union


@strawberry.enum(description="What happened to a bid on the watched order.")
class BidActivityKind(StrEnum):
    PLACED = "placed"
    REVISED = "revised"
    WITHDRAWN = "withdrawn"
    REINSTATED = "reinstated"  # put back after the order's contract was cancelled
    CONFIRMED = "confirmed"  # its bidder confirmed a reinstated bid still holds


@strawberry.type(description="A bid placed, revised (`bid` is the new revision) or withdrawn on the watched order.")
class BidActivity:
    kind: BidActivityKind
    bid: Bid


@strawberry.type(description="The watched contract took a step; `contract` is its state after it.")
class ContractUpdate:
    transition: str = strawberry.field(
        description='The lifecycle transition taken, or "message" when a party posted a message.'
    )
    contract: Contract


# A refused subscription yields one of these errors and completes; nothing is watched.
SUBSCRIPTION_ERRORS = (ValidationError, NotAuthenticatedError, PermissionDeniedError, NotFoundError)
BidActivityEvent = result_union("BidActivityEvent", BidActivity, *SUBSCRIPTION_ERRORS)
ContractUpdateEvent = result_union("ContractUpdateEvent", ContractUpdate, *SUBSCRIPTION_ERRORS)
