"""Generic plans beyond the hot reads (bench/plan_check.py runs the same at seed scale): the operator's lists and
overview, the fee report, a party's contracts and bids, notifications, the manufacturers' directory, saved-search
matching, the reminders' and the outbox's polling. On the `tiny` profile, analysed: no generic plan scans a table
of a thousand rows or more sequentially where the plan for its values does not. And the statements whose best plan
depends on their values (domain/planning.py) carry those values in their text, so that their generic plan is the
plan for them: the directory's filter, the overview's accounts, the report's period."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.context import AppDeps
from bench.plan_check import QUERIES, compare
from bench.plan_check import capture as capture_statements
from tests.clock import FakeClock
from tests.integration.tiny import seed_tiny

WORKERS = {"remind_deadlines", "saved-search candidates", "outbox claim_due", "outbox pending"}

# What the statement of a path whose values are in its text holds: (path, table it reads, text it must hold).
INLINE = [
    ("manufacturers(filtered)", "FROM organisation", ("'RU-TA'", "'RU-MOW'", "'manufacturer'", "ARRAY['cnc_milling']")),
    ("manufacturers(a rare region)", "FROM organisation", ("'RU-KHA'",)),
    ("organisations(buyers, NAME)", "FROM organisation", ("'buyer'",)),
    ("exchangeOverview", "FROM ledger_posting", ("LIKE 'escrow:%'", "'platform_fees'", "'platform_vat_payable'")),
    (
        "platformFeeReport(a month)",
        "FROM ledger_transaction",
        ("'2026-11-01 00:00:00+03:00'", "'2026-12-01 00:00:00+03:00'", "'Europe/Moscow'"),
    ),
]


@pytest.mark.committed
async def test_the_lists_reports_and_workers_have_generic_plans_as_good_as_the_plans_for_their_values(
    database_url: str, engine: AsyncEngine, deps: AppDeps, clock: FakeClock
) -> None:
    await seed_tiny(database_url, engine)
    clock.set(datetime.now(UTC))  # the tokens the capture issues are valid from now
    captured = await capture_statements(database_url, engine, deps)

    # Every path ran: each query through the API (the capture asserts each answered without errors), each worker.
    assert {item.path for item in captured} == set(QUERIES) | WORKERS
    assert len(captured) >= 60

    results = await compare(database_url, captured, repeats=1, big_rows=1_000)
    assert len(results) == len(captured)
    worse = [(r.captured.path, r.generic_seq, r.custom_seq) for r in results if r.generic_seq - r.custom_seq]
    assert worse == []
    # Not an empty comparison: the tables counted as big include the orders, bids, organisations and the ledger.
    scanned = {table for r in results for table in r.custom_seq | r.generic_seq}
    assert "ledger_posting" in scanned or "ledger_transaction" in scanned

    for path, reads, held in INLINE:
        mine = [r for r in results if r.captured.path == path and reads in r.captured.sql]
        assert mine, path
        for result in mine:
            for fragment in held:
                assert fragment in result.captured.sql, (path, fragment)
            # The values are the statement's own: planned once, for them; the plan is the same either way.
            assert result.generic_seq == result.custom_seq, path
