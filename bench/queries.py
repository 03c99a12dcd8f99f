"""The SPA's operations the load benchmark sends (and tests/api/test_bench_queries.py pins the statements of)."""

from __future__ import annotations

ORDER_BOARD = """
query OrderBoard($filter: OrderFilterInput, $sort: OrderSort!) {
  orders(first: 20, filter: $filter, sort: $sort) {
    edges {
      node {
        id title status process material quantity deliveryRegion biddingDeadline biddingOpen needBy
        budget { min { amount currency } max { amount currency } }
        buyer { id name region verified }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

ORDER_DETAIL = """
query OrderDetail($id: ID!) {
  order(id: $id) {
    id title description status visibility process material quantity toleranceClass requiredCertifications
    needBy deliveryRegion biddingDeadline biddingOpen publishedAt createdAt
    budget { min { amount currency } max { amount currency } }
    buyer { id name region }
    rankedBids {
      score
      explanations { factor value weight contribution }
      bid {
        id status revision leadTimeDays validUntil notes createdAt
        unitPrice { amount currency } tooling { amount currency } total { amount currency }
        platformFee { amount currency }
        manufacturer { id name region verified }
      }
    }
  }
}
"""

MANUFACTURER_SEARCH = """
query ManufacturerSearch($query: String!, $filter: ManufacturerSearchFilterInput) {
  searchManufacturers(query: $query, filter: $filter, first: 20) {
    __typename
    ... on ManufacturerSearch {
      total
      edges { score highlights { field snippet } node { id name region verified } }
      facets { processes { value count } regions { value count } certifications { value count } }
    }
  }
}
"""

MY_CONTRACTS = """
query MyContracts {
  myContracts(first: 20) {
    edges {
      node {
        id status quantity paymentMethod dueAt trackingReference createdAt updatedAt
        total { amount currency } platformFee { amount currency }
        order { id title }
        buyer { id name }
        manufacturer { id name region }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

PLACE_BID = """
mutation PlaceBid($input: PlaceBidInput!) {
  placeBid(input: $input) {
    __typename
    ... on BidSuccess { bid { id status revision total { amount currency } createdAt } }
    ... on UserError { message code field }
  }
}
"""
