"""A row's JSON written by PostgreSQL: the text of one object of the API's answer, built in the select that reads
the row, so that the server splices it into the response instead of decoding, converting and encoding each field.

Why: a page of the big board holds ~1,000 bids; each costs the server its columns' decoding, a row view, money
conversions and the JSON encoding of ~15 values, where PostgreSQL writes the same text in a few microseconds
(PostGraphile's approach). The execution engine (api/execution/sql_json.py) decides which selections qualify and
describes them as `Part`s; this module turns parts into one text expression over the select's columns.

The text must be byte-identical to what the server would write (orjson over the API's serialised values):
- strings through `to_json(text)`: the same escapes as orjson (", \\, \\b \\f \\n \\r \\t, other control characters
  as lowercase \\u00XX, everything else as UTF-8, U+2028 included; tests/integration/test_sql_json.py);
- integers and booleans as `::text` (`true`/`false`), dates `to_json(date)` (ISO 8601 whatever DateStyle says);
- a UTC timestamp as orjson writes an aware datetime: `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, microseconds only when
  not zero, six digits (one to_char with them, ".000000" taken out);
- an enum column's stored value as the GraphQL name the part maps it to;
- a Relay id as base64 of "Type:<uuid text>" (ASCII: the text's bytes by textsend; PostgreSQL's base64 wraps lines
  at 76 characters, reached by a prefix of 21 characters or more, whose newlines are then taken out);
- money: the minor units scaled by the currency's exponent, as `str(Decimal(minor).scaleb(-exponent))` writes it
  (api/money.py), quoted;
- a connection (an order's first page of bids): the text of a lateral subquery of the read (`connection_text`
  aggregates the page's rows: the edges in the page's order, the cursors as the ids' text, pageInfo).
A value PostgreSQL cannot write (an unknown currency) makes the whole text NULL; the reads refuse such a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import LargeBinary, Text, any_, case, cast, func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from domain.money import CURRENCY_EXPONENTS


class Part(NamedTuple):
    """One key of an object's JSON. `kind`: "const" (`arg` is the value's JSON text: a __typename), "text", "int",
    "bool", "date", "utc" (a column of the row, `arg` True when it may be NULL), "enum" (`arg`: ((stored value,
    GraphQL name), ...), the column NOT NULL), "gid" (`arg`: the Relay type prefix, "Bid:"), "amount" (`column`:
    the minor units, `arg`: the currency column), "object" (`column`: the relation the object is read from, None
    for the same row; `arg`: its parts), "connection" (`column`: the relation whose `json` column is the
    connection's text, which the read builds with `connection_text` from `arg`, the connection's parts).

    A connection's parts: "const" (its __typename), "edges" (`arg`: each edge's parts: "node" with the node's
    parts as `arg`, "cursor", "const") and "page_info" (`arg`: "has_next", "start_cursor", "end_cursor" and
    "const": __typename, and hasPreviousPage, always false on a first page)."""

    key: str
    kind: str
    column: str | None
    arg: Any


Parts = tuple[Part, ...]
# (relation or None, column name) -> the column in the select
Columns = Callable[[str | None, str], ColumnElement[Any]]


def _quoted(text: str) -> ColumnElement[str]:
    return literal_column("'" + text.replace("'", "''") + "'", Text)


def _key_text(key: str) -> str:
    # A GraphQL response key: letters, digits, underscores (checked by the engine); no escaping needed.
    if not key.replace("_", "a").isalnum() or not key.isascii():
        raise ValueError(f"not a response key: {key!r}")
    return '"' + key + '":'


# A piece of an object's text: a literal (str) or an expression. Adjacent literals are written as one (`_joined`):
# each `||` is a function call that the executor sets up on every run of a generic plan (ExecInitFunc: its fmgr
# lookup and an EXECUTE permission check in the catalog cache), so a key and the quotes around it are one literal.
Piece = str | ColumnElement[Any]


def _joined(pieces: list[Piece]) -> ColumnElement[str]:
    """The pieces concatenated by `||`, adjacent literals merged into one."""
    merged: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    elements = [_quoted(piece) if isinstance(piece, str) else piece for piece in merged]
    return _balanced(elements)


def _balanced(elements: list[ColumnElement[Any]]) -> ColumnElement[Any]:
    # `a || b || c ...` is left-associative: each || copies all that came before it, so a long text early in the
    # object (a description, the connection's edges) was copied once per piece after it. A balanced tree of || copies
    # each byte about log2(pieces) times (tests/unit/test_sql_json_shape.py).
    if len(elements) == 1:
        return elements[0]
    middle = len(elements) // 2
    return _balanced(elements[:middle]).op("||")(_balanced(elements[middle:])).self_group()


def _nullable(value: ColumnElement[Any], nullable: bool) -> ColumnElement[Any]:
    return func.coalesce(value, _quoted("null")) if nullable else value


def _value(part: Part, relation: str | None, columns: Columns) -> list[Piece]:
    kind, arg = part.kind, part.arg
    if kind == "const":
        return [arg]
    if kind == "object":
        return _object(arg, part.column if part.column is not None else relation, columns)
    if kind == "connection":
        return [columns(part.column, "json")]
    column = columns(relation, part.column)  # type: ignore[arg-type]  # every other part names its column
    if kind == "text":
        return [_nullable(cast(func.to_json(column), Text), arg)]
    if kind == "int":
        return [_nullable(cast(column, Text), arg)]
    if kind == "bool":
        return [_nullable(cast(column, Text), arg)]  # a boolean's text is `true` or `false`
    if kind == "date":
        return [_nullable(cast(func.to_json(column), Text), arg)]
    if kind == "utc":
        # One to_char (0.42 against 0.59 µs a row for two and a CASE): ".000000" can only be the microseconds.
        formatted = func.to_char(func.timezone(_quoted("UTC"), column), _quoted('YYYY-MM-DD"T"HH24:MI:SS.US'))
        text = func.replace(formatted, _quoted(".000000"), _quoted(""))
        if not arg:
            return ['"', text, '+00:00"']
        return [_nullable(_joined(['"', text, '+00:00"']), arg)]
    if kind == "enum":
        return [case(*((column == _quoted(stored), _quoted(f'"{name}"')) for stored, name in arg))]
    if kind == "gid":
        # "Type:<uuid>" is ASCII: textsend gives its bytes as they are (in any client encoding: all extend ASCII) —
        # one call, where a cast to bytea is two (text out, bytea in) and parses for escapes, and convert_to and
        # translate cost 0.76 µs a row; base64 ends a line after 76 characters (57 bytes, a newline even at the
        # end), so only shorter texts skip the translate.
        raw = func.textsend(_quoted(arg).op("||")(cast(column, Text)), type_=LargeBinary)
        encoded = func.encode(raw, _quoted("base64"))
        if len(arg) + 36 >= 57 or not arg.isascii() or "\\" in arg:  # 57 bytes: 76 characters and a newline
            encoded = func.translate(
                func.encode(
                    func.convert_to(_quoted(arg).op("||")(cast(column, Text)), _quoted("UTF8")), _quoted("base64")
                ),
                _quoted("\n"),
                _quoted(""),
            )
        return ['"', encoded, '"']
    if kind == "amount":
        # One branch per exponent, not per currency (a `= ANY` of a constant array: one node, not sixteen).
        currency = columns(relation, arg)
        scaled = [
            (
                currency == any_(_codes(codes)),
                cast(column, Text) if exponent == 0 else cast(column * _scale(exponent), Text),
            )
            for exponent, codes in _BY_EXPONENT.items()
        ]
        return ['"', case(*scaled), '"']
    raise ValueError(f"unknown part kind {kind!r}")


# exponent -> the currencies that have it, in CURRENCY_EXPONENTS' order
_BY_EXPONENT: dict[int, tuple[str, ...]] = {}
for _code, _exponent in CURRENCY_EXPONENTS.items():
    _BY_EXPONENT[_exponent] = (*_BY_EXPONENT.get(_exponent, ()), _code)


def _codes(codes: tuple[str, ...]) -> ColumnElement[Any]:
    # A text[] literal of currency codes (three capital letters: nothing to quote inside the array).
    if not all(code.isalpha() and code.isascii() for code in codes):
        raise ValueError(f"not currency codes: {codes!r}")
    return literal_column("'{" + ",".join(codes) + "}'::text[]")


def _scale(exponent: int) -> ColumnElement[Any]:
    # 10^-exponent as a numeric literal with exactly `exponent` decimal places: the product keeps that scale.
    return literal_column("0." + "0" * (exponent - 1) + "1")


def _object(parts: Parts, relation: str | None, columns: Columns) -> list[Piece]:
    pieces: list[Piece] = []
    for index, part in enumerate(parts):
        pieces.append(("{" if index == 0 else ",") + _key_text(part.key))
        pieces += _value(part, relation, columns)
    pieces.append("}" if parts else "{}")
    return pieces


def json_text(parts: Parts, columns: Columns) -> ColumnElement[str]:
    """The object of `parts` as JSON text, over the select's columns (`columns(relation, name)`)."""
    return _joined(_object(parts, None, columns))


