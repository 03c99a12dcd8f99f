"""Provider webhooks: stored once on arrival, processed later (by the worker) exactly once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from domain.actor import Actor
from domain.errors import DomainError, ErrorCode, InvalidInput, NotFound
from domain.organisations.models import Organisation
from domain.payments.models import ProviderEvent
from domain.uow import SessionFactory, UnitOfWork

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 20


async def store_event(uow: UnitOfWork, *, provider: str, event_id: str, type: str, payload: dict[str, Any]) -> bool:
    """Keep the event; a redelivery of one we have changes nothing. True when it is new."""
    result = await uow.session.execute(
        insert(ProviderEvent)
        .values(
            id=event_id, provider=provider, type=type, payload=payload, received_at=uow.now(), attempts=0, last_error=""
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(ProviderEvent.id)
    )
    new = result.first() is not None
    await uow.commit()
    return new


Handler = Callable[[UnitOfWork, ProviderEvent], Awaitable[str]]


async def process_events_once(session_factory: SessionFactory, clock: Any, handle: Handler, *, limit: int = 50) -> int:
    """Process waiting events oldest first. Each is locked (SKIP LOCKED: several workers share the queue)
    and marked processed in the same transaction as its effects; a failure is counted and retried later."""
    async with UnitOfWork(session_factory, clock) as uow:
        waiting = list(
            await uow.session.scalars(
                select(ProviderEvent.id)
                .where(ProviderEvent.processed_at.is_(None), ProviderEvent.attempts < MAX_ATTEMPTS)
                .order_by(ProviderEvent.received_at)
                .limit(limit)
            )
        )
    processed = 0
    for event_id in waiting:
        try:
            async with UnitOfWork(session_factory, clock) as uow:
                event = (
                    await uow.session.scalars(
                        select(ProviderEvent)
                        .where(ProviderEvent.id == event_id, ProviderEvent.processed_at.is_(None))
                        .with_for_update(skip_locked=True)
                    )
                ).first()
                if event is None:
                    continue
                event.processed_at = uow.now()
                event.attempts += 1
                await uow.session.flush()
                outcome = await handle(uow, event)
                await uow.commit()
            log.info("provider_event.processed", id=event_id, type=event.type, outcome=outcome)
            processed += 1
        except Exception as error:  # retried on a later pass; never dropped
            log.warning("provider_event.failed", id=event_id, error=str(error))
            async with UnitOfWork(session_factory, clock) as uow:
                await uow.session.execute(
                    update(ProviderEvent)
                    .where(ProviderEvent.id == event_id)
                    .values(attempts=ProviderEvent.attempts + 1, last_error=str(error)[:500])
                )
                await uow.commit()
    return processed


async def connect_payout_account(
    uow: UnitOfWork, *, actor: Actor, organisation_id: UUID, provider: Any, return_url: str, refresh_url: str
) -> str:
    """A manufacturer's admin gets a link to open (or finish) its payout account with the provider."""
    actor.require_member(organisation_id, admin=True, field="organisationId")
    organisation = await uow.session.get(Organisation, organisation_id, with_for_update=True)
    if organisation is None:
        raise NotFound("organisation", "organisationId")
    if not organisation.kind.manufactures:
        raise DomainError(ErrorCode.NOT_A_MANUFACTURER, "only manufacturers receive payouts", "organisationId")
    for name, url in (("returnUrl", return_url), ("refreshUrl", refresh_url)):
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise InvalidInput("use an http(s) URL", name)
    link = getattr(provider, "onboarding_link", None)
    if link is None:
        raise DomainError(ErrorCode.PAYMENT_FAILED, "card payouts are not enabled: payouts go by bank transfer")
    account_id, url = await link(organisation, return_url=return_url, refresh_url=refresh_url)
    organisation.stripe_account_id = account_id
    organisation.updated_at = uow.now()
    await uow.commit()
    return str(url)
