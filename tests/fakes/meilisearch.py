"""An in-process double of the Meilisearch HTTP API: the endpoints and the filter syntax search/meilisearch.py
uses, served by uvicorn on 127.0.0.1 in a thread (a real HTTP server for the real SDK).

No Meilisearch server can be installed where the tests run, so this double is the adapter's only witness.
It follows Meilisearch's documented behaviour wherever the adapter depends on it; each rule below names the
page of the Meilisearch documentation it comes from (meilisearch.com/docs/...), and
tests/search/test_meilisearch_double.py pins each one:

- Tasks (learn/async/asynchronous_operations): every write is a task, answered `202 enqueued` at once and
  processed later by one worker, one at a time, in the order received (`enqueued` → `processing` →
  `succeeded` | `failed`); "failed: no changes were made to the database"; a stopped server (`down`)
  processes nothing until it is back. `task_delay` keeps each task in `processing` that long, and `fail`
  chooses tasks that fail, so the adapter is tested against a slow and a failing queue.
- Typo tolerance (learn/relevancy/typo_tolerance_settings, learn/relevancy/typo_tolerance_calculations,
  resources/comparisons/typo_tolerance_vs_fuzzy_search): one typo from `minWordSizeForTypos.oneTypo` (5)
  characters, two from `twoTypos` (9); a typo on the first letter counts as two ("caturday" does not find
  "saturday"); the distance is Damerau-Levenshtein (a transposition of adjacent letters is one typo); the
  last query word is a prefix, typos included ("prefix Levenshtein algorithm").
- Facets (reference/api/settings#faceting, capabilities/filtering_sorting_faceting/advanced/
  optimize_facet_performance): `facetDistribution` counts every matching document (not only the first
  `maxTotalHits`); at most `maxValuesPerFacet` values (default 100) per facet, chosen and ordered by
  `sortFacetValuesBy` (default `alpha`: ascending; `count`: most documents first).
- Sorting (learn/filtering_and_sorting/sort_search_results, learn/engine/datatypes): strings in
  lexicographic order of their characters, upper case sorted as lower case; booleans are the strings
  "true" and "false"; numbers before strings whatever the direction; documents without the attribute
  last; with a query, `sort` comes after the words, typo and attribute ranking rules (default
  rankingRules), without one it decides the order.

Besides: documents are added-or-replaced by primary key, deletes by id, swaps exchange two indexes,
search supports `q` (every word must match), `filter` (=, !=, >, >=, <, <=, IN [...], AND, OR, NOT,
parentheses, nested attributes with dots), `facets`, `sort`, `offset`/`limit`, highlighting into
`_formatted`, `_rankingScore`. `down` makes every request fail with 503, as a stopped server would.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class FakeIndex:
    uid: str
    primary_key: str | None
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # insertion order = internal doc ids
    settings: dict[str, Any] = field(default_factory=dict)
    created_at: str = field(default_factory=_now)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, type: str = "invalid_request") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.type = status, code, message, type


Action = Callable[[], object]  # what it returns is not read
TaskChooser = Callable[[dict[str, Any]], bool]


@dataclass
class FakeMeilisearch:
    key: str = "fake-master-key"
    indexes: dict[str, FakeIndex] = field(default_factory=dict)
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    down: bool = False
    url: str = ""
    # Seconds each task stays `processing` (a real server takes its time; the adapter must wait).
    task_delay: float = 0.0
    # Tasks for which this returns True fail (with an `internal` error, changing nothing).
    fail: TaskChooser | None = None
    # While True the queue holds every task `enqueued` (to look at a queue that has not moved yet).
    paused: bool = False
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _queue: deque[int] = field(default_factory=deque)
    _actions: dict[int, Action] = field(default_factory=dict)
    _wakeup: threading.Condition = field(init=False)
    _stopping: bool = False
    _worker: threading.Thread | None = None

    def __post_init__(self) -> None:
        self._wakeup = threading.Condition(self._lock)

    # Tasks --------------------------------------------------------------------------------------

    def _task(self, kind: str, index_uid: str | None, action: Action) -> JSONResponse:
        """Enqueue `action` (it may raise ApiError: the task fails) and answer with the summarized task."""
        with self._lock:
            uid = len(self.tasks)
            enqueued = _now()
            self.tasks[uid] = {
                "uid": uid,
                "indexUid": index_uid,
                "status": "enqueued",
                "type": kind,
                "canceledBy": None,
                "error": None,
                "details": {},
                "duration": None,
                "enqueuedAt": enqueued,
                "startedAt": None,
                "finishedAt": None,
            }
            self._actions[uid] = action
            self._queue.append(uid)
            self._wakeup.notify_all()
        body = {"taskUid": uid, "indexUid": index_uid, "status": "enqueued", "type": kind, "enqueuedAt": enqueued}
        return JSONResponse(body, status_code=202)

    def start_worker(self) -> None:
        self._stopping = False
        self._worker = threading.Thread(target=self._process, name="fake-meilisearch-tasks", daemon=True)
        self._worker.start()

    def stop_worker(self) -> None:
        with self._lock:
            self._stopping = True
            self._wakeup.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=10)

    def _process(self) -> None:
        """The task queue: one task at a time, oldest first; nothing while the server is down."""
        while True:
            with self._lock:
                while not self._stopping and (not self._queue or self.down or self.paused):
                    self._wakeup.wait(timeout=0.05)
                if self._stopping:
                    return
                uid = self._queue.popleft()
                task = self.tasks[uid]
                task.update(status="processing", startedAt=_now())
                delay = self.task_delay
            if delay:
                time.sleep(delay)
            with self._lock:
                if self.down:  # stopped mid-task: "discards all progress … and resets them to enqueued"
                    task.update(status="enqueued", startedAt=None)
                    self._queue.appendleft(uid)
                    continue
                self._finish(task, self._actions.pop(uid))
                self._wakeup.notify_all()

    def _finish(self, task: dict[str, Any], action: Action) -> None:
        saved = self._snapshot()
        try:
            if self.fail is not None and self.fail(dict(task)):
                raise ApiError(500, "internal", f"task {task['uid']} failed (chosen to fail by the test)", "internal")
            action()
            task.update(status="succeeded", error=None)
        except ApiError as failure:
            self._restore(saved)  # "failed: … No changes were made to the database"
            error = {"message": failure.message, "code": failure.code, "type": failure.type, "link": ""}
            task.update(status="failed", error=error)
        task["finishedAt"] = _now()

    def _snapshot(self) -> dict[str, tuple[FakeIndex, str, str | None, dict[str, Any], dict[str, Any]]]:
        return {
            name: (index, index.uid, index.primary_key, dict(index.documents), dict(index.settings))
            for name, index in self.indexes.items()
        }

    def _restore(self, saved: dict[str, tuple[FakeIndex, str, str | None, dict[str, Any], dict[str, Any]]]) -> None:
        self.indexes.clear()
        for name, (index, uid, primary_key, documents, settings) in saved.items():
            index.uid, index.primary_key, index.documents, index.settings = uid, primary_key, documents, settings
            self.indexes[name] = index

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Block until every enqueued task has finished (for tests that look at the double directly)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or any(t["status"] in ("enqueued", "processing") for t in self.tasks.values()):
                if time.monotonic() > deadline:
                    raise TimeoutError("the fake Meilisearch's task queue did not drain")
                self._wakeup.wait(timeout=0.05)

    def reset(self) -> None:
        """Back to a healthy, empty, fast server (between tests sharing the session's server)."""
        with self._lock:
            self.down, self.paused, self.task_delay, self.fail = False, False, 0.0, None
        self.wait_idle()  # what an earlier test left queued, so that it cannot land in this one's indexes
        with self._lock:
            self.indexes.clear()

    def _index(self, uid: str) -> FakeIndex:
        index = self.indexes.get(uid)
        if index is None:
            raise ApiError(404, "index_not_found", f"Index `{uid}` not found.")
        return index

    # Endpoints ----------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "available"})

    async def create_index(self, request: Request) -> Response:
        body = await request.json()
        uid = body["uid"]

        def create() -> None:
            if uid in self.indexes:
                raise ApiError(409, "index_already_exists", f"Index `{uid}` already exists.")
            self.indexes[uid] = FakeIndex(uid, body.get("primaryKey"))

        return self._task("indexCreation", uid, create)

    async def get_index(self, request: Request) -> Response:
        with self._lock:
            index = self._index(request.path_params["uid"])
        return JSONResponse(
            {"uid": index.uid, "primaryKey": index.primary_key, "createdAt": index.created_at, "updatedAt": _now()}
        )

    async def delete_index(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        return self._task("indexDeletion", uid, lambda: self.indexes.pop(self._index(uid).uid))

    async def update_settings(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        body = await request.json()
        return self._task("settingsUpdate", uid, lambda: self._index_or_create(uid).settings.update(body))

    def _index_or_create(self, uid: str, primary_key: str | None = None) -> FakeIndex:
        if uid not in self.indexes:
            self.indexes[uid] = FakeIndex(uid, primary_key)
        return self.indexes[uid]

    async def add_documents(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        documents = await request.json()
        primary_key = request.query_params.get("primaryKey")

        def add() -> None:
            index = self._index_or_create(uid, primary_key)
            key = index.primary_key or primary_key or "id"
            for document in documents:
                if key not in document:
                    raise ApiError(400, "missing_document_id", f"Document doesn't have a `{key}` attribute")
                index.documents[str(document[key])] = document

        return self._task("documentAdditionOrUpdate", uid, add)

    async def delete_batch(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        ids = await request.json()

        def delete() -> None:
            index = self._index(uid)
            for document_id in ids:
                index.documents.pop(str(document_id), None)

        return self._task("documentDeletion", uid, delete)

    async def get_documents(self, request: Request) -> Response:
        offset = int(request.query_params.get("offset", 0))
        limit = int(request.query_params.get("limit", 20))
        with self._lock:
            documents = list(self._index(request.path_params["uid"]).documents.values())
        return JSONResponse(
            {"results": documents[offset : offset + limit], "offset": offset, "limit": limit, "total": len(documents)}
        )

    async def get_task(self, request: Request) -> Response:
        with self._lock:
            task = self.tasks.get(int(request.path_params["uid"]))
            if task is None:
                raise ApiError(404, "task_not_found", "Task not found.")
            return JSONResponse(dict(task))

    async def swap_indexes(self, request: Request) -> Response:
        swaps = await request.json()

        def swap() -> None:
            for swap in swaps:
                a, b = swap["indexes"]
                first, second = self._index(a), self._index(b)
                first.uid, second.uid = b, a
                self.indexes[a], self.indexes[b] = second, first

        return self._task("indexSwap", None, swap)

    async def search(self, request: Request) -> Response:
        body = await request.json()
        with self._lock:
            return JSONResponse(run_search(self._index(request.path_params["uid"]), body))

    # Serving ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        routes = [
            Route("/health", self.health),
            Route("/indexes", self.create_index, methods=["POST"]),
            Route("/indexes/{uid}", self.get_index, methods=["GET"]),
            Route("/indexes/{uid}", self.delete_index, methods=["DELETE"]),
            Route("/indexes/{uid}/settings", self.update_settings, methods=["PATCH"]),
            Route("/indexes/{uid}/documents", self.add_documents, methods=["POST"]),
            Route("/indexes/{uid}/documents", self.get_documents, methods=["GET"]),
            Route("/indexes/{uid}/documents/delete-batch", self.delete_batch, methods=["POST"]),
            Route("/indexes/{uid}/search", self.search, methods=["POST"]),
            Route("/tasks/{uid:int}", self.get_task),
            Route("/swap-indexes", self.swap_indexes, methods=["POST"]),
        ]
        app = Starlette(routes=routes, exception_handlers={ApiError: _api_error})  # type: ignore[dict-item]

        async def guarded(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                if self.down:
                    await JSONResponse({"message": "unavailable"}, status_code=503)(scope, receive, send)
                    return
                headers = dict(scope["headers"])
                if headers.get(b"authorization") != f"Bearer {self.key}".encode():
                    body = {"message": "The provided API key is invalid.", "code": "invalid_api_key", "type": "auth"}
                    await JSONResponse(body, status_code=403)(scope, receive, send)
                    return
            await app(scope, receive, send)

        return guarded  # type: ignore[return-value]


async def _api_error(request: Request, error: ApiError) -> Response:
    return JSONResponse({"message": error.message, "code": error.code, "type": error.type}, error.status)


# Search -----------------------------------------------------------------------------------------


def _allowed_typos(word: str, settings: dict[str, Any]) -> int:
    """learn/relevancy/typo_tolerance_settings#minwordsizefortypos: one typo from `oneTypo` (5) characters,
    two from `twoTypos` (9), none below; `enabled: false` allows none."""
    typo = settings.get("typoTolerance") or {}
    if typo.get("enabled") is False:
        return 0
    sizes = typo.get("minWordSizeForTypos") or {}
    one, two = sizes.get("oneTypo") or 5, sizes.get("twoTypos") or 9
    return 2 if len(word) >= two else 1 if len(word) >= one else 0


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): substitutions, insertions, deletions and
    transpositions of two adjacent characters each cost one (resources/comparisons/
    typo_tolerance_vs_fuzzy_search: "transpositions (swapped adjacent characters, like teh → the) count as a
    single edit")."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[i - 2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def _typos(word: str, candidate: str) -> int:
    """Typos between a query word and a word of the document: the distance, plus one when the first letter
    differs (learn/relevancy/typo_tolerance_calculations: "a typo on the first letter of a word is treated
    as two typos")."""
    return _distance(word, candidate) + (word[:1] != candidate[:1])


def _match(word: str, token: str, last: bool, allowed: int) -> int | None:
    """Typos needed for query `word` to match document `token`, or None. The last query word matches as a
    prefix, with the same typo allowance (learn/relevancy/typo_tolerance_calculations: "a prefix Levenshtein
    algorithm"; learn/engine/prefix)."""
    if token == word or (last and token.startswith(word)):
        return 0
    if not allowed:
        return None
    candidates = [token[:n] for n in range(max(1, len(word) - allowed), len(token))] if last else []
    best = min(_typos(word, candidate) for candidate in [*candidates, token])
    return best if best <= allowed else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _searchable(index: FakeIndex, document: dict[str, Any]) -> list[str]:
    attributes = index.settings.get("searchableAttributes") or ["*"]
    return [k for k in document if k != index.primary_key] if attributes == ["*"] else attributes


def _score(index: FakeIndex, document: dict[str, Any], words: list[str]) -> tuple[int, int] | None:
    """(typos, attribute rank) when every word matches (matchingStrategy all), else None."""
    typos = rank = 0
    attributes = _searchable(index, document)
    for n, word in enumerate(words):
        best: tuple[int, int] | None = None
        for position, attribute in enumerate(attributes):
            for text in _strings(document.get(attribute)):
                for token in _TOKEN.findall(text.lower()):
                    found = _match(word, token, n == len(words) - 1, _allowed_typos(word, index.settings))
                    if found is not None and (best is None or (found, position) < best):
                        best = (found, position)
        if best is None:
            return None
        typos += best[0]
        rank += best[1]
    return typos, rank


def _highlight(text: str, words: list[str], pre: str, post: str, settings: dict[str, Any]) -> str:
    def wrap(match: re.Match[str]) -> str:
        token = match.group(0)
        for n, word in enumerate(words):
            if _match(word, token.lower(), n == len(words) - 1, _allowed_typos(word, settings)) is not None:
                return f"{pre}{token}{post}"
        return token

    return _TOKEN.sub(wrap, text)


class _Descending:
    """Reverses the order of the value it wraps (for `attribute:desc` inside a tuple key)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)


def _sortable(value: Any) -> list[tuple[int, Any]]:
    """A value's sort keys. learn/filtering_and_sorting/sort_search_results: numbers come before strings
    ("Meilisearch will give precedence to numbers over strings"), strings in lexicographic order with upper
    case sorted as lower case; learn/engine/datatypes: a boolean is the lowercase text `true` / `false`.
    Arrays of numbers or strings sort by their values (the lowest ascending, the highest descending)."""
    if isinstance(value, bool):
        return [(1, "true" if value else "false")]
    if isinstance(value, int | float):
        return [(0, value)]
    if isinstance(value, str):
        return [(1, value.lower())]
    if isinstance(value, list):
        return [key for item in value if not isinstance(item, list | dict) for key in _sortable(item)]
    return []  # null, objects: not sortable, the document goes last


def _sort_key(document: dict[str, Any], criteria: list[tuple[str, bool]]) -> tuple[Any, ...]:
    """Documents without a value for an attribute come after those with one, in both directions."""
    key: list[Any] = []
    for attribute, descending in criteria:
        values = _sortable(_lookup(document, attribute))
        if not values:
            key.append((1,))
        elif descending:  # numbers still first; within its kind, the document's highest value
            group = min(kind for kind, _ in values)
            key.append((0, group, _Descending(max(v for kind, v in values if kind == group))))
        else:
            key.append((0, *min(values)))
    return tuple(key)


def _facet_value(value: Any) -> str:
    """How facetDistribution names a value: booleans as `true`/`false`, integral numbers without a
    fraction (reference/api/search#facetdistribution shows `"rating": {"2.5": 1, "3": 2}`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _facet_distribution(
    attributes: list[str], documents: list[dict[str, Any]], settings: dict[str, Any], filterable: set[str]
) -> dict[str, dict[str, int]]:
    """Counts over every matching document (capabilities/filtering_sorting_faceting/advanced/
    optimize_facet_performance: "every facet distribution request computes counts across all matching
    documents"), at most `maxValuesPerFacet` values (default 100) per facet, chosen and ordered by
    `sortFacetValuesBy` (`alpha`, the default, ascending; `count`, most documents first) — reference/api/
    settings#faceting."""
    faceting = settings.get("faceting") or {}
    limit = faceting.get("maxValuesPerFacet", 100)
    orders = faceting.get("sortFacetValuesBy") or {}
    out: dict[str, dict[str, int]] = {}
    for attribute in attributes:
        if attribute not in filterable:
            raise ApiError(400, "invalid_search_facets", f"Attribute `{attribute}` is not filterable.")
        counts: dict[str, int] = {}
        for document in documents:
            value = _lookup(document, attribute)
            seen = {_facet_value(item) for item in (value if isinstance(value, list) else [value]) if item is not None}
            for name in seen:
                counts[name] = counts.get(name, 0) + 1
        alphabetical = sorted(counts.items())
        if orders.get(attribute, orders.get("*", "alpha")) == "count":
            alphabetical.sort(key=lambda item: -item[1])
        out[attribute] = dict(alphabetical[:limit])
    return out


def run_search(index: FakeIndex, body: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    settings = index.settings
    filterable = set(settings.get("filterableAttributes") or [])
    sortable = set(settings.get("sortableAttributes") or [])
    words = [w.lower() for w in _TOKEN.findall(body.get("q") or "")]
    if words and body.get("matchingStrategy", "last") != "all":
        # Meilisearch's default, "last", drops query words from the end when too few documents match all of
        # them (reference/api/search#matching-strategy); the double implements only "all", the adapter's.
        raise ApiError(400, "invalid_search_matching_strategy", "the double implements matchingStrategy all only")
    predicate = parse_filter(body.get("filter"), filterable) if body.get("filter") else None
    criteria: list[tuple[str, bool]] = []
    for criterion in body.get("sort") or []:
        attribute, _, direction = criterion.partition(":")
        if attribute not in sortable:
            raise ApiError(400, "invalid_search_sort", f"Attribute `{attribute}` is not sortable.")
        criteria.append((attribute, direction == "desc"))
    matched: list[tuple[tuple[Any, ...], tuple[int, int], dict[str, Any]]] = []
    for position, document in enumerate(index.documents.values()):
        if predicate is not None and not predicate(document):
            continue
        score = _score(index, document, words) if words else (0, 0)
        if score is not None:
            # Default rankingRules: words, typo, proximity, attribute, sort, exactness
            # (learn/relevancy/ranking_rules): with a query, `sort` only breaks ties in relevance.
            matched.append(((*score, *_sort_key(document, criteria), position), score, document))
    matched.sort(key=lambda m: m[0])
    facets = _facet_distribution(body.get("facets") or [], [m[2] for m in matched], settings, filterable)
    max_total = (settings.get("pagination") or {}).get("maxTotalHits", 1000)
    matched = matched[:max_total]
    offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 20)
    pre, post = body.get("highlightPreTag", "<em>"), body.get("highlightPostTag", "</em>")
    hits = []
    for _, score, document in matched[offset : offset + limit]:
        hit = dict(document)
        highlighted = body.get("attributesToHighlight") or []
        if highlighted:
            hit["_formatted"] = {
                k: _highlight(v, words, pre, post, settings) if isinstance(v, str) and k in highlighted else v
                for k, v in document.items()
            }
        if body.get("showRankingScore"):
            hit["_rankingScore"] = 1.0 / (1 + score[0] + score[1] / 10)
        hits.append(hit)
    return {
        "hits": hits,
        "query": body.get("q") or "",
        "processingTimeMs": int((time.perf_counter() - started) * 1000),
        "limit": limit,
        "offset": offset,
        "estimatedTotalHits": len(matched),
        "facetDistribution": facets,
    }


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Filter syntax ----------------------------------------------------------------------------------

_FILTER_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|(?P<op>>=|<=|!=|=|>|<)|(?P<punct>[()\[\],])|(?P<word>[^\s()\[\],=<>!]+))'
)


def _tokens(expression: str) -> list[tuple[str, str]]:
    out, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        match = _FILTER_TOKEN.match(expression, position)
        if match is None or match.end() == position:
            raise ApiError(400, "invalid_search_filter", f"cannot parse filter at {position}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "string":
            import json

            value = json.loads(value) if value.startswith('"') else value[1:-1].replace("\\'", "'")
        out.append((kind, value))
        position = match.end()
    return out


def _lookup(document: dict[str, Any], attribute: str) -> Any:
    value: Any = document
    for part in attribute.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _compare(actual: Any, op: str, expected: str) -> bool:
    values = actual if isinstance(actual, list) else [actual]
    for value in values:
        if value is None:
            continue
        if op in ("=", "!="):
            equal = (
                _text(value).lower() == expected.lower()
                if not isinstance(value, int | float) or isinstance(value, bool)
                else _number(expected) == value
            )
            if equal:
                return op == "="
            continue
        number = _number(expected)
        if number is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if {">": value > number, ">=": value >= number, "<": value < number, "<=": value <= number}[op]:
            return True
    return op == "!="


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def parse_filter(expression: Any, filterable: set[str]) -> Any:
    if isinstance(expression, list):
        raise ApiError(400, "invalid_search_filter", "array filters are not used by the backend")
    tokens = _tokens(str(expression))
    position = 0

    def peek() -> tuple[str, str] | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal position
        if position >= len(tokens):
            raise ApiError(400, "invalid_search_filter", "unexpected end of filter")
        position += 1
        return tokens[position - 1]

    def keyword(word: str) -> bool:
        token = peek()
        return token is not None and token[0] == "word" and token[1].upper() == word

    def check(attribute: str) -> None:
        root = attribute.split(".")[0]
        if attribute not in filterable and root not in filterable:
            raise ApiError(400, "invalid_search_filter", f"Attribute `{attribute}` is not filterable.")

    def expression_() -> Any:
        left = term()
        while keyword("OR"):
            take()
            right = term()
            left = (lambda a, b: lambda d: a(d) or b(d))(left, right)
        return left

    def term() -> Any:
        left = factor()
        while keyword("AND"):
            take()
            right = factor()
            left = (lambda a, b: lambda d: a(d) and b(d))(left, right)
        return left

    def factor() -> Any:
        token = take()
        if token == ("punct", "("):
            inner = expression_()
            if take() != ("punct", ")"):
                raise ApiError(400, "invalid_search_filter", "expected )")
            return inner
        if token[0] == "word" and token[1].upper() == "NOT":
            inner = factor()
            return lambda d: not inner(d)
        if token[0] not in ("word", "string"):
            raise ApiError(400, "invalid_search_filter", f"expected an attribute, got {token[1]!r}")
        attribute = token[1]
        check(attribute)
        if keyword("IN"):
            take()
            if take() != ("punct", "["):
                raise ApiError(400, "invalid_search_filter", "expected [")
            values: list[str] = []
            while peek() != ("punct", "]"):
                kind, value = take()
                if kind not in ("word", "string"):
                    raise ApiError(400, "invalid_search_filter", f"unexpected {value!r}")
                values.append(value)
                if peek() == ("punct", ","):
                    take()
            take()
            return lambda d: any(_compare(_lookup(d, attribute), "=", v) for v in values)
        kind, op = take()
        if kind != "op":
            raise ApiError(400, "invalid_search_filter", f"expected an operator after {attribute}")
        kind, value = take()
        if kind not in ("word", "string"):
            raise ApiError(400, "invalid_search_filter", f"expected a value after {op}")
        return lambda d: _compare(_lookup(d, attribute), op, value)

    predicate = expression_()
    if position != len(tokens):
        raise ApiError(400, "invalid_search_filter", f"unexpected {tokens[position][1]!r}")
    return predicate


# Running it -------------------------------------------------------------------------------------


class FakeMeilisearchServer:
    """uvicorn on a free 127.0.0.1 port in a daemon thread; `stop()` shuts it down and joins the thread."""

    def __init__(self, fake: FakeMeilisearch | None = None) -> None:
        self.fake = fake or FakeMeilisearch()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.fake.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.fake.app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="fake-meilisearch", daemon=True)

    def start(self) -> FakeMeilisearch:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the fake Meilisearch did not start")
            time.sleep(0.01)
        self.fake.start_worker()
        return self.fake

    def stop(self) -> None:
        self.fake.stop_worker()
        self.server.should_exit = True
        self.thread.join(timeout=10)
