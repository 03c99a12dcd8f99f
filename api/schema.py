"""Merges the per-area Query and Mutation types into one schema, with the request limits."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.tools import merge_types

from api.bids.mutations import BidMutation
from api.bids.queries import BidQuery
from api.contracts.mutations import ContractMutation
from api.contracts.queries import ContractQuery
from api.errors import (
    ConflictError,
    InvalidCredentialsError,
    InvalidStateError,
    NotAuthenticatedError,
    NotEligibleError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from api.extensions import CloseRequestSession, ErrorPolicy
from api.identity.mutations import IdentityMutation
from api.manufacturers.mutations import ManufacturerMutation
from api.orders.mutations import OrderMutation
from api.orders.queries import OrderQuery
from api.organisations.mutations import OrganisationMutation
from api.organisations.queries import OrganisationQuery
from exchange.settings import Settings


@strawberry.type
class NodeQuery:
    node: relay.Node | None = relay.node(description="Any object by its global ID, if you may see it.")


Query = merge_types("Query", (NodeQuery, OrganisationQuery, OrderQuery, BidQuery, ContractQuery))
Mutation = merge_types(
    "Mutation",
    (
        IdentityMutation,
        OrganisationMutation,
        ManufacturerMutation,
        OrderMutation,
        BidMutation,
        ContractMutation,
    ),
)

ERROR_TYPES: list[Any] = [
    ValidationError,
    NotAuthenticatedError,
    InvalidCredentialsError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    InvalidStateError,
    NotEligibleError,
]


def build_schema(settings: Settings) -> strawberry.Schema:
    # Factories, not instances: an extension holds per-request state.
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ErrorPolicy(mask=settings.production),
        CloseRequestSession,
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(query=Query, mutation=Mutation, types=ERROR_TYPES, extensions=extensions)
