"""What a request may cost before the GraphQL engine sees it: body size, JSON shape, document size, websocket
message size. Everything here is bounded by the limits, so no attacker-sized work runs on the event loop.

- `BodyLimit` (ASGI middleware, every HTTP route): a body over EXCHANGE_MAX_BODY_BYTES is answered 413 without
  being read further — at once when Content-Length says so, else as soon as the streamed chunks pass the limit.
  The body is read (at most the limit) before the route runs, so a route never sees a part of an oversized one.
- `decode_request_json`: a body must be UTF-8 JSON, an object, nested at most MAX_JSON_DEPTH deep (graphql-core
  coerces variables recursively; json itself raises RecursionError near 1,000 levels).
- A refused request is answered like any GraphQL error, `{"errors": [{"message": ...}]}`, with a 4xx status.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http import GraphQLRequestData
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived

from api import outage
from api.outage import ServiceUnavailable

# Deeper than any input of the API (a placed bid's variables are 4 deep) and far from Python's recursion limit.
MAX_JSON_DEPTH = 32


class RequestRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(message: str) -> bytes:
    return encode_json({"errors": [{"message": message}]})


def encode_json(data: object) -> bytes:
    """orjson; when a string holds what UTF-8 cannot (an unpaired surrogate echoed back in an error message), that
    string is written with json's ASCII escapes and the rest by orjson as before: an answer is always sent, and it
    may hold JSON that PostgreSQL wrote (`orjson.Fragment`, api/execution/sql_json.py), which json cannot encode."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return orjson.dumps(_escaped(data))


def _escaped(value: object) -> object:
    """`value` with each string UTF-8 cannot hold replaced by its JSON text in ASCII escapes."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return orjson.Fragment(json.dumps(value).encode())
        return value
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


async def send_error(send: Send, status: int, message: str) -> None:
    body = error_body(message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def too_large(limit: int) -> str:
    return f"The request body is larger than {limit} bytes."


class BodyLimit:
    """Reads an HTTP request's body up to `max_bytes` before the app runs; 413 beyond it. A multipart POST to
    /graphql (a file upload, attachOrderFile) may be `max_upload_bytes` (EXCHANGE_FILES_MAX_REQUEST_BYTES) instead."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        max_upload_bytes: int | None = None,
        unread_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes or max_bytes
        # Routes that bound their own bodies while streaming them (a direct upload of a known size).
        self.unread_prefixes = unread_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.unread_prefixes and scope["path"].startswith(self.unread_prefixes)):
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if _is_upload(scope) else self.max_bytes
        declared = _content_length(scope)
        if declared == -1:
            await send_error(send, 400, "The Content-Length header is not a number.")
            return
        if declared is not None and declared > limit:
            await send_error(send, 413, too_large(limit))
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await send_error(send, 413, too_large(limit))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay


def _is_upload(scope: Scope) -> bool:
    if scope["method"] != "POST" or scope["path"] != "/graphql":
        return False
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"multipart/form-data"
    return False


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent; -1 when not a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() and len(value) < 20 else -1
    return None


