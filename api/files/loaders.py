from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.loaders import BatchLoader
from domain.files.analysis import envelopes_by_order_ids, geometry_by_sha256
from domain.files.models import (
    FileDownload,
    FileGeometry,
    FilePreview,
    NdaAcceptance,
    OrderFile,
    OrderPartEnvelope,
)
from domain.files.service import (
    OrderFilesView,
    download_audit,
    files_by_ids,
    nda_acceptances,
    order_files,
    previews_by_sha256,
)


class OrderFilesByOrderIdLoader(BatchLoader[UUID, OrderFilesView | None]):
    """What the viewer sees of each order's files (access, NDA, current files and their history): a page of orders
    in at most four statements."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, OrderFilesView]:
        return await order_files(session, actor=self.context.actor, order_ids=keys)


class OrderFileByIdLoader(BatchLoader[UUID, OrderFile | None]):
    """File revisions the viewer may download now; the rest load as None."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, OrderFile]:
        return await files_by_ids(session, actor=self.context.actor, ids=keys)


class PartEnvelopeByOrderIdLoader(BatchLoader[UUID, OrderPartEnvelope | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, OrderPartEnvelope]:
        return await envelopes_by_order_ids(session, keys)


class GeometryBySha256Loader(BatchLoader[str, FileGeometry | None]):
    async def fetch(self, session: AsyncSession, keys: list[str]) -> Mapping[str, FileGeometry]:
        return await geometry_by_sha256(session, keys)


class PreviewBySha256Loader(BatchLoader[str, FilePreview | None]):
    async def fetch(self, session: AsyncSession, keys: list[str]) -> Mapping[str, FilePreview]:
        return await previews_by_sha256(session, keys)


class NdaAcceptancesByOrderIdLoader(BatchLoader[UUID, list[NdaAcceptance] | None]):
    """The buyer's (and operators') view; None for orders the viewer does not buy."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[NdaAcceptance]]:
        return await nda_acceptances(session, actor=self.context.actor, order_ids=keys)


class FileDownloadsByOrderIdLoader(BatchLoader[UUID, list[FileDownload] | None]):
    """The buyer's (and operators') view; None for orders the viewer does not buy."""

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> Mapping[UUID, list[FileDownload]]:
        return await download_audit(session, actor=self.context.actor, order_ids=keys)
