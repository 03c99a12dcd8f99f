"""Contract messages: the two parties write to each other; operators may read (disputes)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.contracts.models import Contract
from domain.contracts.service import visible_to as contract_visible_to
from domain.errors import Forbidden, NotFound
from domain.files.refusals import FileRejected
from domain.files.rules import CONTENT_TYPES, check_size, sanitise_name, sniff
from domain.files.service import FilesConfig, record_blob, storage_down
from domain.messages.models import ContractMessage
from domain.messages.rules import Attachment, check_message
from domain.notifications import params as notice
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify, summary
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.ports.storage import StorageUnavailable, put_blob, sha256_hex
from domain.realtime import EventTopic, announce
from domain.uow import UnitOfWork

OLDEST_FIRST = SortKey(ContractMessage.created_at, ContractMessage.id)


async def post_message(
    uow: UnitOfWork,
    *,
    actor: Actor,
    contract_id: UUID,
    body: str,
    attachments: Sequence[Attachment] = (),
    files: Sequence[tuple[str, bytes]] = (),
    storage: FilesConfig | None = None,
) -> ContractMessage:
    """Post a message; `files` (name, bytes) are stored and attached as real files after `attachments` (metadata
    only, as before). Files are sniffed like an order's (PDF, STEP, IGES, STL, DXF, PNG, JPEG; archives refused)."""
    user_id = actor.require_user()
    contract = await uow.session.get(Contract, contract_id)
    if contract is None:
        raise NotFound("contract", "contractId")
    parties = [contract.buyer_organisation_id, contract.manufacturer_organisation_id]
    side = next((org for org in parties if actor.is_member(org)), None)
    if side is None:
        if actor.is_operator:
            raise Forbidden("messages are between the two parties", "contractId")
        raise NotFound("contract", "contractId")
    stored = [_stored_attachment(name, data, storage, i) for i, (name, data) in enumerate(files)]
    text, checked = check_message(body, [*attachments, *(attachment for attachment, _ in stored)])
    if stored:
        assert storage is not None
        now = uow.now()
        for attachment, data in stored:
            fmt = sniff(data)
            try:
                digest = await put_blob(storage.storage, data, content_type=attachment.content_type)
            except StorageUnavailable as error:
                raise storage_down(error) from None
            await record_blob(uow.session, sha256=digest, size=len(data), fmt=fmt, now=now)
    message = ContractMessage(
        contract_id=contract.id,
        author_user_id=user_id,
        author_organisation_id=side,
        body=text,
        attachments=[a.as_json() for a in checked],
        created_at=uow.now(),
    )
    uow.session.add(message)
    other = [org for org in parties if org != side]
    # The contract room watches contractUpdated: a message arrives there as a "message" update.
    announce(uow, EventTopic.contract, contract.id, transition="message")
    await notify(
        uow,
        kind=NotificationKind.message_received,
        params=notice.MessageReceived(summary(text) if text else "", len(checked)),
        title="A new message on your contract",
        body=summary(text) if text else f"{len(checked)} attachment(s)",
        subject=Subject("Contract", contract.id),
        organisation_ids=other,
    )
    await uow.commit()
    return message


def _stored_attachment(name: str, data: bytes, storage: FilesConfig | None, index: int) -> tuple[Attachment, bytes]:
    field = f"files.{index}"
    if storage is None:
        raise RuntimeError("file storage is not configured")
    check_size(len(data), storage.limits, field)
    try:
        fmt = sniff(data)
    except FileRejected as error:
        raise error.at(field) from None
    return Attachment(sanitise_name(name, fmt), len(data), CONTENT_TYPES[fmt], f"sha256:{sha256_hex(data)}", True), data


async def list_messages(
    session: AsyncSession, *, actor: Actor, contract_id: UUID, page: PageRequest
) -> Page[ContractMessage]:
    """Oldest first. A contract the actor may not see has no messages for it (NotFound)."""
    actor.require_user()
    visible = await session.scalar(select(Contract.id).where(Contract.id == contract_id, contract_visible_to(actor)))
    if visible is None:
        raise NotFound("contract", "contractId")
    return await paginate(
        session, select(ContractMessage).where(ContractMessage.contract_id == contract_id), OLDEST_FIRST, page
    )
