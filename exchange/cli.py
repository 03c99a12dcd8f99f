"""`exchange` command line: serve | worker | migrate | seed | search | schema | create-operator."""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import getpass
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from functools import partial
from importlib import metadata
from types import FrameType
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from exchange.errors import SetupError
from exchange.logging import configure_logging
from exchange.settings import Settings


@contextmanager
def database(settings: Settings, *, migrate: bool = True) -> Iterator[str]:
    """The database URL, migrated; an embedded server started here is stopped on the way out."""
    from exchange.bootstrap import resolve_database_url
    from exchange.db import check_reachable
    from exchange.migrate import upgrade

    url, server = resolve_database_url(settings)
    try:
        check_reachable(url)
        if migrate:
            upgrade(url)
        yield url
    finally:
        if server is not None and server.started_here:
            server.stop()


def run_refusable(settings: Settings, run: Callable[[str], Coroutine[Any, Any, None]]) -> int:
    """Runs a command's `run(url)` on the migrated database: 0, or 2 with the refusal when the domain refuses."""
    from domain.errors import DomainError

    with database(settings) as url:
        try:
            asyncio.run(run(url))
        except DomainError as error:
            print(f"refused: {error.message} ({error.field})", file=sys.stderr)
            return 2
    return 0


class Terminated(Exception):
    """SIGTERM, raised where the process is, so that `finally` blocks (the embedded PostgreSQL's stop) run."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _in_main_thread() -> bool:
    # Signal handlers belong to the main thread; `main` called from another (as tests do) leaves them alone.
    return threading.current_thread() is threading.main_thread()


@contextmanager
def sigterm_raises_terminated() -> Iterator[None]:
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from exchange.serving import run_workers, uvicorn_options

    # uvicorn shuts down gracefully on SIGTERM as on SIGINT, then raises the signal again once its own handlers
    # are gone: with the default action that would end the process before the embedded PostgreSQL is stopped.
    try:
        with sigterm_raises_terminated(), database(settings) as url:
            # Handed to uvicorn's app factory (and to its --reload / --workers child processes).
            os.environ["EXCHANGE_DATABASE_URL"] = url
            if args.no_worker:
                os.environ["EXCHANGE_SERVE_RUNS_WORKER"] = "false"
            if (args.workers or 1) > 1:
                # Each worker process writes its samples there; /metrics, answered by any of them, sums them all.
                from api.observability.prometheus import prepare_multiprocess_dir

                prepare_multiprocess_dir(settings.metrics_dir or settings.data_dir / "metrics")
            # With --workers N, each worker listens on a socket of its own (exchange/serving.py): new connections
            # are spread evenly over them.
            run_workers(
                "exchange.bootstrap:app_from_settings",
                factory=True,
                host=args.host or settings.host,
                port=args.port or settings.port,
                reload=args.reload,
                workers=args.workers,
                **uvicorn_options(settings),
            )
    except (Terminated, KeyboardInterrupt):
        pass
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from exchange.bootstrap import build_runtime, close_runtime
    from exchange.worker import run_forever

    async def run(url: str) -> None:
        # SIGTERM (an orchestrator stopping the container) and SIGINT end the loop between passes: the pass under
        # way finishes and commits what it did, then the worker exits 0.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if _in_main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
        runtime = build_runtime(settings, url=url)
        if settings.worker_metrics_port:
            from prometheus_client import start_http_server

            # Timer lag and e-mails sent live in this process; the API's /metrics cannot see them.
            start_http_server(settings.worker_metrics_port, addr=settings.host)
        try:
            await run_forever(runtime.deps, stop=stop)
        finally:
            await close_runtime(runtime)

    try:
        # Until the loop handles it (while migrating, say), SIGTERM raises Terminated.
        with sigterm_raises_terminated(), database(settings) as url:
            asyncio.run(run(url))
    except (Terminated, KeyboardInterrupt):
        pass
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings):
        print("database is at the latest migration")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from api.schema import build_schema

    sys.stdout.write(build_schema(settings).as_str() + "\n")
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from exchange.seed import SeedMismatch, seed

    if args.profile is not None:
        return _seed_profile(args, settings)
    if args.orgs is None:
        args.orgs = 200
    if args.orgs < 0:
        print("refused: --orgs must not be negative", file=sys.stderr)
        return 2
    with database(settings) as url:
        try:
            summary = asyncio.run(seed(url, organisations=args.orgs, random_seed=args.random_seed))
        except SeedMismatch as error:
            print(f"refused: {error}", file=sys.stderr)
            return 2
    print(summary)
    return 0


def _seed_profile(args: argparse.Namespace, settings: Settings) -> int:
    from exchange.seed_scale import PROFILES, DatabaseNotEmpty, seed_profile

    if args.orgs is not None:
        print("refused: give --profile or --orgs, not both", file=sys.stderr)
        return 2
    with database(settings) as url:
        try:
            summary = asyncio.run(seed_profile(url, profile=PROFILES[args.profile], random_seed=args.random_seed))
        except DatabaseNotEmpty as error:
            print(f"refused: {error}", file=sys.stderr)
            return 2
    print(summary)
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from domain.ports.search import IndexName
    from exchange.bootstrap import build_runtime, close_runtime
    from exchange.outbox_relay import outbox_backlog
    from search.reindex import reindex

    async def run(url: str) -> None:
        runtime = build_runtime(settings, url=url)
        deps = runtime.deps
        assert deps.search is not None
        try:
            if args.search_command == "status":
                backlog = await outbox_backlog(deps.session_factory)
                backend = "meilisearch " + str(settings.meili_url) if settings.meili_url else "postgres"
                print(f"backend: {backend}")
                print(f"outbox: {backlog.pending} pending ({backlog.failing} failing), {backlog.done} done")
                if backlog.oldest is not None:
                    age = deps.clock.now() - backlog.oldest
                    print(f"oldest pending: {backlog.oldest.isoformat()} ({age.total_seconds():.0f} s ago)")
                return
            names = [IndexName(args.index)] if args.index else list(IndexName)
            for name in names:
                with tqdm(desc=f"reindex {name.value}", unit="doc") as bar:
                    stored = await reindex(
                        deps.session_factory,
                        deps.clock,
                        deps.search,
                        name,
                        on_total=partial(setattr, bar, "total"),
                        on_batch=bar.update,
                    )
                print(f"{name.value}: {stored} documents indexed")
        finally:
            await close_runtime(runtime)

    with database(settings) as url:
        asyncio.run(run(url))
    return 0


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    """`exchange backfill list | run NAME`: data backfills, batch by batch, resumable (exchange/backfill.py)."""
    from tqdm import tqdm

    from domain.clock import SystemClock
    from exchange.backfill import BACKFILLS, run_backfill, statuses
    from exchange.db import create_engine, create_session_factory

    if args.backfill_command == "run" and args.name not in BACKFILLS:
        print(f"refused: no backfill named {args.name!r}; `exchange backfill list` names them", file=sys.stderr)
        return 2
    if args.backfill_command == "run" and args.batch < 1:
        print("refused: --batch must be at least 1", file=sys.stderr)
        return 2

    async def run(url: str) -> int:
        engine = create_engine(url, pool_size=1)
        session_factory = create_session_factory(engine)
        try:
            if args.backfill_command == "list":
                for status in await statuses(session_factory):
                    print(f"{status.name}: {status.state}, {status.rows_done} rows — {status.description}")
                return 0
            with tqdm(desc=f"backfill {args.name}", unit="row") as bar:
                progress = await run_backfill(
                    session_factory,
                    SystemClock(),
                    args.name,
                    batch_size=args.batch,
                    restart=args.restart,
                    on_batch=bar.update,
                )
            print(f"{args.name}: done, {progress.rows_done} rows")
            return 0
        finally:
            await engine.dispose()

    with sigterm_raises_terminated(), database(settings) as url:
        try:
            return asyncio.run(run(url))
        except (Terminated, KeyboardInterrupt):
            # The batch under way rolled back; the ones before it are recorded: `run` again resumes after them.
            print(f"stopped: run `exchange backfill run {getattr(args, 'name', '')}` again to resume", file=sys.stderr)
            return 130


def _relay_hint(value: str) -> str:
    """For a Relay global id (base64 of `Type:uuid`, as the API gives out): the UUID inside it."""
    try:
        kind, _, inner = base64.b64decode(value, validate=True).decode().partition(":")
        return f" (it is the API's id of {kind} {UUID(inner)}: pass that UUID)"
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    """`exchange match allocate`: an operator's batch proposal over open orders, one JSON line per award."""
    from datetime import datetime

    import orjson

    from domain.actor import Actor
    from domain.clock import SystemClock
    from domain.matching.allocation import Objective
    from domain.matching.plan import allocation_plan, open_order_ids
    from domain.matching.rules import BidFactor
    from exchange.db import create_engine, create_session_factory

    operator = Actor(user_id=UUID(int=0), is_operator=True)
    order_ids: list[UUID] = []
    for value in args.order:
        try:
            order_ids.append(UUID(value))
        except ValueError:
            print(f"refused: --order takes an order's UUID; {value!r} is not one{_relay_hint(value)}", file=sys.stderr)
            return 2

    async def run(url: str) -> None:
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                ids = order_ids or await open_order_ids(session, limit=args.limit)
                if not ids:
                    print(orjson.dumps({"orders": 0, "awards": 0}).decode(), file=sys.stderr)
                    return
                result = await allocation_plan(
                    session,
                    actor=operator,
                    order_ids=ids,
                    objective=Objective(args.objective),
                    now=datetime.fromisoformat(args.now) if args.now else SystemClock().now(),
                    weights={BidFactor(k): v for k, v in settings.match_bid_weights.items()},
                    time_budget_seconds=args.seconds or settings.match_allocation_seconds,
                )
            plan = result.plan
            for arc, quantity in zip(plan.awards, plan.quantities, strict=True):
                bid = result.bids[arc.bid_id] if arc.bid_id else None
                line = {
                    "order_id": str(arc.order_id),
                    "bid_id": str(arc.bid_id),
                    "quantity": quantity,
                    "score": arc.score,
                }
                if bid is not None:
                    line |= {"manufacturer_id": str(bid.manufacturer_organisation_id), "total_minor": bid.total_minor}
                print(orjson.dumps(line).decode())
            summary = {
                "orders": len(ids),
                "awards": len(plan.awards),
                "unassigned": len(result.unassigned),
                "objective": plan.objective_value,
                "greedy_objective": plan.greedy_value,
                "method": plan.method,
                "optimal": plan.optimal,
                "seconds": round(plan.seconds, 3),
            }
            print(orjson.dumps(summary).decode(), file=sys.stderr)
        finally:
            await engine.dispose()

    return run_refusable(settings, run)


