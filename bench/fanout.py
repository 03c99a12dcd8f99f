"""Realtime fan-out under a crowd: N graphql-ws sockets on `bidActivity` of one order, split across two API
processes on one database, while bids are placed through the API at a steady rate.

Starts two `exchange serve --no-worker` processes on 127.0.0.1 (the database: EXCHANGE_DATABASE_URL, or the
embedded one under EXCHANGE_DATA_DIR), signs up a buyer, one order and a manufacturer per bid through the API,
then runs three phases of `--bids` placeBid calls at `--rate` a second on the first process:

1. without subscribers: placeBid latency (the baseline);
2. with N sockets subscribed (alternately on each process), each asking what the web app's bid list asks
   (kind, bid id, status, bidder's name): placeBid latency again, and for every socket and bid the delay from
   the placeBid response to the event's arrival on the socket ("commit to delivery": the commit comes just
   before the response, so this is a hair short of it; also reported from the request's start, an upper bound);
3. the sockets closed: placeBid latency once more.

Also reported, from each process's /metrics: database reads per event (exchange_realtime_reads_total over the
events it heard), GraphQL executions of the subscription per event (exchange_realtime_executions_total: one per
group of sockets that receive the same bytes; here all the buyer's sockets on a process are one group), sockets
closed for lagging or for not reading, and each process's RSS before the sockets, with them open, and 5 s after
they closed. The sockets and the load generator run in this process, on
the same machine as the servers and PostgreSQL: the figures include their competition for the cores.

Usage:  EXCHANGE_DATA_DIR=/tmp/fanout-data .venv/bin/python -m bench.fanout [--subscribers 300] [--bids 40]
        [--rate 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.common import bench_database, load_average, percentile
from domain.organisations.legal_rules import inn_is_valid
from exchange.db import free_port

WATCH = """subscription($id: ID!) { bidActivity(orderId: $id) {
  __typename ... on BidActivity { kind bid { id status manufacturer { id name } } } ... on UserError { code } } }"""
SIGN_UP = """mutation($input: SignUpInput!) { signUp(input: $input) {
  __typename ... on AuthPayload { token organisation { id } } ... on UserError { code message } } }"""
PROFILE = """mutation($org: ID!, $input: ManufacturerProfileInput!) { updateManufacturerProfile(organisationId: $org,
  input: $input) { __typename ... on UserError { code message } } }"""
CERTIFY = """mutation($input: CertificationInput!) { setCertification(input: $input) {
  __typename ... on UserError { code message } } }"""
CREATE_ORDER = """mutation($input: CreateOrderInput!) { createOrder(input: $input) {
  __typename ... on OrderSuccess { order { id } } ... on UserError { code message field } } }"""
PLACE_BID = """mutation($input: PlaceBidInput!) { placeBid(input: $input) {
  __typename ... on BidSuccess { bid { id } } ... on UserError { code message field } } }"""


@dataclass
class Api:
    port: int
    process: subprocess.Popen[bytes]
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=60)

    async def gql(self, query: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise RuntimeError(f"{response.status_code}: {response.text[:500]}")
        return dict(next(iter(body["data"].values())))

    async def metric(self, name: str, **labels: str) -> float:
        text = (await self.client.get("/metrics")).text
        wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
        pattern = re.compile(rf"^{re.escape(name)}(?:\{{{re.escape(wanted)}\}})? ([0-9.e+-]+)$", re.M)
        found = pattern.search(text)
        return float(found.group(1)) if found else 0.0

    async def buckets(self, name: str, **labels: str) -> dict[float, float]:
        """A histogram's cumulative bucket counts (upper bound -> count) for the series with `labels`."""
        text = (await self.client.get("/metrics")).text
        found: dict[float, float] = {}
        for line in text.splitlines():
            if not line.startswith(name + "_bucket{"):
                continue
            raw, _, value = line.rpartition(" ")
            pairs = dict(re.findall(r'(\w+)="([^"]*)"', raw))
            if all(pairs.get(k) == v for k, v in labels.items()):
                found[float(pairs["le"])] = float(value)
        return found

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)

    def rss_mb(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20


def start(url: str, log: Any, profile: Path | None = None) -> Api:
    port = free_port()
    env = os.environ | {
        "EXCHANGE_DATABASE_URL": url,
        "EXCHANGE_ENV": "development",
        "EXCHANGE_LOG_LEVEL": "WARNING",
        "EXCHANGE_SIGN_UPS_PER_ADDRESS_PER_HOUR": "100000",
        "EXCHANGE_WS_MAX_SUBSCRIPTIONS": "5",
    }
    serve = ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)]
    command = [str(Path(sys.executable).with_name("exchange")), *serve]
    if profile is not None:  # cProfile writes the process's profile when it stops
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "exchange.cli", *serve]
    return Api(port, subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))


