"""Direct uploads for large files: the server issues a size- and type-bound, single-use upload (an S3 presigned
POST, or the app's own signed PUT route with local storage), the client sends the bytes straight to storage, and
finishFileUpload verifies size and SHA-256 and sniffs the content before the file is recorded. Refused finishes
change nothing (the client may send the bytes again while the upload lasts); what never finishes is removed by the
worker after its expiry (rows and objects)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput, Limits, LimitUnit, NotFound
from domain.files import rules
from domain.files.models import FileUpload, OrderFile
from domain.files.refusals import FileRejected, FileRejection
from domain.files.rules import SNIFF_HEAD, SNIFF_TAIL, ActiveContentScan, FileFormat, FileKind
from domain.files.service import (
    MAX_NOTE,
    FilesConfig,
    _current_revision,
    _order_usage,
    _record_file,
    storage_down,
)
from domain.files.signing import sign_upload
from domain.orders import rules as order_rules
from domain.orders.service import load_for_buyer
from domain.ports.storage import (
    BlobMissing,
    StorageUnavailable,
    blob_key,
    upload_key,
)
from domain.text import check_text
from domain.uow import UnitOfWork

UPLOAD_PATH = "/files/upload/"
# Bytes arrive before anyone knows their type: the upload is bound to this, the content is sniffed on finishing.
UPLOAD_CONTENT_TYPE = "application/octet-stream"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class IssuedUpload:
    upload: FileUpload
    method: str  # POST (multipart form: fields, then `file`) or PUT (the raw bytes as the body)
    url: str
    fields: dict[str, str]


async def request_upload(
    uow: UnitOfWork,
    *,
    files: FilesConfig,
    actor: Actor,
    order_id: UUID,
    kind: FileKind,
    name: str,
    size: int,
    sha256: str,
    note: str = "",
    replaces_file_id: UUID | None = None,
) -> IssuedUpload:
    order = await load_for_buyer(uow, actor, order_id, "orderId")
    if not order_rules.editable(order.status):
        raise DomainError(
            ErrorCode.ORDER_NOT_EDITABLE, f"files cannot be attached to a {order.status} order", "orderId"
        )
    if size == 0:
        raise rules.UnsupportedFile(FileRejection.empty, "the file is empty").at("size")
    if size < 0:
        raise InvalidInput(
            "the size must be positive",
            "size",
            ErrorCode.OUT_OF_RANGE,
            limits=Limits(LimitUnit.BYTES, min=1, max=files.limits.max_file_bytes),
        )
    rules.check_size(size, files.limits, "size")
    sha256 = sha256.strip().lower()
    if not _SHA256.match(sha256):
        raise InvalidInput("the SHA-256 of the file as 64 hex digits", "sha256")
    name = check_text(name, "name", max_length=255)
    note = check_text(note, "note", max_length=MAX_NOTE, required=False)
    previous = (
        await _current_revision(uow.session, order.id, replaces_file_id, "replacesFileId")
        if replaces_file_id is not None
        else None
    )
    used_bytes, documents = await _order_usage(uow.session, order.id)
    rules.check_order_room(
        used_bytes=used_bytes, used_count=documents, adding=size, new_file=previous is None, limits=files.limits
    )
    now = uow.now()
    upload = FileUpload(
        order_id=order.id,
        document_id=previous.document_id if previous is not None else None,
        kind=previous.kind if previous is not None else kind,
        name=name,
        size=size,
        sha256=sha256,
        note=note,
        created_by_user_id=actor.require_user(),
        created_at=now,
        expires_at=now + files.upload_ttl,
    )
    uow.session.add(upload)
    await uow.session.flush()
    try:
        post = await files.storage.presigned_post(
            upload_key(str(upload.id)), size=size, content_type=UPLOAD_CONTENT_TYPE, expires_in=files.upload_ttl
        )
    except StorageUnavailable as error:
        raise storage_down(error) from None
    await uow.commit()
    if post is not None:
        return IssuedUpload(upload=upload, method="POST", url=post.url, fields=post.fields)
    token = sign_upload(upload.id, size, upload.expires_at, files.signing_key)
    return IssuedUpload(upload=upload, method="PUT", url=UPLOAD_PATH + token, fields={})


async def finish_upload(uow: UnitOfWork, *, files: FilesConfig, actor: Actor, upload_id: UUID) -> OrderFile:
    """Verify what arrived (size, SHA-256, a supported type) and record it as the order's file (or revision)."""
    actor.require_user()
    upload = await uow.session.get(FileUpload, upload_id, with_for_update=True)
    if upload is None:
        raise NotFound("upload", "uploadId")
    order = await load_for_buyer(uow, actor, upload.order_id, "uploadId")
    if upload.completed_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "this upload is finished already", "uploadId")
    now = uow.now()
    if now >= upload.expires_at:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "this upload has expired: request a new one", "uploadId")
    if not order_rules.editable(order.status):
        raise DomainError(
            ErrorCode.ORDER_NOT_EDITABLE, f"files cannot be attached to a {order.status} order", "uploadId"
        )
    key = upload_key(str(upload.id))
    # Read as a stream: the hash, the size, what sniffing needs (start and end) and the active-content scan.
    digest, size, start, tail, scan = hashlib.sha256(), 0, b"", b"", ActiveContentScan()
    try:
        async for chunk in files.storage.read_chunks(key):
            digest.update(chunk)
            size += len(chunk)
            if len(start) < SNIFF_HEAD:
                start += chunk[: SNIFF_HEAD - len(start)]
            tail = (tail + chunk)[-SNIFF_TAIL:]
            scan.feed(chunk)
            if size > upload.size:
                break
    except BlobMissing:
        raise FileRejected(
            ErrorCode.UPLOAD_MISMATCH, FileRejection.not_uploaded, "nothing has been uploaded yet", "uploadId"
        ) from None
    except StorageUnavailable as error:
        raise storage_down(error) from None
    if size != upload.size:
        arrived = f"more than {upload.size}" if size > upload.size else str(size)
        raise FileRejected(
            ErrorCode.UPLOAD_MISMATCH,
            FileRejection.size_mismatch,
            f"{arrived} bytes arrived, {upload.size} were announced",
            "uploadId",
        )
    if digest.hexdigest() != upload.sha256:
        raise FileRejected(
            ErrorCode.UPLOAD_MISMATCH,
            FileRejection.checksum_mismatch,
            "the content's SHA-256 is not the one announced",
            "uploadId",
        )
    fmt = rules.sniff_parts(start, tail, size)
    previous = None
    if upload.document_id is not None:
        previous = await _current_revision(uow.session, order.id, upload.document_id, "uploadId")
    used_bytes, documents = await _order_usage(uow.session, order.id)
    rules.check_order_room(
        used_bytes=used_bytes, used_count=documents, adding=upload.size, new_file=previous is None, limits=files.limits
    )
    try:
        if await files.storage.size(blob_key(upload.sha256)) != upload.size:
            await files.storage.copy(key, blob_key(upload.sha256))  # S3: within the store; locally: streamed
    except (StorageUnavailable, BlobMissing) as error:
        raise storage_down(StorageUnavailable(str(error))) from None
    upload.completed_at = now
    row = await _record_file(
        uow,
        order=order,
        actor=actor,
        kind=upload.kind,
        name=rules.sanitise_name(upload.name, fmt),
        fmt=fmt,
        size=upload.size,
        sha256=upload.sha256,
        active_content=fmt is FileFormat.pdf and scan.found,
        note=upload.note,
        previous=previous,
        before_commit=lambda file_id: setattr(upload, "file_id", file_id),
    )
    try:
        await files.storage.delete(key)
    except StorageUnavailable:
        pass  # recorded already; the object under uploads/ is only a copy
    return row


