"""Every refusal of a file says why, typed (FileRejectedError.reason with its figures: the format that arrived cut
short, the archive's kind, the formats taken, the largest size), on every path a file comes in by: an order's
multipart upload, a direct upload's finish, a contract message's attachments, a document's detached signature. A
refused file leaves nothing behind: no file row, no blob, no message, no signature."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.files.models import FileUpload, StoredBlob
from domain.files.service import FilesConfig
from domain.messages.models import ContractMessage
from domain.ports.storage import blob_key, sha256_hex
from exchange.settings import Environment, Settings
from exchange.worker import relay_documents_once
from tests import files_samples as samples
from tests.api.contracts import awarded
from tests.api.documents import SIGNATURE, awarded_with_details, counts, documents
from tests.api.files import count, send, snapshot
from tests.api.graphql import GraphQL, Party, create_order, sign_up
from tests.clock import FakeClock
from tests.conftest import files_config_for

REFUSAL = """... on UserError { code message field }
  ... on FileRejectedError { reason detectedFormat archiveKind allowedFormats limits { unit max } }"""
ATTACH = f"""mutation($input: AttachOrderFileInput!) {{ attachOrderFile(input: $input) {{
  __typename {REFUSAL} }} }}"""
REQUEST = f"""mutation($input: RequestFileUploadInput!) {{ requestFileUpload(input: $input) {{
  __typename ... on FileUploadSuccess {{ upload {{ uploadId method url fields {{ name value }} }} }} {REFUSAL} }} }}"""
FINISH = f"""mutation($id: ID!) {{ finishFileUpload(uploadId: $id) {{ __typename {REFUSAL} }} }}"""
POST = f"""mutation($id: ID!, $body: String!, $files: [Upload!]) {{
  postContractMessage(contractId: $id, body: $body, files: $files) {{ __typename {REFUSAL} }} }}"""
SIGN = f"""mutation($input: AttachDocumentSignatureInput!) {{ attachDocumentSignature(input: $input) {{
  __typename {REFUSAL} }} }}"""
FORMATS = ["pdf", "step", "iges", "stl", "dxf", "png", "jpeg"]
MAX_FILE = 64 * 1024


def refused(
    reason: str,
    *,
    detected: str | None = None,
    archive: str | None = None,
    formats: list[str] | None = FORMATS,
    limits: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "reason": reason,
        "detectedFormat": detected,
        "archiveKind": archive,
        "allowedFormats": formats,
        "limits": limits,
    }


def figures_of(result: dict[str, Any]) -> dict[str, Any]:
    return {key: result[key] for key in ("reason", "detectedFormat", "archiveKind", "allowedFormats", "limits")}


async def multipart(
    client: httpx.AsyncClient, party: Party, query: str, variables: dict[str, Any], files: dict[str, tuple[str, bytes]]
) -> dict[str, Any]:
    """A GraphQL multipart request (the spec's operations + map + file parts): `files` maps a variable's path to
    the file sent there; the mutation's one result."""
    paths = list(files)
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps({str(i): [f"variables.{path}"] for i, path in enumerate(paths)}),
        },
        files={str(i): (*files[path], "application/octet-stream") for i, path in enumerate(paths)},
        headers={"Authorization": f"Bearer {party.token}"},
    )
    assert response.status_code == 200, response.text
    (result,) = response.json()["data"].values()
    return dict(result)


async def upload(client: httpx.AsyncClient, party: Party, order_id: str, name: str, data: bytes) -> dict[str, Any]:
    variables = {"input": {"orderId": order_id, "kind": "MODEL", "file": None}}
    return await multipart(client, party, ATTACH, variables, {"input.file": (name, data)})


async def request_upload(gql: GraphQL, party: Party, order_id: str, data: bytes, **overrides: Any) -> dict[str, Any]:
    values = {"orderId": order_id, "kind": "MODEL", "name": "part.stl", "size": len(data), "sha256": sha256_hex(data)}
    return dict((await gql(REQUEST, {"input": values | overrides}, token=party.token))["requestFileUpload"])


def seven_zip() -> bytes:
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 40


def rar() -> bytes:
    return b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40


