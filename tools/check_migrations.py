"""Lint over migrations/versions: what a migration must not do to a table that already holds rows.

- An index on a table the migration does not create is built with migrations.ops.create_index_concurrently (a plain
  CREATE INDEX blocks every write to the table while it builds). Raw SQL: CREATE INDEX needs CONCURRENTLY.
- No data backfill (UPDATE / INSERT / DELETE) in a migration: migrations run at start-up, in one transaction;
  register a resumable backfill in exchange/backfill.py and run it after the deploy (`exchange backfill run`).

The migrations written before these rules (below) ran against empty or small tables, and are not changed: an
applied migration is history. Usage: python tools/check_migrations.py [DIR]; exit 1 and one line per problem.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import TypeGuard

VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"

BEFORE_THE_RULES = frozenset(
    {
        "20261125_0001_initial_schema.py",
        "20261125_0002_escrow_milestones_ledger_bank_transfers_.py",
        "20261125_0003_stripe_connected_accounts_payment_.py",
        "20261125_live_0001_notifications.py",
        "20261125_live_0002_order_questions.py",
        "20261125_live_0003_contract_messages.py",
        "20261125_live_0004_bid_feedback.py",
        "20261125_live_0005_reviews.py",
        "20261125_live_0006_saved_searches.py",
        "20261125_matching_0001_capacity_reservations.py",
        "20261125_matching_0002_manufacturer_record.py",
        "20261125_matching_0003_split_awards.py",
        "20261125_search_0001_search_and_outbox.py",
        "20261125_search_0002_broad_searches.py",
        "20261126_live_0007_notification_seq.py",
        "20261126_matching_0004_match_candidate.py",
        "20261127_orders_0001_board_indexes.py",
    }
)

_DATA = re.compile(r"^\s*(WITH\b.*\b)?(UPDATE|INSERT|DELETE)\b", re.IGNORECASE | re.DOTALL)
_INDEX = re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\b(?!\s+CONCURRENTLY)", re.IGNORECASE)


def _is_op_call(node: ast.AST, name: str) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "op"
    )


def _string(node: ast.AST | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        # The literal parts as written, each interpolated value as "x".
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "x"
            for part in node.values
        )
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Call) and node.args and getattr(node.func, "id", getattr(node.func, "attr", "")) == "text":
        return _string(node.args[0], constants)
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
    if upgrade is None:
        return []
    created = {
        value
        for node in ast.walk(upgrade)
        if _is_op_call(node, "create_table")
        and (value := _string(_argument(node, 0, "table_name"), constants)) is not None
    }
    found = []
    for node in ast.walk(upgrade):
        if not isinstance(node, ast.Call):
            continue
        where = f"{path.name}:{node.lineno}"
        if _is_op_call(node, "create_index"):
            table = _string(_argument(node, 1, "table_name"), constants)
            if table not in created:
                found.append(
                    f"{where}: an index on {table or 'an existing table'}, which may hold rows: "
                    "use migrations.ops.create_index_concurrently"
                )
        elif _is_op_call(node, "execute"):
            sql = _string(_argument(node, 0, "sqltext"), constants) or ""
            if _DATA.match(sql):
                found.append(
                    f"{where}: a data backfill in a migration: register it in exchange/backfill.py "
                    "(`exchange backfill run`) instead"
                )
            elif _INDEX.search(sql):
                found.append(
                    f"{where}: CREATE INDEX without CONCURRENTLY: use migrations.ops.create_index_concurrently"
                )
    return found


def check(directory: Path = VERSIONS, *, exempt: frozenset[str] = BEFORE_THE_RULES) -> list[str]:
    return [problem for path in sorted(directory.glob("*.py")) if path.name not in exempt for problem in problems(path)]


def main() -> int:
    found = check(Path(sys.argv[1]) if len(sys.argv) > 1 else VERSIONS)
    print(*found, sep="\n", file=sys.stderr) if found else print("migrations/versions: no unsafe operations")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
