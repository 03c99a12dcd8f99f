from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.documents.models import ContractDocument, DocumentSignature
from domain.documents.service import documents_by_contract_ids, signatures_by_document_ids


class DocumentsByContractIdLoader(BatchLoader[UUID, list[ContractDocument]]):
    """The documents of each contract that the viewer may read (the contract's visibility is the caller's)."""

    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[ContractDocument]]:
        return await documents_by_contract_ids(session, actor=self.context.actor, contract_ids=keys)


class SignaturesByDocumentIdLoader(BatchLoader[UUID, list[DocumentSignature]]):
    default = list

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[DocumentSignature]]:
        return await signatures_by_document_ids(session, keys)
