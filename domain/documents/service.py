"""Use cases of the documents area: issue the documents a contract has due (the worker, from the outbox), list them
for a reader, request a copy in another language, attach a detached signature, and sign download URLs.

Issuing is idempotent: what is due follows from the contract's state (rules.due_documents) and each document is
issued once (a unique index on contract, kind, language, addressee), so a replayed outbox row issues nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.actor import Actor
from domain.bids.models import Bid
from domain.contracts.amounts import contract_amounts
from domain.contracts.models import Contract, ContractEvent, Milestone
from domain.contracts.policy import ContractPolicy
from domain.contracts.process import ContractStatus
from domain.documents import content as text
from domain.documents.models import (
    ContractDocument,
    DocumentAccess,
    DocumentAction,
    DocumentCopyRequest,
    DocumentKind,
    DocumentLanguage,
    DocumentSignature,
)
from domain.documents.rules import DOCUMENTS_TOPIC, check_signature_file, due_documents, may_read
from domain.errors import NotFound
from domain.files.rules import FileFormat
from domain.files.service import DOWNLOAD_PATH, FilesConfig, record_blob, storage_down
from domain.files.signing import DownloadGrant, sign
from domain.orders.models import ProductionOrder
from domain.organisations.legal_service import legal_details_by_organisation_ids
from domain.organisations.models import Organisation, OrganisationLegalDetails
from domain.outbox import emit
from domain.ports.payments import FundingInstructions
from domain.ports.storage import FileStorage, StorageUnavailable, blob_key, put_blob
from domain.realtime import EventTopic, announce
from domain.uow import UnitOfWork

log = structlog.get_logger(__name__)

PDF = "application/pdf"
SIGNATURE_CONTENT_TYPE = "application/pkcs7-signature"

# The escrow account's funding instructions for a contract: the payment provider's (payments/bank_transfer.py).
FundingFor = Callable[[Contract], FundingInstructions]


def request_issue(uow: UnitOfWork, contract_id: UUID) -> None:
    """Tell the worker the contract may have documents due (written with the change that made them due)."""
    emit(uow, DOCUMENTS_TOPIC, contract_id)


# Issuing -----------------------------------------------------------------------------------------------------------


def _party(org: Organisation, details: OrganisationLegalDetails | None) -> text.PartyFacts:
    return text.PartyFacts(
        name=org.name, legal_id=org.legal_id, region=org.region, details=details.details() if details else None
    )


async def parties_without_legal_details(
    session: AsyncSession, contracts: Sequence[tuple[UUID, UUID, UUID]]
) -> dict[UUID, list[UUID]]:
    """Per contract (id, buyer, manufacturer): the parties that have not stated their legal details, buyer first.
    The documents wait for them: a Russian accountant books no contract, invoice or УПД without both parties'
    реквизиты, and an issued document is never changed, so none is issued with a gap. One statement."""
    organisations = {org for _, buyer, maker in contracts for org in (buyer, maker)}
    stated = set(
        (
            await session.scalars(
                select(OrganisationLegalDetails.organisation_id).where(
                    OrganisationLegalDetails.organisation_id.in_(list(organisations))
                )
            )
        ).all()
    ) if organisations else set()  # fmt: skip
    return {cid: [org for org in (buyer, maker) if org not in stated] for cid, buyer, maker in contracts}


async def contract_facts(
    session: AsyncSession,
    contract: Contract,
    *,
    policy: ContractPolicy,
    funding: FundingInstructions,
    zone: ZoneInfo,
) -> text.ContractFacts:
    """What the documents print about a contract. Its moments are given in `zone` (the reporting zone, as the
    rates were chosen): a document is dated by the day it was awarded or completed there, not by the UTC day, so
    that an invoice and the fee VAT rate it prints agree (domain/clock.tax_day)."""
    order = await session.get(ProductionOrder, contract.order_id)
    bid = await session.get(Bid, contract.bid_id)
    buyer = await session.get(Organisation, contract.buyer_organisation_id)
    maker = await session.get(Organisation, contract.manufacturer_organisation_id)
    assert order is not None and bid is not None and buyer is not None and maker is not None
    details = await legal_details_by_organisation_ids(session, [buyer.id, maker.id])
    amounts = await contract_amounts(session, contract.id)
    milestones = (
        await session.scalars(
            select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.position)
        )
    ).all()
    by_id = dict(zip((m.id for m in milestones), amounts.milestones, strict=True))  # both by position
    events = (
        await session.scalars(
            select(ContractEvent).where(ContractEvent.contract_id == contract.id).order_by(ContractEvent.sequence)
        )
    ).all()
    shipments: list[text.ShipmentFacts] = []
    completed_at = None
    for event in events:
        if event.transition == "ship":
            shipments.append(
                text.ShipmentFacts(
                    event.created_at.astimezone(zone),
                    str(event.payload.get("tracking_reference", "")),
                    None,
                    None,
                    "",
                    0,
                )
            )
        elif event.transition == "confirm_delivery" and shipments:
            shipments[-1] = replace(shipments[-1], delivered_at=event.created_at.astimezone(zone))
        elif event.to_status == ContractStatus.completed:
            completed_at = event.created_at.astimezone(zone)
            if shipments:
                shipments[-1] = replace(
                    shipments[-1],
                    accepted_at=completed_at,
                    accepted_by=event.transition,
                    accepted_minor=sum(m.released_minor for m in milestones),
                )
    # Unit price as quoted; the quantity is the contract's (a split award takes part of the bid).
    tooling = bid.tooling_minor if contract.quantity == bid.quantity else 0
    return text.ContractFacts(
        number=contract.payment_reference,
        awarded_at=contract.created_at.astimezone(zone),
        completed_at=completed_at,
        title=order.title,
        process=order.process,
        material=order.material,
        quantity=contract.quantity,
        unit_price_minor=bid.unit_price_minor,
        tooling_minor=tooling,
        lead_time_days=bid.lead_time_days,
        need_by=order.need_by,
        delivery_region=order.delivery_region,
        buyer=_party(buyer, details.get(buyer.id)),
        manufacturer=_party(maker, details.get(maker.id)),
        amounts=amounts,
        milestones=tuple(
            text.MilestoneFacts(m.name, m.trigger, by_id[m.id], m.released_minor) for m in milestones if m.id in by_id
        ),
        fee_bps=policy.platform_fee_bps,
        funding_window_days=policy.funding_window.days,
        inspection_days=policy.inspection_period.days,
        delivery_confirmation_days=policy.delivery_confirmation_window.days,
        escrow_beneficiary=funding.beneficiary,
        escrow_bank_details=funding.bank_details,
        shipments=tuple(shipments),
        released_minor=sum(m.released_minor for m in milestones),
        refunded_minor=sum(m.refunded_minor for m in milestones),
    )


def compose(
    kind: DocumentKind, language: DocumentLanguage, facts: text.ContractFacts, *, to_manufacturer: bool
) -> text.DocumentContent:
    if kind == DocumentKind.contract:
        return text.contract_document(facts, language)
    if kind == DocumentKind.escrow_invoice:
        return text.escrow_invoice(facts, language)
    if kind == DocumentKind.closing_act:
        return text.closing_act(facts, language)
    return text.fee_invoice(facts, language, to_manufacturer=to_manufacturer)


async def issue_due_documents(
    uow: UnitOfWork,
    *,
    contract_id: UUID,
    storage: FileStorage,
    renderer: text.DocumentRenderer,
    policy: ContractPolicy,
    funding_for: FundingFor,
) -> int:
    """Render and store every document the contract has due and lacks; returns how many were issued. A contract
    cancelled before funding keeps what it had (its contract and invoice), nothing more."""
    session = uow.session
    contract = await session.get(Contract, contract_id)
    if contract is None:
        return 0
    languages = (
        await session.scalars(
            select(DocumentCopyRequest.language).where(DocumentCopyRequest.contract_id == contract_id)
        )
    ).all()
    due = due_documents(
        contract.status,
        buyer_organisation_id=contract.buyer_organisation_id,
        manufacturer_organisation_id=contract.manufacturer_organisation_id,
        languages=languages,
    )
    existing = {
        (row.kind, row.language, row.addressee_organisation_id)
        for row in await session.scalars(select(ContractDocument).where(ContractDocument.contract_id == contract_id))
    }
    missing = [d for d in due if (d.kind, d.language, d.addressee_organisation_id) not in existing]
    if not missing:
        return 0
    parties = (contract.id, contract.buyer_organisation_id, contract.manufacturer_organisation_id)
    if (await parties_without_legal_details(session, [parties]))[contract.id]:
        # Held back until both parties state their legal details (organisations/legal_service.py asks again then).
        return 0
    facts = await contract_facts(session, contract, policy=policy, funding=funding_for(contract), zone=uow.zone)
    now = uow.now()
    for document in missing:
        content = compose(
            document.kind,
            document.language,
            facts,
            to_manufacturer=document.addressee_organisation_id == contract.manufacturer_organisation_id,
        )
        pdf = await renderer.render(content)
        try:
            digest = await put_blob(storage, pdf, content_type=PDF)
        except StorageUnavailable as error:
            raise storage_down(error) from None
        await record_blob(session, sha256=digest, size=len(pdf), fmt=FileFormat.pdf, now=now)
        await session.execute(
            insert(ContractDocument)
            .values(
                contract_id=contract_id,
                kind=document.kind,
                language=document.language,
                addressee_organisation_id=document.addressee_organisation_id,
                number=content.number,
                name=content.file_name(),
                sha256=digest,
                size=len(pdf),
                issued_on=facts.completed_at if document.kind in _AT_COMPLETION else facts.awarded_at,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )
    announce(uow, EventTopic.contract, contract_id, transition="documents_issued")
    return len(missing)


_AT_COMPLETION = (DocumentKind.closing_act, DocumentKind.fee_invoice)


# Reading -----------------------------------------------------------------------------------------------------------


async def _readable_contract(session: AsyncSession, actor: Actor, contract_id: UUID, field: str) -> Contract:
    contract = await session.get(Contract, contract_id)
    parties = (contract.buyer_organisation_id, contract.manufacturer_organisation_id) if contract else None
    if contract is None or parties is None or not may_read(actor, parties=parties, addressee_organisation_id=None):
        raise NotFound("contract", field)
    return contract


async def documents_by_contract_ids(
    session: AsyncSession, *, actor: Actor, contract_ids: Sequence[UUID]
) -> dict[UUID, list[ContractDocument]]:
    """Per contract the viewer may see: the documents it may read, kind by kind, Russian first."""
    rows = await session.execute(
        select(ContractDocument, Contract.buyer_organisation_id, Contract.manufacturer_organisation_id)
        .join(Contract, Contract.id == ContractDocument.contract_id)
        .where(ContractDocument.contract_id.in_(list(contract_ids)))
        .order_by(ContractDocument.contract_id, ContractDocument.language.desc(), ContractDocument.created_at)
    )
    found: dict[UUID, list[ContractDocument]] = {cid: [] for cid in contract_ids}
    for document, buyer, maker in rows.all():
        if may_read(actor, parties=(buyer, maker), addressee_organisation_id=document.addressee_organisation_id):
            found[document.contract_id].append(document)
    order = list(DocumentKind)
    for documents in found.values():
        documents.sort(key=lambda d: (d.language != DocumentLanguage.ru, d.language, order.index(d.kind)))
    return found


async def readable_documents_by_ids(
    session: AsyncSession, *, actor: Actor, ids: Sequence[UUID]
) -> dict[UUID, ContractDocument]:
    """Documents by id, only those the actor may read (the rest are not found). One statement."""
    rows = await session.execute(
        select(ContractDocument, Contract.buyer_organisation_id, Contract.manufacturer_organisation_id)
        .join(Contract, Contract.id == ContractDocument.contract_id)
        .where(ContractDocument.id.in_(list(ids)))
    )
    return {
        document.id: document
        for document, buyer, maker in rows.all()
        if may_read(actor, parties=(buyer, maker), addressee_organisation_id=document.addressee_organisation_id)
    }


async def signatures_by_document_ids(
    session: AsyncSession, document_ids: Sequence[UUID]
) -> dict[UUID, list[DocumentSignature]]:
    rows = await session.scalars(
        select(DocumentSignature)
        .where(DocumentSignature.document_id.in_(list(document_ids)))
        .order_by(DocumentSignature.created_at, DocumentSignature.id)
    )
    found: dict[UUID, list[DocumentSignature]] = {did: [] for did in document_ids}
    for row in rows:
        found[row.document_id].append(row)
    return found


async def _readable_document(uow: UnitOfWork, actor: Actor, document_id: UUID, field: str) -> ContractDocument:
    """The document if the actor may read it; NotFound otherwise (we never confirm it exists)."""
    document = await uow.session.get(ContractDocument, document_id)
    contract = await uow.session.get(Contract, document.contract_id) if document else None
    if (
        document is None
        or contract is None
        or not may_read(
            actor,
            parties=(contract.buyer_organisation_id, contract.manufacturer_organisation_id),
            addressee_organisation_id=document.addressee_organisation_id,
        )
    ):
        raise NotFound("document", field)
    return document


# Changing ----------------------------------------------------------------------------------------------------------


async def request_copy(uow: UnitOfWork, *, actor: Actor, contract_id: UUID, language: DocumentLanguage) -> Contract:
    """A party (or an operator) asks for the documents in another language: issued by the worker, now and for the
    documents that fall due later. Asking twice is harmless."""
    user_id = actor.require_user()
    contract = await _readable_contract(uow.session, actor, contract_id, "contractId")
    if language != DocumentLanguage.ru:
        await uow.session.execute(
            insert(DocumentCopyRequest)
            .values(contract_id=contract_id, language=language, requested_by_user_id=user_id, requested_at=uow.now())
            .on_conflict_do_nothing()
        )
        request_issue(uow, contract_id)
    await uow.commit()
    return contract


async def attach_signature(
    uow: UnitOfWork, *, files: FilesConfig, actor: Actor, document_id: UUID, name: str, data: bytes
) -> DocumentSignature:
    """A party attaches a detached e-signature (CMS .sig/.p7s) of a document it may read, on behalf of its side of the
    contract. Stored as given; verifying it is out of scope (the UI says so)."""
    user_id = actor.require_user()
    document = await _readable_document(uow, actor, document_id, "documentId")
    contract = await uow.session.get(Contract, document.contract_id)
    assert contract is not None
    side = next(
        (o for o in (contract.buyer_organisation_id, contract.manufacturer_organisation_id) if actor.is_member(o)), None
    )
    if side is None:
        raise NotFound("document", "documentId")  # operators read documents but sign for no party
    clean = check_signature_file(name, data)
    try:
        digest = await put_blob(files.storage, data, content_type=SIGNATURE_CONTENT_TYPE)
    except StorageUnavailable as error:
        raise storage_down(error) from None
    signature = DocumentSignature(
        document_id=document.id,
        organisation_id=side,
        user_id=user_id,
        name=clean,
        sha256=digest,
        size=len(data),
        created_at=uow.now(),
    )
    uow.session.add(signature)
    await uow.session.flush()
    uow.session.add(
        DocumentAccess(
            document_id=document.id,
            signature_id=signature.id,
            action=DocumentAction.signature_attached,
            sha256=digest,
            user_id=user_id,
            organisation_id=side,
            at=signature.created_at,
        )
    )
    announce(uow, EventTopic.contract, contract.id, transition="document_signed")
    await uow.commit()
    return signature


@dataclass(frozen=True, slots=True)
class IssuedDocumentDownload:
    url: str
    expires_at: datetime
    document: ContractDocument
    signature: DocumentSignature | None
    access: DocumentAccess


async def issue_download(
    uow: UnitOfWork, *, files: FilesConfig, actor: Actor, document_id: UUID, signature_id: UUID | None = None
) -> IssuedDocumentDownload:
    """A short-lived URL for a document (or one of its signatures) the actor may read, and its audit row: who, for
    which party, when, which bytes. Anyone else is refused as if the document did not exist, and nothing is written
    (the refusal goes to the log only)."""
    user_id = actor.require_user()
    try:
        document = await _readable_document(uow, actor, document_id, "documentId")
    except NotFound:
        log.info("documents.download_refused", document=str(document_id), user=str(user_id))
        raise
    signature = None
    if signature_id is not None:
        signature = await uow.session.get(DocumentSignature, signature_id)
        if signature is None or signature.document_id != document.id:
            raise NotFound("signature", "signatureId")
    contract = await uow.session.get(Contract, document.contract_id)
    assert contract is not None
    side = next(
        (o for o in (contract.buyer_organisation_id, contract.manufacturer_organisation_id) if actor.is_member(o)), None
    )
    now = uow.now()
    sha256, name, content_type = (
        (signature.sha256, signature.name, SIGNATURE_CONTENT_TYPE)
        if signature
        else (document.sha256, document.name, PDF)
    )
    access = DocumentAccess(
        document_id=document.id,
        signature_id=signature.id if signature else None,
        action=DocumentAction.download,
        sha256=sha256,
        user_id=user_id,
        organisation_id=side,
        at=now,
    )
    uow.session.add(access)
    expires_at = now + files.url_ttl
    try:
        url = await files.storage.download_url(
            blob_key(sha256), filename=name, content_type=content_type, expires_in=files.url_ttl
        )
    except StorageUnavailable as error:
        raise storage_down(error) from None
    if url is None:
        url = DOWNLOAD_PATH + sign(DownloadGrant(access.id, sha256, name, content_type, expires_at), files.signing_key)
    await uow.commit()
    return IssuedDocumentDownload(url, expires_at, document, signature, access)


async def access_by_document_ids(
    session: AsyncSession, document_ids: Sequence[UUID]
) -> dict[UUID, list[DocumentAccess]]:
    """The audit of each document, newest first (the caller shows it only to the document's readers). One statement."""
    rows = await session.scalars(
        select(DocumentAccess)
        .where(DocumentAccess.document_id.in_(list(document_ids)))
        .order_by(DocumentAccess.at.desc(), DocumentAccess.id)
    )
    found: dict[UUID, list[DocumentAccess]] = {did: [] for did in document_ids}
    for row in rows:
        found[row.document_id].append(row)
    return found
