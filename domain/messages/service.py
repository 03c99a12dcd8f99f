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
from domain.messages.models import ContractMessage
from domain.messages.rules import Attachment, check_message
from domain.notifications.models import NotificationKind
from domain.notifications.service import Subject, notify, summary
from domain.pagination import Page, PageRequest, SortKey, paginate
from domain.realtime import EventTopic, announce
from domain.uow import UnitOfWork

OLDEST_FIRST = SortKey(ContractMessage.created_at, ContractMessage.id)


async def post_message(
    uow: UnitOfWork, *, actor: Actor, contract_id: UUID, body: str, attachments: Sequence[Attachment] = ()
) -> ContractMessage:
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
    text, checked = check_message(body, attachments)
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
        title="A new message on your contract",
        body=summary(text) if text else f"{len(checked)} attachment(s)",
        subject=Subject("Contract", contract.id),
        organisation_ids=other,
    )
    await uow.commit()
    return message


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
