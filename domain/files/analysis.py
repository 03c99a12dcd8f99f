"""Model analysis in the worker, and the part envelope it gives an order.

The worker takes stored STL blobs that have no geometry yet (SKIP LOCKED: several workers share the work), reads
them from storage, analyses them off the event loop and records the geometry or the failure. An order's envelope is
the bounding box of its largest analysed current model, unless the buyer set one (setOrderPartEnvelope)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput
from domain.files.geometry import GeometryFailed, stl_geometry
from domain.files.models import (
    EnvelopeSource,
    FileGeometry,
    GeometryStatus,
    OrderFile,
    OrderPartEnvelope,
    StoredBlob,
)
from domain.files.rules import FileFormat
from domain.files.service import FilesConfig
from domain.orders import rules as order_rules
from domain.orders.service import load_for_buyer
from domain.ports.storage import BlobMissing, StorageUnavailable, blob_key
from domain.uow import UnitOfWork

MAX_ENVELOPE_MM = 100_000.0  # 100 m: anything larger is a typo


async def analyse_pending_models(uow: UnitOfWork, *, files: FilesConfig, limit: int = 10) -> int:
    """Analyse up to `limit` STL blobs without geometry; returns how many were recorded (done or failed)."""
    pending = list(
        await uow.session.scalars(
            select(StoredBlob)
            .where(
                StoredBlob.format == FileFormat.stl,
                ~exists().where(FileGeometry.sha256 == StoredBlob.sha256),
            )
            .order_by(StoredBlob.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    recorded: list[str] = []
    now = uow.now()
    for blob in pending:
        try:
            data = await files.storage.get(blob_key(blob.sha256))
            geometry = await asyncio.to_thread(stl_geometry, data)
        except StorageUnavailable:
            continue  # tried again on the next pass
        except (BlobMissing, GeometryFailed) as failure:
            # A recorded state either way, so that one bad blob never holds up the queue behind it.
            reason = "the stored file is missing" if isinstance(failure, BlobMissing) else str(failure)
            uow.session.add(
                FileGeometry(sha256=blob.sha256, status=GeometryStatus.failed, error=reason, analysed_at=now)
            )
        else:
            uow.session.add(
                FileGeometry(
                    sha256=blob.sha256,
                    status=GeometryStatus.done,
                    size_x_mm=geometry.size_x_mm,
                    size_y_mm=geometry.size_y_mm,
                    size_z_mm=geometry.size_z_mm,
                    volume_mm3=geometry.volume_mm3,
                    area_mm2=geometry.area_mm2,
                    triangles=geometry.triangles,
                    analysed_at=now,
                )
            )
        recorded.append(blob.sha256)
    if recorded:
        await uow.session.flush()
        orders = list(
            await uow.session.scalars(
                select(OrderFile.order_id)
                .where(OrderFile.sha256.in_(recorded), OrderFile.superseded_at.is_(None))
                .distinct()
            )
        )
        await refresh_envelopes(uow.session, orders, uow)
    await uow.commit()
    return len(recorded)


async def refresh_envelopes(session: AsyncSession, order_ids: Sequence[UUID], uow: UnitOfWork) -> None:
    """Orders whose envelope comes from their models: the largest analysed current model's bounding box (by its
    volume), or none."""
    if not order_ids:
        return
    buyer_set = set(
        await session.scalars(
            select(OrderPartEnvelope.order_id).where(
                OrderPartEnvelope.order_id.in_(list(order_ids)), OrderPartEnvelope.source == EnvelopeSource.buyer
            )
        )
    )
    wanted = [order_id for order_id in order_ids if order_id not in buyer_set]
    if not wanted:
        return
    G = FileGeometry
    rows = await session.execute(
        select(OrderFile.order_id, OrderFile.id, G.size_x_mm, G.size_y_mm, G.size_z_mm, G.volume_mm3)
        .join(G, G.sha256 == OrderFile.sha256)
        .where(
            OrderFile.order_id.in_(wanted),
            OrderFile.superseded_at.is_(None),
            G.status == GeometryStatus.done,
            G.size_x_mm > 0,
            G.size_y_mm > 0,
            G.size_z_mm > 0,
        )
        .order_by(OrderFile.order_id, (G.size_x_mm * G.size_y_mm * G.size_z_mm).desc(), OrderFile.created_at)
    )
    # The sizes are never null here (the select keeps those over 0); the columns allow null for failed analyses.
    largest: dict[UUID, tuple[UUID, float | None, float | None, float | None, float | None]] = {}
    for order_id, file_id, x, y, z, volume in rows:
        largest.setdefault(order_id, (file_id, x, y, z, volume))
    now = uow.now()
    for order_id in wanted:
        if order_id not in largest:
            await session.execute(delete(OrderPartEnvelope).where(OrderPartEnvelope.order_id == order_id))
            continue
        file_id, x, y, z, volume = largest[order_id]
        values = {
            "x_mm": x,
            "y_mm": y,
            "z_mm": z,
            "volume_mm3": volume,
            "source": EnvelopeSource.model,
            "file_id": file_id,
            "updated_at": now,
        }
        await session.execute(
            insert(OrderPartEnvelope)
            .values(order_id=order_id, **values)
            .on_conflict_do_update(index_elements=["order_id"], set_=values)
        )


async def set_part_envelope(
    uow: UnitOfWork, *, actor: Actor, order_id: UUID, size_mm: tuple[float, float, float] | None
) -> OrderPartEnvelope | None:
    """The buyer gives (or corrects) the part's size; None goes back to the size of the largest model."""
    order = await load_for_buyer(uow, actor, order_id, "orderId")
    if not order_rules.editable(order.status):
        raise DomainError(ErrorCode.ORDER_NOT_EDITABLE, f"the part size of a {order.status} order is fixed", "orderId")
    await uow.session.execute(delete(OrderPartEnvelope).where(OrderPartEnvelope.order_id == order.id))
    if size_mm is None:
        await refresh_envelopes(uow.session, [order.id], uow)
    else:
        for axis, value in zip(("xMm", "yMm", "zMm"), size_mm, strict=True):
            if not 0 < value <= MAX_ENVELOPE_MM:
                raise InvalidInput(
                    f"between 0 and {MAX_ENVELOPE_MM:.0f} mm", f"envelope.{axis}", ErrorCode.OUT_OF_RANGE
                )
        uow.session.add(
            OrderPartEnvelope(
                order_id=order.id,
                x_mm=size_mm[0],
                y_mm=size_mm[1],
                z_mm=size_mm[2],
                source=EnvelopeSource.buyer,
                updated_at=uow.now(),
            )
        )
    await uow.session.flush()
    envelope = await uow.session.get(OrderPartEnvelope, order.id)
    await uow.commit()
    return envelope


async def envelopes_by_order_ids(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, OrderPartEnvelope]:
    rows = await session.scalars(select(OrderPartEnvelope).where(OrderPartEnvelope.order_id.in_(list(ids))))
    return {row.order_id: row for row in rows}


async def geometry_by_sha256(session: AsyncSession, digests: Sequence[str]) -> dict[str, FileGeometry]:
    rows = await session.scalars(select(FileGeometry).where(FileGeometry.sha256.in_(list(digests))))
    return {row.sha256: row for row in rows}
