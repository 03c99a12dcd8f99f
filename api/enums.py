"""GraphQL enums made from the domain's vocabularies: UPPER_CASE names, the domain's values underneath."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any

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


def graphql_enum(domain_enum: type[Enum], description: str, name: str | None = None) -> Any:
    mirrored = StrEnum(name or domain_enum.__name__, {m.name.upper(): m.value for m in domain_enum})  # type: ignore[misc]
    return strawberry.enum(mirrored, description=description)


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
    StrEnum("ContractTimer", {name: name for name in dict.fromkeys(TIMERS.values())}),  # type: ignore[misc]
    "The transition a waiting state's timer takes when `dueAt` passes.",
)
OrganisationKind = graphql_enum(DomainOrganisationKind, "Whether an organisation buys, makes, or both.")
MembershipKind = graphql_enum(DomainMembershipKind, "The organisation's membership of the exchange.")
Role = graphql_enum(DomainRole, "A user's role in an organisation.")
