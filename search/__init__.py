"""Search backends (postgres, meilisearch) behind domain.search.SearchIndex, and the documents they index."""
