"""Saved searches as the API tests share them (a test module imports helpers from here, not from another test)."""

SAVE = """mutation($name: String!, $query: String!, $filter: OrderSearchFilterInput) {
  saveSearch(name: $name, query: $query, filter: $filter) {
    __typename ... on SavedSearchSuccess { savedSearch { id name query filter { processes regions materials } } }
    ... on UserError { code field } } }"""
