"""The production image, built without a Docker engine by following the Dockerfile.

One directory stands for the image's file system: container paths the Dockerfile names (WORKDIRs, the paths
the final stage copies from the build stage) map into it. The build stage's COPY lines are carried out
honouring .dockerignore, its RUN lines run through `sh -c` with those paths rewritten. What the final stage
does not copy from the build stage is then removed, so the final stage's command sees only what the image would
have. The steps that Docker runs as root set-up (the user account) are not carried out; processes run as the
current user.

A RUN step before the source tree is copied (the dependency layer) is cached, as Docker caches layers: keyed by
every instruction before it and the files they copied, and kept under the user's cache directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CACHE_ROOT = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "contract-exchange" / "image-layers"
KEPT_LAYERS = 3
# The machine's pip settings (its index, certificates) apply as they do to any pip here; the rest of the
# environment does not leak into the image.
HOST_VARIABLES = ("HOME", "LANG", "LC_ALL", "TMPDIR")


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    flags: dict[str, str] = field(default_factory=dict)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)


def parse_dockerfile(text: str) -> list[Stage]:
    """Instructions by stage; comments dropped, continuation lines joined, leading --flags split off."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, rest = line.partition(" ")
        flags: dict[str, str] = {}
        rest = rest.strip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            name, _, value = flag[2:].partition("=")
            flags[name] = value
            rest = rest.strip()
        if keyword.upper() == "FROM":
            words = rest.split()
            stage = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=stage))
            continue
        stages[-1].instructions.append(Instruction(keyword.upper(), rest, flags))
    return stages


