"""Keep manufacturer_record (models.ManufacturerRecord) equal to its definition, queries.history_totals."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.matching.models import ManufacturerRecord
from domain.matching.queries import HISTORY_COLUMNS, history_totals
from domain.organisations.models import Organisation

# The contract transitions the record counts (history_totals): a shipment, a dispute.
RECORD_TRANSITIONS = frozenset({"ship", "dispute"})
_COLUMNS = ("delivered", "delivered_on_time", "disputed", "invitations", "invitations_bid")


async def refresh_records(session: AsyncSession, organisation_ids: Collection[UUID] | None, now: datetime) -> None:
    """Recompute the records of these organisations (all when None) from contracts and invitations: two
    statements, whatever the number."""
    if organisation_ids is not None and not organisation_ids:
        return
    await session.flush()  # the change that moved the record may still be pending (sessions do not autoflush)
    ids = select(Organisation.id) if organisation_ids is None else list(organisation_ids)
    totals = history_totals(ids).subquery()
    computed = select(totals.c.org, *(totals.c[name] for name in HISTORY_COLUMNS), literal(now))
    upsert = insert(ManufacturerRecord).from_select(["organisation_id", *_COLUMNS, "updated_at"], computed)
    await session.execute(
        upsert.on_conflict_do_update(
            index_elements=["organisation_id"],
            set_={name: getattr(upsert.excluded, name) for name in (*_COLUMNS, "updated_at")},
        )
    )
    stale = delete(ManufacturerRecord).where(ManufacturerRecord.organisation_id.not_in(select(totals.c.org)))
    if organisation_ids is not None:
        stale = stale.where(ManufacturerRecord.organisation_id.in_(ids))
    await session.execute(stale)
