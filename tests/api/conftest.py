from __future__ import annotations

import httpx
import pytest

from tests.api.graphql import GraphQL


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)
