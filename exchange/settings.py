"""All configuration, from EXCHANGE_* environment variables. Nothing else reads os.environ."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.errors import DomainError
from domain.matching.rules import DEFAULT_BID_WEIGHTS, DEFAULT_WEIGHTS, BidFactor, Factor, merge_weights
from domain.organisations.legal_rules import check_account, check_bik, check_inn, check_kpp


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class EscrowBankAccount(BaseModel):
    """The exchange's escrow account (EXCHANGE_BANK_DETAILS, a JSON object), checked as an organisation's bank details
    are (domain/organisations/legal_rules.py), so that a mistyped digit stops the start instead of a buyer's wire:
    {"bank_name": "ПАО Сбербанк", "bik": "044525225", "correspondent_account": "30101810400000000225",
     "account": "40702810…", "inn": "7700000009", "kpp": "770001001"}"""

    bank_name: str = Field(min_length=2)
    bik: str
    correspondent_account: str
    account: str
    # The account holder's ИНН and КПП (a sole proprietor has no КПП): a Russian payment order names them.
    inn: str
    kpp: str | None = None

    @model_validator(mode="after")
    def _check(self) -> EscrowBankAccount:
        try:
            self.bik = check_bik(self.bik)
            self.correspondent_account = check_account(
                self.correspondent_account, self.bik, correspondent=True, field="correspondent_account"
            )
            self.account = check_account(self.account, self.bik, correspondent=False, field="account")
            self.inn, kind = check_inn(self.inn)
            self.kpp = check_kpp(self.kpp, kind)
        except DomainError as error:
            raise ValueError(f"EXCHANGE_BANK_DETAILS.{error.field}: {error.message}") from None
        return self

    def text(self) -> str:
        """As funding instructions and the invoice print it (in Russian, as the bank reads it)."""
        holder = f"ИНН {self.inn}" + (f", КПП {self.kpp}" if self.kpp else "")
        return (
            f"{self.bank_name}, БИК {self.bik}, к/с {self.correspondent_account}, р/с {self.account}; "  # noqa: RUF001
            f"получатель: {holder}"
        )


# Shown in development while EXCHANGE_BANK_BENEFICIARY / EXCHANGE_BANK_DETAILS are unset: numbers that pass the
# checks but belong to no bank, marked as a demo wherever they are printed (the API says so: FundingInstructions.demo).
DEMO_BANK_BENEFICIARY = "ООО «Биржа контрактного производства» (демо)"  # noqa: RUF001
DEMO_BANK_ACCOUNT = EscrowBankAccount(
    bank_name="АО «Демо-Банк»",  # noqa: RUF001
    bik="044525999",
    correspondent_account="30101810600000000999",
    account="40702810600000000001",
    inn="7700000009",
    kpp="770001001",
)
DEMO_MARK = "ДЕМО-РЕКВИЗИТЫ, НЕ ДЛЯ ОПЛАТЫ"  # noqa: RUF001

_Factor = TypeVar("_Factor", bound=StrEnum)


def _by_name(weights: Mapping[_Factor, float]) -> dict[str, float]:
    """Match weights as the settings hold them (and EXCHANGE_MATCH_WEIGHTS writes them): by factor name."""
    return {factor.value: weight for factor, weight in weights.items()}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXCHANGE_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    # postgresql+asyncpg://user:password@host:5432/db; empty = start the embedded PostgreSQL.
    database_url: str | None = None
    data_dir: Path = Path(".data")
    embedded_pg_port: int = 54329
    # Connections each process keeps open (see README, "Sizing the pool"): requests wait for one rather than open
    # another, so PostgreSQL sessions stay flat under load. Overflow connections are opened and closed again on
    # every burst (a new backend each time): keep it 0 unless short spikes matter more than churn.
    db_pool_size: int = Field(default=20, ge=1, le=500)
    db_max_overflow: int = Field(default=0, ge=0, le=500)
    # How long a request waits for a pooled connection before it fails.
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)

    host: str = "127.0.0.1"
    port: int = 8000
    # How long an idle HTTP keep-alive connection stays open (uvicorn's default is 5 s). A client or proxy that
    # reuses an idle connection just as the server closes it gets "socket hang up" / ECONNRESET on a request the
    # server never read, so this must outlast the idle timeout of whatever connects: a proxy's upstream keep-alive
    # (nginx 60 s, a cloud load balancer 60 s), or a client that keeps sockets without one (Node's http.Agent).
    http_keep_alive_seconds: int = Field(default=5, ge=1, le=3600)
    # The built web app (web/dist) served at `/`; `make run` builds it. Unset or missing: `/` says it is not built.
    web_dir: Path | None = Path("web/dist")
    # Origins of a SPA hosted elsewhere that may call the API (HTTP and websocket), e.g.
    # EXCHANGE_CORS_ORIGINS='["https://app.example.com"]'. Empty: same-origin only.
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"

    # Prometheus /metrics. With a token, scrapes must send `Authorization: Bearer <token>`; in production
    # /metrics answers 404 until a token is set. metrics_dir: where the workers of `exchange serve --workers N`
    # share their samples (prometheus-client's multiprocess mode; default <data_dir>/metrics, emptied at start).
    metrics_enabled: bool = True
    metrics_token: SecretStr | None = None
    metrics_dir: Path | None = None
    # `exchange worker` serves its own /metrics (timer lag, e-mails sent) on this port when set (0: off).
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)

    # How queries execute: "compiled" runs them through api/execution/ (compiled plans, direct resolvers, row views:
    # the same answers, a fraction of the CPU on big pages); "stock" is plain Strawberry + graphql-core, the
    # reference the engine is tested against (and the way out if the engine misbehaves).
    execution_engine: Literal["compiled", "stock"] = "compiled"

    # OpenTelemetry (the `tracing` extra): a span per GraphQL operation and per SQL statement, sent over OTLP/HTTP
    # to tracing_endpoint (or the OTEL_EXPORTER_OTLP_* defaults when unset).
    tracing: bool = False
    tracing_endpoint: str | None = None
    tracing_service_name: str = "contract-exchange"

    # Migrations at start-up: a DDL statement waits at most this long for a lock (then the migration fails and is
    # retried by the next start, instead of queueing every query behind it) and runs at most this long.
    migration_lock_timeout_seconds: float = Field(default=5.0, gt=0)
    migration_statement_timeout_seconds: float = Field(default=300.0, gt=0)

    token_ttl_hours: int = Field(default=24 * 14, ge=1)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=4000, ge=100)
    max_page_size: int = Field(default=100, ge=1, le=100)
    # Request size: a body (POST /graphql, /webhooks/stripe) or websocket message larger than this is refused
    # (413, or the socket closed with 1009) without being read further; a GraphQL document larger than
    # max_document_bytes is refused before it is parsed.
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    max_document_bytes: int = Field(default=64 * 1024, ge=256)

    # An open order nobody is awarded within this many days after its bidding deadline expires.
    order_award_window_days: int = Field(default=30, ge=1)
    worker_interval_seconds: float = Field(default=30.0, gt=0)
    # Contracts and escrow.
    platform_fee_bps: int = Field(default=500, ge=0, le=5000)
    first_article_share_pct: int = Field(default=30, ge=0, le=100)
    funding_window_days: int = Field(default=14, ge=1)
    delivery_confirmation_days: int = Field(default=10, ge=1)
    inspection_days: int = Field(default=7, ge=1)
    # The time zone (IANA name) in which reports count their days and months: the operators' fee report groups fees
    # by calendar month and takes its period's days in it. Moscow: the users' and the tax office's months.
    reporting_timezone: str = "Europe/Moscow"
    # The escrow account buyers wire the money to (funding instructions, the invoice): its holder, and the account as a
    # JSON object (EscrowBankAccount). Required in production; unset in development, a marked demo account is shown.
    bank_beneficiary: str | None = None
    bank_details: Annotated[EscrowBankAccount | None, NoDecode] = None

    # Stripe: card funding, Connect payouts, refunds. Bank transfer stays the default when unset.
    stripe_api_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    # Only for tests and local work against a Stripe stand-in (e.g. localstripe on 127.0.0.1).
    stripe_api_base: str | None = None
    # What the browser needs for Stripe.js: the publishable key (the only key that leaves the server) and the
    # script's address (tests point it at localstripe's stand-in). Card payment is offered only with both keys.
    stripe_publishable_key: str | None = None
    stripe_js_url: str = "https://js.stripe.com/v3/"

    # `exchange serve` also runs the worker loop unless this is false (or --no-worker is given).
    serve_runs_worker: bool = True

    # Search: PostgreSQL full-text in the same database unless a Meilisearch URL is given.
    meili_url: str | None = None
    meili_key: str | None = None
    meili_index_prefix: str = "exchange"
    meili_timeout_seconds: float = Field(default=10.0, gt=0)
    # How often the worker relays the outbox to the search backend (the indexing lag), and how many rows a pass takes.
    search_relay_interval_seconds: float = Field(default=0.5, gt=0)
    search_relay_batch: int = Field(default=500, ge=1, le=10_000)
    # Relayed outbox rows are kept this long (for `exchange search status` and debugging), then deleted.
    outbox_retention_days: int = Field(default=7, ge=1)

    # Matching: factor weights as JSON objects, e.g. EXCHANGE_MATCH_WEIGHTS='{"price": 3, "region": 0}'.
    # Factors left out keep their default weight; a query may override them per request.
    match_weights: dict[str, float] = Field(default_factory=lambda: _by_name(DEFAULT_WEIGHTS))
    match_bid_weights: dict[str, float] = Field(default_factory=lambda: _by_name(DEFAULT_BID_WEIGHTS))

    # Subscriptions (graphql-transport-ws on /graphql): a socket that sends no connection_init within this many
    # seconds is closed (4408); one connection runs at most this many operations at once.
    ws_init_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    ws_max_subscriptions: int = Field(default=20, ge=1, le=1000)
    # A socket re-checks its token this often (and at its expiry); signed out or expired, it is closed (4401).
    ws_auth_check_seconds: float = Field(default=60.0, gt=0, le=3600)

    # Notification e-mail: SMTP when set (smtp://user:password@host:587 with STARTTLS, or smtps://host:465);
    # unset, e-mails are written to the log.
    smtp_url: SecretStr | None = None
    mail_from: str = "Contract Production Exchange <no-reply@exchange.invalid>"

    # Files (drawings, models, specifications; README "Files"). Stored on the local filesystem under files_dir
    # (default <data_dir>/files) unless an S3 bucket is named; then in S3-compatible object storage.
    files_dir: Path | None = None
    files_s3_bucket: str | None = None
    files_s3_endpoint_url: str | None = None
    files_s3_region: str = "us-east-1"
    files_s3_access_key_id: str | None = None
    files_s3_secret_access_key: SecretStr | None = None
    # Signs the app's own download URLs (local storage). Unset: a random key kept in <files_dir>/.signing-key,
    # shared by the processes on this machine; set it when several machines serve one local directory.
    files_signing_secret: SecretStr | None = None
    # How long a download URL works; rights are checked when it is issued.
    files_url_ttl_seconds: int = Field(default=300, ge=10, le=86_400)
    # A multipart GraphQL request (an upload) may be this large; other bodies keep max_body_bytes.
    files_max_request_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    files_max_file_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    files_max_order_bytes: int = Field(default=2 * 1024 * 1024 * 1024, ge=1024)
    files_max_per_order: int = Field(default=50, ge=1, le=1000)
    # A direct (presigned) upload must be finished within this many seconds; the worker then removes it.
    files_upload_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 86_400)
    # The worker's model analysis and previews: files larger than this are recorded as not analysed; each STEP/IGES
    # conversion or PDF page drawing runs in a child process with this deadline and address-space limit.
    files_analysis_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    files_conversion_timeout_seconds: float = Field(default=120.0, gt=0, le=3600)
    files_conversion_memory_bytes: int = Field(default=2 * 1024**3, ge=256 * 1024**2)
    # Stored bytes no row refers to are removed by the worker this many hours after they were written; objects no
    # row knows at all are looked for (a listing of the whole store) every files_gc_sweep_hours.
    files_gc_grace_hours: float = Field(default=24.0, gt=0)
    files_gc_sweep_hours: float = Field(default=6.0, gt=0)
    # Accounts: throttling per client address and per account (domain/identity/throttle.py: counters in PostgreSQL,
    # shared by every API process), and the single-use links e-mailed for verification and password reset.
    sign_in_failures_per_account: int = Field(default=10, ge=1)
    sign_in_attempts_per_address: int = Field(default=50, ge=1)
    sign_in_window_minutes: int = Field(default=15, ge=1)
    sign_ups_per_address_per_hour: int = Field(default=10, ge=1)
    account_emails_per_address_per_hour: int = Field(default=20, ge=1)
    account_emails_per_recipient_per_hour: int = Field(default=5, ge=1)
    account_links_per_address_per_hour: int = Field(default=30, ge=1)
    password_reset_ttl_minutes: int = Field(default=60, ge=5, le=24 * 60)
    email_verification_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    # Where people open the web app: the links in account e-mails start with it.
    public_url: str = "http://127.0.0.1:8000"

    # allocationPlan: how long the MILP solver may run before the greedy proposal is returned.
    match_allocation_seconds: float = Field(default=5.0, gt=0, le=60)

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str | None) -> str | None:
        """postgres:// and postgresql:// (as hosting platforms hand them out) are read as postgresql+asyncpg://."""
        if not value:
            return None
        scheme, separator, rest = value.partition("://")
        if not separator:
            raise ValueError("expected a URL such as postgresql+asyncpg://user:password@host:5432/db")
        if scheme.lower() not in ("postgres", "postgresql", "postgresql+asyncpg"):
            raise ValueError(f"{scheme}:// is not supported: use postgresql+asyncpg:// (or postgres://, postgresql://)")
        return f"postgresql+asyncpg://{rest}"

    @field_validator("match_weights", "match_bid_weights")
    @classmethod
    def _check_match_weights(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """The defaults with the factors `value` names replaced, by the rule a query's override meets
        (merge_weights): an unknown factor, a negative or infinite weight or all weights zero are refused."""
        try:
            if info.field_name == "match_bid_weights":
                return _by_name(merge_weights(DEFAULT_BID_WEIGHTS, value, kind=BidFactor))
            return _by_name(merge_weights(DEFAULT_WEIGHTS, value, kind=Factor))
        except DomainError as error:
            raise ValueError(error.message) from None

    @field_validator("reporting_timezone")
    @classmethod
    def _check_reporting_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"EXCHANGE_REPORTING_TIMEZONE: {value!r} is not a time zone of the IANA database (e.g. Europe/Moscow)"
            ) from None
        return value

    @field_validator("bank_details", mode="before")
    @classmethod
    def _read_bank_details(cls, value: object) -> object:
        """A JSON object in the environment; empty (docker-compose passes an unset variable as "") is unset."""
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ValueError(
                    "EXCHANGE_BANK_DETAILS is a JSON object: "
                    '{"bank_name", "bik", "correspondent_account", "account", "inn", "kpp"}'
                ) from None
        return value

    @field_validator("bank_beneficiary", mode="before")
    @classmethod
    def _blank_beneficiary_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _no_placeholder_secrets_in_production(self) -> Settings:
        """A secret left at an example's value (docker-compose.yml's, .env.example's) is a shared, published key:
        production refuses to start with one."""
        if self.production:
            found = placeholder_secrets(self)
            if found:
                raise ValueError(
                    f"{', '.join(found)} still hold a placeholder secret; set real ones for production"
                    if len(found) > 1
                    else f"{found[0]} still holds a placeholder secret; set a real one for production"
                )
        return self

    @model_validator(mode="after")
    def _escrow_account_in_production(self) -> Settings:
        """Bank transfer is always on (it is Stripe's fallback too): production refuses to start without the real
        escrow account rather than show buyers the demo one."""
        if self.production:
            missing = [
                name
                for name, value in (
                    ("EXCHANGE_BANK_BENEFICIARY", self.bank_beneficiary),
                    ("EXCHANGE_BANK_DETAILS", self.bank_details),
                )
                if value is None
            ]
            if missing:
                raise ValueError(
                    f"{' and '.join(missing)} {'are' if len(missing) > 1 else 'is'} not set: buyers pay escrow into "
                    "that account; set the escrow account's holder and bank details for production (README, "
                    "Configuration)"
                )
        return self

    @property
    def reporting_zone(self) -> ZoneInfo:
        return ZoneInfo(self.reporting_timezone)

    @property
    def production(self) -> bool:
        return self.env == Environment.production

    @property
    def escrow_bank_is_demo(self) -> bool:
        return self.bank_beneficiary is None or self.bank_details is None

    @property
    def escrow_beneficiary(self) -> str:
        return self.bank_beneficiary or DEMO_BANK_BENEFICIARY

    @property
    def escrow_bank_details(self) -> str:
        """The account as printed; the demo one says it is one."""
        if self.bank_details is None:
            return f"{DEMO_MARK}: {DEMO_BANK_ACCOUNT.text()}"
        return self.bank_details.text()

    @property
    def token_ttl(self) -> timedelta:
        return timedelta(hours=self.token_ttl_hours)

    @property
    def files_root(self) -> Path:
        return self.files_dir if self.files_dir is not None else self.data_dir / "files"

    @property
    def pg_data_dir(self) -> Path:
        return self.data_dir / "pg"


# What example secrets look like: "change-me…", "changeme", "placeholder", "secret", "password", "example".
_PLACEHOLDER = re.compile(r"change[-_ ]?me|placeholder|^(secret|password|example|masterkey|test)$", re.IGNORECASE)


def placeholder_secrets(settings: Settings) -> list[str]:
    """The settings whose secret is a placeholder (the database password counts too)."""
    from sqlalchemy import make_url

    values: dict[str, str | None] = {
        "EXCHANGE_MEILI_KEY": settings.meili_key,
        "EXCHANGE_METRICS_TOKEN": _secret(settings.metrics_token),
        "EXCHANGE_STRIPE_API_KEY": _secret(settings.stripe_api_key),
        "EXCHANGE_STRIPE_WEBHOOK_SECRET": _secret(settings.stripe_webhook_secret),
    }
    if settings.database_url:
        values["EXCHANGE_DATABASE_URL (its password)"] = make_url(settings.database_url).password
    if settings.smtp_url is not None:
        from urllib.parse import urlsplit

        values["EXCHANGE_SMTP_URL (its password)"] = urlsplit(settings.smtp_url.get_secret_value()).password
    return [name for name, value in values.items() if value and _PLACEHOLDER.search(value)]


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
