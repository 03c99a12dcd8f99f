"""GraphQL enums made from the domain's vocabularies: UPPER_CASE names, the domain's values underneath."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any

import strawberry

from domain.actor import Role as DomainRole
from domain.bids.models import BidStatus as DomainBidStatus
from domain.contracts.process import ContractStatus as DomainContractStatus
from domain.manufacturers.vocabulary import CertificationStandard as DomainCertificationStandard
from domain.manufacturers.vocabulary import Process as DomainProcess
from domain.manufacturers.vocabulary import ToleranceClass as DomainToleranceClass
from domain.orders.models import OrderStatus as DomainOrderStatus
from domain.orders.models import Visibility as DomainVisibility
from domain.orders.rules import BuyerAction as DomainBuyerAction
from domain.organisations.models import MembershipKind as DomainMembershipKind
from domain.organisations.models import OrganisationKind as DomainOrganisationKind


def graphql_enum(domain_enum: type[Enum], description: str) -> Any:
    mirrored = StrEnum(domain_enum.__name__, {m.name.upper(): m.value for m in domain_enum})  # type: ignore[misc]
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
OrganisationKind = graphql_enum(DomainOrganisationKind, "Whether an organisation buys, makes, or both.")
MembershipKind = graphql_enum(DomainMembershipKind, "The organisation's membership of the exchange.")
Role = graphql_enum(DomainRole, "A user's role in an organisation.")
