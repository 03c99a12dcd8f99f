"""Model analysis and previews in the worker, and the part envelope it gives an order.

The worker takes stored STL, STEP and IGES blobs that have no geometry yet, and models and PDF drawings without a
preview (SKIP LOCKED: several workers share the work), reads
them from storage, analyses them off the event loop and records the geometry or the failure. An order's envelope is
the bounding box of its largest analysed current model, unless the buyer set one (setOrderPartEnvelope)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput, Limits, LimitUnit
from domain.files.convert import ConversionFailed, ConversionKind, convert
from domain.files.geometry import Geometry, GeometryFailed, glb_geometry, stl_geometry, stl_preview_glb
from domain.files.models import (
    EnvelopeSource,
    FileGeometry,
    FilePreview,
    GeometryStatus,
    OrderFile,
    OrderPartEnvelope,
    PreviewKind,
    PreviewStatus,
    StoredBlob,
)
from domain.files.outcomes import Failure, FailureCode
from domain.files.rules import FileFormat, has_active_content
from domain.files.service import PREVIEW_TYPES, FilesConfig
from domain.orders import rules as order_rules
from domain.orders.service import load_for_buyer
from domain.ports.storage import BlobMissing, StorageUnavailable, blob_key, put_blob
from domain.uow import UnitOfWork

MAX_ENVELOPE_MM = 100_000.0  # 100 m: anything larger is a typo


MODEL_FORMATS = (FileFormat.stl, FileFormat.step, FileFormat.iges)
PREVIEW_FORMATS = (*MODEL_FORMATS, FileFormat.pdf)


@dataclass
class _Outcome:
    geometry: Geometry | Failure | None = None  # measured, why not, or not wanted
    preview: bytes | Failure | None = None  # the preview's bytes, why none, or not wanted


async def _work(
    blob: StoredBlob, data: bytes, files: FilesConfig, *, want_geometry: bool, want_preview: bool
) -> _Outcome:
    """Geometry and preview of one blob. STEP and IGES are converted once (in a child process) for both."""
    outcome = _Outcome()
    if blob.format is FileFormat.pdf:
        if want_preview:
            if has_active_content(FileFormat.pdf, data):
                outcome.preview = Failure(
                    FailureCode.active_content, "not rendered: the PDF has JavaScript or auto-run actions"
                )
            else:
                try:
                    outcome.preview = await convert("pdf", data, files.conversion)
                except ConversionFailed as failed:
                    outcome.preview = failed.failure
        return outcome
    if blob.format is FileFormat.stl:
        if want_geometry:
            try:
                outcome.geometry = await asyncio.to_thread(stl_geometry, data)
            except GeometryFailed as failed:
                outcome.geometry = failed.failure
        if want_preview:
            try:
                outcome.preview = await asyncio.to_thread(stl_preview_glb, data)
            except GeometryFailed as failed:
                outcome.preview = failed.failure
        return outcome
    kind: ConversionKind = "step" if blob.format is FileFormat.step else "iges"
    try:
        glb = await convert(kind, data, files.conversion)
    except ConversionFailed as failed:
        outcome.geometry = failed.failure if want_geometry else None
        outcome.preview = failed.failure if want_preview else None
        return outcome
    if want_geometry:
        try:
            outcome.geometry = await asyncio.to_thread(glb_geometry, glb)
        except GeometryFailed as failed:
            outcome.geometry = failed.failure
    if want_preview:
        outcome.preview = glb
    return outcome


async def analyse_pending_models(uow: UnitOfWork, *, files: FilesConfig, limit: int = 10) -> int:
    """Analyse up to `limit` stored models (STL, STEP, IGES) without geometry, and make the previews of models and
    PDF drawings that have none; returns how many blobs were recorded (done or failed). A file larger than
    `analysis_max_bytes` is recorded as failed without being read."""
    no_geometry = ~exists().where(FileGeometry.sha256 == StoredBlob.sha256)
    no_preview = ~exists().where(FilePreview.sha256 == StoredBlob.sha256)
    pending = list(
        await uow.session.execute(
            select(StoredBlob, and_(StoredBlob.format.in_(MODEL_FORMATS), no_geometry), no_preview)
            .where(
                or_(
                    and_(StoredBlob.format.in_(MODEL_FORMATS), no_geometry),
                    and_(StoredBlob.format.in_(PREVIEW_FORMATS), no_preview),
                ),
                # Files on orders only: a contract message's attachment is downloaded, never previewed or measured.
                exists().where(OrderFile.sha256 == StoredBlob.sha256),
            )
            .order_by(StoredBlob.created_at)
            .limit(limit)
            .with_for_update(of=StoredBlob, skip_locked=True)
        )
    )
    recorded: list[str] = []
    models: list[str] = []
    now = uow.now()
    for blob, want_geometry, want_preview in pending:
        if blob.size > files.analysis_max_bytes:
            reason = Failure(
                FailureCode.too_large,
                f"larger than the {_binary_size(files.analysis_max_bytes)} analysed",
                files.analysis_max_bytes,
            )
            outcome = _Outcome(reason if want_geometry else None, reason if want_preview else None)
        else:
            try:
                data = await files.storage.get(blob_key(blob.sha256))
            except StorageUnavailable:
                continue  # tried again on the next pass
            except BlobMissing:
                # A recorded state either way, so that one bad blob never holds up the queue behind it.
                reason = Failure(FailureCode.file_missing, "the stored file is missing")
                outcome = _Outcome(reason if want_geometry else None, reason if want_preview else None)
            else:
                outcome = await _work(blob, data, files, want_geometry=want_geometry, want_preview=want_preview)
        if isinstance(outcome.preview, bytes):
            try:
                preview_sha = await put_blob(
                    files.storage, outcome.preview, content_type=PREVIEW_TYPES[_preview_kind(blob)][0]
                )
            except StorageUnavailable:
                continue
            uow.session.add(
                FilePreview(
                    sha256=blob.sha256,
                    status=PreviewStatus.done,
                    kind=_preview_kind(blob),
                    preview_sha256=preview_sha,
                    size=len(outcome.preview),
                    made_at=now,
                )
            )
        elif isinstance(outcome.preview, Failure):
            uow.session.add(
                FilePreview(
                    sha256=blob.sha256,
                    status=PreviewStatus.failed,
                    kind=_preview_kind(blob),
                    error=outcome.preview.message,
                    error_code=outcome.preview.code,
                    error_limit=outcome.preview.limit,
                    made_at=now,
                )
            )
        if isinstance(outcome.geometry, Geometry):
            geometry = outcome.geometry
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
            models.append(blob.sha256)
        elif isinstance(outcome.geometry, Failure):
            failure = outcome.geometry
            uow.session.add(
                FileGeometry(
                    sha256=blob.sha256,
                    status=GeometryStatus.failed,
                    error=failure.message,
                    error_code=failure.code,
                    error_limit=failure.limit,
                    analysed_at=now,
                )
            )
            models.append(blob.sha256)
        recorded.append(blob.sha256)
    if recorded:
        await uow.session.flush()
    if models:
        orders = list(
            await uow.session.scalars(
                select(OrderFile.order_id)
                .where(OrderFile.sha256.in_(models), OrderFile.superseded_at.is_(None))
                .distinct()
            )
        )
        await refresh_envelopes(uow.session, orders, uow)
    await uow.commit()
    return len(recorded)


def _binary_size(size: int) -> str:
    return f"{size // 1024**2} MiB" if size >= 1024**2 else f"{size // 1024} KiB"


def _preview_kind(blob: StoredBlob) -> PreviewKind:
    return PreviewKind.page if blob.format is FileFormat.pdf else PreviewKind.model


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
        select(
            OrderFile.order_id,
            OrderFile.id,
            OrderFile.name,
            OrderFile.format,
            G.size_x_mm,
            G.size_y_mm,
            G.size_z_mm,
            G.volume_mm3,
        )
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
    largest: dict[UUID, tuple[UUID, str, FileFormat, float | None, float | None, float | None, float | None]] = {}
    for order_id, file_id, name, fmt, x, y, z, volume in rows:
        largest.setdefault(order_id, (file_id, name, fmt, x, y, z, volume))
    now = uow.now()
    for order_id in wanted:
        if order_id not in largest:
            await session.execute(delete(OrderPartEnvelope).where(OrderPartEnvelope.order_id == order_id))
            continue
        file_id, name, fmt, x, y, z, volume = largest[order_id]
        values = {
            "model_name": name,
            "model_format": fmt.value,
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
                    f"between 0 and {MAX_ENVELOPE_MM:.0f} mm",
                    f"envelope.{axis}",
                    ErrorCode.OUT_OF_RANGE,
                    # Above zero: the least a size is written with (geometry is measured to a micrometre).
                    limits=Limits(LimitUnit.MILLIMETRES, min=Decimal("0.001"), max=int(MAX_ENVELOPE_MM)),
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
