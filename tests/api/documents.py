"""Contract documents as the API tests share them: a contract awarded between parties with legal details, its
documents listed, downloaded and read as text, a signed copy attached, the contract completed. Used across
tests/api/ (a test module imports helpers from here, not from another test)."""

from __future__ import annotations

import io
from typing import Any

import httpx
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.documents.models import ContractDocument, DocumentAccess, DocumentCopyRequest, DocumentSignature
from tests.api.contracts import awarded, contract, fund, operator, step
from tests.api.files import multipart
from tests.api.graphql import GraphQL, Party
from tests.clock import FakeClock
from tests.legal_samples import SET_LEGAL_DETAILS, legal_details

DOCUMENTS = """query($id: ID!) { node(id: $id) { ... on Contract {
  documents { id kind language number issuedOn addressee { id name }
    file { name contentType size sha256 }
    signatures { id createdAt attachedBy organisation { id } file { name size sha256 } }
    accessLog { action at sha256 person organisation { id } signature } }
  documentsAwaitLegalDetailsOf { id }
} } }"""
DOWNLOAD = """mutation($id: ID!, $sig: ID) { requestContractDocumentDownload(documentId: $id, signatureId: $sig) {
  __typename ... on ContractDocumentDownloadSuccess { url expiresAt document { id } access { action sha256 at } }
  ... on UserError { code field } } }"""
ATTACH = """mutation($input: AttachDocumentSignatureInput!) { attachDocumentSignature(input: $input) {
  __typename ... on AttachDocumentSignatureSuccess { signature { id attachedBy file { name sha256 } } }
  ... on UserError { code message field } } }"""


# A DER CMS ContentInfo starts with a SEQUENCE; the platform stores signatures without verifying them.
SIGNATURE = bytes.fromhex("3082") + b"\x01\x00" + b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" + b"\x00" * 250


async def documents(gql: GraphQL, contract_id: str, token: str) -> list[dict[str, Any]]:
    return list((await gql(DOCUMENTS, {"id": contract_id}, token=token))["node"]["documents"])


async def download(
    gql: GraphQL, client: httpx.AsyncClient, party: Party, document_id: str, signature_id: str | None = None
) -> bytes:
    """Ask for a download link (audited), then follow it."""
    issued = (await gql(DOWNLOAD, {"id": document_id, "sig": signature_id}, token=party.token))[
        "requestContractDocumentDownload"
    ]
    assert issued["__typename"] == "ContractDocumentDownloadSuccess", issued
    response = await client.get(issued["url"])
    assert response.status_code == 200, response.text
    return response.content


async def with_legal_details(gql: GraphQL, *parties: Party, **changes: Any) -> list[dict[str, Any]]:
    """Each party states its legal details (the documents wait for them); returns what each stated."""
    stated = []
    for party in parties:
        details = legal_details(**changes)
        answer = await gql(SET_LEGAL_DETAILS, {"id": party.organisation_id, "input": details}, token=party.token)
        assert answer["setLegalDetails"]["__typename"] == "LegalDetailsSuccess", answer
        stated.append(details)
    return stated


async def awarded_with_details(gql: GraphQL, clock: FakeClock) -> tuple[Party, Party, str]:
    buyer, maker, cid = await awarded(gql, clock)
    await with_legal_details(gql, buyer, maker)
    return buyer, maker, cid


def pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages).replace("\n", " ")


async def attach(client: httpx.AsyncClient, party: Party, document_id: str, name: str, data: bytes) -> Any:
    variables = {"input": {"documentId": document_id, "file": None}}
    body = await multipart(client, party, ATTACH, variables, [("input.file", (name, data, "application/octet-stream"))])
    return body["data"]["attachDocumentSignature"]


async def counts(engine: AsyncEngine) -> tuple[int, int, int, int]:
    async with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            [
                int(await conn.scalar(select(func.count()).select_from(table)) or 0)
                for table in (ContractDocument, DocumentSignature, DocumentCopyRequest, DocumentAccess)
            ]
        )


async def complete(gql: GraphQL, clock: FakeClock, engine: AsyncEngine, buyer: Party, maker: Party, cid: str) -> None:
    ops = await operator(gql, engine)
    reference = (await contract(gql, cid, buyer.token))["fundingInstructions"]["paymentReference"]
    assert (await fund(gql, ops, reference, clock, "150000", "BANK-D1"))["contract"]["status"] == "FUNDED"
    for token, name in [
        (maker.token, "startProduction"),
        (maker.token, "submitFirstArticle"),
        (buyer.token, "approveFirstArticle"),
    ]:
        assert (await gql(step(name), {"id": cid}, token=token))[name]["__typename"] == "ContractSuccess"
    shipped = await gql(
        step("ship", ", trackingReference: $t", ", $t: String!"), {"id": cid, "t": "CDEK 77"}, maker.token
    )
    assert shipped["ship"]["contract"]["status"] == "SHIPPED"
    for name in ("confirmDelivery", "acceptDelivery"):
        assert (await gql(step(name), {"id": cid}, token=buyer.token))[name]["contract"]["status"] in (
            "INSPECTION",
            "COMPLETED",
        )
