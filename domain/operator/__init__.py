"""The operator's console: read-only views across the exchange, for platform operators only."""
