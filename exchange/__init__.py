"""The runnable application: settings, database, wiring, CLI."""
