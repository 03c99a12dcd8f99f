"""Port: keep matching's read model current (manufacturer records and match candidates, domain/matching/).

Orders (invitations), bids (an invitation answered), contracts (a shipment, a dispute), organisations and
manufacturers (profile, certificates, region) change what matching's tables summarise, and must refresh them in
the same transaction. Matching sits above all of them (it reads their tables), so they call it through this port;
domain/matching/__init__.py installs the implementation (domain/matching/records.py) when the package loads, which
every process that has the schema does (domain/tables.py imports matching's tables). Unset, a refresh raises
rather than leave the records stale."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

# The contract transitions the manufacturer record counts (matching's history_totals): a shipment, a dispute.
RECORD_TRANSITIONS = frozenset({"ship", "dispute"})


class MatchRecords(Protocol):
    async def refresh_records(
        self, session: AsyncSession, organisation_ids: Collection[UUID] | None, now: datetime
    ) -> None: ...

    async def refresh_candidates(
        self, session: AsyncSession, organisation_ids: Collection[UUID] | None, *, locked: bool = False
    ) -> None: ...


_installed: MatchRecords | None = None


def install(records: MatchRecords) -> None:
    global _installed
    _installed = records


def _records() -> MatchRecords:
    if _installed is None:
        raise RuntimeError("matching's records are not installed: import domain.matching before using the services")
    return _installed


async def refresh_records(session: AsyncSession, organisation_ids: Collection[UUID] | None, now: datetime) -> None:
    """Recompute these organisations' records (all when None) and their match candidates."""
    await _records().refresh_records(session, organisation_ids, now)


async def refresh_candidates(session: AsyncSession, organisation_ids: Collection[UUID] | None) -> None:
    """Recompute these organisations' match candidates (all when None) from profile, organisation and certificates."""
    await _records().refresh_candidates(session, organisation_ids)
