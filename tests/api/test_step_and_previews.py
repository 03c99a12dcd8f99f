"""STEP models analysed in the worker through OpenCASCADE (cascadio, in a child process): geometry of real solids
of known size, the order's envelope from the largest, matching saying where the size comes from; previews (models as
GLB, a PDF drawing's first page as PNG) stored like any file and served through the same signed URLs, behind the
same NDA; malformed, hostile and oversized files are recorded failures. Both storage backends."""

from __future__ import annotations

import dataclasses
import math
import struct
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.files.models import FileGeometry, FilePreview, StoredBlob
from domain.files.service import FilesConfig
from exchange.settings import Environment, Settings
from exchange.worker import run_timers_once
from tests import files_samples as samples
from tests.api.files import ACCEPT_NDA, SET_NDA, count, fetch, upload
from tests.api.graphql import GraphQL, create_order, sign_up
from tests.api.matching import RECOMMENDED, shop
from tests.clock import FakeClock
from tests.conftest import files_config_for

VIEW = """query($id: ID!) { node(id: $id) { ... on Order { fileAccess
  partEnvelope { xMm yMm zMm source }
  files { name format geometry { status sizeXMm sizeYMm sizeZMm volumeMm3 areaMm2 error
                                  failure { code limits { unit min max } } }
          preview { status kind url expiresAt error failure { code limits { unit min max } } } } } } }"""


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


def glb_json_chunk(glb: bytes) -> bytes:
    magic, version, length = struct.unpack_from("<4sII", glb)
    assert (magic, version, length) == (b"glTF", 2, len(glb))
    chunk_length, chunk_type = struct.unpack_from("<I4s", glb, 12)
    assert chunk_type == b"JSON"
    return glb[20 : 20 + chunk_length]


