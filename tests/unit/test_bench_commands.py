"""Every benchmark command bench/*.md documents runs as written (here: with --help, from the repository's root):
a renamed module, a broken import or a script that only works as `-m` fails here instead of in a reader's shell.

`-m` modules and `exchange` subcommands run in this process (runpy, as `python -m` runs them; exchange.cli.main, as
the console script calls it): a child interpreter per command re-imported the application each time, 20-30 s apiece
on a busy machine, and proved nothing more. A script run by its path keeps its child process: there sys.path[0] is
the script's folder, not the checkout, which is what breaks a script that only works as `-m`."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from exchange import cli

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


def _in_process(run: object, argv: list[str]) -> tuple[object, str]:
    """Run `run()` with sys.argv = argv; its exit code (SystemExit's or the return value) and what it printed."""
    out = io.StringIO()
    saved = sys.argv
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(out):
            try:
                code = run()  # type: ignore[operator]
            except SystemExit as exit_:
                code = exit_.code
    finally:
        sys.argv = saved
    return code, out.getvalue()


@pytest.mark.parametrize("command", _commands(PYTHON))
def test_documented_python_command_runs(command: str) -> None:
    if command.startswith("-m "):
        module = command.removeprefix("-m ")
        sys.modules.pop(module, None)  # imported by another benchmark: `python -m` would run it afresh
        code, printed = _in_process(
            lambda: runpy.run_module(module, run_name="__main__", alter_sys=True), [module, "--help"]
        )
        assert code in (0, None), printed[-2000:]
        assert "usage:" in printed
        return
    done = subprocess.run(
        [sys.executable, str(ROOT / command), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


@pytest.mark.parametrize("subcommand", _commands(EXCHANGE))
def test_documented_exchange_command_runs(subcommand: str) -> None:
    code, printed = _in_process(lambda: cli.main([subcommand, "--help"]), ["exchange"])

    assert code in (0, None), printed[-2000:]
    assert "usage:" in printed
