"""The one place that picks backends and wires the application together."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from api.app import create_app
from api.context import AppDeps
from api.observability import prometheus as metrics
from documents.render import TypstRenderer
from domain.clock import Clock, SystemClock
from domain.contracts.lifecycle import Payments
from domain.contracts.policy import ContractPolicy
from domain.files.convert import ConversionLimits
from domain.files.rules import FileLimits
from domain.files.service import FilesConfig
from domain.ports.mail import EmailSender
from domain.ports.payments import PaymentProvider
from domain.ports.search import SearchIndex
from domain.ports.storage import FileStorage
from domain.uow import SessionFactory
from exchange.db import EmbeddedPostgres, create_engine, create_session_factory, fill_pool
from exchange.mail import LogEmailSender, SmtpEmailSender
from exchange.realtime import PgEventHub
from exchange.settings import Settings
from exchange.worker import run_forever
from payments.bank_transfer import BankTransferProvider
from payments.stripe import StripeProvider
from payments.stripe_webhooks import verify as verify_stripe_webhook

log = structlog.get_logger(__name__)


def embedded_postgres(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(settings.pg_data_dir, settings.embedded_pg_port)


def resolve_database_url(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    """EXCHANGE_DATABASE_URL if set; otherwise start (or reuse) the embedded PostgreSQL."""
    if settings.database_url:
        return settings.database_url, None
    server = embedded_postgres(settings)
    return server.start(), server


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    deps: AppDeps


def contract_policy(settings: Settings) -> ContractPolicy:
    return ContractPolicy(
        platform_fee_bps=settings.platform_fee_bps,
        first_article_share_pct=settings.first_article_share_pct,
        funding_window=timedelta(days=settings.funding_window_days),
        delivery_confirmation_window=timedelta(days=settings.delivery_confirmation_days),
        inspection_period=timedelta(days=settings.inspection_days),
    )


def payments(settings: Settings) -> Payments:
    """Bank transfer by default; Stripe when EXCHANGE_STRIPE_API_KEY is set (bank transfer stays its fallback)."""
    bank = BankTransferProvider(
        beneficiary=settings.escrow_beneficiary,
        bank_details=settings.escrow_bank_details,
        demo=settings.escrow_bank_is_demo,
    )
    provider: PaymentProvider = bank
    if settings.stripe_api_key is not None:
        provider = StripeProvider(
            api_key=settings.stripe_api_key.get_secret_value(),
            fallback=bank,
            api_base=settings.stripe_api_base,
            publishable_key=settings.stripe_publishable_key,
            js_url=settings.stripe_js_url,
        )
    return Payments(provider=provider, policy=contract_policy(settings))


def stripe_webhook_verifier(settings: Settings) -> Callable[[bytes, str | None], dict[str, Any]] | None:
    if settings.stripe_webhook_secret is None:
        return None
    secret = settings.stripe_webhook_secret.get_secret_value()
    return lambda payload, signature: verify_stripe_webhook(payload, signature, secret)


def build_search(settings: Settings, session_factory: SessionFactory, clock: Clock) -> SearchIndex:
    """Meilisearch when EXCHANGE_MEILI_URL is set; otherwise full-text search in PostgreSQL itself."""
    if settings.meili_url:
        from search.meilisearch import MeilisearchIndex

        return MeilisearchIndex(
            settings.meili_url,
            settings.meili_key,
            prefix=settings.meili_index_prefix,
            timeout=settings.meili_timeout_seconds,
        )
    from search.postgres import PostgresSearchIndex

    return PostgresSearchIndex(session_factory, clock)


def build_storage(settings: Settings) -> FileStorage:
    """S3-compatible object storage when EXCHANGE_FILES_S3_BUCKET is set; otherwise files under the data directory."""
    if settings.files_s3_bucket:
        from storage.s3 import S3FileStorage

        secret = settings.files_s3_secret_access_key
        return S3FileStorage(
            bucket=settings.files_s3_bucket,
            endpoint_url=settings.files_s3_endpoint_url,
            region=settings.files_s3_region,
            access_key_id=settings.files_s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
        )
    from storage.local import LocalFileStorage

    return LocalFileStorage(settings.files_root)


def files_signing_key(settings: Settings) -> bytes:
    """EXCHANGE_FILES_SIGNING_SECRET, or a random key created once in <files_dir>/.signing-key (0600)."""
    if settings.files_signing_secret is not None:
        return settings.files_signing_secret.get_secret_value().encode()
    path = settings.files_root / ".signing-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as file:
        file.write(secrets.token_hex(32).encode())
    return path.read_bytes()


def build_files(settings: Settings) -> FilesConfig:
    return FilesConfig(
        storage=build_storage(settings),
        limits=FileLimits(
            max_file_bytes=settings.files_max_file_bytes,
            max_order_bytes=settings.files_max_order_bytes,
            max_files_per_order=settings.files_max_per_order,
        ),
        signing_key=files_signing_key(settings),
        url_ttl=timedelta(seconds=settings.files_url_ttl_seconds),
        upload_ttl=timedelta(seconds=settings.files_upload_ttl_seconds),
        analysis_max_bytes=settings.files_analysis_max_bytes,
        conversion=ConversionLimits(
            timeout_seconds=settings.files_conversion_timeout_seconds,
            memory_bytes=settings.files_conversion_memory_bytes,
        ),
        gc_grace=timedelta(hours=settings.files_gc_grace_hours),
    )


def build_mailer(settings: Settings) -> EmailSender:
    """SMTP when EXCHANGE_SMTP_URL is set; otherwise notification e-mails are written to the log."""
    if settings.smtp_url is not None:
        return SmtpEmailSender(settings.smtp_url.get_secret_value(), settings.mail_from)
    return LogEmailSender(settings.mail_from)


def build_runtime(settings: Settings, *, url: str, clock: Clock | None = None) -> Runtime:
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
    )
    metrics.instrument_pool(engine, pool_size=settings.db_pool_size)
    if settings.tracing:
        from exchange.tracing import configure_tracing, trace_statements

        configure_tracing(settings)
        trace_statements(engine)
    session_factory = create_session_factory(engine)
    clock = clock or SystemClock()
    deps = AppDeps(
        settings=settings,
        session_factory=session_factory,
        clock=clock,
        payments=payments(settings),
        stripe_webhook_verifier=stripe_webhook_verifier(settings),
        search=build_search(settings, session_factory, clock),
        events=PgEventHub(url),
        mailer=build_mailer(settings),
        files=build_files(settings),
        documents=TypstRenderer(),
    )
    return Runtime(settings=settings, engine=engine, deps=deps)


async def close_runtime(runtime: Runtime) -> None:
    if runtime.deps.search is not None:
        await runtime.deps.search.close()
    if runtime.deps.files is not None:
        await runtime.deps.files.storage.close()
    await runtime.engine.dispose()
    metrics.uninstrument_pool(runtime.settings.db_pool_size)


def build_app(runtime: Runtime, *, with_worker: bool = False) -> Starlette:
    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            await fill_pool(runtime.engine, runtime.settings.db_pool_size)
        except Exception as error:  # not fatal: /health/ready says whether the database answers
            log.warning("db.pool_not_filled", error=str(error))
        stop = asyncio.Event()
        worker = asyncio.create_task(run_forever(runtime.deps, stop=stop)) if with_worker else None
        # A worker of `exchange serve --workers N` writes its metrics' increments to the shared files once a second.
        flusher = asyncio.create_task(metrics.flush_samples_every())
        try:
            yield
        finally:
            stop.set()
            flusher.cancel()
            if worker is not None:
                await worker
            await close_runtime(runtime)
            metrics.mark_process_dead()  # flushes first

    return create_app(runtime.deps, lifespan=lifespan)


def app_from_settings() -> Starlette:
    """uvicorn factory (`exchange serve` points uvicorn here, so --reload and --workers work)."""
    from exchange.gc_tuning import tune_for_serving
    from exchange.logging import configure_logging

    settings = Settings()
    configure_logging(settings)
    if not settings.database_url:
        raise RuntimeError("EXCHANGE_DATABASE_URL is not set; start through `exchange serve`")
    app = build_app(build_runtime(settings, url=settings.database_url), with_worker=settings.serve_runs_worker)
    tune_for_serving()
    return app