async def test_step_models_are_measured_previewed_and_give_the_envelope(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await shop(gql, clock, "large", {"maxPartXMm": 1000, "maxPartYMm": 600, "maxPartZMm": 500})
    too_small = await shop(gql, clock, "small", {"maxPartXMm": 30, "maxPartYMm": 30, "maxPartZMm": 30})
    order_id = await create_order(gql, buyer, clock, title="Sensor housing", estimatedMachineHours=10)
    await upload(client, buyer, order_id, "housing.step", samples.step_box(40, 20, 10, "housing"))
    clock.advance(timedelta(seconds=1))  # attached one after another: listed in that order
    await upload(client, buyer, order_id, "shaft.stp", samples.step_cylinder(5, 30, "shaft"))
    clock.advance(timedelta(seconds=1))  # attached one after another: listed in that order
    await upload(client, buyer, order_id, "broken.step", samples.step("no solid in here"))
    clock.advance(timedelta(seconds=1))  # attached one after another: listed in that order
    await upload(client, buyer, order_id, "bracket.stl", samples.stl_binary(samples.box(12, 8, 4)))
    clock.advance(timedelta(seconds=1))  # attached one after another: listed in that order
    await upload(client, buyer, order_id, "housing.pdf", samples.drawing_pdf(), kind="DRAWING")
    clock.advance(timedelta(seconds=1))  # attached one after another: listed in that order
    await upload(client, buyer, order_id, "macro.pdf", samples.pdf(b"/OpenAction << /JS (app.alert(1)) >>"))
    pending = (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]
    assert pending["partEnvelope"] is None
    assert [(f["name"], f["preview"]) for f in pending["files"]][:1] == [
        (
            "housing.step",
            {"status": "PENDING", "kind": "MODEL", "url": None, "expiresAt": None, "error": "", "failure": None},
        )
    ]

    assert (await run_timers_once(deps))["files_analysed"] == 6
    assert (await run_timers_once(deps))["files_analysed"] == 0
    assert (await count(engine, FileGeometry), await count(engine, FilePreview)) == (4, 6)

    view = (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]
    files = {f["name"]: f for f in view["files"]}
    box = files["housing.step"]["geometry"]
    assert (box["status"], box["sizeXMm"], box["sizeYMm"], box["sizeZMm"]) == ("DONE", 40.0, 20.0, 10.0)
    assert box["volumeMm3"] == pytest.approx(8000, rel=1e-6) and box["areaMm2"] == pytest.approx(2800, rel=1e-6)
    shaft = files["shaft.stp"]["geometry"]
    assert (shaft["status"], shaft["sizeZMm"]) == ("DONE", 30.0)
    assert shaft["sizeXMm"] == pytest.approx(10, abs=0.05) and shaft["sizeYMm"] == pytest.approx(10, abs=0.05)
    # The triangulation of a curved face is a little smaller than the solid: within half a percent.
    assert shaft["volumeMm3"] == pytest.approx(math.pi * 25 * 30, rel=5e-3)
    assert shaft["areaMm2"] == pytest.approx(2 * math.pi * 5 * 30 + 2 * math.pi * 25, rel=5e-3)
    broken = files["broken.step"]
    assert broken["geometry"]["status"] == "FAILED" and "does not parse" in broken["geometry"]["error"]
    assert broken["preview"]["status"] == "FAILED" and broken["preview"]["url"] is None
    assert broken["geometry"]["failure"] == broken["preview"]["failure"] == {"code": "UNREADABLE", "limits": None}
    assert files["housing.step"]["geometry"]["failure"] is None and files["housing.step"]["preview"]["failure"] is None
    # The envelope is the largest model's (by its bounding box): the STEP housing, not the shaft or the STL.
    assert view["partEnvelope"] == {"xMm": 40.0, "yMm": 20.0, "zMm": 10.0, "source": "MODEL"}

    # Previews: the models as GLB (metres, as glTF is), the drawing's first page as PNG; never the macro PDF.
    for name in ("housing.step", "shaft.stp", "bracket.stl"):
        preview = files[name]["preview"]
        assert (preview["status"], preview["kind"]) == ("DONE", "MODEL")
        response = await fetch(client, preview["url"])
        assert response.status_code == 200 and b'"asset"' in glb_json_chunk(response.content)
    page = files["housing.pdf"]["preview"]
    assert (page["status"], page["kind"]) == ("DONE", "PAGE")
    image = (await fetch(client, page["url"])).content
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image[16:24])
    assert width == 1400 and abs(height - 1400 * 595 / 842) <= 1  # A4 landscape, 1400 px wide
    macro = files["macro.pdf"]["preview"]
    assert (macro["status"], macro["url"]) == ("FAILED", None) and "JavaScript" in macro["error"]
    assert macro["failure"] == {"code": "ACTIVE_CONTENT", "limits": None}
    assert files["housing.pdf"]["geometry"] is None

    # Matching says where the size comes from.
    ranking = (await gql(RECOMMENDED, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert [m["manufacturer"]["id"] for m in ranking["matches"]] == [maker.organisation_id]
    assert [(e["manufacturer"]["id"], e["filter"]) for e in ranking["excluded"]] == [
        (too_small.organisation_id, "ENVELOPE")
    ]
    assert ranking["excluded"][0]["reason"].startswith(
        "the part (40 x 20 x 10 mm, the bounding box of the STEP model housing.step) does not fit"
    )

    # Previews sit behind the NDA like the files: nothing before it is accepted, the same previews after.
    await gql(SET_NDA, {"id": order_id, "text": "Drawings are confidential."}, token=buyer.token)
    hidden = (await gql(VIEW, {"id": order_id}, token=maker.token))["node"]
    assert (hidden["fileAccess"], hidden["files"]) == ("NDA_REQUIRED", [])
    await gql(ACCEPT_NDA, {"id": order_id, "v": 1}, token=maker.token)
    shown = (await gql(VIEW, {"id": order_id}, token=maker.token))["node"]
    assert [f["preview"]["status"] if f["preview"] else None for f in shown["files"]] == [
        "DONE", "DONE", "FAILED", "DONE", "DONE", "FAILED"
    ]  # fmt: skip


async def test_an_oversized_model_is_a_recorded_failure_without_being_read(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps, engine: AsyncEngine
) -> None:
    assert deps.files is not None
    deps.files = dataclasses.replace(deps.files, analysis_max_bytes=4096)
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    await upload(client, buyer, order_id, "housing.step", samples.step_box(40, 20, 10))  # about 7 KB

    assert (await run_timers_once(deps))["files_analysed"] == 1
    file = (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]["files"][0]
    assert file["geometry"]["status"] == "FAILED" and file["preview"]["status"] == "FAILED"
    assert file["geometry"]["error"] == file["preview"]["error"] == "larger than the 4 KiB analysed"
    assert (
        file["geometry"]["failure"]
        == file["preview"]["failure"]
        == {
            "code": "TOO_LARGE",
            "limits": {"unit": "BYTES", "min": None, "max": "4096"},
        }
    )
    # Nothing was made of it: the upload is the only blob stored, and no second pass tries again.
    assert await count(engine, StoredBlob) == 1
    assert (await run_timers_once(deps))["files_analysed"] == 0
