"""Problems the operator fixes (a setting, a missing package, an unreachable database): the CLI prints one line."""

from __future__ import annotations


class SetupError(Exception):
    """Raised with a message that says what is wrong and what to do; `exchange` prints it and exits 1."""