# (file name, bytes, code, the message's English, the typed figures): the content refusals every path shares.
CONTENT_REFUSALS = [
    ("part.stl", b"", "UNSUPPORTED_FILE", "the file is empty", refused("EMPTY")),
    ("part.stl", samples.zip_named_stl(), "UNSUPPORTED_FILE", "archives (ZIP)", refused("ARCHIVE", archive="ZIP")),
    ("parts.7z", seven_zip(), "UNSUPPORTED_FILE", "archives (7-Zip)", refused("ARCHIVE", archive="SEVEN_ZIP")),
    ("parts.rar", rar(), "UNSUPPORTED_FILE", "archives (RAR)", refused("ARCHIVE", archive="RAR")),
    ("part.step.gz", gzip.compress(samples.step()), "UNSUPPORTED_FILE", "(gzip)", refused("ARCHIVE", archive="GZIP")),
    (
        "part.stl",
        samples.stl_ascii()[:-10],
        "UNSUPPORTED_FILE",
        "the STL file is truncated (no endsolid)",
        refused("TRUNCATED", detected="STL"),
    ),
    (
        "housing.step",
        samples.step()[:-40],
        "UNSUPPORTED_FILE",
        "STEP file is truncated",
        refused("TRUNCATED", detected="STEP"),
    ),
    ("drawing.pdf", samples.pdf()[:-8], "UNSUPPORTED_FILE", "PDF is truncated", refused("TRUNCATED", detected="PDF")),
    (
        "photo.png",
        samples.png()[:-6],
        "UNSUPPORTED_FILE",
        "PNG image is truncated",
        refused("TRUNCATED", detected="PNG"),
    ),
    (
        "photo.jpg",
        samples.jpeg()[:-2],
        "UNSUPPORTED_FILE",
        "JPEG image is truncated",
        refused("TRUNCATED", detected="JPEG"),
    ),
    (
        "drawing.pdf",
        b"MZ\x90\x00 not a drawing",
        "UNSUPPORTED_FILE",
        "the file is not a PDF, STEP, IGES, STL, DXF, PNG or JPEG file",
        refused("UNKNOWN_CONTENT"),
    ),
]
TOO_LARGE = samples.stl_binary([((0, 0, 0), (1, 0, 0), (0, 1, 0))] * 1400)  # 70 084 bytes: over MAX_FILE
TOO_LARGE_FIGURES = refused("TOO_LARGE", formats=None, limits={"unit": "BYTES", "max": str(MAX_FILE)})


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30, files_max_file_bytes=MAX_FILE, files_max_per_order=2)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def nothing_stored(engine: AsyncEngine, file_storage: Any, data: bytes) -> None:
    assert await snapshot(engine) == (0, 0, 0, 0, 0)  # files, blobs, downloads, NDAs, acceptances
    assert await file_storage.size(blob_key(sha256_hex(data))) is None


@pytest.mark.parametrize(
    ("name", "data", "code", "message", "figures"),
    [*CONTENT_REFUSALS, ("big.stl", TOO_LARGE, "FILE_TOO_LARGE", "larger than 65536 bytes", TOO_LARGE_FIGURES)],
)
async def test_an_order_upload_says_why_it_was_refused(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    file_storage: Any,
    name: str,
    data: bytes,
    code: str,
    message: str,
    figures: dict[str, Any],
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)

    result = await upload(client, buyer, order_id, name, data)

    assert (result["__typename"], result["code"], result["field"]) == ("FileRejectedError", code, "file")
    assert message in result["message"]
    assert figures_of(result) == figures
    await nothing_stored(engine, file_storage, data)


