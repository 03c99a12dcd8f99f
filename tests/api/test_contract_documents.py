"""Contract documents over GraphQL: issued by the worker at award and at completion, read by the two parties and
operators only (a fee invoice by its addressee only), deterministic, their text extracted and checked; English
copies on request; detached signatures attached and shown. Refused actions change nothing."""

from __future__ import annotations

import hashlib
import io

import httpx
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from exchange.settings import Settings
from exchange.worker import relay_documents_once
from tests.api.contracts import contract, operator
from tests.api.documents import (
    DOCUMENTS,
    DOWNLOAD,
    SIGNATURE,
    attach,
    awarded_with_details,
    complete,
    counts,
    documents,
    download,
    pdf_text,
    with_legal_details,
)
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter

COPY = """mutation($id: ID!, $lang: DocumentLanguage!) { requestContractDocumentCopy(contractId: $id, language: $lang) {
  __typename ... on RequestContractDocumentCopySuccess { language contract { id } }
  ... on UserError { code field } } }"""


async def test_documents_are_issued_at_award_and_completion_for_the_parties_only(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, cid = await awarded_with_details(gql, clock)
    assert await documents(gql, cid, buyer.token) == []  # the worker has not run yet

    first = await relay_documents_once(deps)
    again = await relay_documents_once(deps)

    # Three rows named the contract (the award, and each party stating its details); issued once all the same.
    assert (first.contracts, first.issued, again.issued) == (3, 2, 0)
    at_award = await documents(gql, cid, buyer.token)
    assert [(d["kind"], d["language"]) for d in at_award] == [("CONTRACT", "RU"), ("ESCROW_INVOICE", "RU")]
    assert [d["kind"] for d in await documents(gql, cid, maker.token)] == ["CONTRACT", "ESCROW_INVOICE"]
    contract_pdf = await download(gql, client, buyer, at_award[0]["id"])
    assert hashlib.sha256(contract_pdf).hexdigest() == at_award[0]["file"]["sha256"]
    assert at_award[0]["file"]["contentType"] == "application/pdf" and contract_pdf.startswith(b"%PDF")
    text = pdf_text(contract_pdf)
    reference = (await contract(gql, cid, buyer.token))["fundingInstructions"]["paymentReference"]
    org_names = (await gql(
        "query($b: ID!, $m: ID!) { b: node(id: $b) { ... on Organisation { name legalId } }"
        " m: node(id: $m) { ... on Organisation { name legalId } } }",
        {"b": buyer.organisation_id, "m": maker.organisation_id},
        token=buyer.token,
    ))  # fmt: skip
    for expected in (
        "Договор подряда",
        reference,
        org_names["b"]["name"],
        org_names["b"]["legalId"],
        org_names["m"]["name"],
        org_names["m"]["legalId"],
        "150 000,00",
        "Сто пятьдесят тысяч рублей 00 копеек",
        "45 000,00",  # the first-article milestone
        "7 дней",  # the inspection period
        "Споры",
        "Эскроу",
        "5,00%",
    ):
        assert expected in text.replace("\u00a0", " "), expected
    invoice = pdf_text(await download(gql, client, maker, at_award[1]["id"])).replace("\u00a0", " ")
    assert isinstance(deps.settings, Settings)
    for expected in ("Счёт на оплату", reference, "150 000,00", "без НДС", deps.settings.escrow_beneficiary):
        assert expected in invoice, expected
    # The test server has no escrow account configured: the invoice says its account is a demo, in Russian.
    words = " ".join(invoice.split())
    assert "РЕКВИЗИТЫ, НЕ ДЛЯ ОПЛАТЫ: АО «Демо-Банк», БИК 044525999" in words
    assert "set EXCHANGE_BANK_DETAILS" not in invoice

    # Anyone else: no documents, and no way to ask for them.
    stranger = await sign_up(gql, kind="BUYER")
    assert (await gql(DOCUMENTS, {"id": cid}, token=stranger.token))["node"] is None
    before = await counts(engine)
    refused = (await gql(COPY, {"id": cid, "lang": "EN"}, token=stranger.token))["requestContractDocumentCopy"]
    refused_sig = await attach(client, stranger, at_award[0]["id"], "contract.sig", SIGNATURE)
    refused_download = (await gql(DOWNLOAD, {"id": at_award[0]["id"], "sig": None}, token=stranger.token))[
        "requestContractDocumentDownload"
    ]
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "contractId")
    assert (refused_sig["code"], refused_sig["field"]) == ("NOT_FOUND", "documentId")
    assert (refused_download["code"], refused_download["field"]) == ("NOT_FOUND", "documentId")
    assert await counts(engine) == before

    await complete(gql, clock, engine, buyer, maker, cid)
    done = await relay_documents_once(deps)

    assert done.issued == 3  # the closing act and a fee invoice to each party
    for_buyer = await documents(gql, cid, buyer.token)
    for_maker = await documents(gql, cid, maker.token)
    assert [d["kind"] for d in for_buyer] == ["CONTRACT", "ESCROW_INVOICE", "CLOSING_ACT", "FEE_INVOICE"]
    assert [d["kind"] for d in for_maker] == ["CONTRACT", "ESCROW_INVOICE", "CLOSING_ACT", "FEE_INVOICE"]
    assert for_buyer[3]["addressee"]["id"] == buyer.organisation_id
    assert for_maker[3]["addressee"]["id"] == maker.organisation_id
    assert for_buyer[3]["id"] != for_maker[3]["id"]
    ops = await operator(gql, engine)
    assert len(await documents(gql, cid, ops.token)) == 5
    act = pdf_text(await download(gql, client, buyer, for_buyer[2]["id"])).replace("\u00a0", " ")
    for expected in ("Универсальный передаточный документ", "CDEK 77", "150 000,00", "Сто пятьдесят тысяч рублей"):
        assert expected in act, expected
    fee = pdf_text(await download(gql, client, maker, for_maker[3]["id"])).replace("\u00a0", " ")
    for expected in ("Счёт за услуги биржи", "7 500,00", "Семь тысяч пятьсот рублей 00 копеек", "удержано"):
        assert expected in fee, expected
    # A fee invoice addressed to the other party cannot be signed (nor seen) by this one.
    hidden = await attach(client, maker, for_buyer[3]["id"], "fee.p7s", SIGNATURE)
    assert hidden["code"] == "NOT_FOUND"


