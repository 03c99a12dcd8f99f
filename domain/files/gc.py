"""Garbage collection of stored files, in the worker. Blobs are content-addressed and shared, so nothing removes
one when a file row goes (an order deleted with its files, a message's attachment gone); this does, after a grace
period, in two sweeps:

- `collect_unreferenced_blobs` (every worker pass, cheap): stored_blob rows older than the grace period that no order
  file, contract message attachment or upload in flight names lose their object, their preview's object and then
  the row (its geometry and preview rows go with it, ON DELETE CASCADE). SKIP LOCKED: several workers share it.
- `sweep_orphan_objects` (now and then: it lists the whole store): objects no row knows, older than the grace
  period — bytes written by an upload whose transaction then failed, a crash between storing and recording, an
  interrupted local write (`.incoming-` temporaries), a direct upload's object whose row is gone.

Uploads that were never finished are removed at their expiry by uploads.remove_expired_uploads (row and object).
A storage outage leaves everything for a later pass."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy import and_, delete, exists, func, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB

from domain.files.models import FilePreview, FileUpload, OrderFile, StoredBlob
from domain.files.service import FilesConfig
from domain.messages.models import ContractMessage
from domain.ports.storage import SHA256_HEX, StorageUnavailable, blob_key
from domain.uow import UnitOfWork

_UPLOAD_KEY = re.compile(r"^uploads/([0-9a-f-]{36})$")


async def collect_unreferenced_blobs(uow: UnitOfWork, *, files: FilesConfig, limit: int = 200) -> int:
    """Remove up to `limit` blobs nothing refers to any more (older than the grace period); returns how many."""
    cutoff = uow.now() - files.gc_grace
    attached = func.jsonb_build_array(func.jsonb_build_object("checksum", literal("sha256:") + StoredBlob.sha256))
    candidates = list(
        await uow.session.scalars(
            select(StoredBlob)
            .where(
                StoredBlob.created_at <= cutoff,
                ~exists().where(OrderFile.sha256 == StoredBlob.sha256),
                ~exists().where(type_coerce(ContractMessage.attachments, JSONB).contains(type_coerce(attached, JSONB))),
                ~exists().where(and_(FileUpload.sha256 == StoredBlob.sha256, FileUpload.completed_at.is_(None))),
            )
            .order_by(StoredBlob.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not candidates:
        await uow.commit()
        return 0
    digests = [blob.sha256 for blob in candidates]
    previews = dict(
        (
            await uow.session.execute(
                select(FilePreview.sha256, FilePreview.preview_sha256).where(
                    FilePreview.sha256.in_(digests), FilePreview.preview_sha256.is_not(None)
                )
            )
        ).all()
    )
    # A preview shared with a blob that stays (the same picture of two contents) stays too.
    shared = set(
        await uow.session.scalars(
            select(FilePreview.preview_sha256).where(
                FilePreview.preview_sha256.in_([p for p in previews.values() if p]),
                FilePreview.sha256.not_in(digests),
            )
        )
    )
    removed: list[str] = []
    for digest in digests:
        try:
            preview = previews.get(digest)
            if preview and preview not in shared:
                await files.storage.delete(blob_key(preview))
            await files.storage.delete(blob_key(digest))
        except StorageUnavailable:
            continue
        removed.append(digest)
    if removed:
        await uow.session.execute(delete(StoredBlob).where(StoredBlob.sha256.in_(removed)))
    await uow.commit()
    return len(removed)


async def sweep_orphan_objects(uow: UnitOfWork, *, files: FilesConfig, batch: int = 500) -> int:
    """Remove objects under blobs/ and uploads/ that no row knows, written before the grace period; returns how many.
    The rows are looked up a batch of keys at a time."""
    cutoff = uow.now() - files.gc_grace
    removed = 0
    for prefix in ("blobs/", "uploads/"):
        old: list[str] = []
        async for item in files.storage.list(prefix):
            if item.modified_at <= cutoff:
                old.append(item.key)
            if len(old) >= batch:
                removed += await _remove_unknown(uow, files, old)
                old = []
        removed += await _remove_unknown(uow, files, old)
    await uow.commit()
    return removed


async def _remove_unknown(uow: UnitOfWork, files: FilesConfig, keys: list[str]) -> int:
    if not keys:
        return 0
    digests = {key: key.rsplit("/", 1)[-1] for key in keys if key.startswith("blobs/")}
    named = [d for d in digests.values() if SHA256_HEX.match(d)]
    known = set(await uow.session.scalars(select(StoredBlob.sha256).where(StoredBlob.sha256.in_(named))))
    known |= set(
        await uow.session.scalars(select(FilePreview.preview_sha256).where(FilePreview.preview_sha256.in_(named)))
    )
    uploads: dict[str, UUID] = {}
    for key in keys:
        match = _UPLOAD_KEY.match(key)
        if match:
            uploads[key] = UUID(match.group(1))
    pending = set(await uow.session.scalars(select(FileUpload.id).where(FileUpload.id.in_(list(uploads.values())))))
    removed = 0
    for key in keys:
        if key in digests:
            # A well-formed blob key some row names stays; anything else under blobs/ (a temporary left by an
            # interrupted write, a stray name) is not a blob of ours.
            if digests[key] in known and key == blob_key(digests[key]):
                continue
        elif key in uploads:
            if uploads[key] in pending:
                continue
        try:
            await files.storage.delete(key)
        except StorageUnavailable:
            continue
        removed += 1
    return removed
