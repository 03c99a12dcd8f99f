"""STL models analysed in the worker: geometry on the file, the order's part envelope from its largest model, the
buyer's correction; an unreadable model is a recorded failure; matching's envelope filter."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from domain.files.models import OrderPartEnvelope
from domain.ports.storage import blob_key, sha256_hex
from exchange.worker import run_timers_once
from tests import files_samples as samples
from tests.api.files import count, upload
from tests.api.graphql import GraphQL, create_order, make_manufacturer, sign_up
from tests.api.matching import NO_PARAMETERS, RECOMMENDED, RECOMMENDED_ORDERS, add_capacity, shop
from tests.clock import FakeClock

VIEW = """query($id: ID!) { node(id: $id) { ... on Order {
  partEnvelope { xMm yMm zMm source }
  files { name geometry { status sizeXMm sizeYMm sizeZMm volumeMm3 areaMm2 triangles error
    failure { code limits { unit max } message } } } } } }"""
SET = """mutation($id: ID!, $e: PartEnvelopeInput) { setOrderPartEnvelope(orderId: $id, envelope: $e) {
  __typename ... on PartEnvelopeSuccess { envelope { xMm yMm zMm source } } ... on UserError { code field }
  ... on ValidationError { limits { unit min max } } } }"""


async def test_models_are_analysed_and_the_largest_gives_the_envelope(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    await upload(client, buyer, order_id, "bracket.stl", samples.stl_binary(samples.box(120, 40, 30)))
    await upload(client, buyer, order_id, "pin.stl", samples.stl_binary(samples.box(5, 5, 50)))
    await upload(
        client, buyer, order_id, "broken.stl", samples.stl_binary([((0, 0, 0), (float("inf"), 0, 0), (0, 1, 0))])
    )
    await upload(client, buyer, order_id, "sheet.pdf", samples.pdf(), kind="DRAWING")
    before = (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]
    assert before["partEnvelope"] is None and all(f["geometry"] is None for f in before["files"])

    # Three models and the drawing (its preview: this minimal PDF has no page to render, a recorded failure).
    assert (await run_timers_once(deps))["files_analysed"] == 4
    assert (await run_timers_once(deps))["files_analysed"] == 0

    view = (await gql(VIEW, {"id": order_id}, token=maker.token))["node"]
    geometry = {f["name"]: f["geometry"] for f in view["files"]}
    assert geometry["bracket.stl"] == {
        "status": "DONE", "sizeXMm": 120.0, "sizeYMm": 40.0, "sizeZMm": 30.0, "volumeMm3": 144000.0,
        "areaMm2": 2 * (120 * 40 + 120 * 30 + 40 * 30), "triangles": 12, "error": "", "failure": None,
    }  # fmt: skip
    assert geometry["broken.stl"]["status"] == "FAILED" and "not finite" in geometry["broken.stl"]["error"]
    assert geometry["broken.stl"]["failure"] == {
        "code": "UNREADABLE",
        "limits": None,
        "message": "the STL file has vertices that are not finite numbers",
    }
    assert geometry["sheet.pdf"] is None
    assert view["partEnvelope"] == {"xMm": 120.0, "yMm": 40.0, "zMm": 30.0, "source": "MODEL"}

    refused = await gql(SET, {"id": order_id, "e": {"xMm": 1, "yMm": 1, "zMm": 1}}, token=maker.token)
    assert refused["setOrderPartEnvelope"]["__typename"] == "PermissionDeniedError"
    bad = await gql(SET, {"id": order_id, "e": {"xMm": 0, "yMm": 1, "zMm": 1}}, token=buyer.token)
    assert (bad["setOrderPartEnvelope"]["__typename"], bad["setOrderPartEnvelope"]["field"]) == (
        "ValidationError", "envelope.xMm",
    )  # fmt: skip
    assert bad["setOrderPartEnvelope"]["limits"] == {"unit": "MILLIMETRES", "min": "0.001", "max": "100000"}
    assert (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]["partEnvelope"]["source"] == "MODEL"

    corrected = await gql(SET, {"id": order_id, "e": {"xMm": 125, "yMm": 45, "zMm": 32}}, token=buyer.token)
    assert corrected["setOrderPartEnvelope"]["envelope"] == {"xMm": 125.0, "yMm": 45.0, "zMm": 32.0, "source": "BUYER"}
    # A new model does not override the buyer's size; clearing it goes back to the largest model.
    await upload(client, buyer, order_id, "big.stl", samples.stl_binary(samples.box(300, 300, 300)))
    await run_timers_once(deps)
    assert (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]["partEnvelope"]["source"] == "BUYER"
    reset = (await gql(SET, {"id": order_id, "e": None}, token=buyer.token))["setOrderPartEnvelope"]
    assert reset["envelope"] == {"xMm": 300.0, "yMm": 300.0, "zMm": 300.0, "source": "MODEL"}
    assert await count(engine, OrderPartEnvelope) == 1


async def test_a_revision_of_the_model_moves_the_envelope_at_once_when_its_content_is_known(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    first = await create_order(gql, buyer, clock)
    second = await create_order(gql, buyer, clock)
    small, large = samples.stl_binary(samples.box(10, 10, 10)), samples.stl_binary(samples.box(90, 20, 20))
    await upload(client, buyer, first, "a.stl", large)
    model = (await upload(client, buyer, second, "b.stl", small))["file"]
    await run_timers_once(deps)
    assert (await gql(VIEW, {"id": second}, token=buyer.token))["node"]["partEnvelope"]["xMm"] == 10.0
    # the same content as the first order's model: analysed already, so the envelope follows without the worker
    await upload(client, buyer, second, "b2.stl", large, replacesFileId=model["id"])
    assert (await gql(VIEW, {"id": second}, token=buyer.token))["node"]["partEnvelope"]["xMm"] == 90.0


async def test_the_envelope_filter_excludes_a_shop_whose_machines_are_too_small_and_says_so(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    long_bed = await shop(gql, clock, "long bed", {"maxPartXMm": 800})  # Y and Z unlimited
    small = await shop(gql, clock, "small cube", {"maxPartXMm": 100, "maxPartYMm": 100, "maxPartZMm": 100})
    on_its_side = await shop(gql, clock, "tall", {"maxPartXMm": 50, "maxPartYMm": 130, "maxPartZMm": 35})
    unlimited = await shop(gql, clock, "no limits", {})
    order_id = await create_order(gql, buyer, clock, estimatedMachineHours=10)
    await upload(client, buyer, order_id, "housing.stl", samples.stl_binary(samples.box(120, 40, 30)))

    before = (await gql(RECOMMENDED, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert (before["fittingCount"], before["excludedCount"]) == (4, 0)  # no envelope until the model is analysed
    await run_timers_once(deps)
    after = (await gql(RECOMMENDED, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]

    assert (after["fittingCount"], after["excludedCount"]) == (3, 1)
    fitting = {match["manufacturer"]["id"] for match in after["matches"]}
    assert fitting == {long_bed.organisation_id, on_its_side.organisation_id, unlimited.organisation_id}
    assert after["excluded"] == [{
        "filter": "ENVELOPE",
        "code": "PART_TOO_LARGE",
        **NO_PARAMETERS,
        "partMm": [120.0, 40.0, 30.0],
        "largestPartMm": [100, 100, 100],
        "partSource": "MODEL",
        "partModelName": "housing.stl",
        "reason": "the part (120 x 40 x 30 mm, the bounding box of the STL model housing.stl) does not fit the "
        "largest part the profile takes (100 x 100 x 100 mm, "
        "sides left out unlimited) in any orientation",
        "manufacturer": {"id": small.organisation_id},
    }]  # fmt: skip
    # The manufacturer's side (the rules in Python) agrees: the order is not recommended to the small shop.
    for maker, shown in ((small, False), (on_its_side, True)):
        orders = (await gql(RECOMMENDED_ORDERS, token=maker.token))["recommendedOrders"]
        assert (order_id in {item["order"]["id"] for item in orders}) is shown
    # The buyer's corrected size is what matching compares.
    await gql(SET, {"id": order_id, "e": {"xMm": 90, "yMm": 40, "zMm": 30}}, token=buyer.token)
    corrected = (await gql(RECOMMENDED, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert (corrected["fittingCount"], corrected["excludedCount"]) == (4, 0)


async def test_a_model_missing_from_storage_is_a_failed_analysis_not_a_stuck_queue(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    order_id = await create_order(gql, buyer, clock)
    lost = samples.stl_binary(samples.box(1, 2, 3))
    await upload(client, buyer, order_id, "lost.stl", lost)
    await upload(client, buyer, order_id, "kept.stl", samples.stl_binary(samples.box(4, 5, 6)))
    assert deps.files is not None
    await deps.files.storage.delete(blob_key(sha256_hex(lost)))

    assert (await run_timers_once(deps))["files_analysed"] == 2

    files = {f["name"]: f["geometry"] for f in (await gql(VIEW, {"id": order_id}, token=buyer.token))["node"]["files"]}
    assert (files["lost.stl"]["status"], files["lost.stl"]["error"]) == ("FAILED", "the stored file is missing")
    assert files["lost.stl"]["failure"] == {
        "code": "FILE_MISSING",
        "limits": None,
        "message": "the stored file is missing",
    }
    assert files["kept.stl"]["status"] == "DONE"


HOURS = """query($id: ID!) { order(id: $id) { recommendedManufacturers(first: 10) {
  machineHours machineHoursBasis
  machineHoursEstimate { hours quantity removedCm3 removalRateCm3PerMin handlingMinutes }
  matches { manufacturer { id } } excluded { filter manufacturer { id } } } } }"""


async def test_without_the_buyers_hours_matching_estimates_them_from_the_model_and_says_so(
    gql: GraphQL, client: httpx.AsyncClient, clock: FakeClock, deps: AppDeps
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    roomy = await shop(gql, clock, "roomy", {})
    busy = await make_manufacturer(gql, clock, processes=("CNC_MILLING",))
    await add_capacity(gql, busy, clock, hours=2)
    order_id = await create_order(gql, buyer, clock, estimatedMachineHours=None, quantity=500)
    await upload(client, buyer, order_id, "block.stl", samples.stl_binary(samples.box(120, 40, 30)))
    before = (await gql(HOURS, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert (before["machineHours"], before["machineHoursBasis"], before["machineHoursEstimate"]) == (None, "", None)

    await run_timers_once(deps)
    after = (await gql(HOURS, {"id": order_id}, token=buyer.token))["order"]["recommendedManufacturers"]

    # a solid block: nothing to remove, 5 minutes of handling a part, 500 parts
    assert after["machineHours"] == 42
    assert after["machineHoursBasis"] == (
        "estimated from the model: 500 parts x (0 cm3 removed at 30 cm3/min + 5 min handling) = 42 machine-hours"
    )
    assert after["machineHoursEstimate"] == {
        "hours": 42, "quantity": 500, "removedCm3": 0.0, "removalRateCm3PerMin": 30.0, "handlingMinutes": 5.0,
    }  # fmt: skip
    assert [m["manufacturer"]["id"] for m in after["matches"]] == [roomy.organisation_id]
    assert after["excluded"] == [{"filter": "CAPACITY", "manufacturer": {"id": busy.organisation_id}}]
    # The buyer's own figure wins.
    own_id = await create_order(gql, buyer, clock, estimatedMachineHours=10, quantity=500)
    await upload(client, buyer, own_id, "block.stl", samples.stl_binary(samples.box(120, 40, 30)))
    own = (await gql(HOURS, {"id": own_id}, token=buyer.token))["order"]["recommendedManufacturers"]
    assert (own["machineHours"], own["machineHoursBasis"], own["machineHoursEstimate"]) == (10, "", None)
