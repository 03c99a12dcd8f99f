"""Every table, imported once so that SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from domain.bids.models import Bid
from domain.contracts.models import Contract, ContractEvent
from domain.identity.models import AuthToken, User
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.orders.models import OrderInvitation, ProductionOrder
from domain.organisations.models import Membership, Organisation
from domain.outbox import OutboxMessage

metadata = SQLModel.metadata

__all__ = [
    "AuthToken",
    "Bid",
    "CapacityListing",
    "Certification",
    "Contract",
    "ContractEvent",
    "ManufacturerProfile",
    "Membership",
    "OrderInvitation",
    "Organisation",
    "OutboxMessage",
    "ProductionOrder",
    "User",
    "metadata",
]
