"""A CPU-time sampling profiler for bench.request_cpu `--sample`: where a request's Python CPU goes, in proportions
that hold without a profiler's own cost.

Why: cProfile (`--profile`) costs a call hook on every Python call, so a request under it takes 3 times its CPU, and
the share of code that makes many small calls (the compiled executor's generated functions, row views, money) is
inflated against code that spends its time in C (asyncpg's protocol, orjson). A sample taken every `interval`
seconds of this process's CPU time (ITIMER_PROF, SIGPROF) costs ~20 µs, so at 0.5 ms the request costs ~5 % more.

What: each sample records the interrupted Python stack. The report gives each function's inclusive share (on the
stack) and self share (innermost frame), as milliseconds of CPU per request (share times CPU per request).
Two caveats: a signal is handled between bytecodes, so time in C code (a socket send, asyncpg decoding rows in its
Cython protocol) lands on the next Python frame to run (`asyncio/base_events.py:call_soon` after a read is asyncpg
decoding); and work outside the request's own coroutine has stacks that do not reach its frames: the event loop's
callbacks (asyncpg reading a result: "(event-loop callback)") and SQLAlchemy's synchronous side, which runs in
greenlets (the pool's checkout and return, Connection.execute, Session.close: "(in a greenlet)").
"""

from __future__ import annotations

import collections
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def _where(frame: FrameType) -> str:
    code = frame.f_code
    name = code.co_filename
    for marker in ("site-packages/", "python3.11/", "python3.12/", "python3.13/"):
        if marker in name:
            name = name.split(marker, 1)[1]
            break
    else:
        for marker in ("/api/", "/domain/", "/bench/", "/exchange/", "/search/"):
            if marker in name:
                name = marker[1:] + name.split(marker, 1)[1]
                break
    return f"{name}:{code.co_name}"


class Sampler:
    def __init__(self, interval: float = 0.0005) -> None:
        self.interval = interval
        self.stacks: list[list[str]] = []

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        stack = []
        while frame is not None:
            stack.append(_where(frame))
            frame = frame.f_back
        self.stacks.append(stack)

    @contextmanager
    def running(self) -> Iterator[None]:
        previous = signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, previous)

    def report(self, cpu_ms_per_request: float, lines: int, root: str) -> str:
        """The top `lines` functions by inclusive and by self CPU, in ms per request. `root`: a function every
        request's own stack passes through (samples without it ran in a greenlet)."""
        total = len(self.stacks)
        if not total:
            return "no samples"
        inclusive: collections.Counter[str] = collections.Counter()
        own: collections.Counter[str] = collections.Counter()
        for stack in self.stacks:
            own[stack[0]] += 1
            functions = set(stack)
            if not any(root in function for function in functions):
                in_loop = any("base_events.py:_run_once" in function for function in functions)
                functions.add("(event-loop callback)" if in_loop else "(in a greenlet)")
            for function in functions:
                inclusive[function] += 1
        scale = cpu_ms_per_request / total
        out = [f"{total} samples; ms of CPU per request, on the stack (inclusive):"]
        out += [f"{count * scale:8.3f}  {function}" for function, count in inclusive.most_common(lines)]
        out.append("innermost (self):")
        out += [f"{count * scale:8.3f}  {function}" for function, count in own.most_common(lines)]
        return "\n".join(out)
