"""Search backends (postgres, meilisearch) behind domain.ports.search.SearchIndex, and the documents they index."""
