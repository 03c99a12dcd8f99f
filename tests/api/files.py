"""Order files as the API tests share them: upload (multipart), fetch (a download link followed), the NDA steps,
and the rows a refused step must leave as they were (count, snapshot). Used across tests/api/ (a test module
imports helpers from here, not from another test)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.files.models import FileDownload, NdaAcceptance, OrderFile, OrderNda, StoredBlob
from domain.ports.storage import sha256_hex
from tests.api.graphql import GraphQL, Party

ATTACH = """mutation($input: AttachOrderFileInput!) { attachOrderFile(input: $input) {
  __typename ... on OrderFileSuccess { file { id kind name format contentType size sha256 revision note activeContent
  previousRevisions { id revision } } }
  ... on UserError { code message field }
  ... on FileRejectedError { limits { unit min max } allowedFormats } } }"""
FILES = """query($id: ID!) { node(id: $id) { ... on Order { title fileAccess
  nda { version text viewerAccepted }
  files { id name format kind revision previousRevisions { id revision name } } } } }"""
DOWNLOAD = """mutation($id: ID!) { requestFileDownload(fileId: $id) {
  __typename ... on FileDownloadSuccess { url expiresAt file { name sha256 } }
  ... on UserError { code message field } } }"""
SET_NDA = """mutation($id: ID!, $text: String) { setOrderNda(orderId: $id, text: $text) {
  __typename ... on OrderNdaSuccess { nda { version text } } ... on UserError { code message field } } }"""
ACCEPT_NDA = """mutation($id: ID!, $v: Int!) { acceptOrderNda(orderId: $id, version: $v) {
  __typename ... on NdaAcceptanceSuccess {
    acceptance { version organisation { id } } order { fileAccess files { name } } }
  ... on UserError { code message field } } }"""


async def multipart(
    client: httpx.AsyncClient, party: Party, query: str, variables: dict[str, Any], files: list[tuple[str, Any]]
) -> Any:
    """A GraphQL multipart request (the spec's operations + map + file parts): `files` pairs a variable's path
    (e.g. "input.file") with what httpx sends for it ((name, bytes) or (name, bytes, content type)); the body."""
    mapping = {str(i): [f"variables.{path}"] for i, (path, _) in enumerate(files)}
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps({"query": query, "variables": variables}), "map": json.dumps(mapping)},
        files={str(i): part for i, (_, part) in enumerate(files)},
        headers={"Authorization": f"Bearer {party.token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def upload(
    client: httpx.AsyncClient, party: Party, order_id: str, name: str, data: bytes, kind: str = "MODEL", **extra: Any
) -> dict[str, Any]:
    """attachOrderFile as a GraphQL multipart request (the spec's operations + map + file parts)."""
    variables = {"input": {"orderId": order_id, "kind": kind, "file": None, **extra}}
    body = await multipart(client, party, ATTACH, variables, [("input.file", (name, data, "application/octet-stream"))])
    assert "errors" not in body, body
    return dict(body["data"]["attachOrderFile"])


async def fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """A download URL: the app's own route (a path) or the object storage's presigned URL."""
    if url.startswith("/"):
        return await client.get(url)
    async with httpx.AsyncClient() as outside:
        return await outside.get(url)


async def count(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


async def snapshot(engine: AsyncEngine) -> tuple[int, ...]:
    return tuple([await count(engine, t) for t in (OrderFile, StoredBlob, FileDownload, OrderNda, NdaAcceptance)])


REQUEST = """mutation($input: RequestFileUploadInput!) { requestFileUpload(input: $input) {
  __typename ... on FileUploadSuccess { upload { uploadId method url fields { name value } expiresAt } }
  ... on UserError { code message field } } }"""


async def request_upload(gql: GraphQL, party: Party, order_id: str, data: bytes, **overrides: Any) -> dict[str, Any]:
    values = {"orderId": order_id, "kind": "MODEL", "name": "Вал.step", "size": len(data), "sha256": sha256_hex(data)}
    return dict((await gql(REQUEST, {"input": values | overrides}, token=party.token))["requestFileUpload"])


async def send(client: httpx.AsyncClient, upload: dict[str, Any], data: bytes) -> int:
    """What a browser does with the DirectUpload it was given."""
    if upload["method"] == "PUT":
        return (await client.put(upload["url"], content=data)).status_code
    fields = {field["name"]: field["value"] for field in upload["fields"]}
    async with httpx.AsyncClient() as outside:
        return (await outside.post(upload["url"], data=fields, files={"file": ("upload", data)})).status_code


POST = """mutation($id: ID!, $body: String!, $files: [Upload!]) {
  postContractMessage(contractId: $id, body: $body, files: $files) {
    __typename
    ... on ContractMessageSuccess { contractMessage { id attachments { name sizeBytes contentType checksum stored } } }
    ... on UserError { code field message } } }"""


async def post(
    client: httpx.AsyncClient, party: Party, contract_id: str, body: str, files: list[tuple[str, bytes]]
) -> dict[str, Any]:
    variables = {"id": contract_id, "body": body, "files": [None] * len(files)}
    parts = [(f"files.{i}", (name, data)) for i, (name, data) in enumerate(files)]
    return dict((await multipart(client, party, POST, variables, parts))["data"]["postContractMessage"])
