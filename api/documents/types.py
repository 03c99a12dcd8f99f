from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.documents.loaders import SignaturesByDocumentIdLoader
from api.enums import graphql_enum
from api.organisations.loaders import OrganisationByIdLoader, UserByIdLoader
from api.organisations.types import Organisation
from domain.documents.models import ContractDocument as ContractDocumentRow
from domain.documents.models import DocumentKind as DomainDocumentKind
from domain.documents.models import DocumentLanguage as DomainDocumentLanguage
from domain.documents.models import DocumentSignature as DocumentSignatureRow
from domain.documents.service import PDF, SIGNATURE_CONTENT_TYPE, download_url

DocumentKind = graphql_enum(
    DomainDocumentKind,
    "A contract document: CONTRACT and ESCROW_INVOICE at award; CLOSING_ACT (УПД/act) and FEE_INVOICE (the "
    "exchange's invoice for its fee, one addressed to each party) at completion.",
)
DocumentLanguage = graphql_enum(
    DomainDocumentLanguage, "RU is always issued; EN on request (requestContractDocumentCopy)."
)


@strawberry.type(description="A stored file: download it from `url` (short-lived); compare `sha256` after.")
class DocumentFile:
    name: str
    content_type: str
    size: int
    sha256: str = strawberry.field(description="The content's SHA-256, hex: the same document always hashes the same.")

    @strawberry.field(description="A signed link, valid for EXCHANGE_FILES_URL_TTL_SECONDS; null without file storage.")
    def url(self, info: Info) -> str | None:
        files = info.context.deps.files
        if files is None:
            return None
        return download_url(
            files, sha256=self.sha256, name=self.name, content_type=self.content_type, now=info.context.clock.now()
        )


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
