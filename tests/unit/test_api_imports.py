"""The api/ package's modules import each other without cycles, and api/ never imports exchange/.

Every import counts, also those inside functions (a deferred import is still a dependency: it only hides the
cycle from the interpreter); imports under `if TYPE_CHECKING:` do not (they exist for annotations only).

GraphQL types that refer to each other both ways (an order's bids and a bid's order) are written so that one
module is the lower: the higher type appears in the lower module's annotations through `strawberry.lazy`, and its
values are built with the class the schema holds (api/schema_types.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "api").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for orelse in child.orelse:
                    visit(orelse)
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    name = f"{child.module}.{alias.name}"
                    if name in modules:
                        found.add(name)
                    elif child.module in modules:
                        found.add(child.module)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name in modules)
            visit(child)

    visit(ast.parse(path.read_text()))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected sets of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}

    assert cycles(graph) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_api_modules_form_no_import_cycle() -> None:
    graph = import_graph()

    assert len(graph) > 100  # the whole package was read
    found = [sorted(cycle) for cycle in cycles(graph)]
    assert found == [], f"import cycles among api modules: {found}"


def _outside_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in the file, at any depth, TYPE_CHECKING blocks included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def test_api_never_imports_exchange() -> None:
    """exchange/ (settings, wiring, CLI, worker) imports the API; the API is given what it needs (AppDeps, the
    settings as api/settings.py's protocol) and imports nothing of exchange/, not even for annotations."""
    modules = _modules()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in modules.values()
        for line, name in _outside_imports(path)
        if name == "exchange" or name.startswith("exchange.")
    ]

    assert len(modules) > 100
    assert found == []


def test_the_exchange_finder_sees_every_form_of_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import exchange.settings\nfrom exchange import metrics\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from exchange.settings import Settings\n"
        "def f():\n    from exchange.cli import main\n"
    )

    assert [name for _, name in _outside_imports(module) if name.startswith("exchange")] == [
        "exchange.settings",
        "exchange",
        "exchange.settings",
        "exchange.cli",
    ]


def test_the_engine_imports_no_area_but_through_hot_types_and_no_area_type_imports_the_engine() -> None:
    graph = import_graph()
    engine = {name for name in graph if name == "api.execution" or name.startswith("api.execution.")}

    area_types = [name for name in graph if name.endswith(".types") and name.count(".") == 2]
    assert area_types and not [name for name in area_types if graph[name] & engine]
    for name in engine - {"api.execution.hot_types"}:
        outside = {target for target in graph[name] - engine if target.count(".") >= 2}
        assert outside <= {"api.context"}, (name, outside)
