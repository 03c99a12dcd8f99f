"""The Meilisearch backend (meilisearch-python-sdk AsyncClient), on when EXCHANGE_MEILI_URL is set.

Indexes `<prefix>_manufacturers` and `<prefix>_orders`, primary key `id`. Documents are stored as built by
search/documents.py plus a few `f_` fields made for filtering (lower-cased materials, the largest free
hours, who may see an order); those are removed again when documents are read back. Every write waits
for its task: `apply` returns only once Meilisearch reports the task succeeded, so the outbox relay marks
rows done only then. `rebuild` fills `<uid>_rebuild` and swaps it in.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import structlog
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError, MeilisearchError
from meilisearch_python_sdk.models.settings import (
    Faceting,
    MeilisearchSettings,
    MinWordSizeForTypos,
    Pagination,
    TypoTolerance,
)
from meilisearch_python_sdk.models.task import TaskInfo

from domain.ports.search import (
    FACETS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    MAX_OFFSET,
    Document,
    FacetCount,
    Hit,
    IndexName,
    SearchQuery,
    SearchRefused,
    SearchResult,
    SearchUnavailable,
)

log = structlog.get_logger(__name__)

# Meilisearch counts matches up to this many (its maxTotalHits); deeper pages than MAX_OFFSET are refused anyway.
MAX_TOTAL_HITS = MAX_OFFSET + 100
_TYPOS = TypoTolerance(enabled=True, min_word_size_for_typos=MinWordSizeForTypos(one_typo=5, two_typos=9))
# Meilisearch returns at most maxValuesPerFacet values per facet, the first in sortFacetValuesBy order —
# alphabetical unless told otherwise: ask for the most frequent ones.
_FACETING = Faceting(max_values_per_facet=200, sort_facet_values_by={"*": "count"})

SETTINGS: dict[IndexName, MeilisearchSettings] = {
    IndexName.manufacturers: MeilisearchSettings(
        # In order of weight, as in the postgres backend.
        searchable_attributes=["name", "processes", "certifications", "materials", "description"],
        filterable_attributes=[
            "processes",
            "f_materials",
            "certifications",
            "region",
            "verified",
            "f_max_free_hours_4w",
            "free_hours_4w",
        ],
        sortable_attributes=["name", "verified"],
        typo_tolerance=_TYPOS,
        faceting=_FACETING,
        pagination=Pagination(max_total_hits=MAX_TOTAL_HITS),
    ),
    IndexName.orders: MeilisearchSettings(
        searchable_attributes=["title", "process", "required_certifications", "material", "description"],
        filterable_attributes=[
            "id",
            "process",
            "f_material",
            "required_certifications",
            "region",
            "public",
            "f_audience",
        ],
        sortable_attributes=["bidding_deadline"],
        typo_tolerance=_TYPOS,
        faceting=_FACETING,
        pagination=Pagination(max_total_hits=MAX_TOTAL_HITS),
    ),
}

# facet name -> attribute; the highlighted "name" field -> attribute
_FACET_ATTRIBUTES = {
    IndexName.manufacturers: {"processes": "processes", "regions": "region", "certifications": "certifications"},
    IndexName.orders: {"processes": "process", "regions": "region", "certifications": "required_certifications"},
}
_NAME = {IndexName.manufacturers: "name", IndexName.orders: "title"}
_BROWSE_SORT = {IndexName.manufacturers: ["verified:desc", "name:asc"], IndexName.orders: ["bidding_deadline:asc"]}


def _prepared(index: IndexName, document: Document) -> Document:
    out = dict(document)
    if index is IndexName.manufacturers:
        out["f_materials"] = [m.lower() for m in document["materials"]]
        out["f_max_free_hours_4w"] = max(document["free_hours_4w"].values(), default=0)
    else:
        out["f_material"] = document["material"].lower()
        out["f_audience"] = [document["buyer_organisation_id"], *document["invited"]]
    return out


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _in(attribute: str, values: Sequence[str]) -> str:
    return f"{attribute} IN [{', '.join(_quoted(v) for v in values)}]"


def filter_expression(index: IndexName, query: SearchQuery) -> str | None:
    """The filter in Meilisearch's syntax (the test fake implements the same subset)."""
    parts: list[str] = []
    if index is IndexName.manufacturers:
        f = query.manufacturer_filter
        if f.processes:
            parts.append(_in("processes", f.processes))
        if f.materials:
            parts.append(_in("f_materials", f.materials))
        parts += [f"certifications = {_quoted(c)}" for c in f.certifications]
        if f.regions:
            parts.append(_in("region", f.regions))
        if f.verified_only:
            parts.append("verified = true")
        if f.min_free_hours is not None:
            if f.processes:
                either = " OR ".join(f"free_hours_4w.{p} >= {f.min_free_hours}" for p in f.processes)
                parts.append(f"({either})")
            else:
                parts.append(f"f_max_free_hours_4w >= {f.min_free_hours}")
    else:
        o = query.order_filter
        if not query.viewer.operator:
            audience = sorted(query.viewer.organisation_ids)
            parts.append(f"(public = true OR {_in('f_audience', audience)})" if audience else "public = true")
        if o.processes:
            parts.append(_in("process", o.processes))
        if o.materials:
            parts.append(_in("f_material", o.materials))
        if o.certifications:
            parts.append(_in("required_certifications", o.certifications))
        if o.regions:
            parts.append(_in("region", o.regions))
        if o.ids:
            parts.append(_in("id", o.ids))
    return " AND ".join(parts) or None


