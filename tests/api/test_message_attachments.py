"""Contract message attachments as real files, on both storage backends: uploaded with the message, sniffed like
order files, stored content-addressed, downloaded by the parties (and operators) through audited short-lived URLs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.files.models import FileDownload
from domain.files.service import FilesConfig
from domain.messages.models import ContractMessage
from domain.ports.storage import sha256_hex
from exchange.settings import Environment, Settings
from tests import files_samples as samples
from tests.api.contracts import awarded, operator
from tests.api.files import count, fetch, multipart, post
from tests.api.graphql import GraphQL, sign_up
from tests.clock import FakeClock
from tests.conftest import files_config_for

DOWNLOAD = """mutation($id: ID!, $i: Int!) { requestMessageAttachmentDownload(messageId: $id, index: $i) {
  __typename ... on AttachmentDownloadSuccess { url name } ... on UserError { code field } } }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def test_a_party_attaches_files_and_the_other_downloads_them(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    report = samples.pdf(b"/Title (First article inspection) ")
    photo = samples.jpeg()

    posted = await post(client, maker, contract_id, "First article report and a photo.", [
        ("FAI report.pdf", report), ("../../IMG_0042.JPG", photo),
    ])  # fmt: skip

    assert posted["__typename"] == "ContractMessageSuccess", posted
    message = posted["contractMessage"]
    assert message["attachments"] == [
        {"name": "FAI report.pdf", "sizeBytes": len(report), "contentType": "application/pdf",
         "checksum": f"sha256:{sha256_hex(report)}", "stored": True},
        {"name": "IMG_0042.jpg", "sizeBytes": len(photo), "contentType": "image/jpeg",
         "checksum": f"sha256:{sha256_hex(photo)}", "stored": True},
    ]  # fmt: skip
    for party in (buyer, await operator(gql, engine)):
        issued = (await gql(DOWNLOAD, {"id": message["id"], "i": 0}, token=party.token))[
            "requestMessageAttachmentDownload"
        ]
        assert issued["name"] == "FAI report.pdf"
        assert (await fetch(client, issued["url"])).content == report
    assert await count(engine, FileDownload) == 2


async def test_refusals_store_nothing(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer, maker, contract_id = await awarded(gql, clock)
    stranger = await sign_up(gql, kind="MANUFACTURER")
    files = [("ok.pdf", samples.pdf()), ("all.zip", samples.zip_named_stl())]
    archive = await post(client, buyer, contract_id, "Everything zipped", files)
    assert (archive["__typename"], archive["code"], archive["field"]) == (
        "FileRejectedError",
        "UNSUPPORTED_FILE",
        "files.1",
    )
    assert await count(engine, ContractMessage) == 0

    posted = await post(client, buyer, contract_id, "drawing", [("d.dxf", samples.dxf())])
    message_id = posted["contractMessage"]["id"]
    outsider = (await gql(DOWNLOAD, {"id": message_id, "i": 0}, token=stranger.token))[
        "requestMessageAttachmentDownload"
    ]
    assert (outsider["__typename"], outsider["field"]) == ("NotFoundError", "messageId")
    beyond = (await gql(DOWNLOAD, {"id": message_id, "i": 1}, token=maker.token))["requestMessageAttachmentDownload"]
    assert (beyond["__typename"], beyond["field"]) == ("NotFoundError", "index")
    assert (await count(engine, FileDownload), await count(engine, ContractMessage)) == (0, 1)


LIMITS = "{ messageAttachmentLimits { maxFiles maxFileBytes maxTotalBytes formats extensions } }"
REFUSED_FORMATS = """mutation($id: ID!, $body: String!, $files: [Upload!]) {
  postContractMessage(contractId: $id, body: $body, files: $files) {
    __typename ... on FileRejectedError { reason allowedFormats limits { max } } } }"""


async def test_the_limits_a_composer_shows_are_the_ones_the_api_enforces(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, settings: Settings
) -> None:
    buyer, _, contract_id = await awarded(gql, clock)
    limits = (await gql(LIMITS, token=buyer.token))["messageAttachmentLimits"]
    assert limits["maxFiles"] == 10
    assert limits["maxTotalBytes"] == settings.files_max_request_bytes - 128 * 1024
    assert limits["maxFileBytes"] == min(settings.files_max_file_bytes, limits["maxTotalBytes"])
    assert ".stp" in limits["extensions"] and ".zip" not in limits["extensions"]

    # The formats stated up front are the ones an archive's refusal names.
    variables = {"id": contract_id, "body": "zipped", "files": [None]}
    parts = [("files.0", ("all.zip", samples.zip_named_stl()))]
    refused = (await multipart(client, buyer, REFUSED_FORMATS, variables, parts))["data"]["postContractMessage"]
    assert (refused["__typename"], refused["reason"]) == ("FileRejectedError", "ARCHIVE")
    assert refused["allowedFormats"] == limits["formats"]

    # Eleven files are one more than maxFiles: refused, nothing posted.
    eleven = await post(client, buyer, contract_id, "", [(f"d{i}.pdf", samples.pdf()) for i in range(11)])
    assert (eleven["__typename"], eleven["field"]) == ("ValidationError", "attachments")
    assert await count(engine, ContractMessage) == 0
