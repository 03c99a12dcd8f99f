"""GraphQL enums made from the domain's vocabularies: UPPER_CASE names, the domain's values underneath."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from typing import Any, cast

import strawberry

from domain.actor import Role as DomainRole
from domain.bids.models import BidStatus as DomainBidStatus
from domain.contracts.process import TIMERS
from domain.contracts.process import Action as DomainContractAction
from domain.contracts.process import ContractStatus as DomainContractStatus
from domain.contracts.process import Need as DomainActionNeed
from domain.contracts.process import Party as DomainParty
from domain.contracts.timeline import StepState as DomainStepState
from domain.orders.models import OrderStatus as DomainOrderStatus
from domain.orders.models import Visibility as DomainVisibility
from domain.orders.rules import BuyerAction as DomainBuyerAction
from domain.organisations.models import MembershipKind as DomainMembershipKind
from domain.organisations.models import OrganisationKind as DomainOrganisationKind
from domain.vocabulary import CertificationStandard as DomainCertificationStandard
from domain.vocabulary import Process as DomainProcess
from domain.vocabulary import ToleranceClass as DomainToleranceClass

# The GraphQL enums are made at run time (from the domain's vocabularies, or from names and values), so the type
# checker sees them as Any: a field annotated with one holds its members or their values.


def graphql_enum(domain_enum: type[Enum], description: str, name: str | None = None) -> Any:
    mirrored = str_enum(name or domain_enum.__name__, {m.name.upper(): m.value for m in domain_enum})
    return strawberry.enum(mirrored, description=description)


def value_enum(name: str, members: Mapping[str, str], description: str) -> Any:
    """A GraphQL enum of these names and values (an Enum, not a StrEnum: its members are not strings)."""
    return strawberry.enum(cast("type[Enum]", Enum(name, dict(members))), description=description)


def str_enum(name: str, members: Mapping[str, str]) -> type[StrEnum]:
    """Enum's functional API, typed: mypy types `StrEnum(name, members)` as a member, not a class."""
    return cast("type[StrEnum]", StrEnum(name, dict(members)))


Process = graphql_enum(DomainProcess, "Manufacturing processes (a controlled vocabulary).")
CertificationStandard = graphql_enum(DomainCertificationStandard, "Quality and industry certifications.")
ToleranceClass = graphql_enum(DomainToleranceClass, "General tolerances per ISO 2768-1.")
OrderStatus = graphql_enum(DomainOrderStatus, "draft -> open -> awarded | cancelled | expired")
Visibility = graphql_enum(DomainVisibility, "Who may see and bid on an order.")
BuyerAction = graphql_enum(
    DomainBuyerAction,
    "What the buyer may do with its order: updateOrder, publishOrder, cancelOrder, inviteManufacturers.",
)
BidStatus = graphql_enum(DomainBidStatus, "active -> withdrawn | superseded | accepted | rejected | expired")
ContractStatus = graphql_enum(DomainContractStatus, "Where a contract is in its lifecycle.")
ContractAction = graphql_enum(
    DomainContractAction,
    "A step a person may take on a contract, each one mutation: fundContract, startProduction, "
    "submitFirstArticle, approveFirstArticle, rejectFirstArticle, ship, confirmDelivery, acceptDelivery, "
    "openDispute, resolveDispute, cancelContract, submitReview.",
    "ContractAction",
)
ContractActionNeed = graphql_enum(
    DomainActionNeed, "What an action takes besides the button press.", "ContractActionNeed"
)
ContractParty = graphql_enum(
    DomainParty, "A side of a contract, or who moved it (a timer, the payment system).", "ContractParty"
)
TimelineStepState = graphql_enum(
    DomainStepState, "Where a timeline step stands against the current state.", "TimelineStepState"
)
ContractTimer = graphql_enum(
    str_enum("ContractTimer", {name: name for name in dict.fromkeys(TIMERS.values())}),
    "The transition a waiting state's timer takes when `dueAt` passes.",
)
OrganisationKind = graphql_enum(DomainOrganisationKind, "Whether an organisation buys, makes, or both.")
MembershipKind = graphql_enum(DomainMembershipKind, "The organisation's membership of the exchange.")
Role = graphql_enum(DomainRole, "A user's role in an organisation.")