class MeilisearchIndex:
    def __init__(self, url: str, key: str | None, *, prefix: str = "exchange", timeout: float = 10.0) -> None:
        self._client = AsyncClient(url, key, timeout=max(1, int(timeout)))
        self._prefix = prefix
        self._timeout_ms = int(timeout * 1000)
        self._ready: set[str] = set()

    def uid(self, index: IndexName) -> str:
        return f"{self._prefix}_{index.value}"

    async def close(self) -> None:
        await self._client.aclose()

    async def _wait(self, task: TaskInfo, *, harmless: frozenset[str] = frozenset()) -> None:
        """Wait (up to the timeout) for Meilisearch to process `task`, which it does in its queue, in order;
        a task that failed (`harmless` error codes aside) changed nothing and raises."""
        try:
            result = await self._client.wait_for_task(task.task_uid, timeout_in_ms=self._timeout_ms)
        except Exception as error:
            raise SearchUnavailable(f"meilisearch task {task.task_uid}: {error!r}") from error
        if result.status != "succeeded" and (result.error or {}).get("code") not in harmless:
            # Meilisearch answered and refused (a document it will not take): not a matter of waiting.
            raise SearchRefused(f"meilisearch task {task.task_uid} {result.status}: {result.error}")

    async def _drop(self, uid: str) -> None:
        """Delete index `uid` and wait until it is gone (one that does not exist is gone already); raises
        if Meilisearch could not delete it, within our timeout (the SDK's delete_index_if_exists waits
        100 s and returns False on any failure)."""
        try:
            task = await self._client.index(uid).delete()
        except MeilisearchApiError as error:
            if error.status_code == 404:
                return
            raise SearchUnavailable(repr(error)) from error
        await self._wait(task, harmless=frozenset({"index_not_found"}))

    async def _ensure(self, index: IndexName, uid: str | None = None) -> None:
        """Create the index with its settings if it does not exist yet (once per process)."""
        uid = uid or self.uid(index)
        if uid in self._ready:
            return
        try:
            await self._client.get_index(uid)
        except MeilisearchApiError as error:
            if error.status_code != 404:
                raise
            await self._client.create_index(uid, "id", timeout_in_ms=self._timeout_ms)
        await self._wait(await self._client.index(uid).update_settings(SETTINGS[index]))
        self._ready.add(uid)

    async def apply(self, index: IndexName, upserts: Sequence[Document], deletes: Sequence[str]) -> None:
        try:
            await self._ensure(index)
            target = self._client.index(self.uid(index))
            if upserts:
                await self._wait(await target.add_documents([_prepared(index, d) for d in upserts], primary_key="id"))
            if deletes:
                await self._wait(await target.delete_documents(list(deletes)))
        except (SearchUnavailable, SearchRefused):
            raise
        except Exception as error:
            raise SearchUnavailable(repr(error)) from error

    async def rebuild(self, index: IndexName, batches: AsyncIterator[Sequence[Document]]) -> int:
        await self._ensure(index)
        fresh = f"{self.uid(index)}_rebuild"
        # A spare left by an interrupted rebuild holds stale documents: it must be gone before we fill it.
        self._ready.discard(fresh)
        await self._drop(fresh)
        await self._ensure(index, fresh)
        stored = 0
        async for batch in batches:
            if batch:
                task = await self._client.index(fresh).add_documents([_prepared(index, d) for d in batch], "id")
                await self._wait(task)
                stored += len(batch)
        await self._wait(await self._client.swap_indexes([(self.uid(index), fresh)]))
        self._ready.discard(fresh)
        try:
            await self._drop(fresh)  # now holds the old documents
        except (SearchUnavailable, SearchRefused) as error:
            # The new index is live: the rebuild succeeded; the next one deletes the spare first.
            log.warning("meilisearch.spare_index_left", index=fresh, error=repr(error))
        return stored

    async def documents(self, index: IndexName) -> dict[str, Document]:
        await self._ensure(index)
        target = self._client.index(self.uid(index))
        out: dict[str, Document] = {}
        offset = 0
        while True:
            page = await target.get_documents(offset=offset, limit=1000)
            for doc in page.results:
                out[str(doc["id"])] = {k: v for k, v in doc.items() if not k.startswith("f_")}
            offset += len(page.results)
            if not page.results or offset >= page.total:
                return out

    async def search(self, index: IndexName, query: SearchQuery) -> SearchResult:
        try:
            return await self._search(index, query)
        except MeilisearchApiError as error:
            if error.status_code < 500:  # our request is wrong: a bug to see, not an outage
                raise
            raise SearchUnavailable(repr(error)) from error
        except MeilisearchError as error:  # no answer: connection refused, timed out
            raise SearchUnavailable(repr(error)) from error
        except Exception as error:
            # A 5xx that is not Meilisearch's JSON (a proxy's 502 page): the SDK lets the HTTP error through.
            if getattr(getattr(error, "response", None), "status_code", 0) >= 500:
                raise SearchUnavailable(repr(error)) from error
            raise

    async def _search(self, index: IndexName, query: SearchQuery) -> SearchResult:
        await self._ensure(index)
        facet_attributes = _FACET_ATTRIBUTES[index]
        name = _NAME[index]
        response = await self._client.index(self.uid(index)).search(
            query.text or None,
            offset=query.offset,
            limit=query.first,
            filter=filter_expression(index, query),
            facets=list(facet_attributes.values()),
            sort=None if query.text else _BROWSE_SORT[index],
            attributes_to_highlight=[name, "description"] if query.text else None,
            highlight_pre_tag=HIGHLIGHT_START,
            highlight_post_tag=HIGHLIGHT_END,
            matching_strategy="all",
            show_ranking_score=True,
        )
        hits = []
        for hit in response.hits:
            formatted: dict[str, Any] = hit.get("_formatted") or {}
            highlights = {}
            if query.text:
                highlights = {"name": formatted.get(name, ""), "description": formatted.get("description", "")}
                highlights = {k: v for k, v in highlights.items() if HIGHLIGHT_START in v or k == "name"}
            hits.append(Hit(id=str(hit["id"]), score=float(hit.get("_rankingScore", 0.0)), highlights=highlights))
        distribution = response.facet_distribution or {}
        facets = {
            facet: sorted(
                (FacetCount(value=value, count=count) for value, count in distribution.get(attribute, {}).items()),
                key=lambda f: (-f.count, f.value),
            )
            for facet, attribute in facet_attributes.items()
        }
        assert set(facets) == set(FACETS[index])
        total = int(response.estimated_total_hits or 0)
        # Meilisearch stops counting at maxTotalHits: a total there is a floor, not the count.
        return SearchResult(hits=hits, total=total, facets=facets, total_is_estimate=total >= MAX_TOTAL_HITS)
