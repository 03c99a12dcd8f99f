"""Files on orders through the API, on both storage backends: multipart uploads sniffed and limited, revisions
with history and bidders told, the NDA gate, invited-only orders, signed and audited downloads. Every refusal also
asserts that nothing changed (no rows, no blobs)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.files.models import OrderFile, StoredBlob
from domain.files.service import FilesConfig
from domain.notifications.models import Notification
from domain.ports.storage import blob_key, sha256_hex
from exchange.settings import Environment, Settings
from tests import files_samples as samples
from tests.api.files import ACCEPT_NDA, DOWNLOAD, FILES, SET_NDA, count, fetch, snapshot, upload
from tests.api.graphql import GraphQL, Party, create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.conftest import StatementCounter, files_config_for

AUDIT = """query($id: ID!) { node(id: $id) { ... on Order {
  ndaAcceptances { version acceptedAt organisation { id } }
  fileDownloads { fileId servedAt organisation { id } } } } }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(
        env=Environment.test, token_ttl_hours=24 * 30, files_max_file_bytes=64 * 1024, files_max_per_order=3
    )


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def order_view(gql: GraphQL, order_id: str, party: Party) -> Any:
    return (await gql(FILES, {"id": order_id}, token=party.token))["node"]


async def test_a_buyer_attaches_a_step_model_and_a_pdf_drawing_and_downloads_them(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, file_storage: Any
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock, title="Sensor housing")

    model = await upload(client, buyer, order_id, "C:\\work\\Корпус.STP", samples.step(), note="Rev A")
    drawing = await upload(client, buyer, order_id, "../../sheet1.pdf", samples.pdf(), kind="DRAWING")

    assert model["__typename"] == "OrderFileSuccess", model
    assert model["file"] | {"id": None} == {
        "id": None, "kind": "MODEL", "name": "Корпус.stp", "format": "STEP", "contentType": "model/step",
        "size": float(len(samples.step())), "sha256": sha256_hex(samples.step()), "revision": 1, "note": "Rev A",
        "activeContent": False, "previousRevisions": [],
    }  # fmt: skip
    assert drawing["file"]["name"] == "sheet1.pdf" and drawing["file"]["format"] == "PDF"
    assert await file_storage.get(blob_key(sha256_hex(samples.step()))) == samples.step()
    view = await order_view(gql, order_id, buyer)
    assert view["fileAccess"] == "GRANTED"
    assert [(f["name"], f["kind"]) for f in view["files"]] == [("Корпус.stp", "MODEL"), ("sheet1.pdf", "DRAWING")]

    issued = (await gql(DOWNLOAD, {"id": drawing["file"]["id"]}, token=buyer.token))["requestFileDownload"]
    assert issued["__typename"] == "FileDownloadSuccess", issued
    assert issued["url"].startswith("/files/download/") == (file_storage.name == "local")
    response = await fetch(client, issued["url"])
    assert response.status_code == 200
    assert response.content == samples.pdf()
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.headers["content-disposition"].startswith('attachment; filename="sheet1.pdf"')
    audit = (await gql(AUDIT, {"id": order_id}, token=buyer.token))["node"]["fileDownloads"]
    assert [(a["fileId"], a["organisation"]["id"]) for a in audit] == [(drawing["file"]["id"], buyer.organisation_id)]
    assert (audit[0]["servedAt"] is not None) == (file_storage.name == "local")


