"""Hostile requests (issue 15): every bad request gets a clean answer, and none can stall the server.

Text PostgreSQL cannot store, bodies that are not GraphQL requests, oversized bodies, documents and websocket
messages, ambiguous documents, subscriptions over HTTP, and how refusals are logged.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from websockets.asyncio.client import connect

from api.app import create_app
from api.context import AppDeps, Context
from api.execution import compiled
from api.extensions import ExchangeSchema
from api.limits import MAX_JSON_DEPTH, RequestRefused, decode_json
from api.schema import build_schema
from domain.actor import ANONYMOUS
from domain.tables import metadata
from exchange.settings import Environment, Settings
from tests.api.engine_mode import engine_only
from tests.api.graphql import (
    CREATE_ORDER,
    PLACE_BID,
    SIGN_UP,
    GraphQL,
    bid_terms,
    create_order,
    make_manufacturer,
    order_input,
    sign_up,
)
from tests.clock import FakeClock
from tests.conftest import REFERENCE_TABLES
from tests.legal_samples import PRODUCTION_ESCROW, legal_id
from tests.realtime.conftest import serve

NUL = "\x00"
SURROGATE = "\ud800"


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    """POST with the body written by json (ASCII escapes): httpx's own encoder cannot carry a lone surrogate."""
    headers = {"content-type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    body = json.dumps({"query": query, "variables": variables}).encode()
    response = await client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table.name: (await conn.execute(text(f"SELECT count(*) FROM {table.name}"))).scalar_one()
            for table in metadata.sorted_tables
            if table.name not in REFERENCE_TABLES  # seeded by the migrations (the VAT rates)
        }


# --- text PostgreSQL cannot store ----------------------------------------------------------------------------


