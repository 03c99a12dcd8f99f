"""Adapters of domain.files.storage.FileStorage: the local filesystem (default) and S3-compatible storage."""
