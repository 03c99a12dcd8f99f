"""The contract room listens to contractUpdated alone: a message posted by one party arrives there too."""

from __future__ import annotations

from domain.realtime import EventTopic
from tests.api.contracts import awarded
from tests.clock import FakeClock
from tests.realtime.conftest import Instance, socket
from tests.realtime.subscriptions import POST

CONTRACT_UPDATED = """subscription($id: ID!) { contractUpdated(contractId: $id) {
  __typename ... on ContractUpdate { transition contract { id status } }
} }"""


async def test_a_message_from_one_party_reaches_the_others_room(api: Instance, clock: FakeClock) -> None:
    buyer, maker, contract_id = await awarded(api.gql, clock)
    async with socket(api, buyer.token) as ws:
        await ws.subscribe("c", CONTRACT_UPDATED, {"id": contract_id})
        await api.wait_for_subscribers(EventTopic.contract, 1)
        posted = await api.gql(
            POST, {"id": contract_id, "body": "Фаски 0,5 на 45° по всем кромкам?"}, token=maker.token
        )
        heard = (await ws.next("c"))["contractUpdated"]

    assert posted["postContractMessage"]["__typename"] == "ContractMessageSuccess"
    assert heard == {
        "__typename": "ContractUpdate",
        "transition": "message",
        "contract": {"id": contract_id, "status": "PENDING_FUNDING"},
    }
