"""Where each reminder links to: a page's address (as ui/registry.py routes it) with the
quarter, to put after the app's own address (`[app] url` in the secrets file). A test
checks these against the registry, so a renamed page cannot leave reminders pointing at
nothing."""

from __future__ import annotations

from urllib.parse import urlencode

REVIEW, ACTIONS, SCRUTINY, RETURNS, REMINDERS = "Review", "Actions", "Scrutiny", "Returns", ""
# The overview is the app's root: "My work" is first on it, and the digest's own link.
PATHS = (REVIEW, ACTIONS, SCRUTINY, RETURNS, REMINDERS)


def _link(path: str, **query: str) -> str:
    return f"/{path}" + (f"?{urlencode(query)}" if query else "")


def review(quarter: str) -> str:
    return _link(REVIEW, quarter=quarter)


def action(quarter: str) -> str:
    return _link(ACTIONS, quarter=quarter)


def question(quarter: str) -> str:
    return _link(SCRUTINY, quarter=quarter)


def returns() -> str:
    return _link(RETURNS)


def my_work() -> str:
    return _link(REMINDERS)


def full(base: str, link: str) -> str:
    """The address a reader clicks: the app's address and the page's."""
    return base.rstrip("/") + link
