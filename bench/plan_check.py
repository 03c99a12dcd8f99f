"""Generic plans against the plans for the values, beyond the hot reads: the operator's lists, a party's contracts,
notifications, the manufacturers' directory, the fee report, the reminders' and the outbox's polling.

Every pooled connection plans a prepared statement once, for any values (`plan_cache_mode = force_generic_plan`,
exchange/db.py). This script runs those paths on a seeded database (the application in process, through GraphQL,
and the workers' functions), records every statement with its values, and then prepares each one and EXPLAIN
ANALYZEs it both ways: the generic plan and the plan for those values. A statement is flagged when its generic plan
scans a big table sequentially where the plan for its values does not, or is over 3x slower (and over 1 ms).

Usage:  EXCHANGE_DATA_DIR=/tmp/perf-copy EXCHANGE_EMBEDDED_PG_PORT=54387 .venv/bin/python -m bench.plan_check
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.context import AppDeps
from api.relay import encode_id
from bench.common import asgi_post, bench_database, dsn, fetch, issue_tokens, production_settings
from domain.orders.models import ProductionOrder
from domain.outbox import claim_due, pending
from domain.reminders.service import remind_deadlines
from domain.saved_searches.service import candidates
from domain.uow import UnitOfWork
from exchange.bootstrap import build_runtime, close_runtime
from exchange.logging import configure_logging

BIG = 10_000  # rows: a sequential scan of a table this big where an index would do is a finding

CONTRACT = "id status total { amount currency } order { id title } buyer { id name } manufacturer { id name }"


def paged(field: str, node: str, arguments: str = "") -> str:
    """A list query that runs twice: its first page, then the next from its cursor."""
    return (
        f"query($after: String) {{ {field}(first: 20, after: $after{arguments}) "
        f"{{ edges {{ node {{ {node} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    )


def fee_report(since: str, until: str) -> str:
    period = f'since: "{since}", until: "{until}"'
    return f"{{ platformFeeReport({period}) {{ ... on PlatformFeeReport {{ __typename }} }} }}"


DIRECTORY = ', filter: {regions: ["RU-TA", "RU-MOW"], processes: [CNC_MILLING], verifiedOnly: true}'
OVERVIEW = (
    "{ exchangeOverview { ordersByStatus { __typename } contractsByStatus { __typename } escrowHeld { amount }"
    " feesEarned { amount } outbox { __typename } failingOutboxMessages { __typename } users organisations"
    " unverifiedOrganisations pendingPaymentInstructions } }"
)
DETAIL = (
    "query($id: ID!) { contract(id: $id) { id escrowBalance { amount } ledgerLines { kind } milestones { name }"
    " paymentInstructions { id } events { __typename } } }"
)
INSTRUCTION = "instruction { id amount { amount } } beneficiary { id name } contract { id }"
QUERIES: dict[str, tuple[str, str]] = {
    # name: (viewer, query)
    "disputedContracts": ("operator", paged("disputedContracts", CONTRACT)),
    "certificatesToCheck": ("operator", paged("certificatesToCheck", "certification { id } organisation { id }")),
    "verificationQueue": ("operator", paged("verificationQueue", "id name")),
    "verificationQueue(verified)": ("operator", paged("verificationQueue", "id name", ", verified: true")),
    "legalDetailsToCheck": ("operator", paged("legalDetailsToCheck", "inn organisation { id }")),
    "taxStatusesToCheck": ("operator", paged("taxStatusesToCheck", "id name taxStatus")),
    "organisations": ("operator", paged("organisations", "id name verified")),
    "organisations(NAME)": ("operator", paged("organisations", "id name", ", sort: NAME")),
    "organisations(buyers, NAME)": ("operator", paged("organisations", "id", ", sort: NAME, filter: {kinds: [BUYER]}")),
    "manufacturers": ("buyer", paged("manufacturers", "id name region certifications { id } kpis { __typename }")),
    "manufacturers(filtered)": ("buyer", paged("manufacturers", "id name", DIRECTORY)),
    "manufacturers(a rare region)": ("buyer", paged("manufacturers", "id name", ', filter: {regions: ["RU-KHA"]}')),
    "paymentInstructions": ("operator", paged("paymentInstructions", INSTRUCTION)),
    "paymentInstructions(CONFIRMED)": ("operator", paged("paymentInstructions", INSTRUCTION, ", status: CONFIRMED")),
    "providerPaymentIssues": ("operator", paged("providerPaymentIssues", "id status contract { id }")),
    "exchangeOverview": ("operator", OVERVIEW),
    "platformFeeReport(3 years)": ("operator", fee_report("2024-01-01", "2027-01-01")),
    "platformFeeReport(a month)": ("operator", fee_report("2026-11-01", "2026-12-01")),
    "myContracts(buyer)": ("buyer", paged("myContracts", CONTRACT)),
    "myContracts(manufacturer)": ("manufacturer", paged("myContracts", CONTRACT)),
    "myContracts(manufacturer, IN_PRODUCTION)": (
        "manufacturer",
        paged("myContracts", CONTRACT, ", statuses: [IN_PRODUCTION]"),
    ),
    "myBids": ("manufacturer", paged("myBids", "id status order { id title }")),
    "notifications": ("buyer", paged("notifications", "id title read")),
    "notifications(unread)": ("manufacturer", paged("notifications", "id", ", unreadOnly: true")),
    "savedSearches": ("manufacturer", "{ savedSearches { __typename } unreadNotificationCount }"),
    "contract(detail)": ("buyer", DETAIL),
}


@dataclass
class Captured:
    path: str
    sql: str
    args: list[Any]
    runs: int = 1


@dataclass
class Recorder:
    path: str = ""
    seen: dict[str, Captured] = field(default_factory=dict)

    def before(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if not self.path or not statement.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE")):
            return
        key = statement + repr(parameters)
        found = self.seen.get(key)
        if found is None:
            self.seen[key] = Captured(self.path, statement, list(parameters or ()))
        else:
            found.runs += 1


async def viewers(url: str) -> dict[str, tuple[UUID, str]]:
    """A user of each kind: the operator, the buyer and the manufacturer with the most contracts."""
    [operator] = await fetch(url, "SELECT id FROM app_user WHERE is_operator LIMIT 1")
    [buyer] = await fetch(
        url,
        "SELECT m.user_id AS id, c.id AS contract FROM contract c JOIN membership m"
        " ON m.organisation_id = c.buyer_organisation_id"
        " GROUP BY m.user_id, c.id ORDER BY count(*) OVER (PARTITION BY m.user_id) DESC LIMIT 1",
    )
    [maker] = await fetch(
        url,
        "SELECT m.user_id AS id FROM contract c JOIN membership m ON m.organisation_id = c.manufacturer_organisation_id"
        " GROUP BY m.user_id ORDER BY count(*) DESC LIMIT 1",
    )
    ids = [operator["id"], buyer["id"], maker["id"]]
    tokens = await issue_tokens(url, ids)
    return {
        "operator": (ids[0], tokens[0]),
        "buyer": (ids[1], tokens[1]),
        "manufacturer": (ids[2], tokens[2]),
        "contract": (buyer["contract"], encode_id("Contract", buyer["contract"])),
    }


async def capture(url: str, engine: AsyncEngine, deps: AppDeps) -> list[Captured]:
    """Every statement the paths run, with its values: the queries through the application `deps` make, the
    workers' reads on `deps`' database."""
    app = create_app(deps)
    people = await viewers(url)
    recorder = Recorder()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder.before)
    try:
        for name, (viewer, query) in QUERIES.items():
            recorder.path = name
            variables: dict[str, Any] = {"id": people["contract"][1]} if "$id" in query else {}
            for _ in range(2 if "$after" in query else 1):
                body = orjson.dumps({"query": query, "variables": variables})
                headers = {"content-type": "application/json", "authorization": f"Bearer {people[viewer][1]}"}
                status, out = await asgi_post(app, "/graphql", body, headers)
                answer = orjson.loads(out)
                assert status == 200 and not answer.get("errors"), (name, answer)
                connection = next(iter(answer["data"].values()))
                info = (connection or {}).get("pageInfo") if isinstance(connection, dict) else None
                if not info or not info["hasNextPage"]:
                    break
                variables["after"] = info["endCursor"]
        recorder.path = "remind_deadlines"
        async with UnitOfWork(deps.session_factory, deps.clock) as uow:
            await remind_deadlines(uow)  # not committed: the unit of work rolls back
        recorder.path = "saved-search candidates"
        async with deps.session_factory() as session:
            for visibility in ("public", "invited"):
                order = await session.scalar(
                    select(ProductionOrder).where(ProductionOrder.visibility == visibility).limit(1)
                )
                assert order is not None, visibility
                await candidates(session, order)
        recorder.path = "outbox claim_due"
        async with deps.session_factory() as session:
            await session.execute(claim_due(["notification", "search"], datetime.now(UTC), 50))
            await session.rollback()
        recorder.path = "outbox pending"
        await pending(deps.session_factory, ["notification", "search"])
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", recorder.before)
    return list(recorder.seen.values())


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list | tuple):
        return "'{" + ",".join('"' + text(item).replace('"', '\\"') + '"' for item in value).replace("'", "''") + "}'"
    return "'" + text(value).replace("'", "''") + "'"


def text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return str(value)


def scans(plan: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if "Relation Name" in plan:
        yield plan["Relation Name"], plan["Node Type"]
    for child in plan.get("Plans", ()):
        yield from scans(child)


@dataclass
class Compared:
    captured: Captured
    generic_ms: float
    custom_ms: float
    generic_seq: set[str]
    custom_seq: set[str]
    plans: dict[str, str]

    @property
    def worse(self) -> bool:
        return bool(self.generic_seq - self.custom_seq) or (
            self.generic_ms > 3 * self.custom_ms and self.generic_ms > 1.0
        )


async def compare(
    url: str, captured: list[Captured], repeats: int, show: bool = False, big_rows: int = BIG
) -> list[Compared]:
    conn = await asyncpg.connect(dsn(url))
    big = {r["relname"] for r in await conn.fetch("SELECT relname FROM pg_class WHERE reltuples >= $1", big_rows)}
    results = []
    try:
        for item in captured:
            values = ", ".join(literal(arg) for arg in item.args)
            explain = "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE probe" + (f"({values})" if item.args else "")
            await conn.execute(f"PREPARE probe AS {item.sql}")
            timings: dict[str, float] = {}
            seqs: dict[str, set[str]] = {}
            shown: dict[str, str] = {}
            try:
                for mode in ("force_generic_plan", "force_custom_plan"):
                    await conn.execute(f"SET plan_cache_mode = {mode}")
                    best = float("inf")
                    for _ in range(repeats):
                        transaction = conn.transaction()
                        await transaction.start()
                        try:
                            plan = orjson.loads(await conn.fetchval(explain))[0]
                        finally:
                            await transaction.rollback()  # an UPDATE or FOR UPDATE changes nothing
                        best = min(best, plan["Planning Time"] + plan["Execution Time"])
                        seqs[mode] = {
                            table for table, node in scans(plan["Plan"]) if node == "Seq Scan" and table in big
                        }
                    timings[mode] = best
                    if show:
                        transaction = conn.transaction()
                        await transaction.start()
                        try:
                            rows = await conn.fetch(explain.replace("(ANALYZE, FORMAT JSON)", "(ANALYZE, COSTS OFF)"))
                            shown[mode] = "\n".join(row[0] for row in rows)
                        finally:
                            await transaction.rollback()
            finally:
                await conn.execute("DEALLOCATE probe; RESET plan_cache_mode")
            results.append(
                Compared(
                    item,
                    timings["force_generic_plan"],
                    timings["force_custom_plan"],
                    seqs["force_generic_plan"],
                    seqs["force_custom_plan"],
                    shown,
                )
            )
    finally:
        await conn.close()
    return results


async def run(url: str, args: argparse.Namespace) -> None:
    settings = production_settings(log_level="WARNING")
    configure_logging(settings)
    runtime = build_runtime(settings, url=url)
    try:
        captured = await capture(url, runtime.engine, runtime.deps)
    finally:
        await close_runtime(runtime)
    results = await compare(url, captured, args.repeats, args.plans)
    print(f"{'path':<42} {'generic ms':>10} {'custom ms':>10}  seq scans (generic / custom)  statement")
    for r in sorted(results, key=lambda r: (not r.worse, r.captured.path)):
        flag = "!!" if r.worse else "  "
        sql = " ".join(r.captured.sql.split())[: args.statement_chars]
        print(
            f"{flag}{r.captured.path:<40} {r.generic_ms:>10.2f} {r.custom_ms:>10.2f}  "
            f"{','.join(sorted(r.generic_seq)) or '-'} / {','.join(sorted(r.custom_seq)) or '-'}  {sql}"
        )
    for r in results:
        if args.plans and r.worse:
            print(f"\n{r.captured.path}: {' '.join(r.captured.sql.split())}\nvalues: {r.captured.args}")
            for mode, plan in r.plans.items():
                print(f"-- {mode}\n{plan}")
    print(f"{len(results)} statements, {sum(r.worse for r in results)} with a worse generic plan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="EXPLAIN ANALYZE runs of each plan; the fastest counts")
    parser.add_argument("--plans", action="store_true", help="print both plans of each flagged statement")
    parser.add_argument("--statement-chars", type=int, default=160)
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