def _pattern(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


@dataclass(frozen=True)
class DockerIgnore:
    """.dockerignore as Docker reads it: a path is left out when it or a parent matches; the last rule wins."""

    rules: tuple[tuple[bool, re.Pattern[str]], ...]

    @classmethod
    def read(cls, context: Path) -> DockerIgnore:
        path = context / ".dockerignore"
        lines = path.read_text().splitlines() if path.exists() else []
        rules = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            pattern = os.path.normpath(line.removeprefix("!").strip()).lstrip("/")
            rules.append((negate, _pattern(pattern)))
        return cls(tuple(rules))

    def ignored(self, relative: str) -> bool:
        parts = relative.split("/")
        prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        result = False
        for negate, pattern in self.rules:
            if any(pattern.match(prefix) for prefix in prefixes):
                result = not negate
        return result

    def files(self, context: Path, source: str) -> list[Path]:
        """The context's files under `source` (a file or a directory) that are sent to the builder."""
        start = (context / source).resolve()
        if start.is_file():
            return [] if self.ignored(start.relative_to(context).as_posix()) else [start]
        found = []
        for folder, dirs, names in os.walk(start):
            here = Path(folder)
            dirs[:] = [d for d in dirs if not self.ignored((here / d).relative_to(context).as_posix())]
            found += [here / n for n in names if not self.ignored((here / n).relative_to(context).as_posix())]
        return found


@dataclass
class Image:
    root: Path
    env: dict[str, str]
    workdir: Path
    command: list[str]
    healthcheck: str | None
    cached_layers: int = 0
    seconds: float = 0.0

    def run(
        self, args: list[str], *, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.workdir, env=self.env | (env or {}), capture_output=True, text=True, timeout=timeout
        )


class ImageBuilder:
    def __init__(self, context: Path, root: Path, *, cache_root: Path = CACHE_ROOT) -> None:
        self.context = context.resolve()
        self.root = root.resolve()
        self.cache_root = cache_root
        self.stages = parse_dockerfile((self.context / "Dockerfile").read_text())
        self.ignore = DockerIgnore.read(self.context)
        final = self.stages[-1]
        copied = [shlex.split(i.arguments) for i in final.instructions if i.keyword == "COPY" and "from" in i.flags]
        for arguments in copied:
            assert arguments[0] == arguments[-1], f"the final stage must copy {arguments[0]} to the same path"
        self.kept = [arguments[0] for arguments in copied]
        workdirs = [i.arguments for s in self.stages for i in s.instructions if i.keyword == "WORKDIR"]
        # Longest first, so that /opt/venv is rewritten before a shorter path that begins it would be.
        self.container_paths = sorted({*workdirs, *self.kept}, key=len, reverse=True)

    def host(self, container_path: str) -> Path:
        return self.root / container_path.lstrip("/")

    def rewrite(self, text: str) -> str:
        for path in self.container_paths:
            text = re.sub(rf"(?<![\w./-]){re.escape(path)}(?=$|[/\s:;'\"])", str(self.host(path)), text)
        return text

    def _env(self, declared: dict[str, str]) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if k in HOST_VARIABLES or k.startswith("PIP_")}
        # `python` is the interpreter the tests run on: the image's python:3.11 stands in for it. Its own
        # directory goes on PATH (a venv remembers the path it was made from, so no temporary link will do).
        interpreter = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
        assert (interpreter.parent / "python").exists(), f"no `python` beside {interpreter}"
        base["PATH"] = f"{interpreter.parent}{os.pathsep}{os.environ.get('PATH', '')}"
        for key, value in declared.items():
            base[key] = self.rewrite(value).replace("${PATH}", base["PATH"]).replace("$PATH", base["PATH"])
        # A layer cache of our own replaces pip's "no cache" (which only keeps the image small).
        base.pop("PIP_NO_CACHE_DIR", None)
        return base

    def build(self) -> Image:
        started = time.monotonic()
        self.root.mkdir(parents=True, exist_ok=True)
        build_stages, final = self.stages[:-1], self.stages[-1]
        cached = 0
        for stage in build_stages:
            declared: dict[str, str] = {}
            workdir = self.root
            # The base image stands for the interpreter the tests run on, so that is part of a layer's key too.
            digest = hashlib.sha256(f"{stage.base} {sys.version} {sys.platform}\n".encode())
            context_copied = False
            for instruction in stage.instructions:
                digest.update(f"{instruction}\n".encode())
                if instruction.keyword == "ENV":
                    declared |= _env_pairs(instruction.arguments)
                elif instruction.keyword == "WORKDIR":
                    workdir = self.host(instruction.arguments)
                    workdir.mkdir(parents=True, exist_ok=True)
                elif instruction.keyword == "COPY":
                    *sources, destination = shlex.split(instruction.arguments)
                    context_copied |= "." in sources
                    for source in sources:
                        for file in self._copy(source, destination, workdir):
                            digest.update(file.read_bytes())
                elif instruction.keyword == "RUN":
                    script = self.rewrite(instruction.arguments)
                    if not context_copied and self._restore(digest.hexdigest()):
                        cached += 1
                        continue
                    # What another stage made before this step (the web app's dist, built first) is not this
                    # step's layer: restoring it would link a stale copy over the one this build made.
                    existing = set(self._snapshot_paths())
                    result = subprocess.run(
                        ["sh", "-c", script], cwd=workdir, env=self._env(declared), capture_output=True, text=True
                    )
                    assert result.returncode == 0, f"RUN {instruction.arguments}\n{result.stdout}\n{result.stderr}"
                    if not context_copied:
                        self._store(digest.hexdigest(), skip=existing)
                else:
                    assert instruction.keyword in ("ARG", "LABEL"), f"the emulation lacks {instruction.keyword}"
        # The final image holds what its stage copies from the build stage, and nothing else of it.
        _prune(self.root, {self.host(kept) for kept in self.kept})
        declared = {}
        workdir = self.root
        command: list[str] = []
        healthcheck = None
        for instruction in final.instructions:
            if instruction.keyword == "ENV":
                declared |= _env_pairs(instruction.arguments)
            elif instruction.keyword == "WORKDIR":
                workdir = self.host(instruction.arguments)
                workdir.mkdir(parents=True, exist_ok=True)
            elif instruction.keyword == "CMD":
                command = _exec_form(instruction.arguments)
            elif instruction.keyword == "HEALTHCHECK":
                healthcheck = instruction.arguments.removeprefix("CMD").strip()
            elif instruction.keyword == "RUN":
                assert re.fullmatch(r"(groupadd|useradd)[^&]*(&&\s*(groupadd|useradd)[^&]*)*", instruction.arguments), (
                    f"the emulation runs no RUN in the final stage but account set-up: {instruction.arguments}"
                )
        return Image(
            root=self.root,
            env=self._env(declared),
            workdir=workdir,
            command=[self.rewrite(word) for word in command],
            healthcheck=self.rewrite(healthcheck) if healthcheck else None,
            cached_layers=cached,
            seconds=time.monotonic() - started,
        )

    def _copy(self, source: str, destination: str, workdir: Path) -> list[Path]:
        target = (workdir / destination) if not destination.startswith("/") else self.host(destination)
        files = self.ignore.files(self.context, source)
        assert files, f"COPY {source}: nothing in the build context (or all of it in .dockerignore)"
        start = (self.context / source).resolve()
        for file in sorted(files):
            if start.is_file():
                into = target / file.name if destination.endswith("/") else target
            else:
                into = target / file.relative_to(start)
            into.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, into)
        return sorted(files)

    def _snapshot_paths(self) -> list[Path]:
        return [self.host(kept) for kept in self.kept if self.host(kept).exists()]

    def _store(self, key: str, *, skip: set[Path]) -> None:
        """Keep what the step made in the kept paths (the venv) as a layer, under the cache root; `skip`: kept paths
        that were there before the step (made by an earlier stage)."""
        staging = self.cache_root / f"{key}.{os.getpid()}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for path in self._snapshot_paths():
            if path in skip:
                continue
            shutil.copytree(path, staging / path.relative_to(self.root), symlinks=True)
        (staging / "ROOT").write_text(str(self.root))
        try:
            staging.rename(self.cache_root / key)
        except OSError:  # stored meanwhile by another run
            shutil.rmtree(staging, ignore_errors=True)
        layers = sorted(
            (p for p in self.cache_root.iterdir() if not p.name.endswith(".partial")), key=lambda p: p.stat().st_mtime
        )
        for old in layers[:-KEPT_LAYERS]:
            shutil.rmtree(old, ignore_errors=True)

    def _restore(self, key: str) -> bool:
        layer = self.cache_root / key
        if not (layer / "ROOT").exists():
            return False
        old_root = (layer / "ROOT").read_text()
        for kept in self.kept:
            stored = layer / kept.lstrip("/")
            if stored.exists():
                # Hard links: nothing writes into an installed file; a venv's scripts are written anew below.
                shutil.copytree(stored, self.host(kept), symlinks=True, copy_function=os.link, dirs_exist_ok=True)
        _relocate(self.root, old_root, str(self.root))
        os.utime(layer)
        return True


def _prune(directory: Path, keep: set[Path]) -> None:
    for entry in directory.iterdir():
        if entry in keep:
            continue
        if any(entry in kept.parents for kept in keep):
            _prune(entry, keep)
        elif entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _relocate(root: Path, old: str, new: str) -> None:
    """A venv names its own path in its scripts' #! lines: point them at the new place (new files, not in place)."""
    for script in root.glob("**/bin/*"):
        if script.is_symlink() or not script.is_file():
            continue
        data = script.read_bytes()
        if old.encode() not in data:
            continue
        mode = script.stat().st_mode
        script.unlink()
        script.write_bytes(data.replace(old.encode(), new.encode()))
        script.chmod(mode)


def _env_pairs(arguments: str) -> dict[str, str]:
    pairs = {}
    for word in shlex.split(arguments):
        key, _, value = word.partition("=")
        pairs[key] = value
    return pairs


def _exec_form(arguments: str) -> list[str]:
    import json

    words = json.loads(arguments)
    assert isinstance(words, list), "CMD in exec form (a JSON list) is what `docker stop` signals directly"
    return [str(word) for word in words]
