"""Values written into a statement's text instead of sent as its parameters, so that its plan is made for them.

Every pooled connection plans a prepared statement once, for any values (`plan_cache_mode = force_generic_plan`,
exchange/db.py). Most reads are served well by that one plan; a few are not, because the best plan depends on how
many rows a value selects: how many organisations a directory filter's regions and processes keep (a rare region:
walk those few; a common one: walk the newest and stop at the page), how much of the ledger a report's period
covers, which postings a prefix matches. Their values go into the text (quoted by SQLAlchemy's literal rendering,
never by hand): the statement is then planned for them once per connection and kept, like any other. What a user
types never goes in this way: only values from a closed set (an enum's values, a checked region code, a constant)
or a time, so the kinds of statement stay few. tests/integration/test_generic_plans_elsewhere.py holds the
statements that need it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam, cast, literal
from sqlalchemy.sql.type_api import TypeEngine


def inline(value: Any, type_: TypeEngine[Any]) -> Any:
    """`value` in the statement's text, as `type_` (an array is cast to its column's type: an array literal is
    text[] to PostgreSQL, which a varchar[] column's operators do not take)."""
    rendered = literal(value, type_, literal_execute=True)
    return cast(rendered, type_) if isinstance(value, list | tuple) else rendered


def inline_in(values: Sequence[Any]) -> BindParameter[Any]:
    """The values of an `IN` list in the statement's text."""
    return bindparam(None, list(values), expanding=True, literal_execute=True)
