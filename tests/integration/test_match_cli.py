"""`exchange match allocate` against the test database: one JSON line per proposed award, a summary."""

from __future__ import annotations

import asyncio
import json
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.organisations.models import OrganisationKind
from exchange.cli import main
from tests.integration.factories import Market


def org(actor: Actor) -> UUID:
    return next(iter(actor.memberships))


async def test_allocate_prints_one_award_per_order_with_bids(
    market: Market, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", database_url)
    buyer = await market.organisation(OrganisationKind.buyer)
    maker = await market.manufacturer()
    order = await market.open_order(buyer)
    await market.open_order(buyer)  # no bids: not part of the batch
    bid = await market.bid(maker, order.id)

    now = market.clock.now().isoformat()
    code = await asyncio.to_thread(main, ["match", "allocate", "--seconds", "2", "--now", now])

    out, err = capsys.readouterr()
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {
            "order_id": str(order.id),
            "bid_id": str(bid.id),
            "quantity": 100,
            # default bid weights 3/1/2: price 30,000 RUB in 10,000..50,000 -> 0.75; 20 of 60 days -> 5/6; no record
            "score": pytest.approx((3 * 0.75 + 1 * (0.5 + 0.5 * 40 / 60) + 2 * 0.5) / 6, abs=1e-12),
            "manufacturer_id": str(org(maker)),
            "total_minor": bid.total_minor,
        }
    ]
    summary = json.loads(err.strip().splitlines()[-1])
    assert {k: summary[k] for k in ("orders", "awards", "unassigned", "method", "optimal")} == {
        "orders": 1,
        "awards": 1,
        "unassigned": 0,
        "method": "milp",
        "optimal": True,
    }


async def test_allocate_with_no_open_orders_says_so(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], market: Market
) -> None:
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", database_url)

    code = await asyncio.to_thread(main, ["match", "allocate"])

    out, err = capsys.readouterr()
    assert (code, out) == (0, "")
    assert json.loads(err.strip().splitlines()[-1]) == {"orders": 0, "awards": 0}
