"""A socket whose viewer's rights change while it is open moves to the execution group of its new rights: the
periodic re-check of its token reads the memberships again, and the next event is executed with the new ones."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from domain.realtime import EventTopic
from domain.uow import SessionFactory
from exchange.settings import Environment, Settings
from tests.api.graphql import create_order, make_manufacturer, place_bid, sign_up
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket
from tests.realtime.fanout import RIGHTS_WATCH as WATCH
from tests.realtime.fanout import colleague, executions


@pytest.fixture
def realtime_settings() -> Settings:
    # The socket's token (and with it its memberships) is re-checked every 0.2 s here (EXCHANGE_WS_AUTH_CHECK_SECONDS).
    return Settings(
        env=Environment.test, ws_init_timeout_seconds=0.5, ws_max_subscriptions=3, ws_auth_check_seconds=0.2
    )


async def test_a_member_made_admin_moves_to_the_admins_group(
    api: Instance, clock: FakeClock, session_factory: SessionFactory
) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    member = await colleague(api.gql, buyer, "MEMBER", 7)
    makers = [await make_manufacturer(api.gql, clock) for _ in range(2)]
    order_id = await create_order(api.gql, buyer, clock)
    async with socket(api, buyer.token) as admin_ws, socket(api, member) as member_ws:
        await admin_ws.subscribe("w", WATCH, {"id": order_id})
        await member_ws.subscribe("w", WATCH, {"id": order_id})
        await api.wait_for_subscribers(EventTopic.bid_activity, 2)

        before = executions()
        await place_bid(api.gql, makers[0], order_id, clock)
        first = (await admin_ws.next("w"), await member_ws.next("w"))
        first_executions = executions() - before
        groups_before = api.fanout.group_count()

        async with session_factory() as session:
            await session.execute(
                text(
                    "UPDATE membership SET role = 'admin' FROM app_user "
                    "WHERE app_user.id = membership.user_id AND app_user.email = :email"
                ),
                {"email": f"colleague7-{buyer.email}"},
            )
            await session.commit()
        await asyncio.sleep(1.0)  # a few re-checks

        before = executions()
        await place_bid(api.gql, makers[1], order_id, clock)
        second = (await admin_ws.next("w"), await member_ws.next("w"))
        second_executions = executions() - before
        groups_after = api.fanout.group_count()

    assert [view["bidActivity"]["bid"]["viewerCanAward"] for view in first] == [True, False]
    assert (first_executions, groups_before) == (2, 2)
    assert [view["bidActivity"]["bid"]["viewerCanAward"] for view in second] == [True, True]
    assert second[0] == second[1]
    # The promoted member's socket left its group and joined the admins': one execution for both.
    assert (second_executions, groups_after) == (1, 1)
