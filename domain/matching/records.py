"""Keep the two tables matching reads equal to their definitions: manufacturer_record (models.ManufacturerRecord,
defined by queries.history_totals) and match_candidate (models.MatchCandidate, defined by CANDIDATE_ROWS)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import Uuid, bindparam, delete, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.matching.models import ManufacturerRecord
from domain.matching.queries import HISTORY_COLUMNS, MANUFACTURING_KINDS, history_totals
from domain.organisations.models import Organisation

_COLUMNS = ("delivered", "delivered_on_time", "disputed", "invitations", "invitations_bid")


async def lock_organisations(session: AsyncSession, organisation_ids: Collection[UUID]) -> None:
    """Serialise the refreshes of these organisations' rows until commit (FOR NO KEY UPDATE, in id order).

    Two transactions that change one manufacturer at once (say its profile and a certificate) would otherwise each
    compute its rows from a snapshot without the other's change, and the later commit would keep a stale row.
    Holding the organisation's lock, the second one computes only after the first has committed, from a snapshot
    that includes it (READ COMMITTED: each statement sees what is committed when it starts)."""
    await session.execute(
        select(Organisation.id)
        .where(Organisation.id.in_(sorted(organisation_ids)))
        .order_by(Organisation.id)
        .with_for_update(key_share=True)
    )


async def refresh_records(session: AsyncSession, organisation_ids: Collection[UUID] | None, now: datetime) -> None:
    """Recompute the records of these organisations (all when None) from contracts and invitations, and their
    match candidates: five statements with the lock, whatever the number."""
    if organisation_ids is not None and not organisation_ids:
        return
    await session.flush()  # the change that moved the record may still be pending (sessions do not autoflush)
    if organisation_ids is not None:
        await lock_organisations(session, organisation_ids)
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
    await refresh_candidates(session, organisation_ids, locked=True)


_KINDS = ", ".join(f"'{kind.value}'" for kind in MANUFACTURING_KINDS)
# match_candidate's definition: one row per manufacturing organisation's profile and listed process, with the
# materials lower-cased (as rules.exclusion compares them), its certificates, its record, and the sides of its
# largest part that it gives, sorted (rules.envelope_fits).
CANDIDATE_ROWS = f"""
SELECT p.process, mp.organisation_id, o.region,
       CAST(ARRAY(SELECT DISTINCT lower(m) FROM unnest(mp.materials) AS m ORDER BY 1) AS varchar(64)[]),
       mp.min_quantity, mp.max_quantity,
       (SELECT jsonb_object_agg(c.standard, c.valid_until) FROM certification AS c
        WHERE c.organisation_id = mp.organisation_id),
       coalesce(r.delivered, 0), coalesce(r.delivered_on_time, 0), coalesce(r.disputed, 0),
       coalesce(r.invitations, 0), coalesce(r.invitations_bid, 0),
       ARRAY(SELECT side FROM unnest(ARRAY[mp.max_part_x_mm, mp.max_part_y_mm, mp.max_part_z_mm]) AS side
             WHERE side IS NOT NULL ORDER BY side)
FROM manufacturer_profile AS mp
JOIN organisation AS o ON o.id = mp.organisation_id
CROSS JOIN LATERAL (SELECT DISTINCT unnest(mp.processes) AS process) AS p
LEFT JOIN manufacturer_record AS r ON r.organisation_id = mp.organisation_id
WHERE o.kind IN ({_KINDS}) AND (CAST(:every AS boolean) OR mp.organisation_id = ANY(:ids))
"""
_UPSERT = f"""
INSERT INTO match_candidate (process, organisation_id, region, materials, min_quantity, max_quantity, certificates,
    delivered, delivered_on_time, disputed, invitations, invitations_bid, max_part_mm)
{CANDIDATE_ROWS}
ON CONFLICT (process, organisation_id) DO UPDATE SET
    region = excluded.region, materials = excluded.materials, min_quantity = excluded.min_quantity,
    max_quantity = excluded.max_quantity, certificates = excluded.certificates, delivered = excluded.delivered,
    delivered_on_time = excluded.delivered_on_time, disputed = excluded.disputed,
    invitations = excluded.invitations, invitations_bid = excluded.invitations_bid, max_part_mm = excluded.max_part_mm
"""
_STALE = f"""
DELETE FROM match_candidate AS mc
WHERE (CAST(:every AS boolean) OR mc.organisation_id = ANY(:ids)) AND NOT EXISTS (
    SELECT FROM manufacturer_profile AS mp JOIN organisation AS o ON o.id = mp.organisation_id
    WHERE mp.organisation_id = mc.organisation_id AND o.kind IN ({_KINDS}) AND mc.process = ANY(mp.processes))
"""
_IDS = bindparam("ids", type_=ARRAY(Uuid()))


async def refresh_candidates(
    session: AsyncSession, organisation_ids: Collection[UUID] | None, *, locked: bool = False
) -> None:
    """Recompute the match candidates of these organisations (all when None: bulk loads, no lock) from their
    profile, organisation, certificates and record: three statements with the lock, whatever the number. Call it in
    the transaction of any change to those (the services do: profile, certificates, organisation, and
    refresh_records), as late as possible: the organisations stay locked until commit."""
    if organisation_ids is not None and not organisation_ids:
        return
    await session.flush()
    if organisation_ids is not None and not locked:
        await lock_organisations(session, organisation_ids)
    params = {"every": organisation_ids is None, "ids": list(organisation_ids or ())}
    await session.execute(text(_STALE).bindparams(_IDS), params)
    await session.execute(text(_UPSERT).bindparams(_IDS), params)