async def test_the_same_content_twice_is_stored_once(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    first = await create_order(gql, buyer, clock)
    second = await create_order(gql, buyer, clock)
    await upload(client, buyer, first, "a.stl", samples.stl_binary())
    await upload(client, buyer, second, "b.stl", samples.stl_binary())
    assert (await count(engine, OrderFile), await count(engine, StoredBlob)) == (2, 1)


# What an unsupported file's refusal lists as accepted: the formats sniffing knows.
ALLOWED = {"limits": None, "allowedFormats": ["pdf", "step", "iges", "stl", "dxf", "png", "jpeg"]}


@pytest.mark.parametrize(
    ("name", "data", "code", "message", "figures"),
    [
        ("part.stl", samples.zip_named_stl(), "UNSUPPORTED_FILE", "archives (ZIP)", ALLOWED),
        ("part.step", samples.step()[:-40], "UNSUPPORTED_FILE", "truncated", ALLOWED),
        ("virus.pdf", b"MZ\x90\x00 not a drawing", "UNSUPPORTED_FILE", "not a PDF", ALLOWED),
        (
            "big.stl",
            samples.stl_binary([((0, 0, 0), (1, 0, 0), (0, 1, 0))] * 1400),
            "FILE_TOO_LARGE",
            "65536 bytes",
            {"limits": {"unit": "BYTES", "min": None, "max": "65536"}, "allowedFormats": None},
        ),
    ],
)
async def test_bad_files_are_refused_and_leave_nothing(
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
    assert result["__typename"] == "FileRejectedError"
    assert (result["code"], result["field"]) == (code, "file")
    assert message in result["message"]
    assert {"limits": result["limits"], "allowedFormats": result["allowedFormats"]} == figures
    assert await snapshot(engine) == (0, 0, 0, 0, 0)
    assert await file_storage.size(blob_key(sha256_hex(data))) is None


async def test_limits_and_who_may_attach(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)

    refused = await upload(client, maker, order_id, "mine.pdf", samples.pdf())
    assert (refused["__typename"], refused["code"]) == ("PermissionDeniedError", "FORBIDDEN")
    for n in range(3):
        assert (await upload(client, buyer, order_id, f"{n}.stl", samples.stl_ascii(n + 1.0)))["__typename"] == (
            "OrderFileSuccess"
        )
    before = await snapshot(engine)
    full = await upload(client, buyer, order_id, "4.dxf", samples.dxf())
    assert (full["__typename"], full["code"]) == ("FileRejectedError", "FILE_LIMIT_REACHED")
    assert (full["field"], full["limits"]) == ("orderId", {"unit": "FILES", "min": None, "max": "3"})
    assert await snapshot(engine) == before == (3, 3, 0, 0, 0)


async def test_a_multipart_body_over_its_own_limit_is_refused_before_it_is_read(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.post(
        "/graphql",
        data={"operations": "{}", "map": "{}"},
        files={"0": ("huge.stl", b"\x00" * (settings.files_max_request_bytes + 1))},
    )
    assert response.status_code == 413
    assert str(settings.files_max_request_bytes) in response.json()["errors"][0]["message"]
    # a JSON body keeps the ordinary (smaller) limit
    response = await client.post("/graphql", content=b" " * (settings.max_body_bytes + 1),
                                 headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413


async def test_a_revision_keeps_the_history_and_tells_the_bidders(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    bidder, _watcher = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Flange")
    first = (await upload(client, buyer, order_id, "flange.pdf", samples.pdf(), kind="DRAWING"))["file"]
    await place_bid(gql, bidder, order_id, clock)

    second = await upload(
        client,
        buyer,
        order_id,
        "flange rev B.pdf",
        samples.pdf(b"/Rev /B "),
        replacesFileId=first["id"],
        note="Ø12→Ø14",
    )

    assert second["__typename"] == "OrderFileSuccess", second
    assert (second["file"]["revision"], second["file"]["kind"]) == (2, "DRAWING")
    assert second["file"]["previousRevisions"] == [{"id": first["id"], "revision": 1}]
    files = (await order_view(gql, order_id, bidder))["files"]
    assert [(f["name"], f["revision"]) for f in files] == [("flange rev B.pdf", 2)]
    assert files[0]["previousRevisions"] == [{"id": first["id"], "revision": 1, "name": "flange.pdf"}]
    async with engine.connect() as conn:
        told = (
            await conn.execute(
                select(Notification.user_id, Notification.kind, Notification.body).where(
                    Notification.kind == "order_file_revised"
                )
            )
        ).all()
    assert [(str(kind), body) for _, kind, body in told] == [("order_file_revised", "Ø12→Ø14")]
    assert len({user for user, _, _ in told}) == 1  # the bidder's one member; not the watcher, not the buyer
    # A revision of a file of another order is not found, and changes nothing.
    other = await create_order(gql, buyer, clock)
    before = await snapshot(engine)
    wrong = await upload(client, buyer, other, "x.pdf", samples.pdf(b"/X "), replacesFileId=first["id"])
    assert (wrong["__typename"], wrong["field"]) == ("NotFoundError", "replacesFileId")
    assert await snapshot(engine) == before


async def test_the_nda_gate(gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Turbine blade")
    drawing = (await upload(client, buyer, order_id, "blade.pdf", samples.pdf(), kind="DRAWING"))["file"]
    nda = await gql(SET_NDA, {"id": order_id, "text": "Confidential: do not disclose."}, token=buyer.token)
    assert nda["setOrderNda"]["nda"] == {"version": 1, "text": "Confidential: do not disclose."}

    view = await order_view(gql, order_id, maker)
    assert view["title"] == "Turbine blade"  # title and summary stay visible
    assert (view["fileAccess"], view["files"]) == ("NDA_REQUIRED", [])
    assert view["nda"] == {"version": 1, "text": "Confidential: do not disclose.", "viewerAccepted": False}
    before = await snapshot(engine)
    refused = (await gql(DOWNLOAD, {"id": drawing["id"]}, token=maker.token))["requestFileDownload"]
    assert (refused["__typename"], refused["code"]) == ("NdaRequiredError", "NDA_REQUIRED")
    stale = (await gql(ACCEPT_NDA, {"id": order_id, "v": 0}, token=maker.token))["acceptOrderNda"]
    assert (stale["__typename"], stale["code"], stale["field"]) == (
        "InvalidStateError",
        "NDA_VERSION_MISMATCH",
        "version",
    )
    own = (await gql(ACCEPT_NDA, {"id": order_id, "v": 1}, token=buyer.token))["acceptOrderNda"]
    assert own["__typename"] == "NotEligibleError"
    assert await snapshot(engine) == before

    accepted = (await gql(ACCEPT_NDA, {"id": order_id, "v": 1}, token=maker.token))["acceptOrderNda"]
    assert accepted["acceptance"] == {"version": 1, "organisation": {"id": maker.organisation_id}}
    assert accepted["order"] == {"fileAccess": "GRANTED", "files": [{"name": "blade.pdf"}]}
    issued = (await gql(DOWNLOAD, {"id": drawing["id"]}, token=maker.token))["requestFileDownload"]
    assert (await fetch(client, issued["url"])).content == samples.pdf()
    audit = (await gql(AUDIT, {"id": order_id}, token=buyer.token))["node"]
    assert [(a["version"], a["organisation"]["id"]) for a in audit["ndaAcceptances"]] == [(1, maker.organisation_id)]
    assert [a["organisation"]["id"] for a in audit["fileDownloads"]] == [maker.organisation_id]
    assert (await gql(AUDIT, {"id": order_id}, token=maker.token))["node"] == {
        "ndaAcceptances": None, "fileDownloads": None,
    }  # fmt: skip

    # A new text is a new version: accepted anew before the files show again.
    await gql(SET_NDA, {"id": order_id, "text": "Confidential, and no reverse engineering."}, token=buyer.token)
    assert (await order_view(gql, order_id, maker))["fileAccess"] == "NDA_REQUIRED"
    await gql(SET_NDA, {"id": order_id, "text": ""}, token=buyer.token)
    view = await order_view(gql, order_id, maker)
    assert (view["fileAccess"], view["nda"]) == ("GRANTED", None)


async def test_invited_only_files_are_for_invitees(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    invitee, outsider = await make_manufacturer(gql, clock), await make_manufacturer(gql, clock)
    order_id = await create_order(
        gql, buyer, clock, visibility="INVITED", invitedManufacturerIds=[invitee.organisation_id]
    )
    model = (await upload(client, buyer, order_id, "m.stl", samples.stl_ascii()))["file"]
    assert [f["name"] for f in (await order_view(gql, order_id, invitee))["files"]] == ["m.stl"]
    assert await order_view(gql, order_id, outsider) is None
    before = await snapshot(engine)
    refused = (await gql(DOWNLOAD, {"id": model["id"]}, token=outsider.token))["requestFileDownload"]
    assert (refused["__typename"], refused["field"]) == ("NotFoundError", "fileId")
    node = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": model["id"]}, token=outsider.token)
    assert node["node"] is None
    anonymous = (await gql(DOWNLOAD, {"id": model["id"]}))["requestFileDownload"]
    assert anonymous["__typename"] == "NotAuthenticatedError"
    assert await snapshot(engine) == before


async def test_the_local_download_route_refuses_altered_and_expired_links(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, file_storage: Any
) -> None:
    if file_storage.name != "local":
        pytest.skip("object storage serves its own presigned URLs (their checks are S3's)")
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    model = (await upload(client, buyer, order_id, "m.stl", samples.stl_ascii()))["file"]
    url = (await gql(DOWNLOAD, {"id": model["id"]}, token=buyer.token))["requestFileDownload"]["url"]
    body, _, signature = url.rpartition(".")
    assert (await client.get(f"{body[:-1]}{'B' if body.endswith('A') else 'A'}.{signature}")).status_code == 403
    clock.advance(timedelta(minutes=6))
    assert (await client.get(url)).status_code == 410


async def test_storage_down_is_a_typed_error_and_records_nothing(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, engine: AsyncEngine, deps: AppDeps, settings: Settings
) -> None:
    from exchange.db import free_port
    from storage.s3 import S3FileStorage

    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    down = S3FileStorage(bucket="b", endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1",
                         access_key_id="x", secret_access_key="y", timeout_seconds=1)  # fmt: skip
    deps.files = files_config_for(settings, down)
    try:
        result = await upload(client, buyer, order_id, "m.pdf", samples.pdf())
    finally:
        await down.close()
    assert (result["__typename"], result["code"]) == ("StorageUnavailableError", "STORAGE_UNAVAILABLE")
    assert await snapshot(engine) == (0, 0, 0, 0, 0)


BOARD = """query($first: Int!) { orders(first: $first, filter: {statuses: [OPEN]}) { edges { node {
  id fileAccess nda { version viewerAccepted } files { id name previousRevisions { id } } } } } }"""
BUYER_BOARD = """query($first: Int!) { orders(first: $first, filter: {statuses: [OPEN]}) { edges { node {
  id partEnvelope { xMm } files { id geometry { status } preview { status url } }
  ndaAcceptances { version organisation { id } } fileDownloads { fileId organisation { id } } } } } }"""


async def test_the_board_with_files_runs_the_same_statements_for_2_and_6_orders(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, sql: StatementCounter, file_storage: Any
) -> None:
    if file_storage.name != "local":
        pytest.skip("statement counts do not depend on the storage backend")
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    for n in range(6):
        clock.advance(timedelta(minutes=1))  # newest first: the first page is parts 5 (an NDA) and 4
        order_id = await create_order(gql, buyer, clock, title=f"Part {n}")
        await upload(client, buyer, order_id, f"{n}.pdf", samples.pdf(f"/N {n} ".encode()))
        if n % 2:
            await gql(SET_NDA, {"id": order_id, "text": "NDA"}, token=buyer.token)
        if n in (3, 5):
            await gql(ACCEPT_NDA, {"id": order_id, "v": 1}, token=maker.token)
        file_id = (await order_view(gql, order_id, buyer))["files"][0]["id"]
        await gql(DOWNLOAD, {"id": file_id}, token=buyer.token)
    await gql(BOARD, {"first": 6}, token=maker.token)  # each read has run once (then on the driver)
    counts = []
    for first in (2, 6):
        with sql.counting():
            data = await gql(BOARD, {"first": first}, token=maker.token)
        counts.append(sql.count)
    access = sorted(edge["node"]["fileAccess"] for edge in data["orders"]["edges"])
    assert access == ["GRANTED"] * 5 + ["NDA_REQUIRED"]  # parts 1, 3 and 5 need the NDA; 3 and 5 accepted it
    # orders, with the token check riding in it (the maker's token was checked before: api/auth_guess.py); then
    # files: visible orders, NDAs, acceptances, files
    assert counts == [5, 5], counts
    await gql(BUYER_BOARD, {"first": 6}, token=buyer.token)
    buyer_counts = []
    for first in (2, 6):
        with sql.counting():
            data = await gql(BUYER_BOARD, {"first": first}, token=buyer.token)
        buyer_counts.append(sql.count)
    nodes = [edge["node"] for edge in data["orders"]["edges"]]
    assert sum(len(node["ndaAcceptances"]) for node in nodes) == 2  # parts 3 and 5
    assert all(len(node["fileDownloads"]) == 1 for node in nodes)
    # Constant, if not small: each files loader re-reads the visible orders (files, acceptances, downloads), then
    # its rows; envelopes; geometry; previews; the organisations named (a later session may share the orders between
    # them).
    assert all(file["preview"]["status"] == "PENDING" for node in nodes for file in node["files"])
    # (the buyer's token check rides in the first of them)
    assert buyer_counts == [14, 14], buyer_counts
