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


@strawberry.type(
    description="The first event of every subscription that is allowed: the server's watch is in place, and every "
    "event committed from now on will follow. graphql-transport-ws has no acknowledgement of a `subscribe`, so "
    "re-read what the screen shows when this arrives (not when the socket connects): whatever happened before it "
    "is in that re-read, whatever happens after it comes as an event. Sent once per subscription, before any other "
    "event; a refused subscription gets its typed error instead."
)
class Watching:
    since: int = strawberry.field(
        description="The position, among the events the API process serving this socket has delivered, after which "
        "this subscription receives every event; later events on the same process have higher positions. It "
        "starts anew with each connection (any process may serve the next one): compare it within a connection only."
    )


# A refused subscription yields one of these errors and completes; nothing is watched. An allowed one yields
# `Watching` first, once its watch is in force, then its events.
SUBSCRIPTION_ERRORS = (ValidationError, NotAuthenticatedError, PermissionDeniedError, NotFoundError)
BidActivityEvent = result_union("BidActivityEvent", BidActivity, Watching, *SUBSCRIPTION_ERRORS)
ContractUpdateEvent = result_union("ContractUpdateEvent", ContractUpdate, Watching, *SUBSCRIPTION_ERRORS)