async def test_create_order_refuses_nul_and_surrogates_field_by_field_and_stores_nothing(
    client: httpx.AsyncClient, gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    before = await row_counts(engine)
    answers = {}

    for field, value in [("title", f"Bracket{NUL}"), ("material", f"Steel {SURROGATE}"), ("description", NUL)]:
        body = await post(client, CREATE_ORDER, {"input": order_input(clock, **{field: value})}, buyer.token)
        answers[field] = body["data"]["createOrder"]

    assert answers == {
        "title": {
            "__typename": "ValidationError",
            "code": "INVALID",
            "message": "may not contain a NUL character (U+0000)",
            "field": "title",
        },
        "material": {
            "__typename": "ValidationError",
            "code": "INVALID",
            "message": "may not contain an unpaired surrogate (U+D800 to U+DFFF)",
            "field": "material",
        },
        "description": {
            "__typename": "ValidationError",
            "code": "INVALID",
            "message": "may not contain a NUL character (U+0000)",
            "field": "description",
        },
    }
    assert await row_counts(engine) == before


async def test_a_nul_in_a_literal_is_refused_like_one_in_a_variable(
    client: httpx.AsyncClient, gql: GraphQL, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    before = await row_counts(engine)

    body = await post(
        client,
        'mutation { cancelOrder(id: "T3JkZXI6MQ==", reason: "no\\u0000") { __typename ... on UserError { field } } }',
        {},
        buyer.token,
    )

    assert body == {"data": {"cancelOrder": {"__typename": "ValidationError", "field": "reason"}}}
    assert await row_counts(engine) == before


async def test_sign_up_and_sign_in_refuse_such_text_and_create_no_account(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    def sign_up_input(**changes: Any) -> dict[str, Any]:
        organisation = {"name": "Org", "legalId": legal_id("77", 9_000_001), "region": "RU-MOW", "kind": "BUYER"}
        organisation |= changes.pop("organisation", {})
        return (
            {"email": "a@example.com", "password": "correct horse battery", "fullName": "A B"}
            | changes
            | {"organisation": organisation}
        )

    sign_in = """mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) {
                   __typename ... on UserError { code field } } }"""

    full_name = await post(client, SIGN_UP, {"input": sign_up_input(fullName=f"A{NUL}")})
    email = await post(client, SIGN_UP, {"input": sign_up_input(email=f"a{SURROGATE}@example.com")})
    org_name = await post(client, SIGN_UP, {"input": sign_up_input(organisation={"name": f"Org{NUL}"})})
    signed_in = await post(client, sign_in, {"e": f"a{NUL}@example.com", "p": "x"})

    assert [b["data"]["signUp"]["field"] for b in (full_name, email, org_name)] == [
        "fullName",
        "email",
        "organisation.name",
    ]
    assert {b["data"]["signUp"]["__typename"] for b in (full_name, email, org_name)} == {"ValidationError"}
    assert signed_in == {"data": {"signIn": {"__typename": "ValidationError", "code": "INVALID", "field": "email"}}}
    assert sum((await row_counts(engine)).values()) == 0


async def test_bid_notes_questions_saved_searches_certificates_and_bank_transfers_refuse_such_text(
    client: httpx.AsyncClient, gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock)
    before = await row_counts(engine)
    cases: list[tuple[str, dict[str, Any], str]] = [
        (PLACE_BID, {"input": {"orderId": order_id, "terms": bid_terms(clock, notes=f"n{NUL}")}}, "terms.notes"),
        (
            """mutation($o: ID!, $q: String!) { askQuestion(orderId: $o, question: $q) {
                 __typename ... on UserError { code message field } } }""",
            {"o": order_id, "q": f"Why {SURROGATE}?"},
            "question",
        ),
        (
            """mutation($n: String!) { saveSearch(name: $n, query: "cnc") {
                 __typename ... on UserError { code message field } } }""",
            {"n": f"mine{NUL}"},
            "name",
        ),
        (
            """mutation($input: CertificationInput!) { setCertification(input: $input) {
                 __typename ... on UserError { code message field } } }""",
            {
                "input": {
                    "organisationId": maker.organisation_id,
                    "standard": "ISO_9001",
                    "certificateNumber": f"C{NUL}",
                    "validUntil": "2030-01-01",
                }
            },
            "certificateNumber",
        ),
        (
            """mutation($r: String!) { recordBankTransfer(paymentReference: $r, bankTransactionId: "t1",
                 amount: {amount: "1.00", currency: "RUB"}, receivedOn: "2026-01-01") {
                 __typename ... on UserError { code message field } } }""",
            {"r": f"PAY{NUL}"},
            "paymentReference",
        ),
    ]

    answers = []
    for document, variables, _ in cases:
        data = (await post(client, document, variables, maker.token))["data"]
        answers.append(next(iter(data.values())))

    assert [(a["__typename"], a["code"], a["field"]) for a in answers] == [
        ("ValidationError", "INVALID", field) for _, _, field in cases
    ]
    assert await row_counts(engine) == before


async def test_only_the_refused_root_field_of_a_mutation_is_refused(client: httpx.AsyncClient, gql: GraphQL) -> None:
    await sign_up(gql, kind="BUYER")
    document = """mutation($bad: String!, $good: String!) {
      a: signIn(email: $bad, password: "x") { __typename }
      b: signIn(email: $good, password: "wrong password") { __typename } }"""

    body = await post(client, document, {"bad": f"x{NUL}", "good": "user1@example.com"})

    assert body == {"data": {"a": {"__typename": "ValidationError"}, "b": {"__typename": "InvalidCredentialsError"}}}


async def test_a_list_filter_with_such_text_is_refused_before_anything_runs(
    client: httpx.AsyncClient, gql: GraphQL, clock: FakeClock
) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    await create_order(gql, buyer, clock)

    literal = await post(
        client, '{ orders(filter: {regions: ["a\\u0000"]}) { edges { node { id } } } }', {}, buyer.token
    )
    variable = await post(
        client,
        "query($r: [String!]) { orders(filter: {regions: $r}) { edges { node { id } } } }",
        {"r": ["RU-MOW", SURROGATE]},
        buyer.token,
    )

    assert literal == {
        "data": None,
        "errors": [
            {
                "message": "filter.regions.0: may not contain a NUL character (U+0000)",
                "extensions": {"code": "INVALID", "field": "filter.regions.0"},
            }
        ],
    }
    assert variable["data"] is None
    assert variable["errors"][0]["extensions"] == {"code": "INVALID", "field": "filter.regions.1"}


@engine_only
async def test_the_compiled_executor_and_graphql_cores_refuse_alike(deps: AppDeps) -> None:
    compiled_schema = build_schema(deps.settings)
    stock = copy.copy(compiled_schema)
    stock.execution_context_class = StrawberryGraphQLCoreExecutionContext
    documents = [
        ('{ orders(filter: {regions: ["a\\u0000"]}) { edges { node { id } } } }', {}),
        ("query($q: String!) { searchManufacturers(query: $q) { __typename } }", {"q": SURROGATE}),
        ('mutation($e: String!) { signIn(email: $e, password: "p") { __typename } }', {"e": NUL}),
    ]

    answers = []
    for schema in (compiled_schema, stock):
        for document, variables in documents:
            context = Context(request=None, response=None, deps=deps, actor=ANONYMOUS)  # type: ignore[arg-type]
            result = await schema.execute(document, variable_values=variables, context_value=context)
            answers.append((result.data, [error.formatted for error in result.errors or ()]))

    assert compiled_schema.execution_context_class is compiled.CompiledExecutionContext
    assert answers[:3] == answers[3:]
    assert answers[1] == ({"searchManufacturers": {"__typename": "ValidationError"}}, [])
    assert answers[2] == ({"signIn": {"__typename": "ValidationError"}}, [])


# --- bodies that are not GraphQL requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"null", "The request body must be a JSON object: {query, variables, operationName}."),
        (b'"x"', "The request body must be a JSON object: {query, variables, operationName}."),
        (b"123", "The request body must be a JSON object: {query, variables, operationName}."),
        (b"true", "The request body must be a JSON object: {query, variables, operationName}."),
        (b'{"query": "{ me \xff }"}', "The request body is not valid UTF-8."),
        (
            b'{"query": "{ __typename }", "variables": ' + b'{"a":' * 1000 + b"1" + b"}" * 1001,
            f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.",
        ),
        (
            b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 40 + b"]" * 40 + b"}}",
            f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.",
        ),
    ],
)
async def test_a_body_that_is_no_graphql_request_gets_a_400_with_a_graphql_error(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": [{"message": message}]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": 1}', "The GraphQL operation's `query` must be a string or null, if provided."),
        (
            b'{"query": "{ __typename }", "variables": []}',
            "The GraphQL operation's `variables` must be an object or null, if provided.",
        ),
        (
            b'{"query": "{ __typename }", "extensions": "x"}',
            "The GraphQL operation's `extensions` must be an object or null, if provided.",
        ),
    ],
)
async def test_a_request_of_the_wrong_shape_is_refused_alike_on_the_plain_json_path_and_strawberrys(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    # api/limits.py reads a plain `application/json` POST itself; a streaming Accept header leaves it to Strawberry.
    answers = []
    for headers in (
        {"content-type": "application/json"},
        {"content-type": "Application/JSON; charset=utf-8"},
        {"content-type": "application/json", "accept": "multipart/mixed;subscriptionSpec=1.0, application/json"},
    ):
        response = await client.post("/graphql", content=body, headers=headers)
        answers.append((response.status_code, response.json()))

    assert answers == [(400, {"errors": [{"message": message}]})] * 3


async def test_a_plain_json_post_with_parameters_in_its_content_type_is_answered(client: httpx.AsyncClient) -> None:
    body = b'{"query": "query Q($n: Boolean!) { a: __typename @include(if: true) b: __typename @skip(if: $n) }", ' + (
        b'"variables": {"n": true}, "operationName": "Q"}'
    )
    for content_type in ("application/json", "APPLICATION/json ; charset=UTF-8"):
        response = await client.post("/graphql", content=body, headers={"content-type": content_type})
        assert (response.status_code, response.json()) == (200, {"data": {"a": "Query"}})
    refused = await client.post("/graphql", content=body, headers={"content-type": "text/plain"})
    assert refused.status_code == 400


async def test_after_a_refused_body_the_keep_alive_connection_still_serves(deps: AppDeps, database_url: str) -> None:
    good = b'{"query": "{ __typename }"}'
    requests = b""
    for body in (b"null", b"\xff\xfe{", good):
        requests += (
            b"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    async with serve(deps, database_url) as instance:
        port = int(instance.url.rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(requests)  # three requests, one connection
        await writer.drain()
        statuses = [await _read_response(reader) for _ in range(3)]
        writer.close()

    assert [status for status, _ in statuses] == [400, 400, 200]
    assert statuses[2][1] == b'{"data":{"__typename":"Query"}}'


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    async with asyncio.timeout(10):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        length = next(int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length"))
        return int(lines[0].split()[1]), await reader.readexactly(length)


# --- sizes -----------------------------------------------------------------------------------------------------


async def call_asgi(
    app: Any, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> tuple[int, bytes, int]:
    """Run one HTTP request through the ASGI app: (status, body, how many chunks the app read)."""
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        await asyncio.Event().wait()  # nothing more comes: the client waits for the answer
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "scheme": "http",
        "root_path": "",
    }
    await app(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body, read


async def test_a_body_declared_too_large_is_refused_without_reading_it(deps: AppDeps) -> None:
    app = create_app(deps)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"50000000")]

    status, body, read = await call_asgi(app, "/graphql", headers, [b"x" * 65536] * 800)

    assert status == 413
    assert json.loads(body) == {"errors": [{"message": "The request body is larger than 262144 bytes."}]}
    assert read == 0


async def test_a_streamed_body_is_read_only_up_to_the_limit(deps: AppDeps) -> None:
    app = create_app(deps)
    chunks = [b"x" * 65536] * 800  # 50 MB, chunked: no Content-Length

    graphql = await call_asgi(app, "/graphql", [(b"content-type", b"application/json")], chunks)
    webhook = await call_asgi(app, "/webhooks/stripe", [(b"content-type", b"application/json")], chunks)

    assert graphql[0] == webhook[0] == 413
    assert graphql[2] == webhook[2] == 5  # 5 x 64 kB is the first read past 256 kB


async def test_a_slow_oversized_body_does_not_hold_up_other_requests(client: httpx.AsyncClient) -> None:
    """While one client trickles a body, another is answered; the trickle is cut off at the limit."""
    answered = asyncio.Event()
    yielded = 0

    async def trickle() -> AsyncIterator[bytes]:
        nonlocal yielded
        for _ in range(100):
            yielded += 1
            yield b"x" * 16384
            if yielded == 2:
                await answered.wait()  # the server holds a partial body now

    async def other() -> httpx.Response:
        response = await client.post("/graphql", json={"query": "{ __typename }"})
        answered.set()
        return response

    slow, quick = await asyncio.gather(
        client.post("/graphql", content=trickle(), headers={"content-type": "application/json"}), other()
    )

    assert quick.status_code == 200 and quick.json() == {"data": {"__typename": "Query"}}
    assert slow.status_code == 413
    assert yielded == 17  # 17 x 16 kB is the first chunk past 256 kB: the other 83 were never asked for


async def test_a_document_over_its_limit_is_refused_before_it_is_parsed(client: httpx.AsyncClient) -> None:
    query = "{ __typename " + "#" * 70_000 + "\n}"

    response = await client.post("/graphql", json={"query": query})

    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "The GraphQL document is larger than 65536 bytes."}]}


