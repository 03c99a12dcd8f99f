"""This project against PostGraphile 5 on the same database: `python -m bench.peer` (see bench/README.md)."""