async def wait_ready(api: Api) -> None:
    for _ in range(600):
        if api.process.poll() is not None:
            raise RuntimeError("an API process exited; see its log")
        try:
            if (await api.client.get("/health")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("an API process did not come up")


def stop(api: Api) -> None:
    if api.process.poll() is None:
        api.process.send_signal(signal.SIGINT)
        try:
            api.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            api.process.kill()
            api.process.wait()


_n = iter(range(10**9))


async def sign_up(api: Api, kind: str, region: str) -> tuple[str, str]:
    n = next(_n)
    stamp = f"{int(time.time()) % 10**6:06d}{n:04d}"  # ten digits; new on every run
    # A Russian organisation signs up with its ИНН: nine of the stamp's digits and the check digit that fits them.
    legal_id = next(stamp[1:] + d for d in "0123456789" if inn_is_valid(stamp[1:] + d))
    result = await api.gql(
        SIGN_UP,
        {
            "input": {
                "email": f"fanout{stamp}@example.com",
                "password": "correct horse battery",
                "fullName": f"Bench {n}",
                "organisation": {
                    "name": f"Bench {kind.lower()} {n}",
                    "legalId": legal_id,
                    "region": region,
                    "kind": kind,
                },
            }
        },
    )
    if result["__typename"] != "AuthPayload":
        raise RuntimeError(result)
    return result["token"], result["organisation"]["id"]


async def manufacturer(api: Api) -> str:
    token, org = await sign_up(api, "MANUFACTURER", "RU-SVE")
    profile = {
        "processes": ["CNC_MILLING"],
        "materials": ["Aluminium 6061"],
        "minQuantity": 1,
        "maxQuantity": 100000,
        "maxPartXMm": 800,
        "description": "bench",
    }
    await api.gql(PROFILE, {"org": org, "input": profile}, token)
    until = (datetime.now(UTC) + timedelta(days=900)).date().isoformat()
    cert = {"organisationId": org, "standard": "ISO_9001", "certificateNumber": "B-1", "validUntil": until}
    await api.gql(CERTIFY, {"input": cert}, token)
    return token


async def market(api: Api, bidders: int) -> tuple[str, str, list[str]]:
    buyer, _ = await sign_up(api, "BUYER", "RU-MOW")
    now = datetime.now(UTC)
    order = {
        "title": "Fan-out bench bracket",
        "description": "bench",
        "process": "CNC_MILLING",
        "material": "Aluminium 6061",
        "quantity": 500,
        "toleranceClass": "FINE",
        "requiredCertifications": ["ISO_9001"],
        "needBy": (now + timedelta(days=60)).date().isoformat(),
        "deliveryRegion": "RU-MOW",
        "budgetMin": {"amount": "100000.00", "currency": "RUB"},
        "budgetMax": {"amount": "250000.00", "currency": "RUB"},
        "biddingDeadline": (now + timedelta(days=14)).isoformat(),
        "estimatedMachineHours": 120,
        "publish": True,
    }
    created = await api.gql(CREATE_ORDER, {"input": order}, buyer)
    if created["__typename"] != "OrderSuccess":
        raise RuntimeError(created)
    makers = []
    for _ in range(bidders):
        makers.append(await manufacturer(api))
    return buyer, created["order"]["id"], makers


@dataclass
class Phase:
    mutation_ms: list[float] = field(default_factory=list)
    sent: dict[str, tuple[float, float]] = field(default_factory=dict)  # bid id -> (request start, response)


async def place_bids(api: Api, order_id: str, makers: list[str], rate: float) -> Phase:
    phase = Phase()
    valid = (datetime.now(UTC) + timedelta(days=45)).date().isoformat()

    async def one(token: str, i: int) -> None:
        terms = {"unitPrice": {"amount": f"{250 + i}.00", "currency": "RUB"}, "leadTimeDays": 30, "validUntil": valid}
        started = time.perf_counter()
        result = await api.gql(PLACE_BID, {"input": {"orderId": order_id, "terms": terms}}, token)
        answered = time.perf_counter()
        if result["__typename"] != "BidSuccess":
            raise RuntimeError(result)
        phase.mutation_ms.append((answered - started) * 1000)
        phase.sent[result["bid"]["id"]] = (started, answered)

    tasks = []
    for i, token in enumerate(makers):  # open loop: on schedule, whatever the answers' latency
        tasks.append(asyncio.create_task(one(token, i)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    return phase


class Watcher:
    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.arrivals: dict[str, float] = {}
        self.closed: int | None = None

    async def listen(self) -> None:
        try:
            async for frame in self.conn:
                message = orjson.loads(frame)
                if message["type"] == "next":
                    activity = message["payload"]["data"]["bidActivity"]
                    if activity.get("__typename") == "BidActivity":
                        self.arrivals[activity["bid"]["id"]] = time.perf_counter()
                elif message["type"] == "ping":
                    await self.conn.send('{"type":"pong"}')
        except Exception:
            pass
        close = self.conn.protocol.close_rcvd
        self.closed = close.code if close else None


async def open_watcher(api: Api, token: str, order_id: str) -> tuple[Watcher, asyncio.Task[None]]:
    conn = await connect(
        f"ws://127.0.0.1:{api.port}/graphql",
        subprotocols=[Subprotocol("graphql-transport-ws")],
        open_timeout=60,
    )
    await conn.send(orjson.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}).decode())
    ack = orjson.loads(await conn.recv())
    if ack["type"] != "connection_ack":
        raise RuntimeError(ack)
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": WATCH, "variables": {"id": order_id}}}
    await conn.send(orjson.dumps(subscribe).decode())
    watcher = Watcher(conn)
    return watcher, asyncio.create_task(watcher.listen())


async def sockets_open(apis: list[Api], enough: Callable[[float], bool]) -> None:
    """Until each process's open websockets (its /metrics) satisfy `enough`."""
    async with asyncio.timeout(180):
        while not all([enough(await api.metric("exchange_websocket_connections")) for api in apis]):  # noqa: ASYNC110
            await asyncio.sleep(0.2)


async def listening(apis: list[Api], subscribers: int) -> None:
    async with asyncio.timeout(300):
        while sum([await api.metric("exchange_realtime_subscribers") for api in apis]) < 2 * subscribers:  # noqa: ASYNC110
            await asyncio.sleep(0.5)


async def listening_none(apis: list[Api]) -> None:
    async with asyncio.timeout(120):
        while sum([await api.metric("exchange_realtime_subscribers") for api in apis]) > 0:  # noqa: ASYNC110
            await asyncio.sleep(0.5)


DELIVERY = "exchange_realtime_delivery_seconds"
# From the process hearing the event to: its read done, the group's result executed and handed out, each frame
# written to its socket (api/observability/prometheus.py REALTIME_DELIVERY).
STAGES = ("read", "executed", "written")


def quantiles(after: dict[float, float], before: dict[float, float]) -> dict[str, float | None]:
    """p50 and p99 (the upper bound of the bucket they fall in, ms) of a histogram's observations between two
    reads, and how many there were."""
    counts = sorted((le, n - before.get(le, 0.0)) for le, n in after.items())
    total = counts[-1][1] if counts else 0.0

    def bound(q: float) -> float | None:
        for le, n in counts:
            if n >= q * total:
                return le * 1000
        return None

    return {"n": total, "p50_le": bound(0.5), "p99_le": bound(0.99)}


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"n": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99), "max": max(values)}


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fanout-bench-") as tmp:
        logs = [(Path(tmp) / f"api{i}.log").open("wb") for i in range(2)]
        apis: list[Api] = []
        try:
            profiles = [args.profile / f"api{i}.prof" if args.profile else None for i in range(2)]
            apis.append(start(url, logs[0], profiles[0]))
            await wait_ready(apis[0])  # the first one migrates; the second starts on a migrated database
            apis.append(start(url, logs[1], profiles[1]))
            await wait_ready(apis[1])
            a = apis[0]
            began = time.perf_counter()
            buyer, order_id, makers = await market(a, 3 * args.bids + 5)
            setup_seconds = time.perf_counter() - began
            warm = makers[-5:]
            await place_bids(a, order_id, warm, args.rate)  # warm-up: pools, caches
            await asyncio.sleep(1)
            rss_before = [api.rss_mb() for api in apis]
            without = await place_bids(a, order_id, makers[: args.bids], args.rate)

            watchers: list[tuple[Watcher, asyncio.Task[None]]] = []
            for i in range(args.subscribers):
                watchers.append(await open_watcher(apis[i % 2], buyer, order_id))
            await sockets_open(apis, lambda n: n >= args.subscribers // 2)
            # Every subscription listening (a socket's sign-in watcher counts too: two per socket), then a pause for
            # the last ones' permission checks.
            await listening(apis, args.subscribers)
            await asyncio.sleep(5)
            reads_before = [await api.metric("exchange_realtime_reads_total", topic="bid_activity") for api in apis]
            events_before = [await api.metric("exchange_realtime_events_total", topic="bid_activity") for api in apis]
            executions_before = [
                await api.metric("exchange_realtime_executions_total", field="bidActivity") for api in apis
            ]
            stages_before = {stage: [await api.buckets(DELIVERY, stage=stage) for api in apis] for stage in STAGES}
            cpu_before = [api.cpu_seconds() for api in apis]
            crowd = await place_bids(a, order_id, makers[args.bids : 2 * args.bids], args.rate)
            await asyncio.sleep(3)  # the last events arrive
            cpu = [api.cpu_seconds() - c0 for api, c0 in zip(apis, cpu_before, strict=True)]
            stages = {
                stage: [
                    quantiles(await api.buckets(DELIVERY, stage=stage), b0)
                    for api, b0 in zip(apis, stages_before[stage], strict=True)
                ]
                for stage in STAGES
            }
            rss_during = [api.rss_mb() for api in apis]
            reads = [await api.metric("exchange_realtime_reads_total", topic="bid_activity") for api in apis]
            events = [await api.metric("exchange_realtime_events_total", topic="bid_activity") for api in apis]
            lagging = [await api.metric("exchange_realtime_lagging_total", topic="bid_activity") for api in apis]
            executions = [await api.metric("exchange_realtime_executions_total", field="bidActivity") for api in apis]
            slow = [await api.metric("exchange_realtime_slow_sockets_total") for api in apis]
            from_response, from_request, missing = [], [], 0
            for watcher, _ in watchers:
                for bid_id, (started, answered) in crowd.sent.items():
                    arrived = watcher.arrivals.get(bid_id)
                    if arrived is None:
                        missing += 1
                        continue
                    from_response.append((arrived - answered) * 1000)
                    from_request.append((arrived - started) * 1000)
            closed_by_server = sum(1 for watcher, _ in watchers if watcher.closed is not None)
            for watcher, task in watchers:
                await watcher.conn.close()
                task.cancel()
            watchers.clear()
            gc.collect()
            await sockets_open(apis, lambda n: n == 0)
            await listening_none(apis)
            await asyncio.sleep(5)
            rss_after = [api.rss_mb() for api in apis]
            after = await place_bids(a, order_id, makers[2 * args.bids : 3 * args.bids], args.rate)
        finally:
            for api in apis:
                await api.client.aclose()
                stop(api)
            for log in logs:
                log.close()

    per_process = [
        (r - r0) / (e - e0) if e > e0 else None
        for r, r0, e, e0 in zip(reads, reads_before, events, events_before, strict=True)
    ]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, load average {load_average()} at the end",
        "subscribers": args.subscribers,
        "bids_per_phase": args.bids,
        "rate_per_second": args.rate,
        "place_bid_ms": {
            "without": stats(without.mutation_ms),
            "with": stats(crowd.mutation_ms),
            "after": stats(after.mutation_ms),
        },
        "delivery_ms_from_response": stats(from_response),
        "delivery_ms_from_request": stats(from_request),
        "deliveries_missing": missing,
        "sockets_closed_by_server": closed_by_server,
        "lagging_closed": lagging,
        "events_heard_per_process": [e - e0 for e, e0 in zip(events, events_before, strict=True)],
        "reads_per_event_per_process": per_process,
        "executions_per_event_per_process": [
            (x - x0) / (e - e0) if e > e0 else None
            for x, x0, e, e0 in zip(executions, executions_before, events, events_before, strict=True)
        ],
        "slow_sockets_closed": slow,
        "cpu_ms_per_event_per_process": [
            round(1000 * c / (e - e0), 1) if e > e0 else None
            for c, e, e0 in zip(cpu, events, events_before, strict=True)
        ],
        "server_stages_ms_per_process": stages,
        "rss_mb": {"before": rss_before, "during": rss_during, "after": rss_after},
        "setup_seconds": round(setup_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument("--bids", type=int, default=40, help="placeBid calls per phase")
    parser.add_argument("--rate", type=float, default=2.0, help="placeBid calls started per second")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="run the API processes under cProfile and write api0.prof, api1.prof in this directory (slower)",
    )
    args = parser.parse_args()
    with bench_database() as url:  # outside the event loop: starting the embedded server runs a loop of its own
        result = asyncio.run(run(args, url))
    text = orjson.dumps(result, option=orjson.OPT_INDENT_2).decode()
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