def cmd_create_operator(args: argparse.Namespace, settings: Settings) -> int:
    from domain.clock import SystemClock
    from domain.identity.service import create_operator
    from domain.uow import UnitOfWork
    from exchange.db import create_engine, create_session_factory

    password = args.password or getpass.getpass("password: ")

    async def run(url: str) -> None:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_session_factory(engine), SystemClock()) as uow:
                user = await create_operator(uow, email=args.email, password=password, full_name=args.name)
            print(f"operator {user.email} ready")
        finally:
            await engine.dispose()

    return run_refusable(settings, run)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="exchange", description="Contract production exchange")
    root.add_argument("--version", action="version", version=f"%(prog)s {metadata.version('contract-exchange')}")
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, then serve the API (GraphiQL at /graphql in dev)")
    serve.add_argument("--host", default=None, help="default: EXCHANGE_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: EXCHANGE_PORT or 8000")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    serve.add_argument("--workers", type=int, default=None, help="uvicorn worker processes")
    serve.add_argument("--no-worker", action="store_true", help="do not run the worker loop in this process")
    serve.set_defaults(run=cmd_serve)

    worker = commands.add_parser("worker", help="run timers and background work (any number may run)")
    worker.set_defaults(run=cmd_worker)

    migrate = commands.add_parser("migrate", help="apply the Alembic migrations")
    migrate.set_defaults(run=cmd_migrate)

    seed = commands.add_parser("seed", help="load demo data (idempotent), or a benchmark profile (--profile)")
    seed.add_argument("--orgs", type=int, default=None, help="number of organisations (default 200)")
    seed.add_argument(
        "--profile",
        choices=["tiny", "seed-scale", "10x"],
        default=None,
        help="bulk-load a benchmark data set into an empty database: seed-scale = 20k organisations, 100k orders, "
        "1M bids, contracts in every state; 10x = ten times that",
    )
    seed.add_argument("--random-seed", type=int, default=42)
    seed.set_defaults(run=cmd_seed)

    schema = commands.add_parser("schema", help="print the GraphQL SDL")
    schema.set_defaults(run=cmd_schema)

    search = commands.add_parser("search", help="capability search: reindex, status")
    search_commands = search.add_subparsers(dest="search_command", required=True)
    reindex = search_commands.add_parser("reindex", help="rebuild search indexes from the database")
    reindex.add_argument("--index", choices=["manufacturers", "orders"], default=None, help="default: both")
    search_commands.add_parser("status", help="the outbox backlog: what the worker has yet to index")
    search.set_defaults(run=cmd_search)

    match = commands.add_parser("match", help="matching: batch allocation proposals")
    match_commands = match.add_subparsers(dest="match_command", required=True)
    allocate = match_commands.add_parser(
        "allocate", help="propose awards across open orders under capacity (advice: prints JSON lines)"
    )
    allocate.add_argument("--order", action="append", default=[], help="an order UUID (repeat); default: open ones")
    allocate.add_argument("--limit", type=int, default=500, help="at most this many open orders (default 500)")
    allocate.add_argument("--objective", choices=["score", "cost"], default="score")
    allocate.add_argument("--seconds", type=float, default=None, help="solver time budget")
    allocate.add_argument("--now", default=None, help="evaluate as of this ISO time (with zone); default: now")
    allocate.set_defaults(run=cmd_match)

    backfill = commands.add_parser(
        "backfill",
        help="data backfills, resumable, outside the start-up path",
        description="Data backfills run batch by batch, each batch committed with its progress: stopped, "
        "`run` again resumes after the last batch done.",
    )
    backfill_commands = backfill.add_subparsers(dest="backfill_command", required=True)
    backfill_commands.add_parser("list", help="the backfills and where each stands").set_defaults(run=cmd_backfill)
    backfill_run = backfill_commands.add_parser("run", help="run (or resume) one backfill")
    backfill_run.add_argument("name")
    backfill_run.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
    backfill_run.add_argument("--restart", action="store_true", help="start again from the first row")
    backfill_run.set_defaults(run=cmd_backfill)

    operator = commands.add_parser("create-operator", help="create (or promote) a platform operator")
    operator.add_argument("--email", required=True)
    operator.add_argument("--name", default="Platform operator")
    operator.add_argument("--password", default=None, help="prompted for when omitted")
    operator.set_defaults(run=cmd_create_operator)
    return root


def _setting_problems(error: ValidationError) -> list[str]:
    problems = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        if not problem["loc"]:  # a check across settings names them itself
            problems.append(f"exchange: {message}")
            continue
        name = "EXCHANGE_" + "_".join(str(part) for part in problem["loc"]).upper()
        problems.append(f"exchange: {name}: {message}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(*_setting_problems(error), sep="\n", file=sys.stderr)
        return 2
    configure_logging(settings)
    run: Callable[[argparse.Namespace, Settings], int] = args.run
    try:
        return run(args, settings)
    except SetupError as error:
        print(f"exchange: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
