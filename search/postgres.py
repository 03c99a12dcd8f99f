"""The default search backend: PostgreSQL full-text search in the application's own database.

One table per index (search/tables.py). A weighted tsvector with the 'simple' configuration (no stemming,
so Russian and English are treated alike): name/title A, processes and certifications B, materials C,
description D. Typos: a query word the indexes do not hold is also matched as the nearest words they do
hold (search_lexeme, pg_trgm similarity), prefixes match while typing. Filters are SQL. A search is three
statements whatever the page size (PostgresSearchIndex.search).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.ports.search import (
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
    extra_columns: str  # what browse_order needs
    browse_order: str  # the order of an empty-text search (browse)


_MANUFACTURERS = _Spec(
    table="search_manufacturer",
    name="name",
    upsert_columns=(
        "id",
        "name",
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
    extra_columns="verified",
    # As Meilisearch sorts strings: as if lower case (ix_search_manufacturer_browse); by character under the
    # C.UTF-8 collation the embedded database uses, as Meilisearch does.
    browse_order="verified DESC, lower(name), id",
)

_ORDERS = _Spec(
    table="search_order",
    name="title",
    upsert_columns=(
        "id",
        "title",
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
    extra_columns="bidding_deadline",
    browse_order="bidding_deadline, id",
)

SPECS = {IndexName.manufacturers: _MANUFACTURERS, IndexName.orders: _ORDERS}

_CASTS = {
    "id": "uuid",
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
    if index is IndexName.manufacturers:
        free = document["free_hours_4w"]
        return _weighted(
            document["name"],
            " ".join(document["processes"] + document["certifications"]),
            " ".join(document["materials"]),
            document["description"],
        ) | {
            "id": document["id"],
            "name": document["name"],
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
        "title": document["title"],
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
    vocabulary values made words (cnc_milling -> cnc milling)."""
    a, b, c, d = (value.replace("_", " ").lower() for value in (a, b, c, d))
    return {"w_a": a, "w_b": b, "w_c": c, "w_d": d}


# Words shorter than this are matched exactly or as a prefix; longer ones may also be corrected (typos),
# as Meilisearch does by default.
MIN_WORD_FOR_TYPOS = 5
MIN_SIMILARITY = 0.45
MIN_PREFIX = 3
CORRECTIONS_PER_WORD = 3


_TSV = (
    "setweight(to_tsvector('simple', :w_a), 'A') || setweight(to_tsvector('simple', :w_b), 'B')"
    " || setweight(to_tsvector('simple', :w_c), 'C') || setweight(to_tsvector('simple', :w_d), 'D')"
)
# The name (title) alone: broad searches rank the documents whose name matches first.
_TSV_NAME = "to_tsvector('simple', :w_a)"

# Broad searches. Every search first counts its matches in a fixed sample of the index's pages (TABLESAMPLE
# SYSTEM, the same pages every time); when that estimates BROAD_SEARCH matches or more, exact counting and
# ranking would visit thousands of rows, so the total and the facet counts are reported as the sample's
# estimate, and the page is made of the name matches (by relevance), then the other matches in the index's
# browse order (a walk along an index that stops when the page is full). Narrower searches are exact.
BROAD_SEARCH = 2000
SAMPLE_PERCENT = 2.0
# A prefix that begins more lexemes than this is matched as a prefix (a partial match in the GIN index). Measured
# quiet at 10x (bench.search_bench, 2026-12-06): `galvanised` (a few lexemes) backend p95 18-20 ms as a prefix,
# 10.4-11.3 ms as its lexemes; `Урал` (15 lexemes: уралдеталь, уралзавод, …) 14.7-15.6 ms as a prefix, 21.5-22.4 ms
# as its lexemes (one GIN entry lookup each, then their union). With 8 every shape is at its faster way.
PREFIX_LEXEMES = 8
# The backfill (exchange/backfill.py) after which search_term holds every lexeme of the rows indexed before it.
TERMS_BACKFILL = "search-terms"


