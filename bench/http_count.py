"""Python opcodes and CPU per request as a worker of `exchange serve --workers N` spends them: bench.peer's pages
(as bench.request_cpu and bench.opcode_count run them) sent over HTTP to uvicorn in this process — uvloop,
httptools, `exchange/serving.py` uvicorn_options, the app as `exchange.bootstrap` builds it (its lifespan too),
prometheus-client's multiprocess mode in a temporary directory, production settings.

bench.opcode_count and bench.request_cpu hand each request straight to the ASGI app on asyncio's own loop, in one
process: they leave out uvicorn's HTTP protocol and the multiprocess metrics' writes, and count asyncio's loop in
Python where uvloop's is C. This counts what a worker runs: the requests come from a client thread (not traced, its
CPU not counted) over one keep-alive connection, one at a time.

Per page: opcodes per request (over `--requests`), and with `--cpu N` the event loop's thread's CPU time (user and
system: the socket's system calls included) per request over N more requests — load-sensitive, unlike the opcodes.

Usage:  EXCHANGE_DATA_DIR=/tmp/speed-data .venv/bin/python -m bench.http_count [--pages detail,board,floor]
        [--requests 50] [--warmup 400] [--cpu 0] [--top 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import Any

from api.observability.prometheus import MULTIPROC_ENV
from bench.opcode_count import _Count

_OURS = "BENCH_HTTP_COUNT_DIR"  # the directory this command made (removed at the end)


def _raw(port: int, body: bytes, token: str) -> bytes:
    """The request as wrk sends bench.peer's (bench/peer/requests.lua)."""
    lines = ["POST /graphql HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: application/json"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _client(
    port: int, requests: Sequence[bytes], count: int, done: asyncio.Future[list[str]], loop: Any
) -> None:  # runs in a thread
    problems: list[str] = []
    try:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            buffer = b""
            for index in range(count):
                sock.sendall(requests[index % len(requests)])
                while True:
                    end = buffer.find(b"\r\n\r\n")
                    if end >= 0:
                        head = buffer[:end].decode("latin-1")
                        length = next(
                            int(line.split(":", 1)[1])
                            for line in head.split("\r\n")
                            if line.lower().startswith("content-length:")
                        )
                        if len(buffer) >= end + 4 + length:
                            body = buffer[end + 4 : end + 4 + length]
                            if not head.startswith("HTTP/1.1 200") or b'"errors"' in body[:20]:
                                problems.append(f"{head.splitlines()[0]} {body[:300]!r}")
                            buffer = buffer[end + 4 + length :]
                            break
                    received = sock.recv(65536)
                    if not received:
                        raise ConnectionError("the server closed the connection")
                    buffer += received
    except Exception as error:  # reported by the caller
        problems.append(repr(error))
    loop.call_soon_threadsafe(done.set_result, problems)


async def _run(url: str, args: argparse.Namespace) -> None:
    import uvicorn

    from bench.common import production_settings
    from bench.peer.compare import prepare
    from bench.request_cpu import floor_pages
    from exchange.bootstrap import build_app, build_runtime
    from exchange.gc_tuning import tune_for_serving
    from exchange.logging import configure_logging
    from exchange.serving import uvicorn_options

    settings = production_settings(log_level="WARNING")
    configure_logging(settings)
    app = build_app(build_runtime(settings, url=url))
    tune_for_serving()
    wanted = args.pages.split(",")
    pages = [page for page in floor_pages(await prepare(url)) if page.name in wanted]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_options(settings)))
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:  # noqa: ASYNC110  (uvicorn's Server has no event to wait on)
        await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    print(f"loop: {type(loop).__module__}; http: {server.config.http_protocol_class.__name__}", flush=True)

    async def send(requests: list[bytes], count: int, trace: _Count | None = None) -> float:
        done: asyncio.Future[list[str]] = loop.create_future()
        client = threading.Thread(target=_client, args=(port, requests, count, done, loop))
        if trace is not None:
            sys.settrace(trace)
        started = time.thread_time()
        client.start()
        problems = await done
        cpu = time.thread_time() - started
        if trace is not None:
            sys.settrace(None)
        client.join()
        if problems:
            raise SystemExit(f"{problems[0]}")
        return cpu * 1000 / count

    try:
        for page in pages:
            requests = [_raw(port, request.body, request.token) for request in page.ours]
            await send(requests, args.warmup)  # documents cached, plans compiled, tokens checked once
            count = _Count(by_function=bool(args.top))
            await send(requests, args.requests, count)
            line = f"{page.name:<10} {count.total / args.requests:12.0f} opcodes/request"
            if args.cpu:
                line += f"   {await send(requests, args.cpu):.3f} ms CPU/request (event loop's thread)"
            print(line, flush=True)
            for function, executed in count.by_function.most_common(args.top):
                print(f"  {executed / args.requests:10.0f}  {function}")
    finally:
        server.should_exit = True
        await serving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="detail,board,floor")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    if os.environ.get(_OURS) is None:
        # prometheus-client picks its multiprocess values when it is imported: start again with the directory set.
        directory = tempfile.mkdtemp(prefix="bench-http-count-")
        env = os.environ | {MULTIPROC_ENV: directory, _OURS: directory}
        try:
            code = os.spawnve(os.P_WAIT, sys.executable, [sys.executable, "-m", "bench.http_count", *sys.argv[1:]], env)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        raise SystemExit(code)
    import uvloop

    from bench.common import bench_database

    with bench_database() as url:
        uvloop.run(_run(url, args))


if __name__ == "__main__":
    main()
