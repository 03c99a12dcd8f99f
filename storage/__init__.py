"""Adapters of domain.ports.storage.FileStorage: the local filesystem (default) and S3-compatible storage."""