def decode_request_json(data: str | bytes) -> dict[str, Any]:
    """A GraphQL request body: a JSON object in UTF-8, not nested too deep."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestRefused(400, "The request body is not valid UTF-8.") from None
    value = decode_json(data)
    if not isinstance(value, dict):
        raise RequestRefused(400, "The request body must be a JSON object: {query, variables, operationName}.")
    return value


def decode_json(text: str) -> Any:
    """json.loads, refusing nesting deeper than MAX_JSON_DEPTH (RequestRefused, 400)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestRefused(400, f"The request body is not valid JSON: {error.msg}.") from None
    except RecursionError:
        value = None
        too_deep = True
    else:
        # Each level opens with a `{` or `[`: a text with no more of them than the limit cannot nest deeper (the
        # count, in C, includes any inside strings, so it only ever errs towards walking).
        too_deep = text.count("{") + text.count("[") > MAX_JSON_DEPTH and nested_deeper_than(value, MAX_JSON_DEPTH)
    if too_deep:
        raise RequestRefused(400, f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.")
    return value


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep (iteratively: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class LimitedWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's websocket adapter, closing the socket (1009, message too big) on a message over the limit
    instead of decoding it. (uvicorn's ws_max_size refuses bigger frames before they are even assembled.)"""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> Any:
        limit: int = self.view.max_body_bytes  # type: ignore[attr-defined]
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    text = await self.ws.receive_text()
                    if len(text) > limit or (
                        len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit
                    ):
                        await self.ws.close(code=1009, reason=f"A message is larger than {limit} bytes.")
                        return
                    yield self.view.decode_json(text)
                except json.JSONDecodeError as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass


class RequestLimits:
    """The GraphQL view's side of the limits (mixed into api/app.py's view): JSON errors instead of Strawberry's
    plain-text ones, a strict body decoder, the document size checked before parsing, websocket messages capped."""

    websocket_adapter_class = LimitedWebSocketAdapter
    max_body_bytes: int
    max_document_bytes: int

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # type: ignore[misc]
            return
        try:
            response = await self.run(Request(scope, receive))  # type: ignore[attr-defined]
        except HTTPException as error:
            response = Response(error_body(error.reason), status_code=error.status_code, media_type="application/json")
        except ServiceUnavailable:
            body = encode_json({"errors": [{"message": outage.MESSAGE, "extensions": {"code": outage.CODE}}]})
            response = Response(body, status_code=503, media_type="application/json")
            outage.unavailable(response)
        await response(scope, receive, send)

    async def _plain_json_body(self, request: Any) -> GraphQLRequestData | None:
        """The common request — a POST of one operation as `application/json`, no streaming `Accept` — read as
        Strawberry's parse_http_body reads it (same checks, same messages), without its content-type parser (the
        stdlib's e-mail header machinery: ~25 µs a request). None: anything else, for Strawberry to read."""
        if request.method != "POST":
            return None
        headers = request.headers
        content_type = headers.get("content-type")
        if content_type is None or content_type.partition(";")[0].strip().lower() != "application/json":
            return None
        if "accept" in headers and self._get_stream_transport_from_headers(headers) is not None:  # type: ignore[attr-defined]
            return None
        data = self.parse_json(await request.get_body())
        if not isinstance(data, dict):
            return None  # a batch: Strawberry's own checks (it parses the body again, from the request's cache)
        query = data.get("query")
        if query is not None and not isinstance(query, str):
            raise HTTPException(400, "The GraphQL operation's `query` must be a string or null, if provided.")
        variables = data.get("variables")
        if variables is not None and not isinstance(variables, dict):
            raise HTTPException(400, "The GraphQL operation's `variables` must be an object or null, if provided.")
        extensions = data.get("extensions")
        if extensions is not None and not isinstance(extensions, dict):
            raise HTTPException(400, "The GraphQL operation's `extensions` must be an object or null, if provided.")
        return GraphQLRequestData(
            query=query,
            variables=variables,
            operation_name=data.get("operationName"),
            extensions=extensions,
            protocol="http",
        )

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return decode_request_json(data)
        except RequestRefused as refused:
            raise HTTPException(refused.status, refused.message) from None

    def decode_json(self, data: str | bytes) -> object:
        # Websocket messages (the HTTP body goes through parse_json): too deep is not JSON the socket accepts.
        try:
            return decode_json(data.decode("utf-8") if isinstance(data, bytes) else data)
        except (RequestRefused, UnicodeDecodeError) as error:
            raise json.JSONDecodeError(str(error), "", 0) from None

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        parsed = await self._plain_json_body(request)
        if parsed is None:
            parsed = await super().parse_http_body(request)  # type: ignore[misc]
        for item in parsed if isinstance(parsed, list) else [parsed]:
            query = item.query
            if isinstance(query, str) and len(query) * 4 > self.max_document_bytes:
                size = len(query.encode("utf-8", "surrogatepass"))
                if size > self.max_document_bytes:
                    raise HTTPException(413, f"The GraphQL document is larger than {self.max_document_bytes} bytes.")
        return parsed