def rebuilt_marker(index: IndexName) -> str:
    """The backfill_progress row a rebuild of `index` writes, finished: every row of it was then written with its
    lexemes, so its vocabulary is complete without the backfill (a fresh seed + `exchange search reindex`)."""
    return f"{TERMS_BACKFILL}:{index.value}"


class PostgresSearchIndex:
    def __init__(
        self,
        session_factory: SessionFactory,
        clock: Clock,
        *,
        broad_search: int = BROAD_SEARCH,
        sample_percent: float = SAMPLE_PERCENT,
        filter_terms: bool = True,
    ) -> None:
        """filter_terms=False: exact manufacturer searches filter with one condition per filter and match the last
        word as a prefix, as before the terms index (tests compare both ways)."""
        self._session_factory = session_factory
        self._clock = clock
        self._broad_search = broad_search
        self._sample_percent = sample_percent
        self._filter_terms = filter_terms

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
            await session.execute(
                text("DELETE FROM search_document WHERE index_name = :index AND id = ANY(CAST(:ids AS uuid[]))"),
                {"index": index.value, "ids": list(deletes)},
            )
        if not upserts:
            return
        await session.execute(
            text(
                "INSERT INTO search_document (index_name, id, document)"
                " VALUES (:index, CAST(:id AS uuid), CAST(:document AS jsonb))"
                " ON CONFLICT (index_name, id) DO UPDATE SET document = excluded.document"
            ),
            [{"index": index.value, "id": d["id"], "document": orjson.dumps(d).decode()} for d in upserts],
        )
        rows = [_row(index, d) for d in upserts]
        columns = spec.upsert_columns
        values = ", ".join(f"CAST(:{c} AS {_CASTS[c]})" if c in _CASTS else f":{c}" for c in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
        await session.execute(
            text(
                f"INSERT INTO {spec.table} ({', '.join(columns)}, tsv, tsv_name, indexed_at)"
                f" VALUES ({values}, {_TSV}, {_TSV_NAME}, now())"
                f" ON CONFLICT (id) DO UPDATE SET {updates}, tsv = excluded.tsv, tsv_name = excluded.tsv_name,"
                " indexed_at = now()"
            ),
            rows,
        )
        await session.execute(
            text(
                "INSERT INTO search_term (index_name, word)"
                f" SELECT DISTINCT CAST(:index AS varchar), lexeme FROM {spec.table}, unnest(tsv) u"
                " WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY 2 ON CONFLICT DO NOTHING"
            ),
            {"index": index.value, "ids": [d["id"] for d in upserts]},
        )
        vocabulary = sorted(
            {w for row in rows for key in ("w_a", "w_b", "w_c", "w_d") for w in words(row[key], 10_000)}
        )
        await session.execute(
            text(
                "INSERT INTO search_lexeme (word) SELECT w FROM unnest(CAST(:words AS text[])) w"
                " WHERE length(w) BETWEEN :shortest AND 64 ORDER BY w ON CONFLICT DO NOTHING"
            ),
            {"words": vocabulary, "shortest": MIN_WORD_FOR_TYPOS},
        )

    async def rebuild(self, index: IndexName, batches: AsyncIterator[Sequence[Document]]) -> int:
        """In one transaction: searches see the old index until the new one is complete."""
        stored = 0
        async with self._session_factory() as session, session.begin():
            await session.execute(text(f"DELETE FROM {SPECS[index].table}"))
            await session.execute(text("DELETE FROM search_document WHERE index_name = :index"), {"index": index.value})
            async for batch in batches:
                await self._apply(session, index, batch, [])
                stored += len(batch)
            # Every row now came through _apply, with its lexemes: the vocabulary of this index is complete.
            await session.execute(
                text(
                    "INSERT INTO backfill_progress (name, last_key, rows_done, started_at, updated_at, finished_at)"
                    " VALUES (:name, '', :rows, now(), now(), now())"
                    " ON CONFLICT (name) DO UPDATE SET rows_done = excluded.rows_done, updated_at = now(),"
                    " finished_at = now()"
                ),
                {"name": rebuilt_marker(index), "rows": stored},
            )
        return stored

    async def documents(self, index: IndexName) -> dict[str, Document]:
        async with self._session_factory() as session:
            rows = await session.execute(
                text("SELECT id::text, document FROM search_document WHERE index_name = :index"), {"index": index.value}
            )
            return {row[0]: row[1] for row in rows}

    async def count(self, index: IndexName) -> int:
        async with self._session_factory() as session:
            return int(await session.scalar(text(f"SELECT count(*) FROM {SPECS[index].table}")) or 0)

    # Reads --------------------------------------------------------------------------------------

    async def search(self, index: IndexName, query: SearchQuery) -> SearchResult:
        """Three statements whatever the page size: the preamble (the plan mode; text: the typo corrections and
        the lexemes the last word begins), the sample, the search.
        An exact search collects the matches once, and the total, the page (with ts_headline for that page
        only) and the facet counts are all computed from them; a broad one (see BROAD_SEARCH) reads the page
        only, along indexes, and reports the sample's estimates."""
        spec = SPECS[index]
        conditions, params = _filters(index, query)
        filters = list(conditions)
        terms = words(query.text)
        empty = SearchResult(hits=[], total=0, facets={facet: [] for facet in FACETS[index]})
        if query.text and not terms:
            return empty  # nothing searchable in the text (only punctuation or symbols)
        async with self._session_factory() as session:
            # One statement: the plan mode, the typo corrections, the lexemes the last word begins.
            alternatives, lexemes = await self._preamble(session, index, terms)
            score = "0::real"
            headlines = "NULL, NULL"
            tsq = ""
            if terms:
                # Every word must match: as typed, corrected (typos), or — the last one, while typing — as a prefix.
                params["tsq"] = " & ".join(
                    "(" + " | ".join([_as_typed(w, last=n == len(terms) - 1), *alternatives.get(w, [])]) + ")"
                    for n, w in enumerate(terms)
                )
                tsq = "to_tsquery('simple', :tsq)"
                conditions.append(f"tsv @@ {tsq}")
                score = f"ts_rank(tsv, {tsq})"
                options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}"
                headlines = (
                    f"ts_headline('simple', {spec.name}, {tsq}, '{options}, HighlightAll=true'),"
                    f" ts_headline('simple', document ->> 'description', {tsq}, '{options}, MaxWords=35, MinWords=15')"
                )
            where = " AND ".join(conditions) or "true"
            params.update(limit=query.first, offset=query.offset, index_name=index.value)
            facet_sql = " UNION ALL ".join(
                f"SELECT '{facet}' AS facet, value, count(*) AS n FROM (SELECT {expr} AS value FROM matched) v"
                " GROUP BY value"
                for facet, expr in spec.facets.items()
            )
            facet_json = f"(SELECT json_agg(json_build_array(facet, value, n)) FROM ({facet_sql}) f)"
            page_json = f"(SELECT json_agg(json_build_array(id::text, score, {headlines}) ORDER BY position) FROM page)"
            with_document = (
                "page AS (SELECT p.*, d.document FROM ranked p"
                " LEFT JOIN search_document d ON d.index_name = :index_name AND d.id = p.id)"
            )
            estimate = await self._estimate(session, index, where, params, facet_json)
            if estimate is not None:
                broad = await self._broad_page(session, spec, where, params, tsq, with_document, page_json)
                return replace(estimate, hits=_hits(broad, terms))
            exact_where = where
            if index is IndexName.manufacturers and self._filter_terms:
                match = tsq
                if terms:
                    found = _match(terms, alternatives, lexemes, params)
                    if found is None:
                        return empty  # the last word begins no word the index holds, nor is it corrected to one
                    match = found
                exact_where = _terms_where(query, match, params)
            elif terms:  # orders: the filters as conditions, the words with the last one's lexemes
                found = _match(terms, alternatives, lexemes, params)
                if found is None:
                    return empty
                exact_where = " AND ".join([*filters, f"tsv @@ ({found})"])
            order = "score DESC, id" if terms else spec.browse_order
            row = (
                await session.execute(
                    text(
                        f"WITH matched AS MATERIALIZED (SELECT id, {spec.name}, {spec.extra_columns},"
                        f" {spec.facet_columns}, {score} AS score FROM {spec.table} WHERE {exact_where}),"
                        f" ranked AS (SELECT *, row_number() OVER (ORDER BY {order}) AS position FROM"
                        f"  (SELECT * FROM matched ORDER BY {order} LIMIT :limit OFFSET :offset) q),"
                        f" {with_document}"
                        f" SELECT (SELECT count(*) FROM matched), {page_json}, {facet_json}"
                    ),
                    params,
                )
            ).one()
        total, page, counts = int(row[0]), row[1] or [], row[2] or []
        result = SearchResult(hits=_hits(page, terms), total=total, facets=_facets(index, counts, 1.0))
        return result if total else empty

    async def _estimate(
        self, session: AsyncSession, index: IndexName, where: str, params: dict[str, Any], facet_json: str
    ) -> SearchResult | None:
        """The matches in a fixed sample of the index's pages, scaled up: None when that estimates fewer than
        the broad-search threshold (the search is then exact), otherwise the estimated total and facets."""
        if self._sample_percent <= 0:
            return None
        spec = SPECS[index]
        row = (
            await session.execute(
                text(
                    f"WITH matched AS MATERIALIZED (SELECT {spec.facet_columns} FROM {spec.table}"
                    f" TABLESAMPLE SYSTEM ({float(self._sample_percent)}) REPEATABLE (0) WHERE {where})"
                    f" SELECT (SELECT count(*) FROM matched), {facet_json}"
                ),
                params,
            )
        ).one()
        scale = 100.0 / self._sample_percent
        total = round(int(row[0]) * scale)
        if total < self._broad_search:
            return None
        return SearchResult(hits=[], total=total, facets=_facets(index, row[1] or [], scale), total_is_estimate=True)

    async def _broad_page(
        self,
        session: AsyncSession,
        spec: _Spec,
        where: str,
        params: dict[str, Any],
        tsq: str,
        with_document: str,
        page_json: str,
    ) -> list[Any]:
        """The page of a broad search: name matches first (by relevance), then the others in browse order;
        each part stops at offset + limit rows, walking an index in its order."""
        params = params | {"enough": params["limit"] + params["offset"]}
        enough = "LIMIT :enough"
        if tsq:
            parts = (
                f"(SELECT id, {spec.name}, ts_rank(tsv, {tsq}) AS score, 1 AS tier,"
                f"  row_number() OVER (ORDER BY ts_rank(tsv, {tsq}) DESC, id) AS n FROM"
                f"  (SELECT * FROM {spec.table} WHERE tsv_name @@ {tsq} AND {where}"
                f"   ORDER BY ts_rank(tsv, {tsq}) DESC, id {enough}) named)"
                " UNION ALL"
                f" (SELECT id, {spec.name}, ts_rank(tsv, {tsq}), 2, row_number() OVER (ORDER BY {spec.browse_order})"
                " FROM"
                f"  (SELECT * FROM {spec.table} WHERE NOT tsv_name @@ {tsq} AND {where}"
                f"   ORDER BY {spec.browse_order} {enough}) other)"
            )
        else:
            parts = (
                f"SELECT id, {spec.name}, 0::real AS score, 2 AS tier,"
                f" row_number() OVER (ORDER BY {spec.browse_order}) AS n"
                f" FROM (SELECT * FROM {spec.table} WHERE {where} ORDER BY {spec.browse_order} {enough}) other"
            )
        row = (
            await session.execute(
                text(
                    f"WITH ranked AS (SELECT id, {spec.name}, score, row_number() OVER (ORDER BY tier, n) AS position"
                    f"  FROM ({parts}) parts ORDER BY tier, n LIMIT :limit OFFSET :offset),"
                    f" {with_document} SELECT {page_json}"
                ),
                params,
            )
        ).one()
        return list(row[0] or [])

    async def _preamble(
        self, session: AsyncSession, index: IndexName, terms: list[str]
    ) -> tuple[dict[str, list[str]], list[str] | None]:
        """The search's first statement, one round trip for what the others are built from:
        - the plan mode of the transaction's later statements: each planned for its own values (after five runs of a
          prepared statement PostgreSQL may switch to a generic plan, which cannot know that a LIMIT is small or a
          word common, and picks a sort of every match over the walk along the browse index: 2 ms -> 60-160 ms);
        - for each word long enough to have typos, the nearest words the indexes hold (pg_trgm);
        - for the last word of an exact search (a prefix), the lexemes it begins (_match), or None to match
          it as a prefix: the vocabulary is not known to be complete (neither the backfill search-terms has finished
          nor the index been rebuilt since search_0004), the word is not one lexeme to the text search parser, or it
          begins more than PREFIX_LEXEMES.
        Returns (corrections by word, the last word's lexemes or None)."""
        columns = ["set_config('plan_cache_mode', 'force_custom_plan', true)"]
        params: dict[str, Any] = {}
        long_words = sorted({w for w in terms if len(w) >= MIN_WORD_FOR_TYPOS})
        if long_words:
            columns.append(
                "ARRAY(SELECT ARRAY[q.word, l.word] FROM unnest(CAST(:words AS text[])) AS q(word) CROSS JOIN LATERAL"
                " (SELECT word FROM search_lexeme WHERE word % q.word AND word <> q.word"
                "  AND similarity(word, q.word) >= :similarity ORDER BY word <-> q.word LIMIT :n) l)"
            )
            params.update(words=long_words, similarity=MIN_SIMILARITY, n=CORRECTIONS_PER_WORD)
        prefix = terms[-1] if terms else ""
        expand = (index is IndexName.orders or self._filter_terms) and len(prefix) >= MIN_PREFIX
        if expand:
            columns.append(
                "EXISTS (SELECT 1 FROM backfill_progress WHERE name IN (:backfill, :rebuilt)"
                "  AND finished_at IS NOT NULL) AND CAST(to_tsquery('simple', :prefix) AS text) = :quoted"
            )
            columns.append(
                "ARRAY(SELECT word FROM search_term WHERE index_name = :index AND word >= :prefix"
                " AND word < :upper AND starts_with(word, :prefix) ORDER BY word LIMIT :limit)"
            )
            params.update(
                backfill=TERMS_BACKFILL,
                rebuilt=rebuilt_marker(index),
                prefix=prefix,
                quoted=_quoted(prefix),
                index=index.value,
                upper=prefix[:-1] + chr(ord(prefix[-1]) + 1),
                limit=PREFIX_LEXEMES + 1,
            )
        row = (await session.execute(text("SELECT " + ", ".join(columns)), params)).one()
        alternatives: dict[str, list[str]] = {}
        for word, correction in row[1] if long_words else []:
            # Only word characters reach the tsquery text (corrections come from words(), but be sure).
            if words(correction) == [correction]:
                alternatives.setdefault(word, []).append(correction)
        lexemes = None
        if expand:
            complete, found = row[-2], list(row[-1])
            lexemes = found if complete and len(found) <= PREFIX_LEXEMES else None
        return alternatives, lexemes

    async def _prefix_lexemes(self, session: AsyncSession, index: IndexName, prefix: str) -> list[str] | None:
        """The lexemes of `index` that `prefix` begins, or None to match it as a prefix (see _preamble)."""
        return (await self._preamble(session, index, [prefix]))[1]


