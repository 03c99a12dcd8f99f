"""An in-process fake of the Meilisearch HTTP API: the endpoints and the filter syntax search/meilisearch.py
uses, served by uvicorn on 127.0.0.1 in a thread (a real HTTP server for the real SDK).

Faithful where the backend depends on it: tasks are enqueued and then succeed or fail (an unknown
filterable attribute fails the request like Meilisearch does), documents are added-or-replaced by primary
key, deletes by id, swaps exchange two indexes, search supports `q` (every word must match, typos allowed
by word length as configured, prefix on the last word), `filter` (=, !=, >, >=, <, <=, IN [...], AND, OR,
NOT, parentheses, nested attributes with dots), `facets`, `sort`, `offset`/`limit`, highlighting into
`_formatted`, `_rankingScore`. `down` makes every request fail with 503, as a stopped server would.
"""

from __future__ import annotations

import re
import socket
import threading
import time
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
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class FakeMeilisearch:
    key: str = "fake-master-key"
    indexes: dict[str, FakeIndex] = field(default_factory=dict)
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    down: bool = False
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Tasks --------------------------------------------------------------------------------------

    def _task(self, kind: str, index_uid: str | None, action: Any) -> JSONResponse:
        """Run `action` now (it may raise ApiError: the task fails); report the task as enqueued."""
        with self._lock:
            uid = len(self.tasks)
            enqueued = _now()
            try:
                action()
                status, error = "succeeded", None
            except ApiError as failure:
                status, error = "failed", {"message": failure.message, "code": failure.code, "type": "invalid_request"}
            self.tasks[uid] = {
                "uid": uid,
                "indexUid": index_uid,
                "status": status,
                "type": kind,
                "error": error,
                "details": {},
                "enqueuedAt": enqueued,
                "startedAt": enqueued,
                "finishedAt": _now(),
                "polled": False,
            }
        body = {"taskUid": uid, "indexUid": index_uid, "status": "enqueued", "type": kind, "enqueuedAt": enqueued}
        return JSONResponse(body, status_code=202)

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
        index = self._index(request.path_params["uid"])
        offset = int(request.query_params.get("offset", 0))
        limit = int(request.query_params.get("limit", 20))
        documents = list(index.documents.values())
        return JSONResponse(
            {"results": documents[offset : offset + limit], "offset": offset, "limit": limit, "total": len(documents)}
        )

    async def get_task(self, request: Request) -> Response:
        task = self.tasks.get(int(request.path_params["uid"]))
        if task is None:
            raise ApiError(404, "task_not_found", "Task not found.")
        # Answer "processing" once, as a real server often does: the client has to wait.
        if not task["polled"]:
            task["polled"] = True
            return JSONResponse({**_public(task), "status": "processing", "finishedAt": None})
        return JSONResponse(_public(task))

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
        index = self._index(request.path_params["uid"])
        body = await request.json()
        return JSONResponse(run_search(index, body))

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


def _public(task: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in task.items() if k != "polled"}


async def _api_error(request: Request, error: ApiError) -> Response:
    return JSONResponse({"message": error.message, "code": error.code, "type": "invalid_request"}, error.status)


# Search -----------------------------------------------------------------------------------------


def _allowed_typos(word: str, settings: dict[str, Any]) -> int:
    typo = settings.get("typoTolerance") or {}
    if typo.get("enabled") is False:
        return 0
    sizes = typo.get("minWordSizeForTypos") or {}
    one, two = sizes.get("oneTypo") or 5, sizes.get("twoTypos") or 9
    return 2 if len(word) >= two else 1 if len(word) >= one else 0


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _match(word: str, token: str, last: bool, allowed: int) -> int | None:
    """Typos needed for `word` to match `token`, or None."""
    if token == word or (last and token.startswith(word)):
        return 0
    if allowed:
        d = _distance(word, token)
        if d <= allowed:
            return d
    return None


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


def run_search(index: FakeIndex, body: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    settings = index.settings
    filterable = set(settings.get("filterableAttributes") or [])
    sortable = set(settings.get("sortableAttributes") or [])
    words = [w.lower() for w in _TOKEN.findall(body.get("q") or "")]
    predicate = parse_filter(body.get("filter"), filterable) if body.get("filter") else None
    matched: list[tuple[tuple[int, int], int, dict[str, Any]]] = []
    for position, document in enumerate(index.documents.values()):
        if predicate is not None and not predicate(document):
            continue
        score = _score(index, document, words) if words else (0, 0)
        if score is not None:
            matched.append((score, position, document))
    matched.sort(key=lambda m: (m[0], m[1]))
    for criterion in reversed(body.get("sort") or []):
        attribute, _, direction = criterion.partition(":")
        if attribute not in sortable:
            raise ApiError(400, "invalid_search_sort", f"Attribute `{attribute}` is not sortable.")
        matched.sort(key=lambda m: _sort_key(m[2].get(attribute)), reverse=direction == "desc")
    max_total = (settings.get("pagination") or {}).get("maxTotalHits", 1000)
    matched = matched[:max_total]
    facets: dict[str, dict[str, int]] = {}
    for attribute in body.get("facets") or []:
        if attribute not in filterable:
            raise ApiError(400, "invalid_search_facets", f"Attribute `{attribute}` is not filterable.")
        counts: dict[str, int] = {}
        for _, _, document in matched:
            value = document.get(attribute)
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    key = _text(item)
                    counts[key] = counts.get(key, 0) + 1
        facets[attribute] = dict(sorted(counts.items()))
    offset, limit = int(body.get("offset") or 0), int(body.get("limit") or 20)
    pre, post = body.get("highlightPreTag", "<em>"), body.get("highlightPostTag", "</em>")
    hits = []
    for score, _, document in matched[offset : offset + limit]:
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


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value)) if value is not None else (2, "")


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
        return self.fake

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
