"""The yardstick for GraphQL overhead: `OVERHEAD_QUERY` answered by hand with asyncpg and orjson.

Same semantics as the GraphQL path (bearer token -> actor; the order board's visibility; sealed bids, cheapest
first, a window per order; the bidders), four statements (GraphQL reads the bidders with the bids: three), and
byte-for-byte the same JSON (tests/api/test_order_board_baseline.py checks both on small data). What it leaves
out is everything GraphQL adds: parsing, validation, the extensions, per-field resolution, DataLoaders, the ORM,
Strawberry's types.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy
from starlette.requests import Request
from starlette.responses import Response

from api.enums import Process
from domain.bids.service import CURRENT
from domain.identity.rules import hash_token
from domain.money import Money

BIDS_PER_ORDER = 20

OVERHEAD_QUERY = """
query OrderBoard($first: Int!) {
  orders(first: $first, filter: {statuses: [OPEN]}) {
    edges {
      cursor
      node {
        id title status process material quantity deliveryRegion biddingDeadline needBy
        budget { min { amount currency } max { amount currency } }
        bids(first: 20) {
          edges {
            node {
              id status unitPrice { amount currency } total { amount currency } leadTimeDays validUntil createdAt
              manufacturer { id name region verified }
            }
          }
          pageInfo { hasNextPage }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

AUTH_SQL = """
SELECT u.id AS user_id, u.is_operator, m.organisation_id
FROM auth_token t JOIN app_user u ON u.id = t.user_id LEFT JOIN membership m ON m.user_id = u.id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
"""
_ORDER_COLUMNS = """
SELECT o.id, o.title, o.status, o.process, o.material, o.quantity, o.delivery_region, o.bidding_deadline,
       o.need_by, o.budget_min_minor, o.budget_max_minor, o.currency, o.created_at
FROM production_order o
"""
ORDERS_SQL_OPERATOR = (
    _ORDER_COLUMNS
    + """
WHERE o.status = $1
ORDER BY o.created_at DESC, o.id DESC LIMIT $2
"""
)
# rules.can_see: your own orders, or published ones that are public or that invite one of your organisations.
ORDERS_SQL_MEMBER = (
    _ORDER_COLUMNS
    + """
WHERE o.status = $1 AND (
    o.buyer_organisation_id = ANY($3::uuid[])
    OR (o.status <> 'draft' AND (o.visibility = 'public' OR EXISTS (
        SELECT 1 FROM order_invitation i
        WHERE i.order_id = o.id AND i.manufacturer_organisation_id = ANY($3::uuid[])))))
ORDER BY o.created_at DESC, o.id DESC LIMIT $2
"""
)
_BIDS = """
SELECT * FROM (
    SELECT b.id, b.order_id, b.manufacturer_organisation_id, b.status, b.unit_price_minor, b.total_minor,
           b.currency, b.lead_time_days, b.valid_until, b.created_at,
           row_number() OVER (PARTITION BY b.order_id ORDER BY b.total_minor, b.created_at, b.id) AS position
    FROM bid b
    WHERE b.order_id = ANY($1::uuid[]) AND b.status = ANY($2::varchar[]) {visible}
) ranked WHERE position <= $3 + 1 ORDER BY order_id, position
"""
BIDS_SQL_OPERATOR = _BIDS.format(visible="")
# Sealed: the buyer sees every bid on its orders, a manufacturer only its own.
BIDS_SQL_MEMBER = _BIDS.format(
    visible="""AND (b.manufacturer_organisation_id = ANY($4::uuid[]) OR EXISTS (
        SELECT 1 FROM production_order o WHERE o.id = b.order_id AND o.buyer_organisation_id = ANY($4::uuid[])))"""
)
ORGANISATIONS_SQL = "SELECT id, name, region, verified FROM organisation WHERE id = ANY($1::uuid[])"

STATEMENTS_WITH_BIDS = 4  # token, orders, bids, bidders

_PROCESS_NAMES = {member.value: member.name for member in Process}
_CURRENT = [status.value for status in CURRENT]


def _gid(type_name: str, value: UUID) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def _money(minor: int, currency: str) -> dict[str, str]:
    return {"amount": str(Money(minor, currency).amount), "currency": currency}


def _cursor(created_at: datetime, order_id: UUID) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([created_at.isoformat(), str(order_id)])).decode()


async def order_board(
    conn: asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record],
    token: str | None,
    first: int,
    now: datetime,
) -> dict[str, Any]:
    """The `data` of OVERHEAD_QUERY for the holder of `token`."""
    operator, organisations = False, []
    if token:
        rows = await conn.fetch(AUTH_SQL, hash_token(token), now)
        if rows:
            operator = rows[0]["is_operator"]
            organisations = [r["organisation_id"] for r in rows if r["organisation_id"] is not None]
        authenticated = bool(rows)
    else:
        authenticated = False
    if not authenticated:
        return {"orders": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}

    if operator:
        orders = await conn.fetch(ORDERS_SQL_OPERATOR, "open", first + 1)
    else:
        orders = await conn.fetch(ORDERS_SQL_MEMBER, "open", first + 1, organisations)
    has_next = len(orders) > first
    orders = orders[:first]
    if not orders:
        return {"orders": {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}

    order_ids = [o["id"] for o in orders]
    if operator:
        bids = await conn.fetch(BIDS_SQL_OPERATOR, order_ids, _CURRENT, BIDS_PER_ORDER)
    elif organisations:
        bids = await conn.fetch(BIDS_SQL_MEMBER, order_ids, _CURRENT, BIDS_PER_ORDER, organisations)
    else:
        bids = []
    by_order: dict[UUID, list[asyncpg.Record]] = defaultdict(list)
    more: set[UUID] = set()
    for bid in bids:
        if bid["position"] <= BIDS_PER_ORDER:
            by_order[bid["order_id"]].append(bid)
        else:
            more.add(bid["order_id"])
    makers: dict[UUID, asyncpg.Record] = {}
    if bids:
        wanted = list({bid["manufacturer_organisation_id"] for bid in bids if bid["position"] <= BIDS_PER_ORDER})
        makers = {row["id"]: row for row in await conn.fetch(ORGANISATIONS_SQL, wanted)}

    edges = []
    for o in orders:
        bid_edges = []
        for b in by_order.get(o["id"], ()):
            maker = makers[b["manufacturer_organisation_id"]]
            bid_edges.append(
                {
                    "node": {
                        "id": _gid("Bid", b["id"]),
                        "status": b["status"].upper(),
                        "unitPrice": _money(b["unit_price_minor"], b["currency"]),
                        "total": _money(b["total_minor"], b["currency"]),
                        "leadTimeDays": b["lead_time_days"],
                        "validUntil": b["valid_until"].isoformat(),
                        "createdAt": b["created_at"].isoformat(),
                        "manufacturer": {
                            "id": _gid("Organisation", maker["id"]),
                            "name": maker["name"],
                            "region": maker["region"],
                            "verified": maker["verified"],
                        },
                    }
                }
            )
        edges.append(
            {
                "cursor": _cursor(o["created_at"], o["id"]),
                "node": {
                    "id": _gid("Order", o["id"]),
                    "title": o["title"],
                    "status": o["status"].upper(),
                    "process": _PROCESS_NAMES[o["process"]],
                    "material": o["material"],
                    "quantity": o["quantity"],
                    "deliveryRegion": o["delivery_region"],
                    "biddingDeadline": o["bidding_deadline"].isoformat(),
                    "needBy": o["need_by"].isoformat(),
                    "budget": {
                        "min": _money(o["budget_min_minor"], o["currency"]),
                        "max": _money(o["budget_max_minor"], o["currency"]),
                    },
                    "bids": {"edges": bid_edges, "pageInfo": {"hasNextPage": o["id"] in more}},
                },
            }
        )
    return {"orders": {"edges": edges, "pageInfo": {"hasNextPage": has_next, "endCursor": edges[-1]["cursor"]}}}


def bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def endpoint(pool: asyncpg.Pool, clock: Any) -> Any:
    """A Starlette endpoint taking the same JSON body as /graphql (only `variables.first` is read)."""

    async def handle(request: Request) -> Response:
        body = orjson.loads(await request.body())
        first = int((body.get("variables") or {}).get("first", 20))
        async with pool.acquire() as conn:
            data = await order_board(conn, bearer(request), first, clock.now())
        return Response(orjson.dumps({"data": data}), media_type="application/json")

    return handle