async def test_a_websocket_message_over_the_limit_closes_the_socket(deps: AppDeps, database_url: str) -> None:
    async with serve(deps, database_url) as instance:
        ws_url = instance.url.replace("http://", "ws://") + "/graphql"
        async with connect(ws_url, subprotocols=["graphql-transport-ws"], max_size=None) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"pad": "x" * 300_000}}))
            async with asyncio.timeout(10):
                with pytest.raises(Exception):  # noqa: B017  (the close, however the client reports it)
                    await ws.recv()
            frame = ws.protocol.close_rcvd

    assert frame is not None
    assert frame.code == 1009
    assert frame.reason == "A message is larger than 262144 bytes."


# --- operations ------------------------------------------------------------------------------------------------


async def test_several_operations_need_an_operation_name(gql: GraphQL) -> None:
    document = "query A { __typename } query B { me { id } }"

    unnamed = await gql.raw(document)
    named = await gql.client.post("/graphql", json={"query": document, "operationName": "B"})

    assert unnamed == {
        "data": None,
        "errors": [
            {
                "message": "operationName required: the document holds several operations; name the one to run.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }
    assert named.json() == {"data": {"me": None}}


async def test_a_subscription_over_http_is_a_clean_error_and_logs_no_fault(gql: GraphQL) -> None:
    with structlog.testing.capture_logs() as logs:
        body = await gql.raw("subscription { notificationAdded { __typename } }")

    assert body == {
        "data": None,
        "errors": [
            {
                "message": "Subscriptions run over the graphql-transport-ws websocket on /graphql, not over HTTP.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }
    assert [entry["event"] for entry in logs if entry["log_level"] == "error"] == []


async def test_suggestions_are_stripped_in_production_only(deps: AppDeps, gql: GraphQL) -> None:
    app = create_app(
        AppDeps(
            Settings(env=Environment.production, **PRODUCTION_ESCROW), deps.session_factory, deps.clock, deps.payments
        )
    )
    document = "{ mee { id } orders(fillter: {}) { edges { node { id } } } }"

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://prod") as client:
        production = (await client.post("/graphql", json={"query": document})).json()
    development = await gql.raw(document)

    assert [e["message"] for e in production["errors"]] == [
        "Cannot query field 'mee' on type 'Query'.",
        "Unknown argument 'fillter' on field 'Query.orders'.",
    ]
    assert [e["message"] for e in development["errors"]] == [
        "Cannot query field 'mee' on type 'Query'. Did you mean 'me'?",
        "Unknown argument 'fillter' on field 'Query.orders'. Did you mean 'filter'?",
    ]


# --- logging ---------------------------------------------------------------------------------------------------


async def test_refusals_are_logged_at_info_without_a_traceback(gql: GraphQL) -> None:
    buyer = await sign_up(gql, kind="BUYER")

    with structlog.testing.capture_logs() as logs:
        not_found = await gql.raw('{ order(id: "T3JkZXI6MQ==") { id } }', token=buyer.token)
        invalid = await gql.raw("{ orders(first: 101) { edges { node { id } } } }", token=buyer.token)
        bad_document = await gql.raw("{ nope }")

    assert "errors" in invalid and "errors" in bad_document and not_found is not None
    refusals = [entry for entry in logs if entry["event"] == "graphql.refused"]
    assert [entry["log_level"] for entry in refusals] == ["info", "info"]
    assert [entry["code"] for entry in refusals] == ["OUT_OF_RANGE", None]
    assert not any("exc_info" in entry for entry in refusals)
    assert not any(entry["log_level"] == "error" for entry in logs)


def test_a_real_fault_is_logged_at_error_with_its_traceback() -> None:
    from graphql import GraphQLError

    schema = build_schema(Settings())
    assert isinstance(schema, ExchangeSchema)
    fault = RuntimeError("the database went away")

    with structlog.testing.capture_logs() as logs:
        schema.process_errors([GraphQLError("the database went away", path=["orders"], original_error=fault)])

    assert logs == [{"event": "graphql.unexpected_error", "log_level": "error", "path": ["orders"], "exc_info": fault}]


# --- failures stay in their field ------------------------------------------------------------------------------


async def test_a_refused_field_leaves_its_siblings_and_a_shared_load_alone(
    gql: GraphQL, clock: FakeClock, engine: AsyncEngine
) -> None:
    """`a.questions` is refused; graphql-core cancels a's pending siblings, among them the load of the invited
    manufacturers that `b` waits for as well: b still gets them, and the request gets an answer."""
    buyer = await sign_up(gql, kind="BUYER")
    maker = await make_manufacturer(gql, clock)
    order_id = await create_order(gql, buyer, clock, invitedManufacturerIds=[maker.organisation_id])
    ops = await sign_up(gql, kind="BUYER")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE app_user SET is_operator = true WHERE email = :e"), {"e": ops.email})
    document = """query($id: ID!) {
      a: order(id: $id) { invitedManufacturers { id } questions(first: 0) { id } }
      b: order(id: $id) { invitedManufacturers { id } } }"""

    body = await gql.raw(document, {"id": order_id}, token=ops.token)

    assert body["data"] == {"a": None, "b": {"invitedManufacturers": [{"id": maker.organisation_id}]}}
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["a", "questions"], {"code": "OUT_OF_RANGE", "field": "first"})
    ]


@pytest.mark.parametrize("type_name", ["PaymentInstruction", "CapacityListing", "Certification", "NoSuchType"])
async def test_node_with_the_id_of_a_type_that_is_no_node_is_null(gql: GraphQL, type_name: str) -> None:
    buyer = await sign_up(gql, kind="BUYER")
    node_id = str(relay.GlobalID(type_name, "0b7d3cf2-5ad9-4c4e-8a3e-3f6f1b0d6a11"))

    body = await gql.raw("query($id: ID!) { node(id: $id) { id } }", {"id": node_id}, token=buyer.token)

    assert body == {"data": {"node": None}}


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_exactly_to_the_limit_is_read_and_one_deeper_is_refused(opening: str) -> None:
    """decode_json walks the value only when the text has more `{`/`[` than the limit: the boundary still holds."""
    closing = "]" if opening == "[" else "}"
    at_limit = opening * MAX_JSON_DEPTH + "1" + closing * MAX_JSON_DEPTH
    assert decode_json(at_limit) is not None
    deeper = opening * (MAX_JSON_DEPTH + 1) + "1" + closing * (MAX_JSON_DEPTH + 1)
    with pytest.raises(RequestRefused, match="nested deeper"):
        decode_json(deeper)
    # Braces inside strings are counted too: the walk then runs, and a shallow value passes.
    assert decode_json(json.dumps({"query": "{" * 100})) == {"query": "{" * 100}
