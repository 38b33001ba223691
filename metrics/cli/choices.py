"""A value a person types that must be one of a known set (a statement, an indicator, an
owner, an organisation, an area, a breakdown, a kind of audit entry): one check and one
message for every command's filter. A typo is a usage error (exit 2, as argparse's own
choices) naming the value and the choices, or the closest of them where there are many;
never an empty table that reads as "nothing there"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from charter import Charter

# Up to this many choices are all named; past it, the closest ones are.
LISTED = 40
CLOSEST = 5


class UsageError(Exception):
    """A command's option given a value it cannot take: `main` says it and exits 2."""


def one_of(option: str, value: object, known: Iterable[object], what: str) -> None:
    """Nothing if `value` is one of `known` (or not given); else UsageError, as
    "--owner: 'head-of-sen' is not an owner in charter/owners.yaml; did you mean
    'head-of-send'? (choices: ...)". `what` says what a choice is and where they come from."""
    choices = sorted({str(k) for k in known}, key=_in_order)
    if value is None or str(value) in choices:
        return
    raise UsageError(unknown(option, str(value), choices, what))


def statement_option(value: object, charter: Charter) -> None:
    """`--statement`: one of the charter's statements (by number), as `one_of` checks."""
    numbers = [s.number for s in charter.statements]
    one_of("--statement", value, numbers, "a statement of the charter")


def _in_order(choice: str) -> tuple[int, str]:
    """Numbers (statements) in their order, 2 before 10; names alphabetically."""
    return (int(choice), "") if choice.isdigit() else (1 << 62, choice)


def near(value: str, choices: Iterable[object], cutoff: float = 0.6) -> list[str]:
    """The choices closest to `value`, closest first (none when none is as close as
    `cutoff`, difflib's ratio of characters in common)."""
    lowered = {str(c).lower(): str(c) for c in choices}  # a code typed in lower case is closest
    found = difflib.get_close_matches(value.lower(), lowered, CLOSEST, cutoff)
    return [lowered[c] for c in found]


def unknown(option: str, value: str, choices: list[str], what: str) -> str:
    said = f"{option}: {value!r} is not {what}"
    near_ones = near(value, choices)
    if near_ones:
        said += f"; did you mean {' or '.join(repr(n) for n in near_ones)}?"  # closest first
    if not choices:
        return f"{said} (there are none yet)"
    if len(choices) <= LISTED:
        return f"{said} (choices: {', '.join(choices)})"
    if not near_ones:
        return f"{said} (none of its {len(choices):,} choices is close; one is {choices[0]!r})"
    return said
