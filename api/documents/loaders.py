from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.documents.models import ContractDocument, DocumentAccess, DocumentSignature
from domain.documents.service import (
    access_by_document_ids,
    documents_by_contract_ids,
    parties_without_legal_details,
    readable_documents_by_ids,
    signatures_by_document_ids,
)


class DocumentsByContractIdLoader(BatchLoader[UUID, list[ContractDocument]]):
    """The documents of each contract that the viewer may read (the contract's visibility is the caller's)."""

    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[ContractDocument]]:
        return await documents_by_contract_ids(session, actor=self.context.actor, contract_ids=keys)


class SignaturesByDocumentIdLoader(BatchLoader[UUID, list[DocumentSignature]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[DocumentSignature]]:
        return await signatures_by_document_ids(session, keys)


class AccessByDocumentIdLoader(BatchLoader[UUID, list[DocumentAccess]]):
    """The audit of documents the viewer was shown (ContractDocument nodes are resolved for their readers only)."""

    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[DocumentAccess]]:
        return await access_by_document_ids(session, keys)


class PartiesWithoutLegalDetailsLoader(BatchLoader[tuple[UUID, UUID, UUID], list[UUID]]):
    """Per (contract, buyer, manufacturer): the parties without legal details, whom the documents wait for."""

    default = list

    async def fetch(
        self, session: AsyncSession, keys: list[tuple[UUID, UUID, UUID]]
    ) -> Mapping[tuple[UUID, UUID, UUID], list[UUID]]:
        found = await parties_without_legal_details(session, keys)
        return {key: found[key[0]] for key in keys}


class ReadableDocumentByIdLoader(BatchLoader[UUID, ContractDocument | None]):
    """Documents by id for node(id:): those the viewer may read; the rest load as None."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, ContractDocument]:
        return await readable_documents_by_ids(session, actor=self.context.actor, ids=keys)