def _match(
    terms: list[str], alternatives: dict[str, list[str]], lexemes: list[str] | None, params: dict[str, Any]
) -> str | None:
    """The tsquery an exact search matches with: the ranking's (:tsq), except that the last word, a prefix, is the
    exact lexemes it begins (search_term), so that GIN reads their entries instead of collecting a partial match
    into a bitmap first. The same rows: a prefix matches a document exactly when one of its lexemes begins with it.
    None when nothing can match (the prefix begins no lexeme and has no correction)."""
    last = terms[-1]
    if lexemes is None:
        return "to_tsquery('simple', :tsq)"
    groups = ["(" + " | ".join([w, *alternatives.get(w, [])]) + ")" for w in terms[:-1]]
    parts = []
    if groups:
        params["tsq_rest"] = " & ".join(groups)
        parts.append("to_tsquery('simple', :tsq_rest)")
    last_parts = []
    if lexemes:
        params["tsq_prefix"] = " | ".join(_quoted(w) for w in lexemes)
        last_parts.append("CAST(:tsq_prefix AS tsquery)")
    if alternatives.get(last):
        params["tsq_last"] = " | ".join(alternatives[last])
        last_parts.append("to_tsquery('simple', :tsq_last)")
    if not last_parts:
        return None
    parts.append("(" + " || ".join(last_parts) + ")")
    return " && ".join(parts)


