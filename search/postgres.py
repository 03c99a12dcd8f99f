"""The default search backend: PostgreSQL full-text search in the application's own database.

One table per index (search/tables.py). A weighted tsvector with the 'simple' configuration (no stemming,
so Russian and English are treated alike): name/title A, processes and certifications B, materials C,
description D; pg_trgm word similarity on name, processes and materials forgives typos. Filters are SQL.
A search is two statements whatever the page size: the page of hits (with ts_headline snippets computed
for that page only) and the total with the facet counts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.search import (
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Document,
    FacetCount,
    Hit,
    IndexName,
    SearchQuery,
    SearchResult,
    words,
)
from domain.uow import SessionFactory


@dataclass(frozen=True)
class _Spec:
    table: str
    name: str  # the A-weighted field
    upsert_columns: tuple[str, ...]
    facets: dict[str, str]  # facet -> SQL producing one value per row (may use unnest)
    facet_columns: str
    browse_order: str  # the order of an empty-text search (browse)


_MANUFACTURERS = _Spec(
    table="search_manufacturer",
    name="name",
    upsert_columns=(
        "id",
        "document",
        "name",
        "description",
        "region",
        "verified",
        "processes",
        "materials",
        "certifications",
        "free_hours_4w",
        "max_free_hours_4w",
    ),
    facets={"processes": "unnest(processes)", "regions": "region", "certifications": "unnest(certifications)"},
    facet_columns="processes, region, certifications",
    browse_order="verified DESC, name, id",
)

_ORDERS = _Spec(
    table="search_order",
    name="title",
    upsert_columns=(
        "id",
        "document",
        "title",
        "description",
        "region",
        "process",
        "material",
        "certifications",
        "public",
        "bidding_deadline",
        "audience",
    ),
    facets={"processes": "process", "regions": "region", "certifications": "unnest(certifications)"},
    facet_columns="process, region, certifications",
    browse_order="bidding_deadline, id",
)

SPECS = {IndexName.manufacturers: _MANUFACTURERS, IndexName.orders: _ORDERS}

_CASTS = {
    "id": "uuid",
    "document": "jsonb",
    "processes": "varchar(64)[]",
    "materials": "varchar(64)[]",
    "certifications": "varchar(64)[]",
    "audience": "varchar(64)[]",
    "free_hours_4w": "jsonb",
    "verified": "boolean",
    "public": "boolean",
    "bidding_deadline": "timestamptz",
    "max_free_hours_4w": "integer",
}


def _row(index: IndexName, document: Document) -> dict[str, Any]:
    import orjson

    raw = orjson.dumps(document).decode()
    if index is IndexName.manufacturers:
        free = document["free_hours_4w"]
        return _weighted(
            document["name"],
            " ".join(document["processes"] + document["certifications"]),
            " ".join(document["materials"]),
            document["description"],
        ) | {
            "id": document["id"],
            "document": raw,
            "name": document["name"],
            "description": document["description"],
            "region": document["region"],
            "verified": document["verified"],
            "processes": document["processes"],
            "materials": [m.lower() for m in document["materials"]],
            "certifications": document["certifications"],
            "free_hours_4w": orjson.dumps(free).decode(),
            "max_free_hours_4w": max(free.values(), default=0),
        }
    audience = [document["buyer_organisation_id"], *document["invited"]]
    return _weighted(
        document["title"],
        f"{document['process']} {' '.join(document['required_certifications'])}",
        document["material"],
        document["description"],
    ) | {
        "id": document["id"],
        "document": raw,
        "title": document["title"],
        "description": document["description"],
        "region": document["region"],
        "process": document["process"],
        "material": document["material"].lower(),
        "certifications": document["required_certifications"],
        "public": document["public"],
        "bidding_deadline": datetime.fromisoformat(document["bidding_deadline"]),
        "audience": audience,
    }


def _weighted(a: str, b: str, c: str, d: str) -> dict[str, str]:
    """The text of the four weights, lower-cased here (a C-locale database would not lower-case Cyrillic),
    vocabulary values made words (cnc_milling -> cnc milling); and the text typos are forgiven in."""
    a, b, c, d = (value.replace("_", " ").lower() for value in (a, b, c, d))
    return {"w_a": a, "w_b": b, "w_c": c, "w_d": d, "trgm_text": f"{a} {b} {c}"}


_TSV = (
    "setweight(to_tsvector('simple', :w_a), 'A') || setweight(to_tsvector('simple', :w_b), 'B')"
    " || setweight(to_tsvector('simple', :w_c), 'C') || setweight(to_tsvector('simple', :w_d), 'D')"
)


class PostgresSearchIndex:
    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    async def close(self) -> None:
        return None

    # Writes -------------------------------------------------------------------------------------

    async def apply(self, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]) -> None:
        async with self._session_factory() as session, session.begin():
            await self._apply(session, index, upserts, deletes)

    async def _apply(
        self, session: AsyncSession, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]
    ) -> None:
        spec = SPECS[index]
        if deletes:
            await session.execute(
                text(f"DELETE FROM {spec.table} WHERE id = ANY(CAST(:ids AS uuid[]))"), {"ids": list(deletes)}
            )
        if not upserts:
            return
        columns = spec.upsert_columns
        values = ", ".join(f"CAST(:{c} AS {_CASTS[c]})" if c in _CASTS else f":{c}" for c in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
        await session.execute(
            text(
                f"INSERT INTO {spec.table} ({', '.join(columns)}, tsv, trgm_text, indexed_at)"
                f" VALUES ({values}, {_TSV}, :trgm_text, now())"
                f" ON CONFLICT (id) DO UPDATE SET {updates},"
                " tsv = excluded.tsv, trgm_text = excluded.trgm_text, indexed_at = now()"
            ),
            [_row(index, d) for d in upserts],
        )

    async def rebuild(self, index: IndexName, batches: AsyncIterator[Sequence[Document]]) -> int:
        """In one transaction: searches see the old index until the new one is complete."""
        stored = 0
        async with self._session_factory() as session, session.begin():
            await session.execute(text(f"DELETE FROM {SPECS[index].table}"))
            async for batch in batches:
                await self._apply(session, index, batch, [])
                stored += len(batch)
        return stored

    async def documents(self, index: IndexName) -> dict[str, Document]:
        async with self._session_factory() as session:
            rows = await session.execute(text(f"SELECT id::text, document FROM {SPECS[index].table}"))
            return {row[0]: row[1] for row in rows}

    async def count(self, index: IndexName) -> int:
        async with self._session_factory() as session:
            return int(await session.scalar(text(f"SELECT count(*) FROM {SPECS[index].table}")) or 0)

    # Reads --------------------------------------------------------------------------------------

    async def search(self, index: IndexName, query: SearchQuery) -> SearchResult:
        spec = SPECS[index]
        conditions, params = _filters(index, query)
        terms = words(query.text)
        score = "0"
        headlines = ""
        if query.text:
            params["q"] = query.text.lower()
            text_match = ":q <% trgm_text"
            if terms:
                # Prefix matching on every word: "alum" finds "aluminium" while typing.
                params["tsq"] = " & ".join(f"{w}:*" for w in terms)
                tsq = "to_tsquery('simple', :tsq)"
                text_match = f"(tsv @@ {tsq} OR {text_match})"
                score = f"ts_rank(tsv, {tsq}) + word_similarity(:q, trgm_text)"
                options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}"
                headlines = (
                    f", ts_headline('simple', {spec.name}, {tsq}, '{options}, HighlightAll=true')"
                    f", ts_headline('simple', description, {tsq},"
                    f" '{options}, MaxWords=35, MinWords=15')"
                )
            else:
                score = "word_similarity(:q, trgm_text)"
            conditions.append(text_match)
        where = " AND ".join(conditions) or "true"
        order = "score DESC, id" if query.text else spec.browse_order
        params.update(limit=query.first, offset=query.offset)
        async with self._session_factory() as session:
            page = await session.execute(
                text(
                    f"SELECT id::text, score{headlines} FROM ("
                    f" SELECT *, {score} AS score FROM {spec.table} WHERE {where}"
                    f" ORDER BY {order} LIMIT :limit OFFSET :offset) page ORDER BY {order}"
                ),
                params,
            )
            hits = [
                Hit(
                    id=row[0],
                    score=float(row[1]),
                    highlights={"name": row[2], "description": row[3]} if headlines else {},
                )
                for row in page
            ]
            facet_sql = " UNION ALL ".join(
                f"SELECT '{facet}', value, count(*) FROM (SELECT {expr} AS value FROM matched) f GROUP BY value"
                for facet, expr in spec.facets.items()
            )
            counts = await session.execute(
                text(
                    f"WITH matched AS (SELECT {spec.facet_columns} FROM {spec.table} WHERE {where})"
                    f" SELECT 'total', NULL, count(*) FROM matched UNION ALL {facet_sql}"
                ),
                params,
            )
            total = 0
            facets: dict[str, list[FacetCount]] = {facet: [] for facet in FACETS[index]}
            for facet, value, number in counts:
                if facet == "total":
                    total = int(number)
                else:
                    facets[facet].append(FacetCount(value=value, count=int(number)))
        for values in facets.values():
            values.sort(key=lambda f: (-f.count, f.value))
        return SearchResult(hits=hits, total=total, facets=facets)


def _filters(index: IndexName, query: SearchQuery) -> tuple[list[str], dict[str, Any]]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if index is IndexName.manufacturers:
        f = query.manufacturer_filter
        if f.processes:
            conditions.append("processes && CAST(:processes AS varchar(64)[])")
            params["processes"] = list(f.processes)
        if f.materials:
            conditions.append("materials && CAST(:materials AS varchar(64)[])")
            params["materials"] = list(f.materials)
        if f.certifications:
            conditions.append("certifications @> CAST(:certifications AS varchar(64)[])")
            params["certifications"] = list(f.certifications)
        if f.regions:
            conditions.append("region = ANY(CAST(:regions AS varchar[]))")
            params["regions"] = list(f.regions)
        if f.verified_only:
            conditions.append("verified")
        if f.min_free_hours is not None:
            params["min_free_hours"] = f.min_free_hours
            if f.processes:
                conditions.append(
                    "EXISTS (SELECT 1 FROM unnest(CAST(:processes AS text[])) p"
                    " WHERE COALESCE((free_hours_4w ->> p)::int, 0) >= :min_free_hours)"
                )
            else:
                conditions.append("max_free_hours_4w >= :min_free_hours")
        return conditions, params
    o = query.order_filter
    if not query.viewer.operator:
        conditions.append("(public OR audience && CAST(:audience AS varchar(64)[]))")
        params["audience"] = sorted(query.viewer.organisation_ids)
    if o.processes:
        conditions.append("process = ANY(CAST(:processes AS varchar[]))")
        params["processes"] = list(o.processes)
    if o.materials:
        conditions.append("material = ANY(CAST(:materials AS text[]))")
        params["materials"] = list(o.materials)
    if o.certifications:
        conditions.append("certifications && CAST(:certifications AS varchar(64)[])")
        params["certifications"] = list(o.certifications)
    if o.regions:
        conditions.append("region = ANY(CAST(:regions AS varchar[]))")
        params["regions"] = list(o.regions)
    return conditions, params
