"""The domain's areas import each other one way only: a directed acyclic graph, layered as below.

An area is a package domain/<area>/. Shared modules sit under every area and import none: domain/*.py (errors,
actor, clock, money, text, pagination, rows, uow, outbox, realtime, vocabulary, columns) and domain/ports/ (the
protocols the adapters implement: payments, storage, search, mail, and matching's records). domain/tables.py, the
registry of every table for Alembic and the tests, is the one shared module that imports the areas (their models).

Tables are the schema layer: any area may read another's tables (domain/<area>/models.py), and a models module
imports nothing of another area but its tables. Behaviour (rules, services, queries) is what must not go round in
circles. The layers, lowest first (an area imports only areas in lower layers):

    1  organisations, manufacturers, ledger, notifications, capacity
    2  identity (sign-up makes an organisation), orders, payments (ledger, notifications), taxes (organisations,
       ledger)
    3  bids (orders, capacity holds), questions, saved_searches
    4  contracts (bids, capacity, ledger, payments)
    5  files, reviews, operator, reminders (contracts), fanout (realtime reads: tables only)
    6  messages (files), matching (contracts, reviews, capacity), documents (contracts, files)
    7  kpis (matching, reviews)

Where a lower area must tell a higher one, it calls a port: orders, bids, contracts, organisations and manufacturers
refresh matching's records through domain/ports/records.py, which domain/matching/__init__.py implements."""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
SHARED_PACKAGES = {"ports"}
# The shared modules allowed to import areas, and why.
REGISTRIES = {"tables": "the registry of every table (Alembic's metadata, the tests' truncation)"}
LAYERS: dict[str, int] = {
    **dict.fromkeys(("organisations", "manufacturers", "ledger", "notifications", "capacity"), 1),
    **dict.fromkeys(("identity", "orders", "payments", "taxes"), 2),
    **dict.fromkeys(("bids", "questions", "saved_searches"), 3),
    "contracts": 4,
    **dict.fromkeys(("files", "reviews", "operator", "reminders", "fanout"), 5),
    **dict.fromkeys(("messages", "matching", "documents"), 6),
    "kpis": 7,
}


def areas() -> set[str]:
    return {
        path.name
        for path in DOMAIN.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in SHARED_PACKAGES
    }


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the file, at any depth (functions, TYPE_CHECKING blocks too). For
    `from a.b import c`: a.b.c, and a.b itself unless it is a package (then c is one of its modules, or a name its
    __init__ gives)."""
    package = ".".join(path.relative_to(DOMAIN.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if not (DOMAIN.parent / base.replace(".", "/")).is_dir():
                found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def target(name: str, known: set[str]) -> tuple[str, str] | None:
    """(area, module within it) an import names, or None when it is no area's."""
    parts = name.split(".")
    if len(parts) < 2 or parts[0] != "domain" or parts[1] not in known:
        return None
    return parts[1], parts[2] if len(parts) > 2 else ""


def edges() -> dict[tuple[str, str], list[str]]:
    """(from area, to area) -> where: the behaviour imports between areas (tables excepted, see the docstring)."""
    known = areas()
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for area in known:
        for path in sorted((DOMAIN / area).rglob("*.py")):
            for line, name in imported_modules(path):
                hit = target(name, known)
                if hit is None or hit[0] == area or hit[1] == "models":
                    continue
                found[(area, hit[0])].append(f"{path.relative_to(DOMAIN.parent)}:{line} imports {name}")
    return found


def knots(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one area (Tarjan): areas that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def closed_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first area (breadth first, inside the component)."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph.get(node, ())):
            if succ == start:
                return [*paths[node], start]
            if succ in members and succ not in paths:
                paths[succ] = [*paths[node], succ]
                queue.append(succ)
    return component


def test_areas_import_each_other_without_cycles() -> None:
    found = edges()
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target_area in found:
        graph[source].add(target_area)
    report = []
    for knot in knots(graph):
        path = closed_path(graph, knot)
        report.append(f"{len(knot)} areas reach each other ({', '.join(knot)}); one circle: {' -> '.join(path)}")
        for source, target_area in pairwise(path):
            report.extend(f"    {where}" for where in found[(source, target_area)])
    assert not report, "the domain's areas import each other in a circle:\n" + "\n".join(report)


def test_every_area_has_its_layer_and_imports_only_lower_layers() -> None:
    assert set(LAYERS) == areas(), "place every area in LAYERS (and in this module's docstring)"
    upward = [
        f"{source} ({LAYERS[source]}) -> {target_area} ({LAYERS[target_area]}): {where}"
        for (source, target_area), wheres in sorted(edges().items())
        for where in wheres
        if LAYERS[target_area] >= LAYERS[source]
    ]
    assert not upward, "an area imports one of its own layer or a higher one:\n" + "\n".join(upward)


def test_shared_modules_import_no_area() -> None:
    known = areas()
    shared = [path for path in DOMAIN.glob("*.py") if path.stem not in REGISTRIES]
    shared += [path for package in SHARED_PACKAGES for path in (DOMAIN / package).rglob("*.py")]
    offending = [
        f"{path.relative_to(DOMAIN.parent)}:{line} imports {name}"
        for path in sorted(shared)
        for line, name in imported_modules(path)
        if target(name, known) is not None
    ]
    assert not offending, "shared modules (domain/*.py, domain/ports/) must not import an area:\n" + "\n".join(
        offending
    )


def test_tables_import_only_tables_of_other_areas() -> None:
    """The schema layer stays a layer: a models module reads nothing of another area but its tables."""
    known = areas()
    offending = []
    for area in sorted(known):
        for path in sorted((DOMAIN / area).rglob("models.py")):
            for line, name in imported_modules(path):
                hit = target(name, known)
                if hit is not None and hit[0] != area and hit[1] != "models":
                    offending.append(f"{path.relative_to(DOMAIN.parent)}:{line} imports {name}")
    assert not offending, "\n".join(offending)


def test_the_cycle_finder_finds_and_prints_a_knot() -> None:
    # The checker itself: a knot of three and a tail outside it.
    graph = {"bids": {"orders"}, "orders": {"contracts"}, "contracts": {"bids", "ledger"}, "ledger": set()}
    assert knots(graph) == [["bids", "contracts", "orders"]]
    assert closed_path(graph, ["bids", "contracts", "orders"]) == ["bids", "orders", "contracts", "bids"]
    assert knots({"a": {"b"}, "b": set()}) == []


async def test_the_records_port_is_matchings_and_refuses_to_skip_a_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.tables  # noqa: F401  (every process that has the schema loads matching with it)
    from domain.matching import records as matching_records
    from domain.ports import records as port

    assert port._installed is matching_records
    monkeypatch.setattr(port, "_installed", None)
    with pytest.raises(RuntimeError, match="matching's records are not installed"):
        await port.refresh_candidates(None, [])  # type: ignore[arg-type]  # refused before a session is used
