"""The README's subscription example is replayed message by message against a running app: what it says
the SPA sends is sent, what it says the server answers must arrive (… stands for any id or position). Each step
acts as soon as the line before it has arrived: a subscription's Watching is all the waiting a client needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def example() -> list[str]:
    match = re.search(
        r"<!-- subscription-example -->\s*```text\n(.*?)```\s*<!-- /subscription-example -->", README, re.S
    )
    assert match, "README lost its subscription example"
    return [line for line in match.group(1).splitlines() if line.strip()]


def matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and "…" in expected:
        return (isinstance(actual, str) and bool(actual)) or (isinstance(actual, int) and not isinstance(actual, bool))
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(matches(v, actual[k]) for k, v in expected.items())
        )
    return bool(expected == actual)


async def test_the_readme_subscription_example_runs_as_written(api: Instance, clock: FakeClock) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    makers = [await make_manufacturer(api.gql, clock) for _ in range(2)]
    order_id = await create_order(api.gql, buyer, clock)  # "Bracket, machined", 500 pieces
    actions = {
        "a manufacturer places a bid": lambda: place_bid(api.gql, makers[0], order_id, clock, unit_price="300.00"),
        "a second manufacturer bids": lambda: place_bid(api.gql, makers[1], order_id, clock),
    }
    lines = example()
    async with socket(api) as ws:
        for line in lines:
            text = line.strip()
            if text.startswith("→ "):
                message = json.loads(text[2:].replace("<BUYER_TOKEN>", buyer.token).replace("<ORDER_ID>", order_id))
                await ws.send(message)  # the next step acts once the example's Watching has arrived: no waiting
            elif text.startswith("← "):
                expected = json.loads(text[2:])
                received = await ws.receive()
                assert matches(expected, received), (expected, received)
            else:
                action = next(name for name in actions if name in text)
                await actions[action]()

    assert sum(line.strip().startswith("← ") for line in lines) == 5