@dataclass(frozen=True, slots=True)
class PendingUpload:
    id: UUID
    size: int


async def pending_upload(uow: UnitOfWork, *, upload_id: UUID, now: datetime) -> PendingUpload:
    """The app's own PUT route (local storage) first: a pending, unexpired upload, or NotFound."""
    upload = await uow.session.get(FileUpload, upload_id)
    if upload is None or upload.completed_at is not None or now >= upload.expires_at:
        raise NotFound("upload", "uploadId")
    return PendingUpload(upload.id, upload.size)


async def store_upload_bytes(files: FilesConfig, *, upload: PendingUpload, chunks: AsyncIterator[bytes]) -> None:
    """Then the bytes, streamed to storage as they arrive (never whole in memory); exactly the announced size, or
    nothing is kept. The caller bounds `chunks` to the announced size (the route answers 413 beyond it)."""
    key = upload_key(str(upload.id))
    try:
        written = await files.storage.put_stream(key, chunks, content_type=UPLOAD_CONTENT_TYPE)
    except StorageUnavailable as error:
        raise storage_down(error) from None
    if written != upload.size:
        try:
            await files.storage.delete(key)
        except StorageUnavailable:
            pass  # the worker removes it with the upload
        raise FileRejected(
            ErrorCode.UPLOAD_MISMATCH,
            FileRejection.size_mismatch,
            f"{written} bytes sent, {upload.size} were announced",
            "uploadId",
        )


async def remove_expired_uploads(uow: UnitOfWork, *, files: FilesConfig, limit: int = 200) -> int:
    """The worker: uploads never finished by their expiry lose their object and their row (SKIP LOCKED: several
    workers at once are safe). A storage outage leaves both for the next pass."""
    now = uow.now()
    expired = list(
        await uow.session.scalars(
            select(FileUpload.id)
            .where(FileUpload.completed_at.is_(None), FileUpload.expires_at <= now)
            .order_by(FileUpload.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    removed = []
    for upload_id in expired:
        try:
            await files.storage.delete(upload_key(str(upload_id)))
        except StorageUnavailable:
            continue
        removed.append(upload_id)
    if removed:
        await uow.session.execute(delete(FileUpload).where(FileUpload.id.in_(removed)))
    await uow.commit()
    return len(removed)
