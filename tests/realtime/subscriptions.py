"""Subscription documents the realtime tests share. A test module imports helpers from here, not from another
test."""

from __future__ import annotations

BID_ACTIVITY = """subscription($id: ID!) { bidActivity(orderId: $id) {
  __typename
  ... on BidActivity { kind bid { id status revision total { amount } order { id } } }
  ... on UserError { code message field }
} }"""
CONTRACT_UPDATED = """subscription($id: ID!) { contractUpdated(contractId: $id) {
  __typename
  ... on ContractUpdate { transition contract { id status } }
  ... on UserError { code message field }
} }"""
NOTIFICATION_ADDED = """subscription { notificationAdded {
  __typename ... on NotificationAdded { notification { id kind title read } } ... on UserError { code } } }"""

POST = """mutation($id: ID!, $body: String!) { postContractMessage(contractId: $id, body: $body) {
  __typename ... on UserError { code } } }"""
