"""How every change is written: all or nothing, a lost race with another writer said plainly
and run again as if it had come second, and user text stripped and bounded before it is kept.

Shared by the review, evidence, the self-review and partners' submissions, so it sits below
all of them (beside the audit trail, which every write also calls) and not in the store: the
store knows SQL, not the words a refused change is explained in.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from metrics import text_limits
from metrics.store.connection import Connection, Store, WriteConflict, transaction

MAX_TEXT = text_limits.PARAGRAPH  # a paragraph: commentary is short plain text, not a report


class ReviewError(ValueError):
    """A change (to the review, evidence, the self-review, a submission) that cannot be made;
    the message says why, plainly. Named for the review, where it began. `field`: the
    keyword argument of the change that is wrong ("due"), when one is: a form says the
    refusal under that field's box (ui/forms.py), not only under the whole form."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Concurrent(ReviewError):
    """Someone else wrote the same thing at the same moment and was first; nothing of this
    write was kept."""


@contextmanager
def writing(store: Store, what: str) -> Iterator[Connection]:
    """One write, all or nothing. Losing a race with another writer is said plainly, naming
    `what` the other person changed (never DuckDB's own words)."""
    try:
        with store.connect() as con, transaction(con):
            yield con
    except WriteConflict:
        raise Concurrent(
            f"Someone else changed {what} at the same moment, so yours was not saved. "
            "Look at it as it is now, then try again if it is still needed."
        ) from None


P = ParamSpec("P")
T = TypeVar("T")
# DuckDB reports a conflict before the winner commits: the retry sees its write. Words saved
# to one quarter at once also conflict (they hold its review row against a sign-off:
# metrics/review/common.py), so a meeting's members saving together are tried again, enough
# times for eight at once.
ATTEMPTS = 8


def one_after_the_other(write: Callable[P, T]) -> Callable[P, T]:
    """Run a write that lost a race again, a moment later, as if it had come second: it then
    reads what the winner wrote and the review's own rules decide (commentary becomes a
    conflict showing both texts; a second sign-off is refused as already done). `write` must
    read what it checks inside its own transaction."""

    @functools.wraps(write)
    def again(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(ATTEMPTS):
            try:
                return write(*args, **kwargs)
            except Concurrent:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1) + random.uniform(0, 0.05))
        raise AssertionError("unreachable")  # pragma: no cover

    return again


def plain(text: str | None, what: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    """User text as stored: stripped, never empty when required, never longer than `limit`
    (metrics/text_limits.py)."""
    value = (text or "").strip()
    if required and not value:
        raise ReviewError(f"Write {what}: it cannot be empty.")
    try:
        return text_limits.bounded(value, what, limit)
    except text_limits.TextTooLong as err:
        raise ReviewError(str(err)) from None