async def test_english_copies_on_request_and_signatures_shown(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, cid = await awarded_with_details(gql, clock)
    await relay_documents_once(deps)
    asked = (await gql(COPY, {"id": cid, "lang": "EN"}, token=maker.token))["requestContractDocumentCopy"]
    twice = (await gql(COPY, {"id": cid, "lang": "EN"}, token=buyer.token))["requestContractDocumentCopy"]
    issued = await relay_documents_once(deps)

    assert asked["__typename"] == twice["__typename"] == "RequestContractDocumentCopySuccess"
    assert issued.issued == 2
    listed = await documents(gql, cid, buyer.token)
    assert [(d["kind"], d["language"]) for d in listed] == [
        ("CONTRACT", "RU"),
        ("ESCROW_INVOICE", "RU"),
        ("CONTRACT", "EN"),
        ("ESCROW_INVOICE", "EN"),
    ]
    english = pdf_text(await download(gql, client, buyer, listed[2]["id"]))
    for expected in ("Contract for the manufacture of parts", "RUB 150,000.00", "One hundred fifty thousand roubles"):
        assert expected in english, expected

    signed = await attach(client, buyer, listed[0]["id"], "договор.sig", SIGNATURE)
    not_cms = await attach(client, maker, listed[0]["id"], "drawing.sig", b"%PDF-1.7 not a signature")
    wrong_name = await attach(client, maker, listed[0]["id"], "contract.pdf", SIGNATURE)

    assert signed["__typename"] == "AttachDocumentSignatureSuccess", signed
    assert signed["signature"]["file"] == {"name": "договор.sig", "sha256": hashlib.sha256(SIGNATURE).hexdigest()}
    assert (not_cms["code"], not_cms["field"]) == ("UNSUPPORTED_FILE", "file")
    assert (wrong_name["code"], wrong_name["field"]) == ("UNSUPPORTED_FILE", "file")
    seen_by_maker = (await documents(gql, cid, maker.token))[0]["signatures"]
    assert [s["organisation"]["id"] for s in seen_by_maker] == [buyer.organisation_id]
    assert seen_by_maker[0]["attachedBy"].startswith("User ")
    assert seen_by_maker[0]["createdAt"] == clock.now().isoformat()
    assert await download(gql, client, maker, listed[0]["id"], seen_by_maker[0]["id"]) == SIGNATURE
    assert (await counts(engine))[1] == 1


async def test_the_same_contract_renders_the_same_bytes(deps: AppDeps) -> None:
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from domain.documents import content
    from domain.documents.models import DocumentLanguage
    from domain.taxes.amounts import ContractAmounts, TaxedAmount, VatTreatment
    from domain.taxes.models import TaxStatus

    def vat22(gross: int, vat: int) -> TaxedAmount:
        return TaxedAmount(gross - vat, vat, gross, Decimal("22"), VatTreatment.VAT)

    amounts = ContractAmounts(
        total=vat22(12345678, 2226178),
        milestones=(vat22(3703703, 667880),),
        platform_fee=vat22(617284, 111313),
        manufacturer_net=vat22(11728394, 2114865),
        escrow_due=vat22(12345678, 2226178),
        seller_tax_status=TaxStatus.vat_general,
        buyer_tax_status=TaxStatus.vat_general,
        currency="RUB",
    )
    facts = content.ContractFacts(
        number="CPX-ABCDE-23456",
        awarded_at=datetime(2026, 3, 4, 10, tzinfo=UTC),
        completed_at=None,
        title="Корпус редуктора",
        process="cnc_milling",
        material="Д16Т",
        quantity=100,
        unit_price_minor=123456,
        tooling_minor=78,
        lead_time_days=21,
        need_by=date(2026, 5, 1),
        delivery_region="RU-MOW",
        buyer=content.PartyFacts("ООО «Ромашка»", "7701234567", "RU-MOW"),
        manufacturer=content.PartyFacts("АО «Станкомаш»", "6601234567", "RU-SVE"),
        amounts=amounts,
        milestones=(content.MilestoneFacts("first_article", "approve_first_article", vat22(3703703, 667880), 0),),
        fee_bps=500,
        funding_window_days=14,
        inspection_days=7,
        delivery_confirmation_days=10,
        escrow_beneficiary="Escrow",
        escrow_bank_details="40702810000000000000",
    )
    assert deps.documents is not None
    one = await deps.documents.render(content.contract_document(facts, DocumentLanguage.ru))
    two = await deps.documents.render(content.contract_document(facts, DocumentLanguage.ru))
    other = await deps.documents.render(content.contract_document(facts, DocumentLanguage.en))

    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(two).hexdigest()
    assert one != other
    text = pdf_text(one)
    assert "Сто двадцать три тысячи четыреста пятьдесят шесть рублей 78 копеек" in text
    metadata = PdfReader(io.BytesIO(one)).metadata
    assert metadata is not None and metadata.creation_date is not None
    assert metadata.creation_date.date() == date(2026, 3, 4)


MY_CONTRACTS = """query($first: Int!) { myContracts(first: $first) { edges { node { id
  documentsAwaitLegalDetailsOf { name }
  documents { kind file { sha256 } addressee { name } signatures { attachedBy organisation { name } }
    accessLog { action person organisation { name } } } } } } }"""


async def test_listing_documents_runs_the_same_statements_for_2_and_6_contracts(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, sql: StatementCounter
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    contract_ids = []
    maker = await make_manufacturer(gql, clock)
    await with_legal_details(gql, buyer, maker)
    for n in range(6):
        order_id = await create_order(gql, buyer, clock, title=f"Part {n}")
        bid_id = await place_bid(gql, maker, order_id, clock, unit_price="300.00")
        data = await gql(
            "mutation($id: ID!) { awardBid(bidId: $id) { ... on AwardBidSuccess { contract { id } } } }",
            {"id": bid_id},
            token=buyer.token,
        )
        contract_ids.append(data["awardBid"]["contract"]["id"])
    await relay_documents_once(deps)
    for cid in contract_ids:
        first_document = (await documents(gql, cid, buyer.token))[0]["id"]
        signed = await attach(client, buyer, first_document, "c.sig", SIGNATURE)
        assert signed["__typename"] == "AttachDocumentSignatureSuccess"

    counts_seen = []
    for first in (2, 6):
        with sql.counting():
            data = await gql(MY_CONTRACTS, {"first": first}, token=buyer.token)
        edges = data["myContracts"]["edges"]
        assert len(edges) == first
        assert all(
            len(e["node"]["documents"]) == 2
            and len(e["node"]["documents"][0]["signatures"]) == 1
            and [a["action"] for a in e["node"]["documents"][0]["accessLog"]] == ["SIGNATURE_ATTACHED"]
            and e["node"]["documentsAwaitLegalDetailsOf"] == []
            for e in edges
        )
        counts_seen.append(sql.count)
    assert counts_seen[0] == counts_seen[1], counts_seen


class StorageDown:
    """The files storage refusing writes (a real outage is the backend unreachable): nothing may be recorded."""

    name = "down"

    async def size(self, key: str) -> int | None:
        return None

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        from domain.ports.storage import StorageUnavailable

        raise StorageUnavailable("connection refused")


async def test_a_storage_outage_issues_nothing_and_is_retried_later(
    gql: GraphQL, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from domain.outbox import OutboxMessage

    buyer, _maker, cid = await awarded_with_details(gql, clock)
    assert deps.files is not None
    down = replace(deps, files=replace(deps.files, storage=StorageDown()))  # type: ignore[arg-type]

    failed = await relay_documents_once(down)

    # Three rows name the contract (the award and each party's details), each failing and kept for later.
    assert (failed.contracts, failed.issued, failed.failed) == (0, 0, 3)
    assert await documents(gql, cid, buyer.token) == []
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(OutboxMessage.attempts, OutboxMessage.done_at, OutboxMessage.last_error).where(
                    OutboxMessage.topic == "contract_documents"
                )
            )
        ).all()
    assert len(rows) == 3
    assert all(r.attempts == 1 and r.done_at is None and "connection refused" in r.last_error for r in rows)
    assert (await relay_documents_once(deps)).issued == 0  # not due again yet (backoff)

    clock.advance(timedelta(minutes=10))
    retried = await relay_documents_once(deps)

    assert (retried.contracts, retried.issued, retried.failed) == (3, 2, 0)
    assert len(await documents(gql, cid, buyer.token)) == 2
