"""Access: who is acting and with which roles, and the audit trail of every write."""

from metrics.access.people import (
    ADMIN,
    ANALYST,
    CHAIR,
    COUNCILLOR,
    EVERY_ROLE,
    MEMBER,
    PROVIDER,
    ROLE_NAMES,
    AccessDenied,
    Actor,
    acting,
    command_line,
    demo,
    from_claims,
    may_send,
    require,
)

__all__ = [
    "ADMIN",
    "ANALYST",
    "CHAIR",
    "COUNCILLOR",
    "EVERY_ROLE",
    "MEMBER",
    "PROVIDER",
    "ROLE_NAMES",
    "AccessDenied",
    "Actor",
    "acting",
    "command_line",
    "demo",
    "from_claims",
    "may_send",
    "require",
]
