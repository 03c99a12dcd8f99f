"""The document relay: `contract_documents` outbox rows -> the contract's due documents, rendered and stored.

Rows are claimed with FOR UPDATE SKIP LOCKED (several workers are safe); each contract is issued in a savepoint,
so one that fails (the storage down, a rendering bug) is rescheduled with backoff and the rest of the batch goes
on. Issuing is idempotent (domain/documents/service.py), so a row processed twice issues nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog

from domain.clock import Clock
from domain.contracts.models import Contract
from domain.contracts.policy import ContractPolicy
from domain.documents.content import DocumentRenderer
from domain.documents.rules import DOCUMENTS_TOPIC
from domain.documents.service import issue_due_documents
from domain.outbox import claim_due
from domain.ports.payments import FundingInstructions, PaymentProvider
from domain.ports.storage import FileStorage
from domain.uow import SessionFactory, UnitOfWork
from exchange.outbox_relay import mark_done, retry_later

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    contracts: int = 0
    issued: int = 0
    failed: int = 0


async def relay_documents_once(
    session_factory: SessionFactory,
    clock: Clock,
    *,
    storage: FileStorage,
    renderer: DocumentRenderer,
    provider: PaymentProvider,
    policy: ContractPolicy,
    zone: ZoneInfo,
    limit: int = 20,
) -> DocumentResult:
    def funding_for(contract: Contract) -> FundingInstructions:
        return provider.funding_instructions(
            payment_reference=contract.payment_reference,
            currency=contract.currency,
            amount_due_minor=contract.total_minor,
        )

    async with UnitOfWork(session_factory, clock, zone=zone) as uow:
        now = uow.now()
        rows = list(await uow.session.scalars(claim_due([DOCUMENTS_TOPIC], now, limit)))
        contracts = issued = failed = 0
        for row in rows:
            try:
                async with uow.session.begin_nested():
                    issued += await issue_due_documents(
                        uow,
                        contract_id=UUID(row.key),
                        storage=storage,
                        renderer=renderer,
                        policy=policy,
                        funding_for=funding_for,
                    )
            except Exception as error:
                log.exception("documents.failed", contract=row.key)
                retry_later(row, now, repr(error))
                failed += 1
                continue
            mark_done(row, now)
            contracts += 1
        await uow.commit()
    if contracts or failed:
        log.info("documents.issued", contracts=contracts, documents=issued, failed=failed)
    return DocumentResult(contracts=contracts, issued=issued, failed=failed)
