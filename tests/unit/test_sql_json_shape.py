"""The shape of the SQL that domain/sql_json.py writes, where PostgreSQL's cost depends on it (bench/README.md,
`pgcost`): on every run of a generic plan the executor sets up each function node again (each `||`, each `=` of a
CASE branch), and a left-deep chain of `||` copies all that came before each piece. What the text says is tested
byte for byte against the server's own answers in tests/api/test_sql_json.py, test_sql_json_orders.py and
test_order_detail_reads.py."""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import Any

from sqlalchemy import column, table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import BinaryExpression, ColumnClause, Grouping

from domain.money import CURRENCY_EXPONENTS
from domain.sql_json import Part, json_text

ROW = table(
    "row",
    column("id"),
    column("title"),
    column("note"),
    column("status"),
    column("count"),
    column("flag"),
    column("at"),
    column("minor"),
    column("currency"),
)
BIDDER = table("bidder", column("id"), column("name"))
PARTS = (
    Part("__typename", "const", None, '"Bid"'),
    Part("id", "gid", "id", "Bid:"),
    Part("title", "text", "title", False),
    Part("note", "text", "note", True),
    Part("status", "enum", "status", (("active", "ACTIVE"), ("withdrawn", "WITHDRAWN"))),
    Part("count", "int", "count", False),
    Part("flag", "bool", "flag", False),
    Part("at", "utc", "at", False),
    Part(
        "price", "object", None, (Part("amount", "amount", "minor", "currency"), Part("cur", "text", "currency", False))
    ),
    Part("bidder", "object", "bidder", (Part("id", "gid", "id", "Organisation:"), Part("name", "text", "name", False))),
)


def _columns(relation: str | None, name: str) -> Any:
    return (BIDDER if relation == "bidder" else ROW).c[name]


def _sql() -> str:
    expression = json_text(PARTS, _columns)
    return str(expression.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def _unwrapped(expression: Any) -> Any:
    while isinstance(expression, Grouping):
        expression = expression.element
    return expression


def _is_concat(expression: Any) -> bool:
    return isinstance(expression, BinaryExpression) and getattr(expression.operator, "opstring", None) == "||"


def _concat_leaves(expression: Any) -> list[Any]:
    """The operands of a tree of `||`, in order."""
    expression = _unwrapped(expression)
    if _is_concat(expression):
        return _concat_leaves(expression.left) + _concat_leaves(expression.right)
    return [expression]


def _concat_depth(expression: Any) -> int:
    expression = _unwrapped(expression)
    if _is_concat(expression):
        return 1 + max(_concat_depth(expression.left), _concat_depth(expression.right))
    return 0


def _literal(expression: Any) -> bool:
    return isinstance(expression, ColumnClause) and expression.is_literal


def test_no_two_literals_are_concatenated_at_run_time() -> None:
    leaves = _concat_leaves(json_text(PARTS, _columns))
    # a literal, `||`, a literal: one function node too many on every run
    assert not any(_literal(a) and _literal(b) for a, b in pairwise(leaves))
    # the keys and quotes are still all there, merged
    literals = [leaf.name for leaf in leaves if _literal(leaf)]
    assert """'{"__typename":"Bid","id":"'""" in literals
    assert """'+00:00","price":{"amount":"'""" in literals


def test_the_concatenation_is_a_balanced_tree() -> None:
    expression = json_text(PARTS, _columns)
    leaves, depth = len(_concat_leaves(expression)), _concat_depth(expression)
    assert leaves >= 15  # not an empty comparison: the object has many pieces
    # left-deep, the depth would be leaves - 1; balanced, about log2(leaves)
    assert depth <= math.ceil(math.log2(leaves)) + 1, (leaves, depth)


def test_an_amount_has_one_branch_per_exponent_and_names_every_currency_once() -> None:
    sql = _sql()
    amount = sql[sql.index('"amount":') :]
    amount = amount[: amount.index(" END") + 4]
    assert amount.count("WHEN") == len(set(CURRENCY_EXPONENTS.values())) == 2
    named = re.findall(r"'\{([A-Z,]+)\}'", amount)
    assert sorted(code for group in named for code in group.split(",")) == sorted(CURRENCY_EXPONENTS)
