"""Tables of the documents area: the documents the exchange issues on a contract (rendered PDFs, stored by content
through the files storage port, never changed once issued), the detached e-signatures the parties attach to them,
and the copies in other languages a party asked for."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlmodel import Field, SQLModel

from domain.columns import TIMESTAMPTZ, enum_type

# The outbox topic of the document relay (exchange/document_relay.py): its key is a contract id whose documents may be
# due: at award, at completion, a copy requested, or a party's legal details given at last.
DOCUMENTS_TOPIC = "contract_documents"


class DocumentKind(StrEnum):
    contract = "contract"  # at award: the agreement itself
    escrow_invoice = "escrow_invoice"  # at award: the invoice the buyer pays into escrow
    closing_act = "closing_act"  # at completion: what was delivered and accepted (УПД / act)
    fee_invoice = "fee_invoice"  # at completion: the platform's invoice for its fee, one to each party


class DocumentLanguage(StrEnum):
    ru = "ru"  # always issued
    en = "en"  # on request (requestContractDocumentCopy)


class ContractDocument(SQLModel, table=True):
    """One issued document. Its bytes are the blob `sha256`; the same inputs render the same bytes."""

    __tablename__ = "contract_document"
    __table_args__ = (
        # One of each kind, language and addressee per contract: the worker may run twice, it issues once.
        Index(
            "uq_contract_document_kind",
            "contract_id",
            "kind",
            "language",
            "addressee_organisation_id",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")])
    kind: DocumentKind = Field(sa_type=enum_type(DocumentKind, "kind"))
    language: DocumentLanguage = Field(sa_type=enum_type(DocumentLanguage, "language", length=8))
    # Fee invoices are addressed to one party and readable by it (and operators) only; None: both parties.
    addressee_organisation_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("organisation.id")])
    number: str = Field(sa_type=String(64))
    name: str = Field(sa_type=String(120))  # the file name it downloads as
    sha256: str = Field(sa_type=String(64), sa_column_args=[ForeignKey("stored_blob.sha256")])
    size: int = Field(sa_type=BigInteger)
    issued_on: datetime = Field(sa_type=TIMESTAMPTZ)  # the date printed on it, from the contract's own data
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class DocumentSignature(SQLModel, table=True):
    """A detached signature (CMS, .sig/.p7s) a party attached to a document. Stored as given; the platform does not
    verify it."""

    __tablename__ = "contract_document_signature"
    __table_args__ = (Index("ix_contract_document_signature_document", "document_id", "created_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    document_id: UUID = Field(sa_column_args=[ForeignKey("contract_document.id", ondelete="CASCADE")])
    organisation_id: UUID = Field(sa_column_args=[ForeignKey("organisation.id")])
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    name: str = Field(sa_type=String(120))
    sha256: str = Field(sa_type=String(64))  # the blob in the files storage (content-addressed)
    size: int = Field(sa_type=BigInteger)
    created_at: datetime = Field(sa_type=TIMESTAMPTZ)


class DocumentCopyRequest(SQLModel, table=True):
    """A party asked for the contract's documents in another language; the worker issues them (and any issued
    later) in it too."""

    __tablename__ = "contract_document_copy_request"

    contract_id: UUID = Field(sa_column_args=[ForeignKey("contract.id", ondelete="CASCADE")], primary_key=True)
    language: DocumentLanguage = Field(sa_type=enum_type(DocumentLanguage, "language", length=8), primary_key=True)
    requested_by_user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    requested_at: datetime = Field(sa_type=TIMESTAMPTZ)


class DocumentAction(StrEnum):
    download = "download"  # a download URL was issued to the person (of the document or of one of its signatures)
    signature_attached = "signature_attached"  # the person attached a detached signature to the document


class DocumentAccess(SQLModel, table=True):
    """The audit of a contract document: every download URL issued and every signature attached (who, for which
    party, when, which document and which bytes), shown to the document's readers. A refused request writes none."""

    __tablename__ = "contract_document_access"
    __table_args__ = (Index("ix_contract_document_access_document", "document_id", "at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    document_id: UUID = Field(sa_column_args=[ForeignKey("contract_document.id", ondelete="CASCADE")])
    # The signature downloaded or attached; None: the document itself.
    signature_id: UUID | None = Field(
        default=None,
        sa_column_args=[
            ForeignKey(
                "contract_document_signature.id", ondelete="CASCADE", name="fk_contract_document_access_signature_id"
            )
        ],
    )
    action: DocumentAction = Field(sa_type=enum_type(DocumentAction, "action"))
    sha256: str = Field(sa_type=String(64))  # the bytes handed out or received
    user_id: UUID = Field(sa_column_args=[ForeignKey("app_user.id")])
    # The party the person acted for; None: an operator.
    organisation_id: UUID | None = Field(default=None, sa_column_args=[ForeignKey("organisation.id")])
    at: datetime = Field(sa_type=TIMESTAMPTZ)
