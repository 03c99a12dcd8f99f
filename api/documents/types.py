from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.documents.loaders import AccessByDocumentIdLoader, ReadableDocumentByIdLoader, SignaturesByDocumentIdLoader
from api.enums import graphql_enum
from api.nodes import load_nodes
from api.organisations.loaders import OrganisationByIdLoader, UserByIdLoader
from api.organisations.types import Organisation
from domain.documents.models import ContractDocument as ContractDocumentRow
from domain.documents.models import DocumentAccess as DocumentAccessRow
from domain.documents.models import DocumentAction as DomainDocumentAction
from domain.documents.models import DocumentKind as DomainDocumentKind
from domain.documents.models import DocumentLanguage as DomainDocumentLanguage
from domain.documents.models import DocumentSignature as DocumentSignatureRow
from domain.documents.service import PDF, SIGNATURE_CONTENT_TYPE

DocumentKind = graphql_enum(
    DomainDocumentKind,
    "A contract document: CONTRACT and ESCROW_INVOICE at award; CLOSING_ACT (УПД/act) and FEE_INVOICE (the "
    "exchange's invoice for its fee, one addressed to each party) at completion.",
)
DocumentLanguage = graphql_enum(
    DomainDocumentLanguage, "RU is always issued; EN on request (requestContractDocumentCopy)."
)


@strawberry.type(
    description="A stored file: download it through requestContractDocumentDownload (every download is audited); "
    "compare `sha256` after."
)
class DocumentFile:
    name: str
    content_type: str
    size: int
    sha256: str = strawberry.field(description="The content's SHA-256, hex: the same document always hashes the same.")


DocumentAction = graphql_enum(
    DomainDocumentAction,
    "What a person did with a contract document: DOWNLOAD (a download link was issued to them, of the document or "
    "of a signature) or SIGNATURE_ATTACHED.",
)


@strawberry.type(
    description="One line of a document's audit: who did what with it, for which party, when, which bytes."
)
class DocumentAccess:
    action: DocumentAction  # type: ignore[valid-type]
    at: datetime
    sha256: str = strawberry.field(description="The bytes handed out (or, for a signature, received).")
    signature_id: strawberry.Private[UUID | None]
    user_id: strawberry.Private[UUID]
    organisation_id: strawberry.Private[UUID | None]

    @classmethod
    def from_row(cls, row: DocumentAccessRow) -> DocumentAccess:
        return cls(
            action=row.action.value,
            at=row.at,
            sha256=row.sha256,
            signature_id=row.signature_id,
            user_id=row.user_id,
            organisation_id=row.organisation_id,
        )

    @strawberry.field(description="The person: their name.")
    async def person(self, info: Info) -> str:
        user = await info.context.loader(UserByIdLoader).load(self.user_id)
        return user.full_name if user else ""

    @strawberry.field(description="The party the person acted for; null: an operator of the exchange.")
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_id is None:
            return None
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        return Organisation.from_row(row) if row else None

    @strawberry.field(description="The signature concerned; null: the document itself.")
    def signature(self) -> relay.GlobalID | None:
        return relay.GlobalID("DocumentSignature", str(self.signature_id)) if self.signature_id else None


@strawberry.type(
    description="A detached e-signature (CMS, .sig/.p7s) a party attached to a document. The platform stores it "
    "as given and does not verify it."
)
class DocumentSignature(relay.Node):
    id: relay.NodeID[str]
    created_at: datetime = strawberry.field(description="When it was attached.")
    file: DocumentFile
    organisation_id: strawberry.Private[UUID]
    user_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: DocumentSignatureRow) -> DocumentSignature:
        return cls(
            id=str(row.id),
            created_at=row.created_at,
            file=DocumentFile(
                name=row.name,
                content_type=SIGNATURE_CONTENT_TYPE,
                size=row.size,
                sha256=row.sha256,
            ),
            organisation_id=row.organisation_id,
            user_id=row.user_id,
        )

    @strawberry.field(description="The party that attached it.")
    async def organisation(self, info: Info) -> Organisation | None:
        row = await info.context.loader(OrganisationByIdLoader).load(self.organisation_id)
        return Organisation.from_row(row) if row else None

    @strawberry.field(description="Who attached it: the person's name.")
    async def attached_by(self, info: Info) -> str:
        user = await info.context.loader(UserByIdLoader).load(self.user_id)
        return user.full_name if user else ""


@strawberry.type(
    description="A document the exchange issued on a contract, immutable once issued. Read by the two parties and "
    "operators; a fee invoice only by the party it is addressed to (and operators)."
)
class ContractDocument(relay.Node):
    id: relay.NodeID[str]
    kind: DocumentKind  # type: ignore[valid-type]
    language: DocumentLanguage  # type: ignore[valid-type]
    number: str
    issued_on: datetime = strawberry.field(description="The date printed on it (award or completion).")
    created_at: datetime
    file: DocumentFile
    addressee_organisation_id: strawberry.Private[UUID | None]

    @classmethod
    def from_row(cls, row: ContractDocumentRow) -> ContractDocument:
        return cls(
            id=str(row.id),
            kind=row.kind.value,
            language=row.language.value,
            number=row.number,
            issued_on=row.issued_on,
            created_at=row.created_at,
            file=DocumentFile(name=row.name, content_type=PDF, size=row.size, sha256=row.sha256),
            addressee_organisation_id=row.addressee_organisation_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        """Only for those who may read the document (its parties, operators; a fee invoice its addressee)."""
        return await load_nodes(info.context.loader(ReadableDocumentByIdLoader), node_ids, cls.from_row)

    @strawberry.field(description="The party a fee invoice is addressed to; null for documents of both parties.")
    async def addressee(self, info: Info) -> Organisation | None:
        if self.addressee_organisation_id is None:
            return None
        row = await info.context.loader(OrganisationByIdLoader).load(self.addressee_organisation_id)
        return Organisation.from_row(row) if row else None

    @strawberry.field(description="Detached signatures the parties attached, oldest first.")
    async def signatures(self, info: Info) -> list[DocumentSignature]:
        rows = await info.context.loader(SignaturesByDocumentIdLoader).load(UUID(self.id))
        return [DocumentSignature.from_row(row) for row in rows]

    @strawberry.field(
        description="Its audit, newest first: every download link issued and every signature attached, with who, for "
        "which party and when. Seen by whoever may read the document (its parties and operators)."
    )
    async def access_log(self, info: Info) -> list[DocumentAccess]:
        rows = await info.context.loader(AccessByDocumentIdLoader).load(UUID(self.id))
        return [DocumentAccess.from_row(row) for row in rows]
