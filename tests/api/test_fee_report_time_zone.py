"""The operators' fee report counts months, and its period's days, in the exchange's reporting time zone
(EXCHANGE_REPORTING_TIMEZONE, Moscow by default), as its users and the tax office do: a fee released at 22:30 UTC on
30 November is a December fee (01:30 in Moscow)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from exchange.settings import Environment, Settings
from tests.api.contracts import operator
from tests.api.graphql import GraphQL

REPORT = """query($since: Date!, $until: Date!) { platformFeeReport(since: $since, until: $until) {
  __typename ... on PlatformFeeReport { timeZone months { month net { amount currency } vat { amount } releases }
  totals { currency net { amount } releases } } ... on UserError { code field } } }"""


async def _fee(engine: AsyncEngine, at: datetime, net_minor: int, vat_minor: int) -> None:
    """A release's fee lines in the ledger at `at` (the report reads only the fee and fee-VAT accounts)."""
    transaction_id = uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO ledger_transaction (id, contract_id, kind, idempotency_key, provider_reference, "
                "source_reference, created_at) VALUES (:id, NULL, 'release', :key, '', '', :at)"
            ),
            {"id": transaction_id, "key": f"release:{transaction_id}", "at": at},
        )
        for account, amount in (("platform_fees", net_minor), ("platform_vat_payable", vat_minor)):
            await conn.execute(
                text(
                    "INSERT INTO ledger_posting (id, transaction_id, account, amount_minor, currency) "
                    "VALUES (:id, :t, :account, :amount, 'RUB')"
                ),
                {"id": uuid4(), "t": transaction_id, "account": account, "amount": amount},
            )


async def test_months_and_the_period_are_moscow_time(gql: GraphQL, engine: AsyncEngine) -> None:
    ops = await operator(gql, engine)
    await _fee(engine, datetime(2025, 12, 31, 21, 30, tzinfo=UTC), 100_00, 22_00)  # 1 January 2026, 00:30 MSK
    await _fee(engine, datetime(2026, 11, 30, 20, 59, tzinfo=UTC), 200_00, 44_00)  # 30 November, 23:59 MSK
    await _fee(engine, datetime(2026, 11, 30, 22, 30, tzinfo=UTC), 300_00, 66_00)  # 1 December, 01:30 MSK
    await _fee(engine, datetime(2026, 12, 31, 21, 0, tzinfo=UTC), 400_00, 88_00)  # 1 January 2027, 00:00 MSK

    year = (await gql(REPORT, {"since": "2026-01-01", "until": "2027-01-01"}, token=ops.token))["platformFeeReport"]

    assert year["timeZone"] == "Europe/Moscow"
    assert [(m["month"], m["net"]["amount"], m["vat"]["amount"], m["releases"]) for m in year["months"]] == [
        ("2026-01-01", "100.00", "22.00", 1),
        ("2026-11-01", "200.00", "44.00", 1),
        ("2026-12-01", "300.00", "66.00", 1),
    ]
    assert year["totals"] == [{"currency": "RUB", "net": {"amount": "600.00"}, "releases": 3}]
    # The next year starts at Moscow midnight: the fee of 00:00 MSK on 1 January 2027 is its first.
    january = (await gql(REPORT, {"since": "2027-01-01", "until": "2027-02-01"}, token=ops.token))["platformFeeReport"]
    assert [(m["month"], m["net"]["amount"]) for m in january["months"]] == [("2027-01-01", "400.00")]


async def test_a_period_that_ends_before_it_starts_is_refused(gql: GraphQL, engine: AsyncEngine) -> None:
    ops = await operator(gql, engine)

    same_day = (await gql(REPORT, {"since": "2027-01-01", "until": "2027-01-01"}, token=ops.token))["platformFeeReport"]
    too_long = (await gql(REPORT, {"since": "2020-01-01", "until": "2027-01-01"}, token=ops.token))["platformFeeReport"]

    assert same_day == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "until"}
    assert too_long == {"__typename": "ValidationError", "code": "OUT_OF_RANGE", "field": "until"}


def test_the_reporting_time_zone_is_an_iana_zone() -> None:
    assert Settings(env=Environment.test).reporting_timezone == "Europe/Moscow"
    assert Settings(env=Environment.test, reporting_timezone="Asia/Almaty").reporting_timezone == "Asia/Almaty"
    with pytest.raises(ValidationError, match="EXCHANGE_REPORTING_TIMEZONE"):
        Settings(env=Environment.test, reporting_timezone="Moscow/Kremlin")
