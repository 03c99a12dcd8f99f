"""Issue 18's "done when", end to end through the API, on both storage backends: a buyer attaches a STEP model and a
PDF drawing, requires an NDA; a manufacturer accepts it and downloads both; the envelope filter excludes a shop whose
machines are too small and says so."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.context import AppDeps
from domain.files.service import FilesConfig
from exchange.settings import Environment, Settings
from exchange.worker import run_timers_once
from tests import files_samples as samples
from tests.api.files import ACCEPT_NDA, DOWNLOAD, FILES, SET_NDA, fetch, upload
from tests.api.graphql import GraphQL, create_order, sign_up
from tests.api.matching import RECOMMENDED, shop
from tests.clock import FakeClock
from tests.conftest import files_config_for


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def test_step_and_pdf_behind_an_nda_and_the_envelope_filter(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await shop(gql, clock, "large", {"maxPartXMm": 1000, "maxPartYMm": 600, "maxPartZMm": 500})
    too_small = await shop(gql, clock, "small", {"maxPartXMm": 300, "maxPartYMm": 300, "maxPartZMm": 300})
    order_id = await create_order(gql, buyer, clock, title="Gearbox housing", estimatedMachineHours=10)

    housing = samples.step_box(420, 250, 180, "gearbox housing")
    model = await upload(client, buyer, order_id, "housing.stp", housing)
    drawing = await upload(client, buyer, order_id, "housing.pdf", samples.pdf(), kind="DRAWING")
    nda = await gql(SET_NDA, {"id": order_id, "text": "Drawings are confidential."}, token=buyer.token)
    assert nda["setOrderNda"]["nda"]["version"] == 1
    # The worker measures the STEP model: the order's part size is its bounding box.
    assert (await run_timers_once(deps))["files_analysed"] == 2

    assert (await gql(FILES, {"id": order_id}, token=maker.token))["node"]["fileAccess"] == "NDA_REQUIRED"
    accepted = (await gql(ACCEPT_NDA, {"id": order_id, "v": 1}, token=maker.token))["acceptOrderNda"]
    assert accepted["order"]["files"] == [{"name": "housing.stp"}, {"name": "housing.pdf"}]
    for uploaded, content in ((model, housing), (drawing, samples.pdf())):
        issued = (await gql(DOWNLOAD, {"id": uploaded["file"]["id"]}, token=maker.token))["requestFileDownload"]
        assert (await fetch(client, issued["url"])).content == content

    ranking = (await gql(RECOMMENDED, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert [m["manufacturer"]["id"] for m in ranking["matches"]] == [maker.organisation_id]
    assert [(e["manufacturer"]["id"], e["filter"]) for e in ranking["excluded"]] == [
        (too_small.organisation_id, "ENVELOPE")
    ]
    assert "420 x 250 x 180 mm, the bounding box of the STEP model housing.stp" in ranking["excluded"][0]["reason"]