def _quoted(lexeme: str) -> str:
    """A lexeme as tsquery input (quoted, quotes and backslashes escaped): taken as it is, not parsed again."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _as_typed(word: str, *, last: bool) -> str:
    """The last word of the query is also a prefix (as in Meilisearch), from MIN_PREFIX characters: a shorter
    prefix ("4", "45") would match a good part of the vocabulary and cost a scan of it."""
    return f"{word}:*" if last and len(word) >= MIN_PREFIX else word


def _hits(page: list[Any], terms: list[str]) -> list[Hit]:
    return [
        Hit(id=h[0], score=float(h[1]), highlights={"name": h[2], "description": h[3]} if terms else {}) for h in page
    ]


def _facets(index: IndexName, counts: list[Any], scale: float) -> dict[str, list[FacetCount]]:
    facets: dict[str, list[FacetCount]] = {facet: [] for facet in FACETS[index]}
    for facet, value, number in counts:
        facets[facet].append(FacetCount(value=value, count=round(int(number) * scale)))
    for values in facets.values():
        values.sort(key=lambda f: (-f.count, f.value))
    return facets


# The manufacturer's words and filter values as one tsvector (migration search_0004, ix_search_manufacturer_terms):
# a filter value is the lexeme '~<facet>:<value>', which no query word can be (words are \w+).
TERMS = "search_manufacturer_terms(tsv, region, processes, certifications, materials, verified)"


def _lexeme(facet: str, value: str) -> str:
    """A filter value as a quoted tsquery lexeme (quotes and backslashes escaped as tsquery input wants)."""
    return _quoted(f"~{facet}:{value}")


def _terms_where(query: SearchQuery, tsq: str, params: dict[str, Any]) -> str:
    """The exact manufacturer search's conditions with the words and every filter expressible as lexemes in one
    tsquery over TERMS (one GIN index scan intersects them all); the same rows as _filters' conditions with the
    words. Free hours stay a condition of their own (checked on the index's rows)."""
    f = query.manufacturer_filter
    groups = []
    for facet, values in (("p", f.processes), ("m", f.materials), ("r", f.regions)):
        if values:
            groups.append("(" + " | ".join(_lexeme(facet, v) for v in values) + ")")
    groups += [_lexeme("c", v) for v in f.certifications]  # all of them
    if f.verified_only:
        groups.append("'~v'")
    parts = [tsq] if tsq else []
    if groups:
        params["filter_terms"] = " & ".join(groups)
        parts.append("CAST(:filter_terms AS tsquery)")
    conditions = [f"{TERMS} @@ ({' && '.join(parts)})"] if parts else []
    if f.min_free_hours is not None:
        conditions += [c for c in _filters(IndexName.manufacturers, query)[0] if "min_free_hours" in c]
    return " AND ".join(conditions) or "true"


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
    if o.ids:
        conditions.append("id = ANY(CAST(:ids AS uuid[]))")
        params["ids"] = list(o.ids)
    return conditions, params
