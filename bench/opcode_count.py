"""Python bytecode instructions executed per request, for bench.peer's pages run in process as bench.request_cpu runs
them: a count that does not depend on the machine's load, for A/B of small cuts on a busy machine (CPU time there
scatters by ±20 % between rounds). C work (orjson, asyncpg's protocol, os.urandom) is not counted, so it
understates a cut of C calls; the big page's count varies by a few hundred between runs (the event loop's turns).

Usage:  EXCHANGE_DATA_DIR=/tmp/speed-data .venv/bin/python -m bench.opcode_count [--pages board,detail,big,floor]
        [--top 40]   (--top: the functions executing the most opcodes, per request)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from types import FrameType
from typing import Any

from api.app import create_app
from bench.common import bench_database, production_settings
from bench.peer.compare import prepare
from bench.request_cpu import floor_pages, measure
from exchange.bootstrap import build_runtime, close_runtime
from exchange.gc_tuning import tune_for_serving
from exchange.logging import configure_logging


class _Count:
    """A trace function counting opcode events (and, when asked, by function)."""

    def __init__(self, *, by_function: bool) -> None:
        self.total = 0
        self.keep = by_function
        self.by_function: Counter[str] = Counter()

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> Any:
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        if event == "opcode":
            self.total += 1
            if self.keep:
                code = frame.f_code
                self.by_function[f"{code.co_filename.rsplit('site-packages/', 1)[-1]}:{code.co_name}"] += 1
        return self


async def run(url: str, args: argparse.Namespace) -> None:
    settings = production_settings(log_level="WARNING")
    configure_logging(settings)
    runtime = build_runtime(settings, url=url)
    app = create_app(runtime.deps)
    tune_for_serving()
    wanted = args.pages.split(",")
    pages = [page for page in floor_pages(await prepare(url)) if page.name in wanted]
    try:
        for page in pages:
            await measure(app, page, 40, 40, None, [], [])  # warm: documents cached, plans compiled
            requests = 3 if page.name == "big" else 20
            count = _Count(by_function=bool(args.top))
            sys.settrace(count)
            try:
                await measure(app, page, requests, 0, None, [], [])  # runs requests + 1
            finally:
                sys.settrace(None)
            print(f"{page.name:<10} {count.total / (requests + 1):12.0f} opcodes/request", flush=True)
            for function, executed in count.by_function.most_common(args.top):
                print(f"  {executed / (requests + 1):10.0f}  {function}")
    finally:
        await close_runtime(runtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="board,detail,big,floor,floor-anon")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    with bench_database() as url:
        asyncio.run(run(url, args))


if __name__ == "__main__":
    main()