async def test_an_order_full_of_files_says_so(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    for i, data in enumerate((samples.pdf(), samples.step())):
        assert (await upload(client, buyer, order_id, f"{i}.bin", data))["__typename"] == "OrderFileSuccess"

    full = await upload(client, buyer, order_id, "third.stl", samples.stl_ascii())

    assert (full["code"], full["field"]) == ("FILE_LIMIT_REACHED", "orderId")
    assert figures_of(full) == refused("ORDER_FILE_COUNT", formats=None, limits={"unit": "FILES", "max": "2"})
    assert (await snapshot(engine))[:2] == (2, 2)


@pytest.mark.parametrize(
    ("name", "data", "message", "figures"),
    [(name, data, message, figures) for name, data, _, message, figures in CONTENT_REFUSALS if data],
)
async def test_a_direct_upload_says_why_it_was_refused_on_finishing(
    gql: GraphQL,
    client: httpx.AsyncClient,
    clock: FakeClock,
    engine: AsyncEngine,
    file_storage: Any,
    name: str,
    data: bytes,
    message: str,
    figures: dict[str, Any],
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    issued = (await request_upload(gql, buyer, order_id, data, name=name))["upload"]
    assert await send(client, issued, data) in (200, 201, 204)

    result = (await gql(FINISH, {"id": issued["uploadId"]}, buyer.token))["finishFileUpload"]

    assert (result["__typename"], result["code"], result["field"]) == ("FileRejectedError", "UNSUPPORTED_FILE", "file")
    assert message in result["message"]
    assert figures_of(result) == figures
    await nothing_stored(engine, file_storage, data)


async def test_a_direct_upload_that_is_not_what_was_announced_says_which_way(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, file_storage: Any
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    data = samples.stl_binary([((0, 0, 0), (5, 0, 0), (0, 5, 0))] * 20)
    issued = (await request_upload(gql, buyer, order_id, data))["upload"]

    nothing = (await gql(FINISH, {"id": issued["uploadId"]}, buyer.token))["finishFileUpload"]
    await send(client, issued, data[:-1] + b"\x01")  # the announced size, other content
    other = (await gql(FINISH, {"id": issued["uploadId"]}, buyer.token))["finishFileUpload"]
    too_big = await request_upload(gql, buyer, order_id, data, size=MAX_FILE + 1)
    empty = await request_upload(gql, buyer, order_id, b"")

    mismatch = refused("NOT_UPLOADED", formats=None)
    assert (nothing["code"], nothing["field"], figures_of(nothing)) == ("UPLOAD_MISMATCH", "uploadId", mismatch)
    assert (other["code"], figures_of(other)) == ("UPLOAD_MISMATCH", refused("CHECKSUM_MISMATCH", formats=None))
    assert (too_big["__typename"], too_big["code"], too_big["field"]) == ("FileRejectedError", "FILE_TOO_LARGE", "size")
    assert figures_of(too_big) == TOO_LARGE_FIGURES
    assert (empty["__typename"], empty["code"], empty["field"]) == ("FileRejectedError", "UNSUPPORTED_FILE", "size")
    assert figures_of(empty) == refused("EMPTY")
    assert (await snapshot(engine))[:2] == (0, 0)
    assert await count(engine, FileUpload) == 1  # the first, refused at its finish; nothing issued for the others
    assert await file_storage.size(blob_key(sha256_hex(data))) is None


async def test_a_message_attachment_says_why_it_was_refused(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, file_storage: Any
) -> None:
    _, maker, contract_id = await awarded(gql, clock)

    for name, data, code, message, figures in [
        *CONTENT_REFUSALS,
        ("big.stl", TOO_LARGE, "FILE_TOO_LARGE", "larger than 65536 bytes", TOO_LARGE_FIGURES),
    ]:
        variables = {"id": contract_id, "body": "The report and the part", "files": [None, None]}
        files = {"files.0": ("report.pdf", samples.pdf()), "files.1": (name, data)}
        result = await multipart(client, maker, POST, variables, files)
        assert (result["__typename"], result["code"], result["field"]) == ("FileRejectedError", code, "files.1"), name
        assert message in result["message"], name
        assert figures_of(result) == figures, name
        assert await file_storage.size(blob_key(sha256_hex(data))) is None, name

    assert (await count(engine, ContractMessage), await count(engine, StoredBlob)) == (0, 0)
    assert await file_storage.size(blob_key(sha256_hex(samples.pdf()))) is None


async def test_a_signature_file_says_why_it_was_refused(
    gql: GraphQL, client: httpx.AsyncClient, deps: AppDeps, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, _, cid = await awarded_with_details(gql, clock)
    await relay_documents_once(deps)
    document_id = (await documents(gql, cid, buyer.token))[0]["id"]
    before = await counts(engine)
    sig = ["sig", "p7s"]

    for name, data, code, figures in [
        ("contract.pdf", SIGNATURE, "UNSUPPORTED_FILE", refused("WRONG_EXTENSION", formats=sig)),
        ("contract.sig", b"", "UNSUPPORTED_FILE", refused("EMPTY", formats=sig)),
        (
            "contract.sig",
            b"%PDF-1.7 a drawing",
            "UNSUPPORTED_FILE",
            refused("UNKNOWN_CONTENT", formats=sig),
        ),
        (
            "contract.p7s",
            b"\x30" + b"\x00" * (256 * 1024),
            "FILE_TOO_LARGE",
            refused("TOO_LARGE", formats=None, limits={"unit": "BYTES", "max": str(256 * 1024)}),
        ),
    ]:
        variables = {"input": {"documentId": document_id, "file": None}}
        result = await multipart(client, buyer, SIGN, variables, {"input.file": (name, data)})
        assert (result["__typename"], result["code"], result["field"]) == ("FileRejectedError", code, "file"), name
        assert figures_of(result) == figures, name

    assert await counts(engine) == before
