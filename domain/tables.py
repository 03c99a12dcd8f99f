"""Every table, imported once so that SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from domain.backfill import BackfillProgress
from domain.bids.models import Bid, BidFeedback
from domain.capacity.models import CapacityReservation
from domain.contracts.models import Contract, ContractEvent, Milestone
from domain.documents.models import ContractDocument, DocumentAccess, DocumentCopyRequest, DocumentSignature
from domain.files.models import (
    FileDownload,
    FileGeometry,
    FileUpload,
    NdaAcceptance,
    OrderFile,
    OrderNda,
    OrderPartEnvelope,
    StoredBlob,
)
from domain.identity.models import AuthToken, User
from domain.ledger.models import BankTransfer, LedgerPosting, LedgerTransaction, PaymentInstruction
from domain.manufacturers.models import CapacityListing, Certification, ManufacturerProfile
from domain.matching.models import ManufacturerRecord, MatchCandidate
from domain.messages.models import ContractMessage
from domain.notifications.models import Notification, NotificationPreference
from domain.orders.models import OrderInvitation, ProductionOrder
from domain.organisations.models import Membership, Organisation, OrganisationLegalDetails
from domain.outbox import OutboxMessage
from domain.payments.models import ProviderEvent
from domain.questions.models import OrderQuestion
from domain.reviews.models import Review
from domain.saved_searches.models import SavedSearch
from domain.taxes.models import VatRate

metadata = SQLModel.metadata

__all__ = [
    "AuthToken",
    "BackfillProgress",
    "BankTransfer",
    "Bid",
    "BidFeedback",
    "CapacityListing",
    "CapacityReservation",
    "Certification",
    "Contract",
    "ContractDocument",
    "ContractEvent",
    "ContractMessage",
    "DocumentAccess",
    "DocumentCopyRequest",
    "DocumentSignature",
    "FileDownload",
    "FileGeometry",
    "FileUpload",
    "LedgerPosting",
    "LedgerTransaction",
    "ManufacturerProfile",
    "ManufacturerRecord",
    "MatchCandidate",
    "Membership",
    "Milestone",
    "NdaAcceptance",
    "Notification",
    "NotificationPreference",
    "OrderFile",
    "OrderInvitation",
    "OrderNda",
    "OrderPartEnvelope",
    "OrderQuestion",
    "Organisation",
    "OrganisationLegalDetails",
    "OutboxMessage",
    "PaymentInstruction",
    "ProductionOrder",
    "ProviderEvent",
    "Review",
    "SavedSearch",
    "StoredBlob",
    "User",
    "VatRate",
    "metadata",
]
