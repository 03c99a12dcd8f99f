"""The operator's console: operators only; anyone else gets nothing (queries) or PermissionDeniedError."""