def connection_part(parts: Parts) -> Part | None:
    """The object's connection part (the parts hold at most one), or None. Asked on every read of one order, of the
    same few parts objects: kept by the parts' id, the parts kept with it and compared by identity."""
    known = _connections.get(id(parts))
    if known is not None and known[0] is parts:
        return known[1]
    found = next((part for part in parts if part.kind == "connection"), None)
    if len(_connections) >= MAX_KEPT:
        _connections.clear()
    _connections[id(parts)] = (parts, found)
    return found


_connections: dict[int, tuple[Parts, Part | None]] = {}
MAX_KEPT = 1024


def connection_text(
    parts: Parts, node: ColumnElement[str], cursor: ColumnElement[str], position: ColumnElement[int], limit: Any
) -> ColumnElement[str]:
    """A connection's text (`parts`, a "connection" part's `arg`) as an aggregate over the rows of a first page read
    one row beyond it: each row's `node` JSON text, its `cursor` text (ASCII needing no escape: an id's text) and
    its `position` (1, 2, ...); `limit` the page size + 1 (a parameter). Edges in position order, the row at
    `limit` only telling that there are more. Over no rows: no edges, no cursors, no next page."""
    in_page = position < limit
    pieces: list[Piece] = []
    for index, part in enumerate(parts):
        pieces.append(("{" if index == 0 else ",") + _key_text(part.key))
        if part.kind == "const":
            pieces.append(part.arg)
        elif part.kind == "edges":
            edge = _joined(_edge(part.arg, node, cursor))
            # string_agg(edge, ',' ORDER BY position): the ORDER BY goes with the last argument
            listed = func.string_agg(edge, aggregate_order_by(_quoted(","), position)).filter(in_page)
            pieces += ["[", func.coalesce(listed, _quoted("")), "]"]
        elif part.kind == "page_info":
            pieces += _page_info(part.arg, cursor, position, limit)
        else:
            raise ValueError(f"not a part of a connection: {part.kind!r}")
    pieces.append("}" if parts else "{}")
    return _joined(pieces)


