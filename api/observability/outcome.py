"""Whether an operation answered with a typed UserError: api/errors.to_user_error notes it here, and the metrics
extension reads it when the operation ends. The holder is one object per operation, bound in a context variable
before execution, so resolvers running in child tasks (which copy the context) note into the same one."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class UserErrors:
    count: int = 0


current: ContextVar[UserErrors | None] = ContextVar("exchange_user_errors", default=None)


def note_user_error() -> None:
    holder = current.get()
    if holder is not None:
        holder.count += 1
