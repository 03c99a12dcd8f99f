"""Use cases for files on orders: attach (and revise) a file, require and accept an NDA, issue a signed download,
and what a viewer sees of a page of orders' files (for the API's loaders: a constant number of statements)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.actor import Actor
from domain.bids.models import Bid, BidStatus
from domain.contracts.models import Contract
from domain.contracts.service import visible_to as contract_visible_to
from domain.errors import DomainError, ErrorCode, NotFound
from domain.files import rules
from domain.files.convert import ConversionLimits
from domain.files.models import (
    FileDownload,
    FilePreview,
    NdaAcceptance,
    OrderFile,
    OrderNda,
    PreviewKind,
    PreviewStatus,
    StoredBlob,
)
from domain.files.rules import CONTENT_TYPES, FileAccess, FileFormat, FileKind, FileLimits
from domain.files.signing import DownloadGrant, sign
from domain.messages.models import ContractMessage
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify
from domain.orders import rules as order_rules
from domain.orders.models import OrderStatus, ProductionOrder
from domain.orders.service import load_for_buyer, orders_by_ids
from domain.ports.storage import FileStorage, StorageUnavailable, blob_key, put_blob
from domain.text import check_text
from domain.uow import UnitOfWork

MAX_NOTE = 2000
# What a preview is served as, and the extension of its name.
PREVIEW_TYPES: dict[PreviewKind, tuple[str, str]] = {
    PreviewKind.model: ("model/gltf-binary", "glb"),
    PreviewKind.page: ("image/png", "png"),
}
# The app's own download route (api/files/download.py) for backends that cannot sign URLs themselves.
DOWNLOAD_PATH = "/files/download/"


@dataclass(frozen=True)
class FilesConfig:
    storage: FileStorage
    limits: FileLimits
    signing_key: bytes
    url_ttl: timedelta
    upload_ttl: timedelta
    # The worker's analyses and previews: larger files are recorded as failed, not read; the converters' limits.
    analysis_max_bytes: int = 100 * 1024 * 1024
    conversion: ConversionLimits = field(default_factory=ConversionLimits)
    # Blobs no file refers to any more are removed this long after they were last referred to (gc.py).
    gc_grace: timedelta = timedelta(hours=24)


def storage_down(error: StorageUnavailable) -> DomainError:
    return DomainError(ErrorCode.STORAGE_UNAVAILABLE, f"the file storage is unavailable: {error}", "file")


# Attaching ------------------------------------------------------------------------------------


async def _order_usage(session: AsyncSession, order_id: UUID) -> tuple[int, int]:
    """(bytes of all revisions, number of documents) of an order."""
    used_bytes, documents = (
        await session.execute(
            select(func.coalesce(func.sum(OrderFile.size), 0), func.count(func.distinct(OrderFile.document_id))).where(
                OrderFile.order_id == order_id
            )
        )
    ).one()
    return int(used_bytes), int(documents)


async def _current_revision(session: AsyncSession, order_id: UUID, file_id: UUID, field: str) -> OrderFile:
    """The current revision of the document that `file_id` (any of its revisions, or the document's id) belongs to,
    on this order."""
    named = await session.get(OrderFile, file_id)
    if named is None or named.order_id != order_id:
        raise NotFound("file", field)
    current = await session.scalar(
        select(OrderFile)
        .where(OrderFile.document_id == named.document_id, OrderFile.superseded_at.is_(None))
        .with_for_update()
    )
    assert current is not None
    return current


async def record_blob(session: AsyncSession, *, sha256: str, size: int, fmt: FileFormat, now: datetime) -> None:
    await session.execute(
        insert(StoredBlob)
        .values(sha256=sha256, size=size, format=fmt, created_at=now)
        .on_conflict_do_nothing(index_elements=["sha256"])
    )


async def attach_order_file(
    uow: UnitOfWork,
    *,
    files: FilesConfig,
    actor: Actor,
    order_id: UUID,
    kind: FileKind,
    name: str,
    data: bytes,
    note: str = "",
    replaces_file_id: UUID | None = None,
) -> OrderFile:
    """The buyer attaches a drawing, model or specification to a draft or open order, or a new revision of one
    already attached (`replaces_file_id`: any revision of it); the older revision is kept as history and the
    bidders are told. The type is read from the content; the name is cleaned. Storage down: nothing recorded."""
    order = await load_for_buyer(uow, actor, order_id, "orderId")  # locked: limits are checked one upload at a time
    if not order_rules.editable(order.status):
        raise DomainError(
            ErrorCode.ORDER_NOT_EDITABLE, f"files cannot be attached to a {order.status} order", "orderId"
        )
    rules.check_size(len(data), files.limits)
    fmt = rules.sniff(data)
    clean_name = rules.sanitise_name(name, fmt)
    note = check_text(note, "note", max_length=MAX_NOTE, required=False)
    previous = (
        await _current_revision(uow.session, order.id, replaces_file_id, "replacesFileId")
        if replaces_file_id is not None
        else None
    )
    used_bytes, documents = await _order_usage(uow.session, order.id)
    rules.check_order_room(
        used_bytes=used_bytes, used_count=documents, adding=len(data), new_file=previous is None, limits=files.limits
    )
    try:
        sha256 = await put_blob(files.storage, data, content_type=CONTENT_TYPES[fmt])
    except StorageUnavailable as error:
        raise storage_down(error) from None
    return await _record_file(
        uow,
        order=order,
        actor=actor,
        kind=kind,
        name=clean_name,
        fmt=fmt,
        size=len(data),
        sha256=sha256,
        active_content=rules.has_active_content(fmt, data),
        note=note,
        previous=previous,
    )


async def _record_file(
    uow: UnitOfWork,
    *,
    order: ProductionOrder,
    actor: Actor,
    kind: FileKind,
    name: str,
    fmt: FileFormat,
    size: int,
    sha256: str,
    active_content: bool,
    note: str,
    previous: OrderFile | None,
    before_commit: Callable[[UUID], None] | None = None,
) -> OrderFile:
    now = uow.now()
    await record_blob(uow.session, sha256=sha256, size=size, fmt=fmt, now=now)
    file_id = uuid4()
    row = OrderFile(
        id=file_id,
        order_id=order.id,
        document_id=previous.document_id if previous is not None else file_id,
        revision=previous.revision + 1 if previous is not None else 1,
        kind=previous.kind if previous is not None else kind,
        name=name,
        format=fmt,
        size=size,
        sha256=sha256,
        active_content=active_content,
        note=note,
        uploaded_by_user_id=actor.require_user(),
        created_at=now,
    )
    if previous is not None:
        previous.superseded_at = now
        await uow.session.flush()  # the old revision steps aside before the new one claims the document
    uow.session.add(row)
    await uow.session.flush()
    if previous is not None and order.status == OrderStatus.open:
        await _tell_bidders(uow, order=order, file=row, actor=actor)
    models = (FileFormat.stl, FileFormat.step, FileFormat.iges)
    if fmt in models or (previous is not None and previous.format in models):
        from domain.files.analysis import refresh_envelopes  # (analysis imports this module)

        await refresh_envelopes(uow.session, [order.id], uow)
    if before_commit is not None:
        before_commit(row.id)
    await uow.commit()
    return row


async def _tell_bidders(uow: UnitOfWork, *, order: ProductionOrder, file: OrderFile, actor: Actor) -> None:
    bidders = list(
        await uow.session.scalars(
            select(Bid.manufacturer_organisation_id)
            .where(Bid.order_id == order.id, Bid.status.in_([BidStatus.active, BidStatus.accepted]))
            .distinct()
        )
    )
    await notify(
        uow,
        kind=NotificationKind.order_file_revised,
        params=notice.OrderFileRevised(order.title, file.name, file.revision, file.note),
        title=f"Revision {file.revision} of {file.name}: {order.title}"[:200],
        body=file.note,
        subject=Subject("Order", order.id),
        organisation_ids=bidders,
        exclude_user_id=actor.user_id,
        dedupe_key=f"order_file_revised:{file.id}",
    )


# NDA ------------------------------------------------------------------------------------------


async def _current_nda(session: AsyncSession, order_id: UUID) -> OrderNda | None:
    return await session.scalar(
        select(OrderNda).where(OrderNda.order_id == order_id).order_by(OrderNda.version.desc()).limit(1)
    )


async def set_order_nda(uow: UnitOfWork, *, actor: Actor, order_id: UUID, text: str | None) -> OrderNda | None:
    """The buyer requires an NDA (a new version of its text; earlier acceptances do not carry over), or stops
    requiring one (empty text). Setting the text in force again changes nothing."""
    order = await load_for_buyer(uow, actor, order_id, "orderId")
    if order.status not in (OrderStatus.draft, OrderStatus.open):
        raise DomainError(ErrorCode.ORDER_NOT_EDITABLE, f"the NDA of a {order.status} order is fixed", "orderId")
    text = rules.check_nda_text(text)
    current = await _current_nda(uow.session, order.id)
    if (current.text if current is not None else None) == text:
        return current if current is not None and current.text is not None else None
    row = OrderNda(
        order_id=order.id,
        version=(current.version + 1) if current is not None else 1,
        text=text,
        created_by_user_id=actor.require_user(),
        created_at=uow.now(),
    )
    uow.session.add(row)
    await uow.commit()
    return row if text is not None else None


async def accept_nda(
    uow: UnitOfWork, *, actor: Actor, order_id: UUID, version: int, organisation_id: UUID | None
) -> NdaAcceptance:
    """A manufacturer's member accepts the order's NDA in force, by its version (the text they read): an older
    version is refused, so nobody accepts a text they did not see. Accepting again keeps the first record."""
    organisation = actor.pick_organisation(organisation_id)
    order = (await orders_by_ids(uow.session, actor=actor, ids=[order_id])).get(order_id)
    if order is None:
        raise NotFound("order", "orderId")
    if order.buyer_organisation_id == organisation:
        raise DomainError(ErrorCode.OWN_ORDER, "the buyer does not accept its own NDA", "orderId")
    current = await _current_nda(uow.session, order_id)
    if current is None or current.text is None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "this order requires no NDA", "orderId")
    if version != current.version:
        raise DomainError(
            ErrorCode.NDA_VERSION_MISMATCH,
            f"the NDA in force is version {current.version}: read it and accept that one",
            "version",
        )
    now = uow.now()
    await uow.session.execute(
        insert(NdaAcceptance)
        .values(
            order_id=order_id,
            version=version,
            organisation_id=organisation,
            user_id=actor.require_user(),
            accepted_at=now,
        )
        .on_conflict_do_nothing()
    )
    await uow.commit()
    acceptance = await uow.session.get(NdaAcceptance, (order_id, version, organisation))
    assert acceptance is not None
    return acceptance


# Downloads ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedDownload:
    url: str
    expires_at: datetime
    file: OrderFile


async def issue_download(
    uow: UnitOfWork, *, files: FilesConfig, actor: Actor, file_id: UUID, organisation_id: UUID | None = None
) -> IssuedDownload:
    """A short-lived URL for one file revision, if the viewer may see the order's files now; audited."""
    user_id = actor.require_user()
    row = await uow.session.get(OrderFile, file_id)
    if row is None:
        raise NotFound("file", "fileId")
    views = await order_files(uow.session, actor=actor, order_ids=[row.order_id])
    view = views.get(row.order_id)
    if view is None or view.access is FileAccess.hidden:
        raise NotFound("file", "fileId")
    if view.access is FileAccess.nda_required:
        raise DomainError(ErrorCode.NDA_REQUIRED, "accept the order's NDA to see its files", "fileId")
    if organisation_id is not None:
        actor.require_member(organisation_id, field="organisationId")
    acting_for = organisation_id or (next(iter(actor.memberships)) if len(actor.memberships) == 1 else None)
    now = uow.now()
    download = FileDownload(
        file_id=row.id, user_id=user_id, organisation_id=acting_for, issued_at=now, expires_at=now + files.url_ttl
    )
    url = await _signed_url(
        uow, files, download, sha256=row.sha256, name=row.name, content_type=CONTENT_TYPES[row.format]
    )
    await uow.commit()
    return IssuedDownload(url=url, expires_at=download.expires_at, file=row)


async def _signed_url(
    uow: UnitOfWork, files: FilesConfig, download: FileDownload, *, sha256: str, name: str, content_type: str
) -> str:
    """Record the download and sign its URL: the storage's own (S3 presigned) or the app's route."""
    uow.session.add(download)
    try:
        url = await files.storage.download_url(
            blob_key(sha256), filename=name, content_type=content_type, expires_in=files.url_ttl
        )
    except StorageUnavailable as error:
        raise storage_down(error) from None
    if url is None:
        url = DOWNLOAD_PATH + sign(
            DownloadGrant(download.id, sha256, name, content_type, download.expires_at), files.signing_key
        )
    return url


# Previews are signed like downloads but not audited: they are shown to whoever sees the order's files, on every view.
PREVIEW_GRANT = UUID(int=0)


@dataclass(frozen=True, slots=True)
class PreviewUrl:
    url: str
    content_type: str
    expires_at: datetime


async def preview_url(files: FilesConfig, *, preview: FilePreview, name: str, now: datetime) -> PreviewUrl | None:
    """A short-lived URL of a made preview, for a file the caller already showed to the viewer (only file revisions
    the viewer may see now are ever resolved: order_files, files_by_ids). Storage down: no URL (null)."""
    if preview.status is not PreviewStatus.done or preview.preview_sha256 is None:
        return None
    content_type, extension = PREVIEW_TYPES[preview.kind]
    filename = f"{name.rsplit('.', 1)[0]}.preview.{extension}"
    try:
        url = await files.storage.download_url(
            blob_key(preview.preview_sha256), filename=filename, content_type=content_type, expires_in=files.url_ttl
        )
    except StorageUnavailable:
        return None
    expires_at = now + files.url_ttl
    if url is None:
        url = DOWNLOAD_PATH + sign(
            DownloadGrant(PREVIEW_GRANT, preview.preview_sha256, filename, content_type, expires_at), files.signing_key
        )
    return PreviewUrl(url=url, content_type=content_type, expires_at=expires_at)


async def previews_by_sha256(session: AsyncSession, digests: Sequence[str]) -> dict[str, FilePreview]:
    rows = await session.scalars(select(FilePreview).where(FilePreview.sha256.in_(list(digests))))
    return {row.sha256: row for row in rows}


@dataclass(frozen=True, slots=True)
class IssuedAttachmentDownload:
    url: str
    expires_at: datetime
    name: str


async def issue_attachment_download(
    uow: UnitOfWork, *, files: FilesConfig, actor: Actor, message_id: UUID, index: int
) -> IssuedAttachmentDownload:
    """A short-lived URL for a file attached to a contract message: the contract's parties and operators (who read
    messages in disputes) only; audited like order files."""
    user_id = actor.require_user()
    message = await uow.session.get(ContractMessage, message_id)
    visible = (
        message is not None
        and await uow.session.scalar(
            select(Contract.id).where(Contract.id == message.contract_id, contract_visible_to(actor))
        )
        is not None
    )
    if message is None or not visible:
        raise NotFound("message", "messageId")
    if not 0 <= index < len(message.attachments) or not message.attachments[index].get("stored"):
        raise NotFound("stored attachment", "index")
    attachment = message.attachments[index]
    contract = await uow.session.get(Contract, message.contract_id)
    assert contract is not None
    side = next(
        (o for o in (contract.buyer_organisation_id, contract.manufacturer_organisation_id) if actor.is_member(o)), None
    )
    now = uow.now()
    download = FileDownload(
        message_id=message.id,
        attachment_index=index,
        user_id=user_id,
        organisation_id=side,
        issued_at=now,
        expires_at=now + files.url_ttl,
    )
    url = await _signed_url(
        uow,
        files,
        download,
        sha256=str(attachment["checksum"]).removeprefix("sha256:"),
        name=str(attachment["name"]),
        content_type=str(attachment["content_type"]),
    )
    await uow.commit()
    return IssuedAttachmentDownload(url=url, expires_at=download.expires_at, name=str(attachment["name"]))


async def mark_served(uow: UnitOfWork, download_id: UUID) -> None:
    await uow.session.execute(
        update(FileDownload)
        .where(FileDownload.id == download_id, FileDownload.served_at.is_(None))
        .values(served_at=uow.now())
    )
    await uow.commit()


# Reads ----------------------------------------------------------------------------------------


@dataclass
class OrderFilesView:
    """What one viewer sees of one order's files."""

    access: FileAccess
    nda: OrderNda | None  # the NDA in force (None: none required)
    accepted_version: int | None  # the newest version one of the viewer's organisations accepted
    current: list[OrderFile] = field(default_factory=list)  # current revisions, oldest document first
    history: dict[UUID, list[OrderFile]] = field(default_factory=dict)  # document -> older revisions, newest first


async def order_files(session: AsyncSession, *, actor: Actor, order_ids: Sequence[UUID]) -> dict[UUID, OrderFilesView]:
    """Per visible order: the viewer's access, the NDA in force and the files (only when access is granted).
    Four statements whatever the number of orders: orders, invitations-free visibility (orders_by_ids), NDAs and
    acceptances, files."""
    if not actor.authenticated or not order_ids:
        return {}
    orders = await orders_by_ids(session, actor=actor, ids=order_ids)
    if not orders:
        return {}
    ids = list(orders)
    ndas: dict[UUID, OrderNda] = {
        row.order_id: row
        for row in await session.scalars(
            select(OrderNda)
            .where(OrderNda.order_id.in_(ids))
            .order_by(OrderNda.order_id, OrderNda.version.desc())
            .ext(distinct_on(OrderNda.order_id))
        )
    }
    orgs = list(actor.memberships)
    accepted: dict[UUID, set[int]] = defaultdict(set)
    if orgs and ndas:
        for order_id, version in await session.execute(
            select(NdaAcceptance.order_id, NdaAcceptance.version).where(
                NdaAcceptance.order_id.in_(list(ndas)), NdaAcceptance.organisation_id.in_(orgs)
            )
        ):
            accepted[order_id].add(version)
    views: dict[UUID, OrderFilesView] = {}
    for order_id, order in orders.items():
        nda = ndas.get(order_id)
        in_force = nda if nda is not None and nda.text is not None else None
        access = rules.file_access(
            actor_orgs=set(orgs),
            is_operator=actor.is_operator,
            buyer_id=order.buyer_organisation_id,
            order_visible=True,  # orders_by_ids returns only orders the actor may see (invited-only: invitees)
            nda_version=in_force.version if in_force is not None else None,
            accepted_versions=accepted.get(order_id, set()),
        )
        views[order_id] = OrderFilesView(
            access=access, nda=in_force, accepted_version=max(accepted[order_id], default=None)
        )
    granted = [order_id for order_id, view in views.items() if view.access is FileAccess.granted]
    if granted:
        for row in await session.scalars(
            select(OrderFile).where(OrderFile.order_id.in_(granted)).order_by(OrderFile.created_at, OrderFile.revision)
        ):
            view = views[row.order_id]
            if row.superseded_at is None:
                view.current.append(row)
            else:
                view.history.setdefault(row.document_id, []).insert(0, row)
    return views


async def _buyer_viewable(session: AsyncSession, actor: Actor, order_ids: Sequence[UUID]) -> list[UUID]:
    orders = await orders_by_ids(session, actor=actor, ids=order_ids)
    return [
        order_id
        for order_id, order in orders.items()
        if actor.is_operator or actor.is_member(order.buyer_organisation_id)
    ]


async def nda_acceptances(
    session: AsyncSession, *, actor: Actor, order_ids: Sequence[UUID]
) -> dict[UUID, list[NdaAcceptance]]:
    """Who accepted the orders' NDAs (every version), newest first, for the orders whose buyer (or an operator) the
    actor is; the other orders are left out (the API answers null). Two statements for any number of orders."""
    allowed = await _buyer_viewable(session, actor, order_ids)
    found: dict[UUID, list[NdaAcceptance]] = {order_id: [] for order_id in allowed}
    if allowed:
        for row in await session.scalars(
            select(NdaAcceptance)
            .where(NdaAcceptance.order_id.in_(allowed))
            .order_by(NdaAcceptance.accepted_at.desc(), NdaAcceptance.organisation_id)
        ):
            found[row.order_id].append(row)
    return found


async def download_audit(
    session: AsyncSession, *, actor: Actor, order_ids: Sequence[UUID], limit: int = 100
) -> dict[UUID, list[FileDownload]]:
    """The download audit of the orders' files, newest first (at most `limit` each), for the orders whose buyer (or
    an operator) the actor is. Two statements for any number of orders."""
    allowed = await _buyer_viewable(session, actor, order_ids)
    found: dict[UUID, list[FileDownload]] = {order_id: [] for order_id in allowed}
    if allowed:
        ranked = (
            select(
                FileDownload,
                OrderFile.order_id.label("order_id"),
                func.row_number()
                .over(
                    partition_by=OrderFile.order_id,
                    order_by=(FileDownload.issued_at.desc(), FileDownload.id),
                )
                .label("n"),
            )
            .join(OrderFile, OrderFile.id == FileDownload.file_id)
            .where(OrderFile.order_id.in_(allowed))
            .subquery()
        )
        downloads = aliased(FileDownload, ranked)
        for row, order_id in await session.execute(
            select(downloads, ranked.c.order_id)
            .where(ranked.c.n <= limit)
            .order_by(ranked.c.order_id, ranked.c.issued_at.desc(), ranked.c.id)
        ):
            found[order_id].append(row)
    return found


async def files_by_ids(session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]) -> dict[UUID, OrderFile]:
    """File revisions by id, only those whose order's files the actor sees now."""
    rows = list(await session.scalars(select(OrderFile).where(OrderFile.id.in_(list(ids)))))
    views = await order_files(session, actor=actor, order_ids=list({row.order_id for row in rows}))
    return {
        row.id: row
        for row in rows
        if (view := views.get(row.order_id)) is not None and view.access is FileAccess.granted
    }
