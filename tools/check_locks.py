"""Check that requirements/*.lock agree with pyproject.toml, without asking a package index anything.

For each lock: every requirement pyproject.toml states for it is met by a pinned line, every requirement of a
pinned package (as its installed metadata says, extras included) is met by a pinned line too, and every pinned
package is reachable from pyproject.toml's requirements (no stale pins). prod.lock pins the same versions as
dev.lock, so the tests run what ships. The metadata comes from the environment this runs in (`make` installs
dev.lock and build.lock into .venv), so the check also says when that environment is out of date.

    python tools/check_locks.py           exit 1 with one line per problem; `make lock` rewrites the locks
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


@dataclass(frozen=True)
class Lock:
    path: Path
    pins: dict[str, Version]
    unhashed: list[str]


def read_lock(path: Path) -> Lock:
    pins: dict[str, Version] = {}
    unhashed: list[str] = []
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match is None:
            continue
        name = canonicalize_name(match.group(1))
        pins[name] = Version(match.group(2))
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if "--hash=" not in line and "--hash=" not in following:
            unhashed.append(name)
    return Lock(path=path, pins=pins, unhashed=unhashed)


def project_requirements(pyproject: dict[str, object], extras: Iterable[str]) -> list[Requirement]:
    """The project's requirements with the given extras, self-references (`name[extra]`) expanded."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    own = canonicalize_name(project["name"])
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    wanted, seen = list(extras), set()
    result = [Requirement(text) for text in project.get("dependencies", [])]
    while wanted:
        extra = wanted.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in optional.get(extra, []):
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == own:
                wanted.extend(requirement.extras)
            else:
                result.append(requirement)
    return result


def applies(requirement: Requirement, extras: Iterable[str] = ()) -> bool:
    """The requirement's marker holds here; `extra == "x"` holds only when x is among `extras`."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in (list(extras) or [""]))


def dependencies(name: str, extras: frozenset[str]) -> list[Requirement]:
    requires = metadata.distribution(name).requires or []
    return [requirement for text in requires if applies(requirement := Requirement(text), extras)]


def check_lock(lock: Lock, roots: list[Requirement], label: str) -> list[str]:
    problems = [f"{label}: {name} has no --hash (install uses --require-hashes)" for name in lock.unhashed]
    reached: dict[str, set[str]] = {}
    queue = [(requirement, "pyproject.toml") for requirement in roots if applies(requirement)]
    while queue:
        requirement, wanted_by = queue.pop()
        name = canonicalize_name(requirement.name)
        pinned = lock.pins.get(name)
        if pinned is None:
            problems.append(f"{label}: {requirement} (wanted by {wanted_by}) is not pinned")
            continue
        if not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{label}: {name}=={pinned} does not meet {requirement} (wanted by {wanted_by})")
        extras = {canonicalize_name(extra) for extra in requirement.extras}
        if name in reached and extras <= reached[name]:
            continue
        reached.setdefault(name, set()).update(extras)
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            problems.append(f"{label}: {name} is not installed here; run `make` to install the locks")
            continue
        if installed != pinned:
            problems.append(f"{label}: {name} {installed} is installed, the lock pins {pinned}; run `make`")
            continue
        queue.extend((dependency, name) for dependency in dependencies(name, frozenset(reached[name])))
    problems += [
        f"{label}: {name}=={version} is pinned but nothing in pyproject.toml needs it"
        for name, version in sorted(lock.pins.items())
        if name not in reached
    ]
    return problems


def check(root: Path = ROOT) -> list[str]:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    locks = root / "requirements"
    prod, dev, build = (read_lock(locks / f"{name}.lock") for name in ("prod", "dev", "build"))
    build_roots = [Requirement(text) for text in pyproject["build-system"]["requires"]] + [Requirement("pip")]
    problems = check_lock(prod, project_requirements(pyproject, []), "requirements/prod.lock")
    problems += check_lock(dev, project_requirements(pyproject, ["dev"]), "requirements/dev.lock")
    problems += check_lock(build, build_roots, "requirements/build.lock")
    problems += [
        f"requirements/prod.lock pins {name}=={version}, requirements/dev.lock {dev.pins.get(name)}"
        for name, version in sorted(prod.pins.items())
        if dev.pins.get(name) != version
    ]
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("the locks do not match pyproject.toml: run `make lock`", file=sys.stderr)
        return 1
    print("requirements/*.lock match pyproject.toml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