def _edge(parts: Parts, node: ColumnElement[str], cursor: ColumnElement[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for index, part in enumerate(parts):
        pieces.append(("{" if index == 0 else ",") + _key_text(part.key))
        if part.kind == "const":
            pieces.append(part.arg)
        elif part.kind == "node":
            pieces.append(node)
        elif part.kind == "cursor":
            pieces += ['"', cursor, '"']
        else:
            raise ValueError(f"not a part of an edge: {part.kind!r}")
    pieces.append("}" if parts else "{}")
    return pieces


def _page_info(parts: Parts, cursor: ColumnElement[str], position: ColumnElement[int], limit: Any) -> list[Piece]:
    pieces: list[Piece] = []
    in_page = position < limit
    for index, part in enumerate(parts):
        pieces.append(("{" if index == 0 else ",") + _key_text(part.key))
        if part.kind == "const":
            pieces.append(part.arg)
        elif part.kind == "has_next":
            pieces.append(case((func.count() >= limit, _quoted("true")), else_=_quoted("false")))
        elif part.kind in ("start_cursor", "end_cursor"):
            ordered = position if part.kind == "start_cursor" else position.desc()
            found = func.array_agg(aggregate_order_by(cursor, ordered)).filter(in_page)[1]
            pieces.append(func.coalesce(_quoted('"').op("||")(found).op("||")(_quoted('"')), _quoted("null")))
        else:
            raise ValueError(f"not a part of pageInfo: {part.kind!r}")
    pieces.append("}" if parts else "{}")
    return pieces


def columns_of(tables: Mapping[str | None, Any]) -> Columns:
    """`Columns` over selectables by relation name (None: the row's own)."""
    return lambda relation, name: tables[relation].c[name]
