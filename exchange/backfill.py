"""Data backfills as resumable commands (`exchange backfill list | run NAME`), never in a migration.

A migration runs when the API starts: an UPDATE over millions of rows there holds the start-up (and its row locks)
for as long as it takes, and a failure half-way rolls all of it back. A backfill here walks its rows in key order,
one batch per transaction, recording in backfill_progress the last key it finished together with the batch: stop it
at any point (Ctrl+C, SIGTERM, a deploy) and `run` again resumes after the last batch committed. Two runs of the
same backfill take turns batch by batch (the progress row is locked), so nothing is done twice. A migration that
needs new data adds the column (nullable, or with a default) and the code that fills it for new rows; the rows that
exist get a backfill registered here, run after the deploy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.backfill import BackfillProgress
from domain.clock import Clock
from domain.contracts.models import Milestone, MilestoneStatus
from domain.matching.records import refresh_records
from domain.organisations.models import Organisation
from domain.payments.models import ProviderPayment
from domain.uow import SessionFactory

# (session, the last key done or '' at the start, how many rows, now) -> (the last key of this batch, rows done);
# None as the key when nothing was left.
Batch = Callable[[AsyncSession, str, int, datetime], Awaitable[tuple[str | None, int]]]


@dataclass(frozen=True)
class Backfill:
    name: str
    description: str
    batch: Batch


async def _matching_records(session: AsyncSession, after: str, limit: int, now: datetime) -> tuple[str | None, int]:
    query = select(Organisation.id).order_by(Organisation.id).limit(limit)
    if after:
        query = query.where(Organisation.id > UUID(after))
    ids = list((await session.execute(query)).scalars())
    if not ids:
        return None, 0
    await refresh_records(session, ids, now)
    return str(ids[-1]), len(ids)


# Settled milestones: what their release transaction took out of escrow (`release:<milestone id>`, gross); the rest
# of a settled milestone went back to the buyer (migration contracts_0001 added the columns).
_MILESTONE_SHARES = text(
    """
    UPDATE contract_milestone AS m
    SET released_minor = COALESCE(r.released, 0),
        refunded_minor = m.amount_minor - COALESCE(r.released, 0),
        status = CASE
            WHEN COALESCE(r.released, 0) = m.amount_minor THEN 'released'
            WHEN COALESCE(r.released, 0) = 0 THEN 'refunded'
            ELSE 'partly_released'
        END
    FROM contract_milestone AS s
    LEFT JOIN (
        SELECT t.idempotency_key AS key, -SUM(p.amount_minor) AS released
        FROM ledger_transaction t JOIN ledger_posting p ON p.transaction_id = t.id
        WHERE t.kind = 'release' AND p.account LIKE 'escrow:%'
        GROUP BY t.idempotency_key
    ) AS r ON r.key = 'release:' || s.id::text
    WHERE m.id = s.id AND m.id = ANY(:ids)
    """
)


async def _milestone_shares(session: AsyncSession, after: str, limit: int, now: datetime) -> tuple[str | None, int]:
    query = select(Milestone.id).where(Milestone.status != MilestoneStatus.pending).order_by(Milestone.id).limit(limit)
    if after:
        query = query.where(Milestone.id > UUID(after))
    ids = list((await session.execute(query)).scalars())
    if not ids:
        return None, 0
    await session.execute(_MILESTONE_SHARES, {"ids": ids})
    return str(ids[-1]), len(ids)


_PROVIDER_PAYMENT_REFERENCES = text(
    """
    UPDATE provider_payment
    SET ledger_reference = 'pending:' || id::text,
        funding_reference = COALESCE(request->>'funding_intent', request->>'payment_intent', '')
    WHERE id = ANY(:ids) AND ledger_reference = ''
    """
)


async def _provider_payment_references(
    session: AsyncSession, after: str, limit: int, now: datetime
) -> tuple[str | None, int]:
    query = select(ProviderPayment.id).where(ProviderPayment.ledger_reference == "").order_by(ProviderPayment.id)
    if after:
        query = query.where(ProviderPayment.id > UUID(after))
    ids = list((await session.execute(query.limit(limit))).scalars())
    if not ids:
        return None, 0
    await session.execute(_PROVIDER_PAYMENT_REFERENCES, {"ids": ids})
    return str(ids[-1]), len(ids)


async def _search_terms(session: AsyncSession, after: str, limit: int, now: datetime) -> tuple[str | None, int]:
    """search_term from the rows of the postgres search tables (key: '<table>:<id>', manufacturers first)."""
    tables = ("search_manufacturer", "search_order")
    table, _, last = after.partition(":") if after else (tables[0], "", "")
    for name in tables[tables.index(table) :]:
        index = "manufacturers" if name == "search_manufacturer" else "orders"
        ids = list(
            (
                await session.execute(
                    text(f"SELECT id FROM {name} WHERE id > CAST(:after AS uuid) ORDER BY id LIMIT :limit"),
                    {"after": last or "00000000-0000-0000-0000-000000000000", "limit": limit},
                )
            ).scalars()
        )
        if ids:
            await session.execute(
                text(
                    "INSERT INTO search_term (index_name, word)"
                    f" SELECT DISTINCT CAST(:index AS varchar), lexeme FROM {name}, unnest(tsv) u"
                    " WHERE id = ANY(:ids) ORDER BY 2 ON CONFLICT DO NOTHING"
                ),
                {"index": index, "ids": ids},
            )
            return f"{name}:{ids[-1]}", len(ids)
        last = ""
    return None, 0


BACKFILLS: dict[str, Backfill] = {
    backfill.name: backfill
    for backfill in (
        Backfill(
            "matching-records",
            "recompute every organisation's manufacturer_record and match_candidate rows from contracts, invitations, "
            "profiles and certificates (after a change to what they count)",
            _matching_records,
        ),
        Backfill(
            "milestone-shares",
            "work out, from the ledger, how much of each milestone settled before contracts_0001 was paid out and "
            "refunded (a dispute's partial release reads partly_released)",
            _milestone_shares,
        ),
        Backfill(
            "provider-payment-references",
            "give Stripe calls recorded before payments_0005 their ledger line and funding payment (a payout split "
            "across charges names both)",
            _provider_payment_references,
        ),
        Backfill(
            "search-terms",
            "list every lexeme the postgres search tables hold in search_term (migration search_0004); until it has"
            " finished, the last word of a search is matched as a prefix the slower way",
            _search_terms,
        ),
    )
}


class UnknownBackfill(Exception):
    pass


@dataclass(frozen=True)
class Status:
    name: str
    description: str
    rows_done: int
    state: str  # not started | in progress | done


async def statuses(session_factory: SessionFactory) -> list[Status]:
    async with session_factory() as session:
        rows = {row.name: row for row in (await session.execute(select(BackfillProgress))).scalars()}
    result = []
    for backfill in BACKFILLS.values():
        row = rows.get(backfill.name)
        state = "not started" if row is None else ("done" if row.finished_at is not None else "in progress")
        result.append(Status(backfill.name, backfill.description, row.rows_done if row else 0, state))
    return result


async def run_backfill(
    session_factory: SessionFactory,
    clock: Clock,
    name: str,
    *,
    batch_size: int = 500,
    restart: bool = False,
    max_batches: int | None = None,
    on_batch: Callable[[int], object] | None = None,
) -> BackfillProgress:
    """Run `name` from where it stopped (from the start with restart=True) until it is done, or for at most
    max_batches batches. Returns its progress."""
    backfill = BACKFILLS.get(name)
    if backfill is None:
        raise UnknownBackfill(f"no backfill named {name!r}; `exchange backfill list` names them")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    now = clock.now()
    async with session_factory() as session, session.begin():
        start = insert(BackfillProgress).values(
            name=name, last_key="", rows_done=0, started_at=now, updated_at=now, finished_at=None
        )
        if restart:
            start = start.on_conflict_do_update(
                index_elements=["name"],
                set_={"last_key": "", "rows_done": 0, "started_at": now, "updated_at": now, "finished_at": None},
            )
        else:
            start = start.on_conflict_do_nothing(index_elements=["name"])
        await session.execute(start)
    batches = 0
    while max_batches is None or batches < max_batches:
        async with session_factory() as session, session.begin():
            progress = (
                await session.execute(select(BackfillProgress).where(BackfillProgress.name == name).with_for_update())
            ).scalar_one()
            if progress.finished_at is not None:
                return progress
            now = clock.now()
            last_key, rows = await backfill.batch(session, progress.last_key, batch_size, now)
            progress.updated_at = now
            if last_key is None:
                progress.finished_at = now
            else:
                progress.last_key = last_key
                progress.rows_done += rows
        batches += 1
        if on_batch is not None and rows:
            on_batch(rows)
    async with session_factory() as session:
        return (await session.execute(select(BackfillProgress).where(BackfillProgress.name == name))).scalar_one()
