"""Merges the per-area Query, Mutation and Subscription types into one schema, with the request limits."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.tools import merge_types

from api import execution, input_guard
from api.auth_guess import ViewerOnGuess
from api.bids.mutations import BidMutation
from api.bids.queries import BidQuery
from api.contracts.mutations import ContractMutation
from api.contracts.queries import ContractQuery
from api.contracts.steps import ContractStepMutation
from api.currencies import CurrencyQuery
from api.documents.mutations import DocumentMutation
from api.errors import (
    ConflictError,
    FileRejectedError,
    InvalidCredentialsError,
    InvalidStateError,
    NdaRequiredError,
    NotAuthenticatedError,
    NotEligibleError,
    NotFoundError,
    PermissionDeniedError,
    StorageUnavailableError,
    ValidationError,
)
from api.extensions import CloseRequestSession, ErrorPolicy, ExchangeSchema, OperationChecks
from api.files.mutations import FileMutation
from api.identity.mutations import IdentityMutation
from api.manufacturers.mutations import ManufacturerMutation
from api.matching.mutations import MatchingMutation
from api.matching.queries import AllocationQuery, MatchingQuery
from api.messages.mutations import MessageMutation
from api.messages.queries import MessageQuery
from api.notifications.mutations import NotificationMutation
from api.notifications.queries import NotificationQuery
from api.notifications.subscriptions import NotificationSubscription
from api.observability.metrics import OperationMetrics
from api.operator.mutations import OperatorMutation
from api.operator.queries import OperatorQuery
from api.orders.mutations import OrderMutation
from api.orders.queries import OrderQuery
from api.organisations.mutations import OrganisationMutation
from api.organisations.queries import OrganisationQuery
from api.questions.mutations import QuestionMutation
from api.realtime.subscriptions import RealtimeSubscription
from api.relay import UnknownNodeIsNull
from api.reviews.mutations import ReviewMutation
from api.saved_searches.mutations import SavedSearchMutation
from api.saved_searches.queries import SavedSearchQuery
from api.scalars import SCALAR_OVERRIDES
from api.search.queries import SearchQueryType
from api.settings import ApiSettings
from api.taxes.mutations import TaxMutation
from api.taxes.queries import TaxQuery


def _query_type() -> type:
    # Made afresh per schema: Strawberry binds the relay `node` field to the first schema that uses it.
    @strawberry.type
    class NodeQuery:
        node: relay.Node | None = relay.node(
            description="Any object by its global ID, if you may see it.", extensions=[UnknownNodeIsNull()]
        )

    return merge_types(
        "Query",
        (
            NodeQuery,
            OrganisationQuery,
            OrderQuery,
            BidQuery,
            ContractQuery,
            SearchQueryType,
            MatchingQuery,
            AllocationQuery,
            NotificationQuery,
            MessageQuery,
            SavedSearchQuery,
            OperatorQuery,
            TaxQuery,
            CurrencyQuery,
        ),
    )


Mutation = merge_types(
    "Mutation",
    (
        IdentityMutation,
        OrganisationMutation,
        ManufacturerMutation,
        OrderMutation,
        BidMutation,
        ContractMutation,
        ContractStepMutation,
        MatchingMutation,
        NotificationMutation,
        QuestionMutation,
        MessageMutation,
        ReviewMutation,
        SavedSearchMutation,
        OperatorMutation,
        FileMutation,
        DocumentMutation,
        TaxMutation,
    ),
)

Subscription = merge_types("Subscription", (RealtimeSubscription, NotificationSubscription))

ERROR_TYPES: list[Any] = [
    ValidationError,
    NotAuthenticatedError,
    InvalidCredentialsError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    InvalidStateError,
    NotEligibleError,
    FileRejectedError,
    NdaRequiredError,
    StorageUnavailableError,
]


# One schema per configuration (the settings it depends on): building is slow, and the schema is immutable.
_SCHEMAS: dict[tuple[object, ...], strawberry.Schema] = {}


def build_schema(settings: ApiSettings) -> strawberry.Schema:
    key = (
        settings.production,
        settings.max_query_depth,
        settings.max_aliases,
        settings.max_tokens,
        settings.tracing,
        settings.execution_engine,
    )
    schema = _SCHEMAS.get(key)
    if schema is None:
        schema = _schema(
            settings.production,
            settings.max_query_depth,
            settings.max_aliases,
            settings.max_tokens,
            settings.tracing,
            settings.execution_engine,
        )
        # The engine first: its fast resolvers replace Strawberry's, and the input guard wraps whichever is there.
        execution.install(schema, settings)
        input_guard.install(schema)
        _SCHEMAS[key] = schema
    return schema


def _schema(
    production: bool, max_depth: int, max_aliases: int, max_tokens: int, tracing: bool, execution_engine: str
) -> strawberry.Schema:
    # The limiters' rule classes are made once: the validation cache keys on them, and a limiter built per
    # request makes a new class each time, so nothing would ever hit.
    limits = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    # Factories, not instances: an extension holds per-request state.
    extensions: list[Any] = [
        lambda: AddValidationRules(limits),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        # Parsed and validated documents, by query text: an SPA sends the same few operations again and again.
        *execution.document_caches(execution_engine),
        lambda: ErrorPolicy(mask=production),
        CloseRequestSession,
        # A query's token check rides with its first read; anything else waits for it before it executes.
        ViewerOnGuess,
        # Refusals decided before execution, whichever executor runs the operation.
        OperationChecks,
        input_guard.TextGuard,
        # Last, so that it sees the errors before ErrorPolicy masks them (exits run in reverse order).
        OperationMetrics,
    ]
    if production:
        extensions.append(DisableIntrospection)
    if tracing:
        # A span per operation, from on_operation only: no `resolve` hook (the execution engine refuses those).
        from api.observability.tracing import OperationTracing

        extensions.append(OperationTracing)
    schema = ExchangeSchema(
        production=production,
        query=_query_type(),
        mutation=Mutation,
        subscription=Subscription,
        types=ERROR_TYPES,
        extensions=extensions,
        scalar_overrides=SCALAR_OVERRIDES,
    )
    return schema
