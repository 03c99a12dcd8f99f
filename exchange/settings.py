"""All configuration, from EXCHANGE_* environment variables. Nothing else reads os.environ."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import DomainError
from domain.matching.rules import DEFAULT_BID_WEIGHTS, DEFAULT_WEIGHTS, BidFactor, Factor, check_weights


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXCHANGE_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    # postgresql+asyncpg://user:password@host:5432/db; empty = start the embedded PostgreSQL.
    database_url: str | None = None
    data_dir: Path = Path(".data")
    embedded_pg_port: int = 54329
    db_pool_size: int = 10
    db_max_overflow: int = 10

    host: str = "127.0.0.1"
    port: int = 8000
    # The built web app (web/dist) served at `/`; `make run` builds it. Unset or missing: `/` says it is not built.
    web_dir: Path | None = Path("web/dist")
    # Origins of a SPA hosted elsewhere that may call the API (HTTP and websocket), e.g.
    # EXCHANGE_CORS_ORIGINS='["https://app.example.com"]'. Empty: same-origin only.
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"

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
    bank_beneficiary: str = "Contract Production Exchange escrow"
    bank_details: str = "Account 40702810000000000000, BIC 044525000 (set EXCHANGE_BANK_DETAILS)"

    # Stripe: card funding, Connect payouts, refunds. Bank transfer stays the default when unset.
    stripe_api_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    # Only for tests and local work against a Stripe stand-in (e.g. localstripe on 127.0.0.1).
    stripe_api_base: str | None = None

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
    match_weights: dict[str, float] = Field(default_factory=lambda: {f.value: w for f, w in DEFAULT_WEIGHTS.items()})
    match_bid_weights: dict[str, float] = Field(
        default_factory=lambda: {f.value: w for f, w in DEFAULT_BID_WEIGHTS.items()}
    )

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

    @field_validator("match_weights")
    @classmethod
    def _check_match_weights(cls, value: dict[str, float]) -> dict[str, float]:
        try:
            merged = {f.value: w for f, w in DEFAULT_WEIGHTS.items()} | value
            return {f.value: w for f, w in check_weights(merged, kind=Factor).items()}
        except DomainError as error:
            raise ValueError(error.message) from None

    @field_validator("match_bid_weights")
    @classmethod
    def _check_match_bid_weights(cls, value: dict[str, float]) -> dict[str, float]:
        try:
            merged = {f.value: w for f, w in DEFAULT_BID_WEIGHTS.items()} | value
            return {f.value: w for f, w in check_weights(merged, kind=BidFactor).items()}
        except DomainError as error:
            raise ValueError(error.message) from None

    @property
    def production(self) -> bool:
        return self.env == Environment.production

    @property
    def token_ttl(self) -> timedelta:
        return timedelta(hours=self.token_ttl_hours)

    @property
    def pg_data_dir(self) -> Path:
        return self.data_dir / "pg"
