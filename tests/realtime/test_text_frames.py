"""graphql-transport-ws messages go out as text frames: a browser's graphql-ws reads a binary frame as a Blob,
finds no `type` in it and closes the socket (4004), so no subscription ever reached a browser."""

from __future__ import annotations

import json

from tests.api.graphql import sign_up
from tests.realtime.conftest import Instance, socket

BID_ACTIVITY = """subscription($id: ID!) { bidActivity(orderId: $id) { __typename ... on UserError { code } } }"""


async def test_the_ack_and_every_message_are_text_frames(api: Instance) -> None:
    buyer = await sign_up(api.gql, kind="BUYER")
    async with socket(api) as client:
        await client.send_init(buyer.token)
        ack = await client.conn.recv()
        await client.subscribe("1", BID_ACTIVITY, {"id": "T3JkZXI6bm8="})
        refusal = await client.conn.recv()

    assert isinstance(ack, str)
    assert json.loads(ack)["type"] == "connection_ack"
    assert isinstance(refusal, str)
    assert json.loads(refusal)["type"] == "next"
