"""The three pages, each as this project's GraphQL and as PostGraphile's (amber preset + connection filter).

Same rows on both sides: the order board (20 open orders of one process, newest first, with each buyer), an order
detail (the order, its buyer, its first 20 current bids cheapest first with their bidders) and the big page (100 open
orders, newest first, each with its first 20 current bids and their bidders). "Current" bids are this project's
`domain.bids.service.CURRENT` (every status but a bid superseded by its revision); bids are ordered as
`Order.bids` orders them: total, then creation time, then id.
"""

from __future__ import annotations

from domain.bids.service import CURRENT

CURRENT_STATUSES = [status.value for status in CURRENT]

# ---- this project ---------------------------------------------------------------------------------------------

BOARD = """
query Board($process: Process!) {
  orders(first: 20, filter: {statuses: [OPEN], processes: [$process]}, sort: NEWEST) {
    edges {
      node {
        id title status process material quantity deliveryRegion biddingDeadline needBy
        budget { min { amount currency } max { amount currency } }
        buyer { id name region verified }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

_BID_FIELDS = """
id status leadTimeDays validUntil createdAt unitPrice { amount currency } total { amount currency }
manufacturer { id name region verified }
"""

DETAIL = (
    """
query Detail($id: ID!) {
  order(id: $id) {
    id title description status visibility process material quantity needBy deliveryRegion biddingDeadline createdAt
    budget { min { amount currency } max { amount currency } }
    buyer { id name region verified }
    bids(first: 20) { edges { node { """
    + _BID_FIELDS
    + """ } } pageInfo { hasNextPage } }
  }
}
"""
)

BIG = (
    """
query Big {
  orders(first: 100, filter: {statuses: [OPEN]}, sort: NEWEST) {
    edges {
      node {
        id title status process material quantity deliveryRegion biddingDeadline needBy
        budget { min { amount currency } max { amount currency } }
        bids(first: 20) { edges { node { """
    + _BID_FIELDS
    + """ } } pageInfo { hasNextPage } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

# ---- PostGraphile ---------------------------------------------------------------------------------------------

_PEER_ORDER = """
rowId title status process material quantity deliveryRegion biddingDeadline needBy
budgetMinMinor budgetMaxMinor currency
"""
_PEER_ORGANISATION = "rowId name region verified"
_PEER_BIDS = (
    """
bidsByOrderId(first: 20, orderBy: [TOTAL_MINOR_ASC, CREATED_AT_ASC, ROW_ID_ASC], filter: {status: {in: $current}}) {
  nodes {
    rowId status leadTimeDays validUntil createdAt unitPriceMinor totalMinor currency
    organisationByManufacturerOrganisationId { """
    + _PEER_ORGANISATION
    + """ }
  }
  pageInfo { hasNextPage }
}
"""
)

PEER_BOARD = (
    """
query Board($process: String!) {
  allProductionOrders(
    first: 20, condition: {status: "open", process: $process}, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]
  ) {
    nodes { """
    + _PEER_ORDER
    + " organisationByBuyerOrganisationId { "
    + _PEER_ORGANISATION
    + """ } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

PEER_DETAIL = (
    """
query Detail($id: UUID!, $current: [String!]!) {
  productionOrderByRowId(rowId: $id) {
    """
    + _PEER_ORDER
    + " description visibility createdAt organisationByBuyerOrganisationId { "
    + _PEER_ORGANISATION
    + " } "
    + _PEER_BIDS
    + """
  }
}
"""
)

PEER_BIG = (
    """
query Big($current: [String!]!) {
  allProductionOrders(first: 100, condition: {status: "open"}, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
    nodes { """
    + _PEER_ORDER
    + _PEER_BIDS
    + """ }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)
