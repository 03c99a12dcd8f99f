"""The subscription fan-out as the realtime tests share it: the bidActivity subscriptions (one plain, one with the
viewer's rights), a NOTIFY sent by hand, a colleague added to an organisation, and the count of executions. A
test module imports helpers from here, not from another test."""

from __future__ import annotations

import asyncpg

from api.observability import prometheus as metrics
from domain.realtime import CHANNEL, Event
from exchange.realtime import asyncpg_dsn
from tests.api.graphql import SIGN_UP, GraphQL, Party

WATCH = """subscription($id: ID!) { bidActivity(orderId: $id) {
  __typename
  ... on BidActivity { kind bid { id status total { amount currency } manufacturer { id name } order { id title } } }
  ... on UserError { code message }
} }"""


async def notify(database_url: str, item: Event) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, item.encode())
    finally:
        await conn.close()


# viewerCanAward needs the buyer's admin role: an admin and a plain member of the same buyer see different payloads.
RIGHTS_WATCH = """subscription($id: ID!) { bidActivity(orderId: $id) {
  __typename
  ... on BidActivity { kind bid { id viewerCanAward viewerCanWithdraw manufacturer { id name } } }
  ... on UserError { code }
} }"""


ADD_MEMBER = """mutation($org: ID!, $email: String!, $role: Role!) {
  addOrganisationMember(organisationId: $org, email: $email, role: $role) { __typename } }"""


def executions() -> float:
    return metrics.REALTIME_EXECUTIONS.labels("bidActivity")._value.get()


async def colleague(gql: GraphQL, of: Party, role: str, n: int) -> str:
    """A user added to `of`'s organisation with `role`; their token."""
    email = f"colleague{n}-{of.email}"
    data = await gql(SIGN_UP, {"input": {"email": email, "password": "correct horse battery", "fullName": f"C {n}"}})
    added = await gql(ADD_MEMBER, {"org": of.organisation_id, "email": email, "role": role}, token=of.token)
    assert added["addOrganisationMember"]["__typename"] == "AddOrganisationMemberSuccess", added
    return str(data["signUp"]["token"])
