from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry import relay

from api.context import Info
from api.organisations.loaders import OrganisationByIdLoader
from api.organisations.types import Organisation
from api.relay import encode_id
from domain.messages.models import ContractMessage as ContractMessageRow
from domain.messages.rules import Attachment as DomainAttachment
from domain.messages.rules import AttachmentLimits


@strawberry.type(
    description="A file attached to a message: uploaded with it and stored by the exchange (`stored`; download it "
    "with requestMessageAttachmentDownload), or, for messages that only named a file, its metadata."
)
class Attachment:
    name: str
    size_bytes: int
    content_type: str
    checksum: str = strawberry.field(description="sha256:<hex> of the file's bytes.")
    stored: bool = strawberry.field(description="The bytes are stored here and can be downloaded.")


@strawberry.type(description="What the files sent with one contract message may be (messageAttachmentLimits).")
class MessageAttachmentLimits:
    max_files: int = strawberry.field(description="The most files one message carries (0: files cannot be sent).")
    max_file_bytes: int = strawberry.field(description="The largest file accepted, in bytes.")
    max_total_bytes: int = strawberry.field(
        description="The most bytes one message's files take together (they travel in one request)."
    )
    formats: list[str] = strawberry.field(
        description="The formats accepted, read from the content: lower-case names as in "
        'FileRejectedError.allowedFormats ("pdf", "step").'
    )
    extensions: list[str] = strawberry.field(
        description='The file name endings of those formats (".pdf", ".stp"), e.g. for a file input\'s accept.'
    )

    @classmethod
    def from_domain(cls, limits: AttachmentLimits) -> MessageAttachmentLimits:
        return cls(
            max_files=limits.max_files,
            max_file_bytes=limits.max_file_bytes,
            max_total_bytes=limits.max_total_bytes,
            formats=list(limits.formats),
            extensions=list(limits.extensions),
        )


@strawberry.input(
    description="A file named without its bytes (metadata only). To attach the file itself, send it in "
    "postContractMessage's `files` (a GraphQL multipart request)."
)
class AttachmentInput:
    name: str
    size_bytes: int
    content_type: str = strawberry.field(description="A MIME type, e.g. application/pdf.")
    checksum: str = strawberry.field(description="sha256:<64 hex digits> of the file's bytes.")

    def to_domain(self) -> DomainAttachment:
        return DomainAttachment(self.name, self.size_bytes, self.content_type, self.checksum)


@strawberry.type(description="A message between the two parties of a contract.")
class ContractMessage:
    id: strawberry.ID
    body: str
    attachments: list[Attachment]
    created_at: datetime
    author_organisation_id: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, row: ContractMessageRow) -> ContractMessage:
        return cls(
            id=encode_id("ContractMessage", row.id),
            body=row.body,
            attachments=[
                Attachment(
                    name=a["name"],
                    size_bytes=a["size_bytes"],
                    content_type=a["content_type"],
                    checksum=a["checksum"],
                    stored=bool(a.get("stored", False)),
                )
                for a in row.attachments
            ],
            created_at=row.created_at,
            author_organisation_id=row.author_organisation_id,
        )

    @strawberry.field(description="The party that wrote it.")
    async def author(self, info: Info) -> Organisation:
        row = await info.context.loader(OrganisationByIdLoader).load(self.author_organisation_id)
        assert row is not None
        return Organisation.from_row(row)

    @strawberry.field
    def from_your_organisation(self, info: Info) -> bool:
        return info.context.actor.is_member(self.author_organisation_id)


@strawberry.type
class ContractMessageConnection(relay.Connection[ContractMessage]):  # type: ignore[type-var]
    """A page of messages, oldest first."""
