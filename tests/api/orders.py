"""Order queries and mutations the API tests share: a question asked on an order, its questions, an order's state
and its update; and the rows of a table, which a refused step must leave as they were. Used across tests/api/ (a
test module imports helpers from here, not from another test)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

ASK = """mutation($order: ID!, $q: String!) { askQuestion(orderId: $order, question: $q) {
  __typename ... on OrderQuestionSuccess { question { id question answer askedByYourOrganisation } }
  ... on UserError { code field } } }"""
QUESTIONS = """query($id: ID!) { node(id: $id) { ... on Order {
  questions { question answer askedByYourOrganisation } } } }"""


ORDER_STATE = """
query($id: ID!) {
  order(id: $id) {
    status title description quantity needBy biddingDeadline visibility
    publishedAt closedAt cancelReason updatedAt
    budget { min { amount currency } max { amount currency } }
    invitedManufacturers { id }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateOrderInput!) {
  result: updateOrder(id: $id, input: $input) { __typename ... on UserError { code field } }
}
"""


async def count_rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(f"select count(*) from {table}")))


# The order detail as the web app asks for it: the order, its buyer, its first bids with their bidders.
DETAIL = """
query($id: ID!, $first: Int!) {
  order(id: $id) {
    id title description status visibility process material quantity needBy deliveryRegion biddingDeadline createdAt
    budget { min { amount currency } max { amount currency } }
    buyer { id name region verified }
    bids(first: $first) {
      edges { cursor node { id status quantity leadTimeDays validUntil createdAt total { amount currency }
        unitPrice { amount currency } manufacturer { id name region verified } } }
      pageInfo { hasNextPage startCursor endCursor }
    }
  }
}
"""
