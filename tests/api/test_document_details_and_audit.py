"""Contract documents and the parties' legal details: the documents wait until both parties have stated their
реквизиты (and say whom they wait for), then print them in full (ИНН/КПП, ОГРН/ОГРНИП, addresses, bank account,
signatory and authority); every download link issued and every signature attached is audited for the document's
readers, and a refused download records nothing."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from exchange.worker import relay_documents_once
from tests.api.contracts import awarded, operator
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
)
from tests.api.graphql import GraphQL, Party, sign_up
from tests.clock import FakeClock
from tests.legal_samples import SET_LEGAL_DETAILS, legal_details


async def waiting_for(gql: GraphQL, cid: str, token: str) -> list[str]:
    node = (await gql(DOCUMENTS, {"id": cid}, token=token))["node"]
    return [org["id"] for org in node["documentsAwaitLegalDetailsOf"]]


async def state(gql: GraphQL, party: Party, details: dict[str, Any]) -> None:
    answer = await gql(SET_LEGAL_DETAILS, {"id": party.organisation_id, "input": details}, token=party.token)
    assert answer["setLegalDetails"]["__typename"] == "LegalDetailsSuccess", answer


def flat(text: str) -> str:
    """The PDF's text on one line: no-break spaces as spaces, words typst hyphenated at a line end joined again."""
    return " ".join(text.replace("\u00a0", " ").split()).replace("\u00ad ", "")


def shows(text: str, wanted: str) -> bool:
    """`wanted` appears in the flattened text, whatever line breaks the layout put inside it (typst may break a line
    after a "/" or a "-", which the extraction gives back as a space)."""
    return "".join(wanted.split()) in "".join(text.split())


def printed(details: dict[str, Any]) -> list[str]:
    """What a document must show of a party's details."""
    wanted = [
        details["inn"],
        details["ogrn"],
        details["settlementAccount"],
        details["bik"],
        details["correspondentAccount"],
        details["bankName"],
        details["legalAddress"],
    ]
    if details["kpp"]:
        wanted.append(f"КПП {details['kpp']}")
    if details["postalAddress"]:
        wanted.append(details["postalAddress"])
    return wanted


