"""Which way the API tests run: with the execution engine (the default) or without it
(EXCHANGE_EXECUTION_ENGINE=stock, the second run of `make test`)."""

from __future__ import annotations

import pytest

from exchange.settings import Settings

STOCK = Settings().execution_engine == "stock"

# A test that watches the engine itself, or builds a schema with it: in the stock run it would have nothing to
# watch, and building the engine installs its row views for the whole process, so that run would no longer be stock.
engine_only = pytest.mark.skipif(
    STOCK, reason="EXCHANGE_EXECUTION_ENGINE=stock: this test watches the execution engine, which is off"
)
