"""schema.graphql is the checked-in contract with the SPA: it must be what the code serves."""

from __future__ import annotations

from pathlib import Path

from api.schema import build_schema
from exchange.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schema_is_current() -> None:
    served = build_schema(Settings()).as_str() + "\n"
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == served, "schema.graphql is stale: run `make schema` (exchange schema > schema.graphql)"