async def test_documents_wait_for_both_parties_details_then_print_them(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, cid = await awarded(gql, clock)

    held = await relay_documents_once(deps)

    assert held.issued == 0 and await documents(gql, cid, buyer.token) == []
    assert await waiting_for(gql, cid, buyer.token) == [buyer.organisation_id, maker.organisation_id]

    buyer_details = legal_details(
        postalAddress="101000, г. Москва, а/я 15",
        signatoryName="Петрова Мария Олеговна",
        signatoryPosition="Финансовый директор",
        signatoryBasis="POWER_OF_ATTORNEY",
        powerOfAttorneyNumber="17",
        powerOfAttorneyDate=(clock.now().date() - timedelta(days=5)).isoformat(),
    )
    await state(gql, buyer, buyer_details)
    assert (await relay_documents_once(deps)).issued == 0  # still waiting for the manufacturer
    assert await waiting_for(gql, cid, maker.token) == [maker.organisation_id]

    maker_details = legal_details(sole_proprietor=True)
    await state(gql, maker, maker_details)
    issued = await relay_documents_once(deps)  # stating them asked the relay to look again

    assert issued.issued == 2
    assert await waiting_for(gql, cid, buyer.token) == []
    at_award = await documents(gql, cid, buyer.token)
    contract_text = flat(pdf_text(await download(gql, client, buyer, at_award[0]["id"])))
    for expected in [*printed(buyer_details), *printed(maker_details)]:
        assert shows(contract_text, expected), expected
    poa_day = clock.now().date() - timedelta(days=5)
    for expected in (
        "ОГРНИП " + maker_details["ogrn"],
        "ОГРН " + buyer_details["ogrn"],
        "Финансовый директор Петрова Мария Олеговна, действует на основании Доверенности № 17 от "
        + poa_day.strftime("%d.%m.%Y"),
        "Индивидуальный предприниматель Смирнова Анна Игоревна, действует на основании записи ЕГРИП",
    ):
        assert shows(contract_text, expected), expected
    assert "КПП" not in contract_text.split("ОГРНИП")[0].split(maker_details["inn"])[-1]  # no КПП for the ИП
    invoice_text = flat(pdf_text(await download(gql, client, buyer, at_award[1]["id"])))
    for expected in printed(buyer_details):  # the payer
        assert shows(invoice_text, expected), expected

    await complete(gql, clock, engine, buyer, maker, cid)
    assert (await relay_documents_once(deps)).issued == 3
    closing = await documents(gql, cid, maker.token)
    act_text = flat(pdf_text(await download(gql, client, maker, closing[2]["id"])))
    fee_text = flat(pdf_text(await download(gql, client, maker, closing[3]["id"])))
    for expected in [*printed(buyer_details), *printed(maker_details), "записи ЕГРИП"]:
        assert shows(act_text, expected), expected
    for expected in printed(maker_details):  # the fee invoice is addressed to the manufacturer
        assert shows(fee_text, expected), expected


async def test_every_download_and_signature_is_audited_and_a_refusal_records_nothing(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, cid = await awarded_with_details(gql, clock)
    await relay_documents_once(deps)
    ops = await operator(gql, engine)
    document = (await documents(gql, cid, buyer.token))[0]
    sha = document["file"]["sha256"]

    body = await download(gql, client, buyer, document["id"])
    clock.advance(timedelta(minutes=1))
    await download(gql, client, maker, document["id"])
    clock.advance(timedelta(minutes=1))
    signed = await attach(client, buyer, document["id"], "договор.sig", SIGNATURE)
    signature_id = signed["signature"]["id"]
    clock.advance(timedelta(minutes=1))
    assert await download(gql, client, maker, document["id"], signature_id) == SIGNATURE
    clock.advance(timedelta(minutes=1))
    await download(gql, client, ops, document["id"])

    assert hashlib.sha256(body).hexdigest() == sha
    log = (await documents(gql, cid, maker.token))[0]["accessLog"]
    signature_sha = hashlib.sha256(SIGNATURE).hexdigest()
    assert [
        (line["action"], (line["organisation"] or {}).get("id"), line["sha256"], line["signature"]) for line in log
    ] == [
        ("DOWNLOAD", None, sha, None),  # the operator, for no party
        ("DOWNLOAD", maker.organisation_id, signature_sha, signature_id),
        ("SIGNATURE_ATTACHED", buyer.organisation_id, signature_sha, signature_id),
        ("DOWNLOAD", maker.organisation_id, sha, None),
        ("DOWNLOAD", buyer.organisation_id, sha, None),
    ]
    assert all(line["person"].startswith("User ") for line in log)
    assert log[-1]["at"] == (clock.now() - timedelta(minutes=4)).isoformat()
    assert (await documents(gql, cid, buyer.token))[0]["accessLog"] == log  # both parties see it
    assert (await documents(gql, cid, ops.token))[0]["accessLog"] == log  # and operators

    stranger = await sign_up(gql, kind="BUYER")
    before = await counts(engine)
    refusals = [
        (await gql(DOWNLOAD, {"id": document["id"], "sig": None}, token=stranger.token))[
            "requestContractDocumentDownload"
        ],
        (await gql(DOWNLOAD, {"id": document["id"], "sig": signature_id}, token=stranger.token))[
            "requestContractDocumentDownload"
        ],
        (await gql(DOWNLOAD, {"id": document["id"], "sig": None}))["requestContractDocumentDownload"],
    ]

    assert [(r["__typename"], r["code"], r["field"]) for r in refusals] == [
        ("NotFoundError", "NOT_FOUND", "documentId"),
        ("NotFoundError", "NOT_FOUND", "documentId"),
        ("NotAuthenticatedError", "UNAUTHENTICATED", None),
    ]
    assert await counts(engine) == before
    assert (await documents(gql, cid, buyer.token))[0]["accessLog"] == log

    # Nor can the audit be reached by the document's id: node(id:) finds it for its readers only.
    by_id = "query($id: ID!) { node(id: $id) { ... on ContractDocument { id accessLog { action } } } }"
    assert (await gql(by_id, {"id": document["id"]}, token=stranger.token))["node"] is None
    assert (await gql(by_id, {"id": document["id"]}, token=maker.token))["node"]["accessLog"] == [
        {"action": line["action"]} for line in log
    ]
