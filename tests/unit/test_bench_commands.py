"""Every benchmark command bench/*.md documents runs as written (here: with --help, from the repository's root):
a renamed module, a broken import or a script that only works as `-m` fails here instead of in a reader's shell."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted((ROOT / "bench").glob("*.md"))
# `.venv/bin/python -m bench.x` or `.venv/bin/python bench/x.py`; `.venv/bin/exchange <subcommand>`.
PYTHON = re.compile(r"\.venv/bin/python (-m bench(?:\.\w+)+|bench/[\w/]+\.py)")
EXCHANGE = re.compile(r"\.venv/bin/exchange ([a-z][\w-]*)")


def _commands(pattern: re.Pattern[str]) -> list[str]:
    found = {m.group(1) for document in DOCUMENTS for m in pattern.finditer(document.read_text())}
    return sorted(found)


def test_the_readme_documents_the_benchmarks() -> None:
    documented = _commands(PYTHON)
    modules = {c.removeprefix("-m ").replace(".", "/") for c in documented if c.startswith("-m ")}
    files = {c.removesuffix(".py") for c in documented if not c.startswith("-m ")}
    # Every benchmark the directory holds is documented (as a module or as a file).
    for name in ("peer", "request_cpu", "load", "graphql_overhead", "search_bench", "match_bench", "indexing_lag"):
        assert f"bench/{name}" in modules | files, f"bench/{name} is not documented in bench/*.md"


@pytest.mark.parametrize("command", _commands(PYTHON))
def test_documented_python_command_runs(command: str) -> None:
    argv = command.split() if command.startswith("-m ") else [str(ROOT / command)]
    done = subprocess.run(
        [sys.executable, *argv, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


@pytest.mark.parametrize("subcommand", _commands(EXCHANGE))
def test_documented_exchange_command_runs(subcommand: str) -> None:
    exchange = Path(sys.executable).parent / "exchange"
    done = subprocess.run(
        [str(exchange), subcommand, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
