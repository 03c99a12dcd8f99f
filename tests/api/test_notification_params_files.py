"""A drawing's revision tells the bidders with typed figures: the file's name, its revision number, the note
(the upload as tests/api/test_order_files.py makes it, on both storage backends)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.files.service import FilesConfig
from exchange.settings import Environment, Settings
from tests import files_samples as samples
from tests.api.files import upload
from tests.api.graphql import GraphQL, create_order, make_manufacturer, place_bid, sign_up
from tests.api.notifications import inbox, params
from tests.clock import FakeClock
from tests.conftest import files_config_for


@pytest.fixture
def settings() -> Settings:
    return Settings(env=Environment.test, token_ttl_hours=24 * 30)


@pytest.fixture
def files_config(settings: Settings, file_storage: Any) -> FilesConfig:
    return files_config_for(settings, file_storage)


async def test_a_revised_drawing_stores_its_name_revision_and_note(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    bidder = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, title="Фланец")
    first = (await upload(client, buyer, order_id, "flange.pdf", samples.pdf(), kind="DRAWING"))["file"]
    await place_bid(gql, bidder, order_id, clock)

    await upload(
        client, buyer, order_id, "flange rev B.pdf", samples.pdf(b"/Rev /B "), replacesFileId=first["id"], note="Ø14"
    )

    assert params(await inbox(gql, bidder)) == [
        {
            "__typename": "OrderFileRevisedNotice",
            "orderTitle": "Фланец",
            "fileName": "flange rev B.pdf",
            "revision": 2,
            "note": "Ø14",
        }
    ]
    assert [p["__typename"] for p in params(await inbox(gql, buyer))] == ["BidReceivedNotice"]
