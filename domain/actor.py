"""Who is acting: a signed-in user with their organisation roles, or nobody."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.errors import DomainError, ErrorCode, Forbidden


class Role(StrEnum):
    member = "member"
    admin = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: UUID | None = None
    is_operator: bool = False
    memberships: Mapping[UUID, Role] = field(default_factory=dict)
    token_id: UUID | None = None
    # When the bearer token stops working: a long-lived websocket ends its subscriptions then.
    token_expires_at: datetime | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def require_user(self) -> UUID:
        if self.user_id is None:
            raise DomainError(ErrorCode.UNAUTHENTICATED, "sign in first")
        return self.user_id

    def is_member(self, organisation_id: UUID) -> bool:
        return organisation_id in self.memberships

    def require_member(self, organisation_id: UUID, *, admin: bool = False, field: str | None = None) -> None:
        self.require_user()
        role = self.memberships.get(organisation_id)
        if role is None:
            raise Forbidden("you are not a member of this organisation", field)
        if admin and role != Role.admin:
            raise Forbidden("this needs the admin role in the organisation", field)

    def require_operator(self) -> None:
        self.require_user()
        if not self.is_operator:
            raise Forbidden("only platform operators may do this")

    def pick_organisation(self, organisation_id: UUID | None, field: str = "organisationId") -> UUID:
        """The organisation the actor acts for: the one named, or their only one."""
        self.require_user()
        if organisation_id is not None:
            self.require_member(organisation_id, field=field)
            return organisation_id
        if len(self.memberships) == 1:
            return next(iter(self.memberships))
        if not self.memberships:
            raise Forbidden("you are not a member of any organisation", field)
        raise DomainError(ErrorCode.REQUIRED, "you belong to several organisations: name one", field)


ANONYMOUS = Actor()
